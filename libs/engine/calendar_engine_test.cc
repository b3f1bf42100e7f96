// The reporting calendar at the engine level, on a real RocksDB with a
// simulated clock: a unit child's finalisation against the deadline, the status
// view and its rates, late revisions of unit reports, cumulative targets and
// deadline overrides. The node's own report over time (finalisation, estimate,
// automatic steps, locks) is in calendar_lifecycle_test.cc.
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::tonghop::testing::ChildOf;
using ::tonghop::testing::CityConfig;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::Hanoi;
using ::tonghop::testing::RateTuple;
using ::tonghop::testing::Rt;
using ::tonghop::testing::ToTime;
using Node = ::tonghop::testing::TestNode;
using Code = absl::StatusCode;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

// The city's children owing a monthly indicator, in child order.
const std::vector<std::string> kMonthlyChildren = {"10507", "10532", "31.VP",
                                                   "31.SKHCN", "10525"};

class CalendarEngineTest : public EngineFixture {
 protected:
  // Every node's ticker polls every 10 ms of real time.
  CalendarEngineTest() : EngineFixture(/*tick=*/absl::Milliseconds(10)) {}

  absl::StatusOr<v1::SubmitResponse> Submit(Node* n, const std::string& unit,
                                            const std::string& period,
                                            v1::SubmittedValue value) {
    v1::SubmitRequest r;
    r.set_unit(unit);
    r.set_period(period);
    r.set_idempotency_key(absl::StrCat("key-", ++keys_));
    *r.add_values() = std::move(value);
    return n->engine->SubmitAndWait(r);
  }
  absl::StatusOr<v1::SubmitResponse> Put(
      Node* n, const std::string& unit, const std::string& ind, int64_t num,
      int64_t den, const std::string& period = "2026-03") {
    v1::SubmittedValue v;
    v.set_indicator(ind);
    v.mutable_ratio()->set_numerator(num);
    v.mutable_ratio()->set_denominator(den);
    return Submit(n, unit, period, v);
  }
  absl::StatusOr<v1::SubmitResponse> PutCount(Node* n, const std::string& unit,
                                              const std::string& ind,
                                              int64_t number,
                                              const std::string& period) {
    v1::SubmittedValue v;
    v.set_indicator(ind);
    v.set_number(number);
    return Submit(n, unit, period, v);
  }
  static v1::GetRollupResponse Rollup(Node* n, const std::string& unit = "",
                                      bool breakdown = false,
                                      const std::string& period = "2026-03") {
    v1::GetRollupRequest r;
    r.set_period(period);
    r.set_unit(unit);
    r.set_breakdown(breakdown);
    auto g = n->engine->GetRollup(r);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? *g : v1::GetRollupResponse();
  }
  // What the queries show of 2026-03, and the audit length, as bytes.
  static std::string State(Node* n) {
    v1::StatusReport status = Status(n);
    status.clear_now();
    auto audit = n->db->Scan(keys::kAuditPrefix);
    EXPECT_TRUE(audit.ok()) << audit.status();
    return Rollup(n, "", true).SerializeAsString() +
           status.SerializeAsString() +
           absl::StrCat(audit.ok() ? audit->size() : 0);
  }
  template <typename T>
  static const T* Find(const google::protobuf::RepeatedPtrField<T>& xs,
                       const std::string& unit) {
    for (const T& x : xs) {
      if (x.unit() == unit) return &x;
    }
    return nullptr;
  }
  static v1::ConsolidatedValue Cons(Node* n, const std::string& code,
                                    const std::string& period) {
    const v1::GetRollupResponse rollup = Rollup(n, "", false, period);
    for (const auto& v : rollup.report().values()) {
      if (v.indicator() == code) return v;
    }
    ADD_FAILURE() << "no consolidated value of " << code;
    return {};
  }
  // The children a city with the default config expects to report for a
  // monthly period (from the catalog's columns, independently of the
  // topology): its communes and each department responsible for a monthly
  // indicator in its scope.
  int MonthlyLeaves(const std::string& city) const {
    std::set<std::string> departments;
    bool communes = false;
    for (const v1::Indicator& ind : catalog_->proto().indicators()) {
      bool in_scope = ind.scopes().empty();
      for (const std::string& s : ind.scopes()) in_scope |= s == city;
      if (!in_scope || ind.frequency() != v1::FREQUENCY_MONTHLY) continue;
      communes |= ind.reported_by() != v1::REPORTED_BY_DEPARTMENT;
      if (ind.reported_by() != v1::REPORTED_BY_COMMUNE)
        departments.insert(ind.responsible_code());
    }
    int n = communes ? static_cast<int>(registry_->CommunesOf(city).size()) : 0;
    for (const Unit* d : registry_->DepartmentsOf(city))
      n += departments.count(d->department);
    return n;
  }

