// The benchmark's workload: every generated push is one a real parent node
// accepts, a city push adds up its leaves, and a burst has the promised
// shape.
#include "tools/bench/workload.h"

#include <map>
#include <set>

#include "gtest/gtest.h"
#include "libs/federation/validate_push.h"
#include "tools/bench/stats.h"

namespace tonghop::bench {
namespace {

class WorkloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto world = World::Load();
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = std::move(*world);
  }
  const Unit& U(const std::string& code) {
    return *world_->registry().Find(code);
  }
  std::unique_ptr<World> world_;
  const Period march_{2026, PeriodType::kMonth, 3};
};

TEST(StatsTest, PercentileByNearestRank) {
  EXPECT_EQ(Percentile({}, 0.5), 0);
  EXPECT_EQ(Percentile({3, 1, 2, 4}, 0.5), 2);
  EXPECT_EQ(Percentile({3, 1, 2, 4}, 0.99), 4);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(Percentile(hundred, 0.99), 99);
  LoadResult a, b;
  a.acknowledged = 3;
  a.seconds = 1;
  a.latencies_ms = {1, 2, 3};
  b.acknowledged = 1;
  b.seconds = 1;
  b.latencies_ms = {10};
  a.Merge(b);
  EXPECT_EQ(a.per_second(), 2);
  EXPECT_EQ(a.p99_ms(), 10);
}

TEST_F(WorkloadTest, LeafAndCityPushesAreAcceptedAndAddUp) {
  Generator gen(*world_, 7);
  const Unit& city = U("79");
  std::vector<v1::PushRequest> leaves;
  Totals totals;
  for (const Unit* leaf : world_->Leaves(city)) {
    auto push = gen.LeafPush(*leaf, march_, 1, absl::UnixEpoch());
    ASSERT_TRUE(push.ok()) << push.status();
    ASSERT_TRUE(
        ValidatePush(world_->catalog(), world_->registry(), *leaf, *push).ok())
        << leaf->code;
    EXPECT_GT(push->values_size(), 0) << leaf->code;
    AddToTotals(*push, totals);
    leaves.push_back(*std::move(push));
  }
  EXPECT_EQ(leaves.size(), 170u);  // 168 communes, the VP and SKHCN
  auto city_push = gen.CityPush(city, march_, leaves, 1, absl::UnixEpoch());
  ASSERT_TRUE(city_push.ok()) << city_push.status();
  EXPECT_TRUE(
      ValidatePush(world_->catalog(), world_->registry(), city, *city_push)
          .ok());
  EXPECT_EQ(city_push->children_size(), 170);
  int checked = 0;
  for (const v1::ConsolidatedValue& v : city_push->values()) {
    const IndicatorTotal& t = totals.at(v.indicator());
    if (v.value().has_ratio()) {
      EXPECT_EQ(v.value().ratio().numerator(), t.numerator) << v.indicator();
      EXPECT_EQ(v.value().ratio().denominator(), t.denominator);
      ++checked;
    } else if (v.value().has_number()) {
      EXPECT_EQ(v.value().number(), t.number) << v.indicator();
      ++checked;
    }
  }
  EXPECT_EQ(checked, city_push->values_size());
}

TEST_F(WorkloadTest, BurstHasCorrectionsDuplicatesAndFinals) {
  Generator gen(*world_, 11);
  std::vector<v1::PushRequest> finals;
  auto burst = Burst(gen, *world_, U("79"), march_, 0.10, 0.01,
                     absl::UnixEpoch(), &finals);
  ASSERT_TRUE(burst.ok()) << burst.status();
  EXPECT_EQ(burst->size(), 170u + 17u + 2u);
  ASSERT_EQ(finals.size(), 170u);
  std::map<std::string, int64_t> newest;
  std::map<std::pair<std::string, int64_t>, int> sent;
  for (const auto& p : *burst) {
    newest[p.child()] = std::max(newest[p.child()], p.revision());
    ++sent[{p.child(), p.revision()}];
    EXPECT_TRUE(p.has_finalized_time());
    EXPECT_EQ(p.has_late_revision_time(), p.revision() == 2);
  }
  int corrected = 0, duplicated = 0;
  for (const auto& f : finals) {
    EXPECT_EQ(f.revision(), newest[f.child()]) << f.child();
    corrected += f.revision() == 2;
  }
  for (const auto& [key, n] : sent) duplicated += n - 1;
  EXPECT_EQ(corrected, 17);
  EXPECT_EQ(duplicated, 2);
  // The same seed, the same workload.
  Generator again(*world_, 11);
  std::vector<v1::PushRequest> finals2;
  auto burst2 = Burst(again, *world_, U("79"), march_, 0.10, 0.01,
                      absl::UnixEpoch(), &finals2);
  ASSERT_TRUE(burst2.ok());
  EXPECT_EQ((*burst)[0].SerializeAsString(), (*burst2)[0].SerializeAsString());
  const FlatReport flat = Flatten(finals[0], "79");
  EXPECT_EQ(flat.unit, finals[0].child());
  EXPECT_EQ(flat.values.size(), static_cast<size_t>(finals[0].values_size()));
}

}  // namespace
}  // namespace tonghop::bench
