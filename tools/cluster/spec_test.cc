// Checks of a cluster spec against the registry, without processes.
#include "tools/cluster/spec.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/catalog/catalog.h"
#include "libs/engine/topology.h"

namespace tonghop::cluster {
namespace {

using ::testing::HasSubstr;

class ClusterSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
  }

  // The error of planning `text`, or "" when it plans.
  std::string PlanError(const std::string& text) {
    absl::StatusOr<v1::ClusterSpec> spec = ParseClusterSpec(text);
    if (!spec.ok()) return std::string(spec.status().message());
    absl::StatusOr<std::vector<NodePlan>> plan = PlanCluster(*spec, *registry_);
    if (plan.ok()) return "";
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(plan.status().message());
  }

  std::unique_ptr<Registry> registry_;
};

TEST_F(ClusterSpecTest, PlansParentsFirstWithChildrenOfBothKinds) {
  auto spec = ParseClusterSpec(R"(
    nodes { unit: "10525" parent: "31" }
    nodes { unit: "31" }
    nodes { unit: "31.SKHCN" parent: "31" }
    units { code: "10507" parent: "31" }
    units { code: "10525.VHXH" parent: "10525" name: "Phòng Văn hóa - Xã hội" }
  )");
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto plan = PlanCluster(*spec, *registry_);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0].unit, "31");
  EXPECT_EQ((*plan)[0].role, v1::ROLE_CITY);
  EXPECT_EQ((*plan)[0].parent, "");
  EXPECT_EQ((*plan)[1].unit, "10525");
  EXPECT_EQ((*plan)[1].role, v1::ROLE_WARD);
  EXPECT_EQ((*plan)[2].unit, "31.SKHCN");
  EXPECT_EQ((*plan)[2].role, v1::ROLE_DEPARTMENT);

  const auto& city = (*plan)[0].children;
  ASSERT_EQ(city.size(), 3u);
  EXPECT_EQ(city[0].code(), "10525");
  EXPECT_EQ(city[0].kind(), v1::ChildConfig::KIND_NODE);
  EXPECT_EQ(city[1].code(), "31.SKHCN");
  EXPECT_EQ(city[1].kind(), v1::ChildConfig::KIND_NODE);
  EXPECT_EQ(city[2].code(), "10507");
  EXPECT_EQ(city[2].kind(), v1::ChildConfig::KIND_UNIT);
  const auto& ward = (*plan)[1].children;
  ASSERT_EQ(ward.size(), 1u);
  EXPECT_EQ(ward[0].code(), "10525.VHXH");
  EXPECT_EQ(ward[0].kind(), v1::ChildConfig::KIND_UNIT);
  EXPECT_EQ(ward[0].name(), "Phòng Văn hóa - Xã hội");
  EXPECT_TRUE((*plan)[2].children.empty());
}

TEST_F(ClusterSpecTest, NodeConfigPointsAtTheParentOnLoopback) {
  NodePlan ward;
  ward.unit = "10525";
  ward.parent = "31";
  ward.role = v1::ROLE_WARD;
  v1::NodeConfig config = MakeNodeConfig(ward, "/tmp/c/10525/data", 4001, 4000);
  EXPECT_EQ(config.unit(), "10525");
  EXPECT_EQ(config.role(), v1::ROLE_WARD);
  EXPECT_EQ(config.listen_address(), "127.0.0.1:4001");
  EXPECT_EQ(config.parent_address(), "127.0.0.1:4000");
  EXPECT_EQ(config.data_dir(), "/tmp/c/10525/data");

  NodePlan root;
  root.unit = "VN";
  root.role = v1::ROLE_CENTRAL;
  EXPECT_EQ(MakeNodeConfig(root, "/d", 4000, 0).parent_address(), "");
}