  int keys_ = 0;
};

TEST_F(CalendarEngineTest, FinalizeAUnitChildAgainstTheDeadline) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());

  At(Hanoi(2026, 3, 12, 9));
  auto first = Finalize(city, "10507", "2026-03", "trưởng phòng");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->on_time());
  EXPECT_FALSE(first->already_final());
  EXPECT_EQ(ToTime(first->finalized_time()), Hanoi(2026, 3, 12, 9));
  EXPECT_EQ(ToTime(first->due()), Hanoi(2026, 3, 20));
  v1::UnitReport stored;
  auto found = city->db->GetProto(keys::Report("2026-03", "10507"), &stored);
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ(ToTime(stored.finalized_time()), Hanoi(2026, 3, 12, 9));
  EXPECT_EQ(stored.finalized_by(), "trưởng phòng");
  EXPECT_EQ(ToTime(Rollup(city, "10507").report().finalized_time()),
            Hanoi(2026, 3, 12, 9));

  // Idempotent: the first finalisation stands, and nothing is written.
  ASSERT_TRUE(clock_->Advance(absl::Hours(30)).ok());
  std::string state = State(city);
  auto again = Finalize(city, "10507", "2026-03", "người khác");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_final());
  EXPECT_TRUE(again->on_time());
  EXPECT_EQ(ToTime(again->finalized_time()), Hanoi(2026, 3, 12, 9));
  EXPECT_EQ(ToTime(again->due()), Hanoi(2026, 3, 20));
  EXPECT_EQ(State(city), state);

  // At the first late instant exactly: late.
  At(Hanoi(2026, 3, 20));
  auto late = Finalize(city, "10532");
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_FALSE(late->on_time());
  EXPECT_FALSE(late->already_final());
  EXPECT_EQ(ToTime(late->finalized_time()), Hanoi(2026, 3, 20));
  EXPECT_EQ(ToTime(late->due()), Hanoi(2026, 3, 20));

  state = State(city);
  std::vector<std::tuple<std::string, std::string, Code>> refused = {
      {"31.VP", "2026-03", Code::kNotFound},  // a unit child, nothing sent
      {"31.STC", "2026-03", Code::kNotFound},
      {"10507", "2026-04", Code::kNotFound},            // another period
      {"10525", "2026-03", Code::kFailedPrecondition},  // a child node
      {"10537", "2026-03", Code::kFailedPrecondition},  // a ward not expected
      {"92", "2026-03", Code::kFailedPrecondition},
      {"99999", "2026-03", Code::kNotFound},  // unknown, as Submit answers
      {"10507", "2026-13", Code::kInvalidArgument},
      {"10507", "2026-3", Code::kInvalidArgument},
      {"10507", "", Code::kInvalidArgument},
  };
  for (const auto& [unit, period, code] : refused) {
    auto r = Finalize(city, unit, period);
    EXPECT_EQ(r.status().code(), code)
        << unit << " " << period << ": " << r.status();
    EXPECT_THAT(std::string(r.status().message()),
                HasSubstr(code == Code::kInvalidArgument ? "period" : unit));
    EXPECT_EQ(State(city), state) << unit << " " << period;
  }
}

