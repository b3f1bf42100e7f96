// History records loaded in bulk give a node the same figures as the same
// pushes delivered one by one.
#include "libs/engine/history.h"

#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::tonghop::testing::ChildOf;
using ::tonghop::testing::EngineFixture;
using Node = ::tonghop::testing::TestNode;

v1::ConsolidatedValue Ratio(const std::string& indicator, int64_t n,
                            int64_t d) {
  v1::ConsolidatedValue v;
  v.set_indicator(indicator);
  v.mutable_value()->mutable_ratio()->set_numerator(n);
  v.mutable_value()->mutable_ratio()->set_denominator(d);
  v.set_reported(1);
  v.set_expected(1);
  v.set_communes_reported(1);
  v.set_communes_expected(1);
  v.set_status(n == d ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET);
  return v;
}

v1::PushRequest Push(const std::string& child, int64_t n, int64_t d) {
  v1::PushRequest p;
  p.set_child(child);
  p.set_period("2026-02");
  p.set_revision(3);
  *p.add_values() = Ratio("QD11-01", n, d);
  *p.add_values() = Ratio("QD11-03X", n - 1, d);
  return p;
}

class HistoryTest : public EngineFixture {
 protected:
  Node* City() {
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    *config.add_children() = ChildOf("10525", v1::ChildConfig::KIND_NODE);
    *config.add_children() = ChildOf("10507", v1::ChildConfig::KIND_NODE);
    *config.add_children() = ChildOf("10532", v1::ChildConfig::KIND_UNIT);
    // Pushes near int64's limit, which ValidatePush refuses, reach the
    // writer's overflow refusal only with the bound raised.
    return NewNode(config, Holidays(), [](Engine::Options& options) {
      options.max_pushed_value = std::numeric_limits<int64_t>::max();
    });
  }
  // The value of QD11-01 in `r`'s report.
  static v1::ConsolidatedValue Qd1101(const v1::GetRollupResponse& r) {
    for (const auto& v : r.report().values()) {
      if (v.indicator() == "QD11-01") return v;
    }
    ADD_FAILURE() << "no QD11-01";
    return {};
  }
  static v1::GetRollupResponse Rollup(Node* n, const std::string& unit = "") {
    v1::GetRollupRequest r;
    r.set_period("2026-02");
    r.set_unit(unit);
    r.set_breakdown(true);
    auto out = n->engine->GetRollup(r);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::GetRollupResponse();
  }
};

TEST_F(HistoryTest, IngestedHistoryEqualsDeliveredPushes) {
  const std::vector<v1::PushRequest> pushes = {Push("10525", 40, 50),
                                               Push("10507", 7, 9)};
  Node* live = City();
  Node* loaded = City();
  ASSERT_NE(live, nullptr);
  ASSERT_NE(loaded, nullptr);
  for (const auto& p : pushes) ASSERT_TRUE(live->engine->PushAndWait(p).ok());

  Period period{2026, PeriodType::kMonth, 2};
  auto records = HistoryRecords(*loaded->topology, period, pushes,
                                absl::FromUnixSeconds(1772000000));
  ASSERT_TRUE(records.ok()) << records.status();
  Close(loaded);
  {
    auto db = Db::Open(loaded->dir);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Ingest(*records).ok());
  }
  ASSERT_TRUE(Open(loaded));

  v1::GetRollupResponse a = Rollup(live), b = Rollup(loaded);
  ASSERT_EQ(a.report().values_size(), b.report().values_size());
  for (int i = 0; i < a.report().values_size(); ++i) {
    EXPECT_EQ(a.report().values(i).SerializeAsString(),
              b.report().values(i).SerializeAsString())
        << a.report().values(i).indicator();
  }
  const v1::ConsolidatedValue first = Qd1101(b);
  EXPECT_EQ(first.value().ratio().numerator(), 47);
  EXPECT_EQ(first.value().ratio().denominator(), 59);
  EXPECT_EQ(first.reported(), 2);
  EXPECT_EQ(first.expected(), 3);
  EXPECT_TRUE(b.report().has_finalized_time());
  ASSERT_EQ(a.children_size(), b.children_size());
  for (int i = 0; i < a.children_size(); ++i) {
    EXPECT_EQ(a.children(i).unit(), b.children(i).unit());
    EXPECT_EQ(a.children(i).revision(), b.children(i).revision());
  }
  // A correction after the history is newer than what was loaded.
  v1::PushRequest newer = Push("10525", 50, 50);
  newer.set_revision(4);
  auto r = loaded->engine->PushAndWait(newer);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->stale());
  EXPECT_EQ(Qd1101(Rollup(loaded)).value().ratio().numerator(), 57);
}

TEST_F(HistoryTest, RefusesPushesANodeWouldRefuse) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  Period period{2026, PeriodType::kMonth, 2};
  auto unit = HistoryRecords(*city->topology, period, {Push("10532", 1, 2)},
                             absl::UnixEpoch());
  EXPECT_EQ(unit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unit.status().message().find("pushes[0].child"), std::string::npos)
      << unit.status();
  auto twice = HistoryRecords(*city->topology, period,
                              {Push("10525", 1, 2), Push("10525", 1, 2)},
                              absl::UnixEpoch());
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  v1::PushRequest bad = Push("10507", 5, 2);  // numerator above denominator
  auto invalid =
      HistoryRecords(*city->topology, period, {bad}, absl::UnixEpoch());
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(invalid.status().message().find("pushes[0]"), std::string::npos);
}

}  // namespace
}  // namespace tonghop

