// A real small cluster: tonghop-node processes on loopback in a temporary
// folder.
#include "tools/cluster/cluster.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/zone.h"
#include "tests/harness/node_process.h"
#include "tools/cli/rpc.h"

namespace tonghop::cluster {
namespace {

using ::testing::HasSubstr;

// Hải Phòng's city node, with Phường Hải Dương running its own node and Phường
// Thành Đông submitting to the city directly.
constexpr char kSpec[] = R"(
  nodes { unit: "31" }
  nodes { unit: "10525" parent: "31" }
  units { code: "10507" parent: "31" }
)";

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "tonghop-cluster-test-XXXXXX")
            .string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

absl::Time Start() { return *ParseRfc3339("2026-03-10T08:00:00+07:00"); }

absl::StatusOr<v1::NodeInfo> Info(const std::string& address) {
  return cli::NodeClient(address).GetNodeInfo();
}

absl::Time NowOf(const v1::NodeInfo& info) {
  return absl::FromUnixSeconds(info.now().seconds()) +
         absl::Nanoseconds(info.now().nanos());
}

TEST(LocalClusterTest, UpKillRestartMoveTheClockAndDown) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string dir = tmp.path() + "/cluster";
  auto up = Cluster::Up(kSpec, dir, TONGHOP_NODE_BINARY, Start());
  ASSERT_TRUE(up.ok()) << up.status();
  Cluster& cluster = **up;
  cluster.set_down_on_destroy(true);  // even when an assertion fails

  // Both nodes serve, each on its own port; the plain unit runs nothing.
  EXPECT_TRUE(cluster.Running("31"));
  EXPECT_TRUE(cluster.Running("10525"));
  EXPECT_FALSE(cluster.Running("10507"));
  const std::string city = cluster.Address("31");
  const std::string ward = cluster.Address("10525");
  EXPECT_THAT(city, HasSubstr("127.0.0.1:"));
  EXPECT_NE(city, ward);
  std::vector<NodeView> nodes = cluster.Nodes();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].unit, "31");
  EXPECT_EQ(nodes[0].role, v1::ROLE_CITY);
  EXPECT_EQ(nodes[0].name, "Thành phố Hải Phòng");
  EXPECT_EQ(nodes[1].unit, "10525");
  EXPECT_EQ(nodes[1].role, v1::ROLE_WARD);
  EXPECT_EQ(nodes[1].parent, "31");
  EXPECT_TRUE(nodes[1].running);
  EXPECT_GT(nodes[1].pid, 0);

  auto city_info = Info(city);
  ASSERT_TRUE(city_info.ok()) << city_info.status();
  EXPECT_EQ(city_info->unit(), "31");
  EXPECT_THAT(city_info->children(),
              ::testing::UnorderedElementsAre("10525", "10507"));
  EXPECT_EQ(NowOf(*city_info), Start());
  auto ward_info = Info(ward);
  ASSERT_TRUE(ward_info.ok()) << ward_info.status();
  EXPECT_EQ(ward_info->unit(), "10525");
  EXPECT_EQ(NowOf(*ward_info), Start());

  // A crash, then a restart on the same address.
  ASSERT_TRUE(cluster.Kill("10525").ok());
  EXPECT_FALSE(cluster.Running("10525"));
  EXPECT_TRUE(cluster.Running("31"));
  EXPECT_TRUE(cluster.Kill("10525").ok());  // already down: nothing to do
  ASSERT_TRUE(cluster.Restart("10525").ok());
  EXPECT_TRUE(cluster.Running("10525"));
  EXPECT_EQ(cluster.Address("10525"), ward);
  ward_info = Info(ward);
  ASSERT_TRUE(ward_info.ok()) << ward_info.status();
  EXPECT_EQ(ward_info->unit(), "10525");
  EXPECT_EQ(cluster.Start("31").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(cluster.Stop("XX").code(), absl::StatusCode::kNotFound);

  // Every node's clock moves together.
  ASSERT_TRUE(cluster.AdvanceClock(absl::Hours(24)).ok());
  EXPECT_EQ(*cluster.CurrentTime(), Start() + absl::Hours(24));
  for (const std::string& address : {city, ward}) {
    auto info = Info(address);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(NowOf(*info), Start() + absl::Hours(24)) << address;
  }
  EXPECT_EQ(cluster.SetClock(Start()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cluster.AdvanceClock(-absl::Hours(1)).code(),
            absl::StatusCode::kInvalidArgument);

  // A node that is down while the clock moves gets the cluster's time when it
  // starts.
  ASSERT_TRUE(cluster.Stop("10525").ok());
  EXPECT_FALSE(cluster.Running("10525"));
  ASSERT_TRUE(cluster.SetClock(Start() + absl::Hours(25)).ok());
  ASSERT_TRUE(cluster.Start("10525").ok());
  ward_info = Info(ward);
  ASSERT_TRUE(ward_info.ok()) << ward_info.status();
  EXPECT_EQ(NowOf(*ward_info), Start() + absl::Hours(25));

  // Another Cluster object (as another tonghop-cluster invocation) sees the
  // same nodes.
  auto opened = Cluster::Open(dir, TONGHOP_NODE_BINARY);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_TRUE((*opened)->Running("31"));
  EXPECT_EQ((*opened)->Address("10525"), ward);
  ASSERT_TRUE((*opened)->Stop("31").ok());
  EXPECT_FALSE(cluster.Running("31"));
  ASSERT_TRUE((*opened)->Start("31").ok());
  EXPECT_TRUE(cluster.Running("31"));
  EXPECT_EQ(cluster.Address("31"), city);

  ASSERT_TRUE(cluster.Down().ok());
  EXPECT_FALSE(cluster.Running("31"));
  EXPECT_FALSE(cluster.Running("10525"));
  EXPECT_FALSE(Info(city).ok());

  // After down, the whole cluster starts again on its addresses and clock.
  ASSERT_TRUE(cluster.StartAll().ok());
  EXPECT_TRUE(cluster.Running("31"));
  EXPECT_TRUE(cluster.Running("10525"));
  EXPECT_EQ(cluster.Address("31"), city);
  ward_info = Info(ward);
  ASSERT_TRUE(ward_info.ok()) << ward_info.status();
  EXPECT_EQ(NowOf(*ward_info), Start() + absl::Hours(25));
  ASSERT_TRUE(cluster.StartAll().ok());  // nothing to start: nothing done
  ASSERT_TRUE(cluster.Down().ok());
}

// The binary `up` was given is recorded, and a later restart without
// --node_binary runs it again, not the tonghop-node of this build.
TEST(LocalClusterTest, ARestartRunsTheBinaryUpUsed) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string copy = tmp.path() + "/copy/tonghop-node";
  std::filesystem::create_directories(tmp.path() + "/copy");
  std::filesystem::copy_file(TONGHOP_NODE_BINARY, copy);
  const std::string spec = tmp.path() + "/spec.textproto";
  std::ofstream(spec) << kSpec;
  const std::string dir = tmp.path() + "/c";
  const std::string cli =
      absl::StrCat(TONGHOP_CLUSTER_BINARY, " --dir=", dir, " ");
  auto exe_of = [&](const std::string& unit) {
    std::ifstream pid_file(dir + "/" + unit + "/pid");
    int pid = 0;
    pid_file >> pid;
    std::error_code ec;
    return std::filesystem::read_symlink(absl::StrCat("/proc/", pid, "/exe"),
                                         ec)
        .string();
  };
  testing::CommandResult up = testing::RunCommand(
      absl::StrCat(cli, "up --spec=", spec, " --node_binary=", copy), true);
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(*Cluster::RecordedNodeBinary(dir), copy);
  EXPECT_EQ(exe_of("10525"), copy);
  testing::CommandResult restart =
      testing::RunCommand(absl::StrCat(cli, "restart --unit=10525"), true);
  EXPECT_EQ(restart.exit_code, 0) << restart.output;
  EXPECT_EQ(exe_of("10525"), copy);
  EXPECT_EQ(testing::RunCommand(absl::StrCat(cli, "down"), true).exit_code, 0);
}