TEST_F(CalendarEngineTest, StatusShowsEachChildAgainstTheDeadline) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  v1::StatusReport s = Status(city);
  EXPECT_EQ(s.unit(), "31");
  EXPECT_EQ(s.period(), "2026-03");
  EXPECT_EQ(s.window(), "2026-02-15..2026-03-14");
  EXPECT_EQ(ToTime(s.now()), clock_->Now());
  EXPECT_EQ(ToTime(s.children_due()), Hanoi(2026, 3, 20));
  EXPECT_EQ(s.self().state(), v1::REPORT_STATE_NOT_SUBMITTED);
  EXPECT_EQ(ToTime(s.self().due()), Hanoi(2026, 3, 25));  // the parent's
  EXPECT_EQ(Rt(s.direct()), RateTuple(5, 0, 0));
  EXPECT_FALSE(s.lock().locked());

  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());
  ASSERT_TRUE(Put(city, "31.VP", "QD11-02", 7, 8).ok());
  At(Hanoi(2026, 3, 12));
  ASSERT_TRUE(Finalize(city, "10507").ok());
  At(Hanoi(2026, 3, 20));
  ASSERT_TRUE(Finalize(city, "10532").ok());
  // The child node finalised before the deadline; its push arrives after it.
  At(Hanoi(2026, 3, 20, 8));
  v1::PushRequest push;
  push.set_child("10525");
  push.set_period("2026-03");
  push.set_revision(2);
  *push.mutable_updated_time() = ToProto(Hanoi(2026, 3, 19, 9));
  *push.mutable_finalized_time() = ToProto(Hanoi(2026, 3, 19, 10));
  v1::ConsolidatedValue* v = push.add_values();
  v->set_indicator("QD11-01");
  v->mutable_value()->mutable_ratio()->set_numerator(9);
  v->mutable_value()->mutable_ratio()->set_denominator(10);
  v->set_reported(1);
  v->set_expected(1);
  v->set_communes_reported(1);
  v->set_communes_expected(1);
  v->set_status(v1::TARGET_STATUS_NOT_MET);
  // The ward's own offices, as a ward node counts them: not the city's leaves.
  push.mutable_leaves()->set_expected(1);
  push.mutable_leaves()->set_final(1);
  auto pushed = city->engine->PushAndWait(push);
  ASSERT_TRUE(pushed.ok()) << pushed.status();

  s = Status(city);
  EXPECT_EQ(ToTime(s.now()), Hanoi(2026, 3, 20, 8));
  std::vector<std::string> codes;
  for (const v1::UnitStatus& c : s.children()) {
    codes.push_back(c.unit());
    EXPECT_EQ(ToTime(c.due()), Hanoi(2026, 3, 20)) << c.unit();
    EXPECT_EQ(c.name(), registry_->Find(c.unit())->name);
    EXPECT_EQ(c.node(), c.unit() == "10525") << c.unit();
    EXPECT_FALSE(c.has_late_revision_time()) << c.unit();
  }
  EXPECT_EQ(codes, kMonthlyChildren);  // 31.STC owes nothing monthly
  const v1::UnitStatus* on_time = Find(s.children(), "10507");
  ASSERT_NE(on_time, nullptr);
  EXPECT_EQ(on_time->state(), v1::REPORT_STATE_FINAL_ON_TIME);
  EXPECT_EQ(on_time->revision(), 1);
  EXPECT_EQ(ToTime(on_time->updated_time()), Hanoi(2026, 3, 10, 7));
  EXPECT_EQ(ToTime(on_time->finalized_time()), Hanoi(2026, 3, 12));
  const v1::UnitStatus* late = Find(s.children(), "10532");
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->state(), v1::REPORT_STATE_FINAL_LATE);
  EXPECT_EQ(ToTime(late->finalized_time()), Hanoi(2026, 3, 20));
  const v1::UnitStatus* provisional = Find(s.children(), "31.VP");
  ASSERT_NE(provisional, nullptr);
  EXPECT_EQ(provisional->state(), v1::REPORT_STATE_PROVISIONAL);
  EXPECT_EQ(ToTime(provisional->updated_time()), Hanoi(2026, 3, 10, 7));
  EXPECT_FALSE(provisional->has_finalized_time());
  const v1::UnitStatus* missing = Find(s.children(), "31.SKHCN");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->state(), v1::REPORT_STATE_NOT_SUBMITTED);
  EXPECT_EQ(missing->revision(), 0);
  const v1::UnitStatus* node = Find(s.children(), "10525");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->state(), v1::REPORT_STATE_FINAL_ON_TIME);  // sender's time
  EXPECT_EQ(node->revision(), 2);
  EXPECT_EQ(ToTime(node->updated_time()), Hanoi(2026, 3, 19, 9));
  EXPECT_EQ(ToTime(node->finalized_time()), Hanoi(2026, 3, 19, 10));
  EXPECT_EQ(ToTime(node->received_time()), Hanoi(2026, 3, 20, 8));
  EXPECT_FALSE(node->has_leaves());  // its offices are not shown as leaves
  EXPECT_EQ(Rt(s.direct()), RateTuple(5, 3, 2));
  EXPECT_EQ(Rt(s.leaves()), RateTuple(5, 3, 2));  // wards, departments
  EXPECT_EQ(Rt(s.self().leaves()), RateTuple(5, 3, 2));
  EXPECT_EQ(s.self().state(), v1::REPORT_STATE_PROVISIONAL);
  EXPECT_EQ(s.self().revision(), Rollup(city).report().revision());

  // The node's own report, finalised at its parent's deadline: late.
  At(Hanoi(2026, 3, 25));
  auto own = Finalize(city, "");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_FALSE(own->on_time());
  EXPECT_EQ(ToTime(own->due()), Hanoi(2026, 3, 25));
  s = Status(city);
  EXPECT_EQ(s.self().state(), v1::REPORT_STATE_FINAL_LATE);
  EXPECT_EQ(ToTime(s.self().finalized_time()), Hanoi(2026, 3, 25));
}