namespace tonghop {
namespace {

// Pushes queued together are committed as one group with each changed plan
// recomputed once; a push that would overflow a sum is refused alone and the
// others of its group are kept.
TEST_F(HistoryTest, OverflowingPushInAGroupIsRefusedAlone) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  const int64_t huge = std::numeric_limits<int64_t>::max() - 10;
  ASSERT_TRUE(city->engine->PushAndWait(Push("10525", huge, huge)).ok());
  absl::Mutex mu;
  std::vector<absl::Status> results(3);
  int done = 0;
  // 10525's correction, then 10507's huge value (over the limit with 40, not
  // with the 8 that follows in the same group), then 10525's second one.
  std::vector<v1::PushRequest> pushes = {
      Push("10525", 40, 50), Push("10507", huge, huge), Push("10525", 8, 9)};
  pushes[0].set_revision(4);
  pushes[1].set_revision(4);
  pushes[2].set_revision(5);
  // Stale re-deliveries queued first, so that the three are likely to share
  // a group with them (the outcome is the same either way).
  const v1::PushRequest stale = Push("10525", huge, huge);
  for (int i = 0; i < 50; ++i) {
    city->engine->Push(stale, [&](absl::StatusOr<v1::PushResponse>) {
      absl::MutexLock lock(&mu);
      ++done;
    });
  }
  for (size_t i = 0; i < pushes.size(); ++i) {
    city->engine->Push(pushes[i], [&, i](absl::StatusOr<v1::PushResponse> r) {
      absl::MutexLock lock(&mu);
      results[i] = r.status();
      ++done;
    });
  }
  {
    absl::MutexLock lock(&mu);
    auto all = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return done == 53; };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&all), absl::Seconds(30)));
  }
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_EQ(results[1].code(), absl::StatusCode::kOutOfRange) << results[1];
  EXPECT_TRUE(results[2].ok()) << results[2];
  const v1::ConsolidatedValue v = Qd1101(Rollup(city));
  EXPECT_EQ(v.value().ratio().numerator(), 8);
  EXPECT_EQ(v.value().ratio().denominator(), 9);
  // Nothing of the refused push was stored: a restart shows the same.
  ASSERT_TRUE(Restart(city));
  EXPECT_EQ(Qd1101(Rollup(city)).value().ratio().numerator(), 8);
}

}  // namespace
}  // namespace tonghop

namespace tonghop {
namespace {

// The serialised roll-up the gRPC service sends is kept between writes and is
// never older than an acknowledged write.
TEST_F(HistoryTest, RollupBytesAreCachedUntilTheNextWrite) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(city->engine->PushAndWait(Push("10525", 40, 50)).ok());
  v1::GetRollupRequest request;
  request.set_period("2026-02");
  request.set_breakdown(true);
  auto first = city->engine->GetRollupBytes(request);
  ASSERT_TRUE(first.ok()) << first.status();
  v1::GetRollupResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(**first));
  EXPECT_EQ(parsed.SerializeAsString(), Rollup(city).SerializeAsString());
  auto again = city->engine->GetRollupBytes(request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get());  // the same bytes, not rebuilt
  // A drill-down into a child is kept apart from the node's own roll-up.
  v1::GetRollupRequest child = request;
  child.set_unit("10525");
  auto drill = city->engine->GetRollupBytes(child);
  ASSERT_TRUE(drill.ok());
  EXPECT_NE(**drill, **first);
  // So is the answer without the breakdown, itself kept too.
  v1::GetRollupRequest plain = request;
  plain.set_breakdown(false);
  auto summary = city->engine->GetRollupBytes(plain);
  ASSERT_TRUE(summary.ok());
  ASSERT_TRUE(parsed.ParseFromString(**summary));
  EXPECT_EQ(parsed.children_size(), 0);
  EXPECT_EQ(Qd1101(parsed).value().ratio().numerator(), 40);
  auto summary_again = city->engine->GetRollupBytes(plain);
  ASSERT_TRUE(summary_again.ok());
  EXPECT_EQ(summary->get(), summary_again->get());

  v1::PushRequest newer = Push("10525", 50, 50);
  newer.set_revision(4);
  ASSERT_TRUE(city->engine->PushAndWait(newer).ok());
  auto after = city->engine->GetRollupBytes(request);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(parsed.ParseFromString(**after));
  EXPECT_EQ(Qd1101(parsed).value().ratio().numerator(), 50);
  auto summary_after = city->engine->GetRollupBytes(plain);
  ASSERT_TRUE(summary_after.ok());
  ASSERT_TRUE(parsed.ParseFromString(**summary_after));
  EXPECT_EQ(Qd1101(parsed).value().ratio().numerator(), 50);
  // A refused request is not cached and stays an error.
  v1::GetRollupRequest bad = request;
  bad.set_period("2026-13");
  EXPECT_EQ(city->engine->GetRollupBytes(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tonghop
