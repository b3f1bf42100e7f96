// Every example config in deploy/ parses and builds a topology against the
// shipped data, so the examples stay true to the code.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/auth/access.h"
#include "libs/catalog/catalog.h"
#include "libs/engine/config.h"
#include "libs/engine/topology.h"

namespace tonghop {
namespace {

TEST(DeployConfigsTest, EveryExampleLoads) {
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(TONGHOP_DEPLOY_DIR)) {
    if (entry.path().extension() != ".textproto") continue;
    ++seen;
    SCOPED_TRACE(entry.path().string());
    auto config = LoadNodeConfig(entry.path().string());
    ASSERT_TRUE(config.ok()) << config.status();
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok());
    auto catalog = Catalog::LoadEmbedded(**registry);
    ASSERT_TRUE(catalog.ok());
    auto topology = Topology::Build(*config, registry->get(), catalog->get());
    ASSERT_TRUE(topology.ok()) << topology.status();
    EXPECT_EQ(config->role() == v1::ROLE_CENTRAL,
              config->parent_address().empty());
    std::set<std::string> children;
    for (const Child& c : (*topology)->children())
      children.insert(c.unit->code);
    auto access =
        AccessPolicy::Build(config->tokens(), config->unit(), children);
    EXPECT_TRUE(access.ok()) << access.status();
    if (config->has_tls()) {  // as deploy/make-certs.sh names the files
      const std::string pki = "/etc/tonghop/pki/";
      EXPECT_EQ(config->tls().cert_file(), pki + config->unit() + ".pem");
      EXPECT_EQ(config->tls().key_file(), pki + config->unit() + ".key");
      EXPECT_EQ(config->tls().ca_file(), pki + "ca.pem");
    }
  }
  EXPECT_GE(seen, 4);
}

// The examples work together: a node pushing to the address another example
// listens on is listed there as a child node (not as a unit, whose pushes the
// parent would refuse), unless that example expects its default children.
TEST(DeployConfigsTest, ExamplesPushingToEachOtherAgree) {
  std::map<std::string, v1::NodeConfig> by_port;  // listen port -> config
  std::vector<v1::NodeConfig> all;
  for (const auto& entry :
       std::filesystem::directory_iterator(TONGHOP_DEPLOY_DIR)) {
    if (entry.path().extension() != ".textproto") continue;
    auto config = LoadNodeConfig(entry.path().string());
    ASSERT_TRUE(config.ok()) << config.status();
    all.push_back(*config);
  }
  auto port = [](const std::string& address) {
    return address.substr(address.rfind(':') + 1);
  };
  for (const v1::NodeConfig& c : all) {
    if (!c.children().empty()) by_port[port(c.listen_address())] = c;
  }
  int checked = 0;
  for (const v1::NodeConfig& c : all) {
    if (c.parent_address().empty()) continue;
    auto parent = by_port.find(port(c.parent_address()));
    if (parent == by_port.end()) continue;
    SCOPED_TRACE(c.unit() + " -> " + parent->second.unit());
    bool listed_as_node = false;
    for (const v1::ChildConfig& child : parent->second.children()) {
      if (child.code() == c.unit())
        listed_as_node = child.kind() == v1::ChildConfig::KIND_NODE;
    }
    EXPECT_TRUE(listed_as_node);
    ++checked;
  }
  EXPECT_GE(checked, 2);  // the ward and the department
}

}  // namespace
}  // namespace tonghop