TEST_F(CalendarEngineTest, CentralStatusCountsTheLeavesBelowEachCity) {
  v1::NodeConfig config;
  config.set_unit("VN");
  config.set_role(v1::ROLE_CENTRAL);
  *config.add_children() = ChildOf("31", v1::ChildConfig::KIND_NODE);
  *config.add_children() = ChildOf("92", v1::ChildConfig::KIND_NODE);
  Node* vn = NewNode(config);
  Node* city = NewNode(CityConfig());
  ASSERT_NE(vn, nullptr);
  ASSERT_NE(city, nullptr);
  const int leaves_31 = MonthlyLeaves("31");
  const int leaves_92 = MonthlyLeaves("92");
  ASSERT_EQ(leaves_31,
            static_cast<int>(registry_->CommunesOf("31").size()) + 2);

  // Before any push, each city counts the leaves it is expected to have for
  // the period (Hải Phòng's finance department owes nothing monthly).
  v1::StatusReport s = Status(vn);
  EXPECT_EQ(ToTime(s.children_due()), Hanoi(2026, 3, 25));
  EXPECT_FALSE(s.self().has_due());  // no parent
  ASSERT_EQ(s.children_size(), 2);
  EXPECT_EQ(s.children(0).leaves().expected(), leaves_31);
  EXPECT_EQ(s.children(1).leaves().expected(), leaves_92);
  EXPECT_EQ(Rt(s.leaves()), RateTuple(leaves_31 + leaves_92, 0, 0));
  EXPECT_EQ(Rt(s.direct()), RateTuple(2, 0, 0));

  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Finalize(city, "10507").ok());
  auto push = city->engine->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(Rt(push->leaves()), RateTuple(5, 1, 1));
  ASSERT_TRUE(vn->engine->PushAndWait(*push).ok());
  s = Status(vn);
  const v1::UnitStatus* hp = Find(s.children(), "31");
  ASSERT_NE(hp, nullptr);
  EXPECT_EQ(hp->state(), v1::REPORT_STATE_PROVISIONAL);
  EXPECT_EQ(Rt(hp->leaves()), RateTuple(5, 1, 1));
  EXPECT_EQ(Rt(s.leaves()), RateTuple(5 + leaves_92, 1, 1));
  EXPECT_EQ(Rt(s.direct()), RateTuple(2, 0, 0));
  EXPECT_EQ(s.self().state(), v1::REPORT_STATE_PROVISIONAL);
}