TEST_F(ClusterSpecTest, RoleFollowsTheUnitLevel) {
  EXPECT_EQ(*RoleOfUnit(*registry_, "VN"), v1::ROLE_CENTRAL);
  EXPECT_EQ(*RoleOfUnit(*registry_, "31"), v1::ROLE_CITY);
  EXPECT_EQ(*RoleOfUnit(*registry_, "31.SKHCN"), v1::ROLE_DEPARTMENT);
  EXPECT_EQ(*RoleOfUnit(*registry_, "10525"), v1::ROLE_WARD);
  EXPECT_EQ(RoleOfUnit(*registry_, "XX").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ClusterSpecTest, RefusesMalformedText) {
  EXPECT_THAT(PlanError("nodes { unit: 31 "),
              HasSubstr("spec: line 1, column"));
  EXPECT_THAT(PlanError("nodez { unit: \"31\" }"), HasSubstr("spec: line 1"));
}

TEST_F(ClusterSpecTest, RefusesBadNodes) {
  EXPECT_EQ(PlanError(""), "nodes: the spec has no nodes");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" } nodes { parent: "31" })"),
            "nodes[1].unit: required");
  EXPECT_EQ(
      PlanError(R"(nodes { unit: "31" } nodes { unit: "XX" parent: "31" })"),
      "nodes[1].unit: 'XX' is not in the registry");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" } nodes { unit: "31" })"),
            "nodes[1].unit: '31' is listed twice (also nodes[0])");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" } nodes { unit: "01" })"),
            "nodes[1]: a second root (no parent) besides nodes[0] '31'");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" parent: "10525" }
                         nodes { unit: "10525" parent: "31" })"),
            "nodes: no root: every node has a parent");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" }
                         nodes { unit: "10525" parent: "31" }
                         nodes { unit: "10507" parent: "31" }
                         nodes { unit: "10532" parent: "XX" })"),
            "nodes[3].parent: 'XX' is not a node of the spec");
  EXPECT_EQ(
      PlanError(R"(nodes { unit: "VN" } nodes { unit: "31" parent: "31" })"),
      "nodes[1].parent: a node cannot be its own parent");
  EXPECT_EQ(
      PlanError(R"(nodes { unit: "VN" }
                         nodes { unit: "31" parent: "10525" }
                         nodes { unit: "10525" parent: "31" })"),
      "nodes[1]: '31' is not under the root 'VN' (its parents form a cycle)");
}

TEST_F(ClusterSpecTest, RefusesAnOfficeAsANode) {
  // An office is only known once a config registers it, so it is simply not in
  // the registry.
  EXPECT_THAT(
      PlanError(
          R"(nodes { unit: "31" } nodes { unit: "10525.VHXH" parent: "31" })"),
      HasSubstr("nodes[1].unit: '10525.VHXH'"));
}

TEST_F(ClusterSpecTest, RefusesBadUnits) {
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" } units { parent: "31" })"),
            "units[0].code: required");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" } units { code: "10507" })"),
            "units[0].parent: required");
  EXPECT_EQ(
      PlanError(R"(nodes { unit: "31" } units { code: "10507" parent: "01" })"),
      "units[0].parent: '01' is not a node of the spec");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" }
                         units { code: "10507" parent: "31" }
                         units { code: "10507.VHXH" parent: "10507" name: "Phòng" })"),
            "units[1].parent: '10507' is not a node of the spec");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" }
                         units { code: "10507" parent: "31" }
                         units { code: "10507" parent: "31" })"),
            "units[1].code: '10507' is listed twice (also units[0])");
  EXPECT_EQ(PlanError(R"(nodes { unit: "31" }
                         nodes { unit: "10525" parent: "31" }
                         units { code: "10525" parent: "31" })"),
            "units[0].code: '10525' is listed twice (also nodes[1])");
}

TEST_F(ClusterSpecTest, ReadsTextOrAFile) {
  EXPECT_EQ(*ReadClusterSpecText("nodes { unit: \"31\" }"),
            "nodes { unit: \"31\" }");
  EXPECT_EQ(ReadClusterSpecText("/nonexistent/spec.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

// make demo's spec: every node's config builds the topology the node would
// (a unit child that can submit nothing, for one, is refused at start).
TEST_F(ClusterSpecTest, TheDemoSpecGivesEveryNodeAValidConfig) {
  auto text = ReadClusterSpecText(TONGHOP_DEMO_SPEC);
  ASSERT_TRUE(text.ok()) << text.status();
  auto spec = ParseClusterSpec(*text);
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto plan = PlanCluster(*spec, *registry_);
  ASSERT_TRUE(plan.ok()) << plan.status();
  auto catalog = Catalog::LoadEmbedded(*registry_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  for (size_t i = 0; i < plan->size(); ++i) {
    const NodePlan& node = (*plan)[i];
    SCOPED_TRACE(node.unit);
    const v1::NodeConfig config = MakeNodeConfig(
        node, "/nonexistent", 7000 + static_cast<int>(i), i == 0 ? 0 : 7000);
    auto topology = Topology::Build(config, registry_.get(), catalog->get());
    EXPECT_TRUE(topology.ok()) << topology.status();
  }
  EXPECT_GE(plan->size(), 3u);  // the central node, a city, one of its own
}

}  // namespace
}  // namespace tonghop::cluster
