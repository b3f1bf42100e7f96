// Every example config in deploy/ parses and builds a topology against the
// shipped data, so the examples stay true to the code.
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
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
  }
  EXPECT_GE(seen, 4);
}

}  // namespace
}  // namespace tonghop