// A node owes its parent nothing for a period of a kind it consolidates no
// indicator of: Phường Hải Dương (Hải Phòng) reports monthly, but Hải Phòng's
// annual indicators are its departments' and its quarterly ones are Cần
// Thơ's. Its status says so, with no deadline, and the city does not expect
// it either.
TEST_F(CalendarEngineTest, ANodeOwesNothingForAPeriodKindItHasNoIndicatorOf) {
  v1::NodeConfig config;
  config.set_unit("10525");
  config.set_role(v1::ROLE_WARD);
  Node* ward = NewNode(config);
  Node* city = NewNode(CityConfig());
  ASSERT_NE(ward, nullptr);
  ASSERT_NE(city, nullptr);
  for (const std::string period : {"2026", "2026-Q1", "2026-H1", "2026-9M"}) {
    const v1::StatusReport s = Status(ward, period);
    EXPECT_EQ(s.self().state(), v1::REPORT_STATE_NOT_EXPECTED) << period;
    EXPECT_FALSE(s.self().has_due()) << period;
    EXPECT_EQ(Find(Status(city, period).children(), "10525"), nullptr)
        << period;
  }
  const v1::StatusReport march = Status(ward, "2026-03");
  EXPECT_EQ(march.self().state(), v1::REPORT_STATE_NOT_SUBMITTED);
  EXPECT_EQ(ToTime(march.self().due()), Hanoi(2026, 3, 20));
  // A city owes its annual report whatever children its config lists (its
  // departments owe the indicators, as the central node expects them): one
  // configured with only a ward still owes it, due before 10/12.
  v1::NodeConfig wards_only;
  wards_only.set_unit("31");
  wards_only.set_role(v1::ROLE_CITY);
  *wards_only.add_children() = ChildOf("10525", v1::ChildConfig::KIND_NODE);
  Node* city_of_wards = NewNode(wards_only);
  ASSERT_NE(city_of_wards, nullptr);
  const v1::StatusReport annual = Status(city_of_wards, "2026");
  EXPECT_EQ(annual.self().state(), v1::REPORT_STATE_NOT_SUBMITTED);
  EXPECT_EQ(ToTime(annual.self().due()), Hanoi(2026, 12, 10));
}