TEST(LocalClusterTest, ReportsTheLogOfANodeThatRefusesToStart) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  // Phường Ba Đình (Hà Nội) is not a ward of Hải Phòng: the city node refuses
  // its config.
  auto up = Cluster::Up(
      R"(nodes { unit: "31" } units { code: "00004" parent: "31" })",
      tmp.path() + "/c", TONGHOP_NODE_BINARY, Start());
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(up.status().message(), HasSubstr("node 31 exited at start"));
  EXPECT_THAT(up.status().message(), HasSubstr("00004"));
  EXPECT_THAT(up.status().message(), HasSubstr("not a direct child"));
}

TEST(LocalClusterTest, RefusesABusyFolderABadBinaryAndAMissingCluster) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::ofstream(tmp.path() + "/something") << "x";
  EXPECT_EQ(Cluster::Up(kSpec, tmp.path(), TONGHOP_NODE_BINARY, Start())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Cluster::Up(kSpec, tmp.path() + "/c", "/nonexistent/tonghop-node",
                        Start())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Cluster::Up(R"(nodes { unit: "XX" })", tmp.path() + "/d",
                        TONGHOP_NODE_BINARY, Start())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() + "/d"));  // nothing written
  EXPECT_EQ(Cluster::Open(tmp.path(), TONGHOP_NODE_BINARY).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tonghop::cluster