TEST_F(CalendarEngineTest, LateRevisionsOfUnitReports) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  EXPECT_FALSE(
      Find(Status(city).children(), "10507")->has_late_revision_time());
  At(Hanoi(2026, 3, 11));
  ASSERT_TRUE(Finalize(city, "10507").ok());
  // After the unit's finalisation, though before the deadline: late.
  At(Hanoi(2026, 3, 12));
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 50, 50).ok());
  // Before the deadline and not finalised: not late.
  At(Hanoi(2026, 3, 19, 23, 59, 59));
  ASSERT_TRUE(Put(city, "31.VP", "QD11-02", 7, 8).ok());
  // A first submission at the deadline: late.
  At(Hanoi(2026, 3, 20));
  ASSERT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());

  v1::StatusReport s = Status(city);
  const v1::UnitStatus* corrected = Find(s.children(), "10507");
  ASSERT_NE(corrected, nullptr);
  EXPECT_EQ(corrected->state(), v1::REPORT_STATE_FINAL_ON_TIME);
  EXPECT_EQ(ToTime(corrected->late_revision_time()), Hanoi(2026, 3, 12));
  EXPECT_EQ(ToTime(corrected->late_revision_received_time()),
            Hanoi(2026, 3, 12));
  EXPECT_FALSE(Find(s.children(), "31.VP")->has_late_revision_time());
  const v1::UnitStatus* first_late = Find(s.children(), "10532");
  ASSERT_NE(first_late, nullptr);
  EXPECT_EQ(first_late->state(), v1::REPORT_STATE_PROVISIONAL);
  EXPECT_EQ(ToTime(first_late->late_revision_time()), Hanoi(2026, 3, 20));

  v1::GetRollupResponse r = Rollup(city, "", true);
  ASSERT_NE(Find(r.children(), "10507"), nullptr);
  EXPECT_EQ(ToTime(Find(r.children(), "10507")->late_revision_time()),
            Hanoi(2026, 3, 12));
  EXPECT_EQ(ToTime(Find(r.children(), "10532")->late_revision_time()),
            Hanoi(2026, 3, 20));
  EXPECT_FALSE(Find(r.children(), "31.VP")->has_late_revision_time());
  EXPECT_EQ(ToTime(Rollup(city, "10507").report().late_revision_time()),
            Hanoi(2026, 3, 12));
  EXPECT_FALSE(Rollup(city, "31.VP").report().has_late_revision_time());
}

TEST_F(CalendarEngineTest, CumulativeIsJudgedOnlyAtTheYearsEnd) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(PutCount(city, "31.SKHCN", "QD11-12", 3, "2026-03").ok());
  v1::ConsolidatedValue v = Cons(city, "QD11-12", "2026-03");
  EXPECT_EQ(v.value().number(), 3);
  EXPECT_EQ(v.target().text(), ">=5");
  EXPECT_EQ(v.status(), v1::TARGET_STATUS_IN_PROGRESS);
  At(Hanoi(2026, 11, 20));  // the windows of November and December are open
  ASSERT_TRUE(PutCount(city, "31.SKHCN", "QD11-12", 6, "2026-11").ok());
  EXPECT_EQ(Cons(city, "QD11-12", "2026-11").status(),
            v1::TARGET_STATUS_IN_PROGRESS);  // above target, still not judged
  ASSERT_TRUE(PutCount(city, "31.SKHCN", "QD11-12", 4, "2026-12").ok());
  EXPECT_EQ(Cons(city, "QD11-12", "2026-12").status(),
            v1::TARGET_STATUS_NOT_MET);
  ASSERT_TRUE(PutCount(city, "31.SKHCN", "QD11-12", 5, "2026-12").ok());
  EXPECT_EQ(Cons(city, "QD11-12", "2026-12").status(), v1::TARGET_STATUS_MET);
  EXPECT_EQ(Cons(city, "QD11-12", "2026-03").status(),
            v1::TARGET_STATUS_IN_PROGRESS);
}

TEST_F(CalendarEngineTest, ChildrenDeadlineFromTheConfig) {
  v1::NodeConfig config = CityConfig();
  config.mutable_children_deadlines()->mutable_monthly()->set_day(18);
  Node* city = NewNode(config);
  ASSERT_NE(city, nullptr);
  v1::StatusReport s = Status(city);
  EXPECT_EQ(ToTime(s.children_due()), Hanoi(2026, 3, 18));
  for (const v1::UnitStatus& c : s.children())
    EXPECT_EQ(ToTime(c.due()), Hanoi(2026, 3, 18)) << c.unit();
  EXPECT_EQ(ToTime(s.self().due()), Hanoi(2026, 3, 25));  // unchanged

  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());
  At(Hanoi(2026, 3, 17, 23, 59, 59));
  auto on_time = Finalize(city, "10507");
  ASSERT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_TRUE(on_time->on_time());
  EXPECT_EQ(ToTime(on_time->due()), Hanoi(2026, 3, 18));
  At(Hanoi(2026, 3, 18));
  auto late = Finalize(city, "10532");
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_FALSE(late->on_time());
  EXPECT_EQ(ToTime(late->due()), Hanoi(2026, 3, 18));
  ASSERT_TRUE(Put(city, "31.VP", "QD11-02", 7, 8).ok());  // past the 18th
  s = Status(city);
  EXPECT_EQ(Find(s.children(), "10507")->state(),
            v1::REPORT_STATE_FINAL_ON_TIME);
  EXPECT_EQ(Find(s.children(), "10532")->state(), v1::REPORT_STATE_FINAL_LATE);
  EXPECT_EQ(ToTime(Find(s.children(), "31.VP")->late_revision_time()),
            Hanoi(2026, 3, 18));
}

// A node cannot owe its parent a period before its units owe it to the node.
TEST_F(CalendarEngineTest, ChildrenDueAfterTheParentIsRefused) {
  const Unit* city = registry_->Find("31");
  ASSERT_NE(city, nullptr);
  v1::NodeConfig config = CityConfig();
  config.mutable_parent_deadlines()->mutable_annual()->set_day(30);
  config.mutable_parent_deadlines()->mutable_annual()->set_month(2);
  auto refused = NodeCalendar::Build(config, *registry_, *city, Holidays());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("children_deadlines.annual"));
  EXPECT_THAT(refused.status().message(), HasSubstr("parent_deadlines.annual"));

  // Due the same day on both edges is allowed; the defaults always are.
  v1::NodeConfig same = CityConfig();
  same.mutable_children_deadlines()->mutable_monthly()->set_day(25);
  EXPECT_TRUE(NodeCalendar::Build(same, *registry_, *city, Holidays()).ok());
  EXPECT_TRUE(
      NodeCalendar::Build(CityConfig(), *registry_, *city, Holidays()).ok());
}

TEST_F(CalendarEngineTest, DeadlineMovedOffTheTetHolidays) {
  auto holidays = Holidays::LoadEmbedded();
  ASSERT_TRUE(holidays.ok()) << holidays.status();
  v1::NodeConfig config = CityConfig();
  config.mutable_children_deadlines()->set_move_off_holidays(true);
  Node* moved = NewNode(config, *holidays);
  Node* plain = NewNode(CityConfig(), *holidays);  // not asked to move
  Node* no_list = NewNode(config);                 // weekends only
  ASSERT_NE(moved, nullptr);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(no_list, nullptr);
  // Before the 20th: 19 Feb 2026 is in the Tết break (14-22 Feb), so the last
  // on-time day is Monday 23 Feb.
  EXPECT_EQ(ToTime(Status(moved, "2026-02").children_due()),
            Hanoi(2026, 2, 24));
  EXPECT_EQ(ToTime(Status(plain, "2026-02").children_due()),
            Hanoi(2026, 2, 20));
  EXPECT_EQ(ToTime(Status(no_list, "2026-02").children_due()),
            Hanoi(2026, 2, 20));  // Thursday 19 Feb is a working day
  EXPECT_EQ(ToTime(Status(moved, "2026-03").children_due()),
            Hanoi(2026, 3, 20));

  ASSERT_TRUE(Put(moved, "10507", "QD11-01", 45, 50, "2026-02").ok());
  auto f = Finalize(moved, "10507", "2026-02");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(ToTime(f->due()), Hanoi(2026, 2, 24));
  EXPECT_FALSE(f->on_time());
  EXPECT_EQ(ToTime(Find(Status(moved, "2026-02").children(), "10507")->due()),
            Hanoi(2026, 2, 24));
}

}  // namespace
}  // namespace tonghop
