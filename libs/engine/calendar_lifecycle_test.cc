// A period's life at a node, at the engine level, on a real RocksDB with a
// simulated clock: the node's own finalisation (by hand, or by the ticker
// before the parent's deadline), its late revisions and estimate flag as the
// push carries them, and the period lock (explicit or automatic) and its
// survival across a restart. The ticker polls every 10 ms of real time; every
// wait is bounded. Deadlines and the status view are in
// calendar_engine_test.cc.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;
using ::tonghop::testing::CityConfig;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::Hanoi;
using ::tonghop::testing::RateTuple;
using ::tonghop::testing::Rt;
using ::tonghop::testing::ToTime;
using ::tonghop::testing::WaitFor;
using Node = ::tonghop::testing::TestNode;

v1::NodeConfig WardConfig(const std::string& code) {
  v1::NodeConfig c;
  c.set_unit(code);
  c.set_role(v1::ROLE_WARD);
  return c;
}

class CalendarLifecycleTest : public EngineFixture {
 protected:
  // Every node's ticker polls every 10 ms of real time.
  CalendarLifecycleTest() : EngineFixture(/*tick=*/absl::Milliseconds(10)) {}

  // Gives the tickers many ticks, then waits until each writer has written
  // whatever they queued (an unlock of an unused period goes through the queue
  // and writes nothing).
  static void Settle(const std::vector<Node*>& nodes) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    for (Node* n : nodes) {
      v1::SetLockRequest barrier;
      barrier.set_period("2999-12");
      barrier.set_locked(false);
      EXPECT_TRUE(n->engine->SetLockAndWait(barrier).ok());
    }
  }

  absl::StatusOr<v1::SubmitResponse> SubmitOne(Node* n, const std::string& unit,
                                               v1::SubmittedValue value) {
    v1::SubmitRequest r;
    r.set_unit(unit);
    r.set_period(period_);
    r.set_idempotency_key(absl::StrCat("key-", ++keys_));
    *r.add_values() = std::move(value);
    return n->engine->SubmitAndWait(r);
  }
  absl::Status Submit(Node* n, const std::string& unit,
                      v1::SubmittedValue value) {
    return SubmitOne(n, unit, std::move(value)).status();
  }
  // A ratio for period_, with the receipt.
  absl::StatusOr<v1::SubmitResponse> PutRatio(Node* n, const std::string& unit,
                                              const std::string& ind,
                                              int64_t num, int64_t den) {
    v1::SubmittedValue v;
    v.set_indicator(ind);
    v.mutable_ratio()->set_numerator(num);
    v.mutable_ratio()->set_denominator(den);
    return SubmitOne(n, unit, std::move(v));
  }
  absl::Status Put(Node* n, const std::string& unit, const std::string& ind,
                   int64_t num, int64_t den) {
    return PutRatio(n, unit, ind, num, den).status();
  }
  static absl::StatusOr<v1::LockRecord> Lock(Node* n, bool locked,
                                             const std::string& actor) {
    v1::SetLockRequest r;
    r.set_period("2026-03");
    r.set_locked(locked);
    r.set_actor(actor);
    return n->engine->SetLockAndWait(r);
  }
  // This node's consolidated report for period_, or a child's report.
  v1::ConsolidatedReport Report(Node* n, const std::string& unit = "") const {
    v1::GetRollupRequest r;
    r.set_period(period_);
    r.set_unit(unit);
    auto g = n->engine->GetRollup(r);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? g->report() : v1::ConsolidatedReport();
  }
  bool Final(Node* n) const { return Report(n).has_finalized_time(); }
  // `unit`'s row in `n`'s breakdown of period_; nullopt when there is none.
  std::optional<v1::ChildBreakdown> Row(Node* n,
                                        const std::string& unit) const {
    v1::GetRollupRequest r;
    r.set_period(period_);
    r.set_breakdown(true);
    auto g = n->engine->GetRollup(r);
    EXPECT_TRUE(g.ok()) << g.status();
    if (!g.ok()) return std::nullopt;
    for (const v1::ChildBreakdown& c : g->children()) {
      if (c.unit() == unit) return c;
    }
    return std::nullopt;
  }
  static bool Locked(Node* n) { return Status(n).lock().locked(); }
  // The 2026-03 roll-up with breakdown and the audit length, as bytes.
  static std::string State(Node* n) {
    v1::GetRollupRequest r;
    r.set_period("2026-03");
    r.set_breakdown(true);
    auto g = n->engine->GetRollup(r);
    EXPECT_TRUE(g.ok()) << g.status();
    auto audit = n->db->Scan(keys::kAuditPrefix);
    EXPECT_TRUE(audit.ok()) << audit.status();
    return (g.ok() ? g->SerializeAsString() : "") +
           absl::StrCat(audit.ok() ? audit->size() : 0);
  }
  static std::vector<std::string> AuditActions(Node* n) {
    std::vector<std::string> out;
    auto rows = n->db->Scan(keys::kAuditPrefix);
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok()) return out;
    for (const auto& [key, bytes] : *rows) {
      v1::AuditEntry e;
      EXPECT_TRUE(e.ParseFromString(bytes)) << key;
      out.push_back(absl::StrCat(e.action(), " ", e.actor()));
    }
    return out;
  }
  static v1::PushRequest WardPush(int64_t revision) {
    v1::PushRequest p;
    p.set_child("10525");
    p.set_period("2026-03");
    p.set_revision(revision);
    v1::ConsolidatedValue* v = p.add_values();
    v->set_indicator("QD11-01");
    v->mutable_value()->mutable_ratio()->set_numerator(9);
    v->mutable_value()->mutable_ratio()->set_denominator(10);
    v->set_reported(1);
    v->set_expected(1);
    v->set_communes_reported(1);
    v->set_communes_expected(1);
    v->set_status(v1::TARGET_STATUS_NOT_MET);
    return p;
  }

  // The period Put, PutRatio and Report address.
  std::string period_ = "2026-03";
  int keys_ = 0;
};

// A ward of Huế (Phường Phú Xuân), which owes annual commune indicators
// (HUE-CASHLESS, HUE-CASHLESS-ESS), with its Culture–Society office.
v1::NodeConfig HueWardWithOffice() {
  v1::NodeConfig config = WardConfig("19753");
  *config.add_children() = ::tonghop::testing::ChildOf(
      "19753.VHXH", v1::ChildConfig::KIND_UNIT, "Phòng Văn hóa - Xã hội");
  return config;
}

TEST_F(CalendarLifecycleTest, AutoFinaliseBeforeTheParentsDeadline) {
  Node* ward = NewNode(WardConfig("10525"));  // due to 31 before the 20th
  Node* empty = NewNode(WardConfig("10532"));
  v1::NodeConfig early_config = WardConfig("10507");
  early_config.set_auto_finalize_lead_hours(48);
  Node* early = NewNode(early_config);
  v1::NodeConfig off_config = WardConfig("10537");
  off_config.set_auto_finalize_off(true);
  Node* off = NewNode(off_config);
  ASSERT_TRUE(ward && empty && early && off);
  ASSERT_TRUE(Put(ward, "10525", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Put(early, "10507", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Put(off, "10537", "QD11-01", 45, 50).ok());
  // A consolidation that exists but holds no value.
  ASSERT_TRUE(Put(empty, "10532", "QD11-01", 45, 50).ok());
  v1::SubmittedValue clear;
  clear.set_indicator("QD11-01");
  clear.set_clear(true);
  ASSERT_TRUE(Submit(empty, "10532", clear).ok());
  ASSERT_EQ(Report(empty).revision(), 2);
  const v1::ConsolidatedReport no_value = Report(empty);
  for (const auto& v : no_value.values()) ASSERT_FALSE(v.has_value());

  At(Hanoi(2026, 3, 17, 23, 59, 59));
  Settle({ward, empty, early, off});
  for (Node* n : {ward, empty, early, off}) EXPECT_FALSE(Final(n));

  // Lead 48 h: at 18 March 00:00.
  At(Hanoi(2026, 3, 18));
  ASSERT_TRUE(WaitFor([&] { return Final(early); }));
  EXPECT_EQ(ToTime(Report(early).finalized_time()), Hanoi(2026, 3, 18));
  EXPECT_EQ(Report(early).finalized_by(), "auto");
  At(Hanoi(2026, 3, 18, 23, 59, 59));
  Settle({ward, empty, off});
  EXPECT_FALSE(Final(ward));
  EXPECT_EQ(Status(ward).self().state(), v1::REPORT_STATE_PROVISIONAL);

  // The default lead of 24 h: at 19 March 00:00.
  At(Hanoi(2026, 3, 19));
  ASSERT_TRUE(WaitFor([&] { return Final(ward); }));
  v1::ConsolidatedReport report = Report(ward);
  EXPECT_EQ(ToTime(report.finalized_time()), Hanoi(2026, 3, 19));
  EXPECT_EQ(report.finalized_by(), "auto");
  v1::StatusReport s = Status(ward);
  EXPECT_EQ(s.self().state(), v1::REPORT_STATE_FINAL_ON_TIME);
  EXPECT_EQ(ToTime(s.self().due()), Hanoi(2026, 3, 20));
  EXPECT_EQ(AuditActions(ward).back(), "finalize auto");
  const int64_t revision = report.revision();

  // Never without a value, never when off, not even past the deadline; and
  // a finalised report is not finalised again.
  At(Hanoi(2026, 3, 26));
  Settle({ward, empty, early, off});
  EXPECT_FALSE(Final(empty));
  EXPECT_FALSE(Final(off));
  EXPECT_EQ(Report(ward).revision(), revision);
  EXPECT_EQ(ToTime(Report(ward).finalized_time()), Hanoi(2026, 3, 19));
  // Off stops only the automatic step.
  auto manual = Finalize(off, "");
  ASSERT_TRUE(manual.ok()) << manual.status();
  EXPECT_FALSE(manual->on_time());
  EXPECT_EQ(Report(off).finalized_by(), "thư ký");
}

// A node down at its automatic finalisation (here: a clock that jumps over
// it) finalises, once it runs, the report as it stood when the finalisation
// fell due: at that instant, so on time; one changed since is finalised
// when it happens.
TEST_F(CalendarLifecycleTest, AMissedAutomaticFinalisationIsCaughtUpOnTime) {
  Node* ward = NewNode(WardConfig("10525"));  // due to 31 before the 20th
  ASSERT_NE(ward, nullptr);
  ASSERT_TRUE(Put(ward, "10525", "QD11-01", 45, 50).ok());
  At(Hanoi(2026, 4, 1, 9));
  ASSERT_TRUE(WaitFor([&] { return Final(ward); }));
  const v1::ConsolidatedReport report = Report(ward);
  EXPECT_EQ(ToTime(report.finalized_time()), Hanoi(2026, 3, 19));
  EXPECT_EQ(report.finalized_by(), "auto");
  EXPECT_EQ(Status(ward).self().state(), v1::REPORT_STATE_FINAL_ON_TIME);

  // Changed after it fell due (late): finalised when caught up.
  Node* late = NewNode(WardConfig("10532"));
  ASSERT_NE(late, nullptr);
  ASSERT_TRUE(Put(late, "10532", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(WaitFor([&] { return Final(late); }));
  const absl::Time finalised = ToTime(Report(late).finalized_time());
  EXPECT_GE(finalised, Hanoi(2026, 4, 1, 9));
  EXPECT_EQ(Status(late).self().state(), v1::REPORT_STATE_FINAL_LATE);
}

// A city back after its automatic finalisation fell due (24/03 00:00, 24 h
// before the 25th) first waits the catch-up, so that what its ward nodes
// kept in their outboxes meanwhile arrives: finalised then, its report holds
// the ward's figures and no late change.
TEST_F(CalendarLifecycleTest, AfterARestartTheFinalisationWaitsForTheWards) {
  Node* city = NewNode(CityConfig(), Holidays(), [](Engine::Options& o) {
    o.has_parent = true;
    o.catch_up = absl::Milliseconds(500);
  });
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  Close(city);
  At(Hanoi(2026, 3, 24, 9));
  ASSERT_TRUE(Open(city));
  absl::SleepFor(absl::Milliseconds(100));  // 10 ticks: the ward's next try
  EXPECT_FALSE(Final(city));
  ASSERT_TRUE(city->engine->PushAndWait(WardPush(1)).ok());
  ASSERT_TRUE(WaitFor([&] { return Final(city); }));
  const v1::ConsolidatedReport report = Report(city);
  EXPECT_EQ(report.finalized_by(), "auto");
  EXPECT_FALSE(report.has_late_revision_time());
  // Its figures changed on its return: finalised then, still on time.
  EXPECT_GE(ToTime(report.finalized_time()), Hanoi(2026, 3, 24, 9));
  EXPECT_EQ(Status(city).self().state(), v1::REPORT_STATE_FINAL_ON_TIME);
  for (const v1::ConsolidatedValue& v : report.values()) {
    if (v.indicator() != "QD11-01") continue;
    EXPECT_EQ(v.value().ratio().numerator(), 45 + 9);
    EXPECT_EQ(v.value().ratio().denominator(), 50 + 10);
  }
}

TEST_F(CalendarLifecycleTest, LockRefusesWritesUntilUnlocked) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  At(Hanoi(2026, 3, 11, 8));
  auto locked = Lock(city, true, "thư ký");
  ASSERT_TRUE(locked.ok()) << locked.status();
  EXPECT_TRUE(locked->locked());
  EXPECT_FALSE(locked->auto_lock_done());
  ASSERT_EQ(locked->events_size(), 1);
  EXPECT_TRUE(locked->events(0).locked());
  EXPECT_EQ(locked->events(0).actor(), "thư ký");
  EXPECT_EQ(ToTime(locked->events(0).time()), Hanoi(2026, 3, 11, 8));
  EXPECT_EQ(Status(city).lock().SerializeAsString(),
            locked->SerializeAsString());

  const std::string state = State(city);
  std::vector<absl::Status> refused = {
      Put(city, "10532", "QD11-01", 40, 50),
      Put(city, "10507", "QD11-01", 50, 50),
      city->engine->PushAndWait(WardPush(1)).status(),
      Finalize(city, "10507").status(),
  };
  for (const absl::Status& s : refused) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr("2026-03"));
    EXPECT_THAT(std::string(s.message()), HasSubstr("locked"));
  }
  EXPECT_EQ(State(city), state);
  // The node's own report can still be finalised: that changes no figure,
  // and its parent's deadline does not wait for an unlock.
  auto own = Finalize(city, "");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_FALSE(own->already_final());
  EXPECT_EQ(ToTime(own->finalized_time()), Hanoi(2026, 3, 11, 8));
  const std::string locked_state = State(city);
  // Locking again changes nothing.
  auto twice = Lock(city, true, "người khác");
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ(twice->SerializeAsString(), locked->SerializeAsString());
  EXPECT_EQ(State(city), locked_state);

  At(Hanoi(2026, 3, 11, 9));
  auto unlocked = Lock(city, false, "trưởng ban");
  ASSERT_TRUE(unlocked.ok()) << unlocked.status();
  EXPECT_FALSE(unlocked->locked());
  ASSERT_EQ(unlocked->events_size(), 2);
  EXPECT_FALSE(unlocked->events(1).locked());
  EXPECT_EQ(unlocked->events(1).actor(), "trưởng ban");
  EXPECT_EQ(ToTime(unlocked->events(1).time()), Hanoi(2026, 3, 11, 9));
  EXPECT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());
  auto pushed = city->engine->PushAndWait(WardPush(1));
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_FALSE(pushed->stale());
  EXPECT_TRUE(Finalize(city, "10507").ok());
  EXPECT_TRUE(Finalize(city, "").ok());

  // Unlocking an unlocked period changes nothing.
  const std::string after = State(city);
  auto again = Lock(city, false, "người khác");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), unlocked->SerializeAsString());
  EXPECT_EQ(State(city), after);
  std::vector<std::string> actions = AuditActions(city);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "lock thư ký"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "unlock trưởng ban"), 1);
  // submit, lock, the node's own finalisation, unlock, submit, push and the
  // child's finalisation
  EXPECT_EQ(actions.size(), 7u);
}

// A period that has not begun cannot be locked (a typo of the year would
// lock nothing anyone could send, and the secretariat would believe the
// month locked); unlocking one is allowed, and changes nothing.
TEST_F(CalendarLifecycleTest, APeriodThatHasNotBegunIsNotLocked) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  At(Hanoi(2026, 3, 11, 8));
  const std::string state = State(city);
  for (const char* label : {"2062-03", "2026-05"}) {
    v1::SetLockRequest r;
    r.set_period(label);
    r.set_locked(true);
    r.set_actor("thư ký");
    auto refused = city->engine->SetLockAndWait(r);
    ASSERT_FALSE(refused.ok()) << label;
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(refused.status().message()),
                HasSubstr(absl::StrCat("period: ", label, " has not begun")));
    r.set_locked(false);
    auto unlocked = city->engine->SetLockAndWait(r);
    ASSERT_TRUE(unlocked.ok()) << unlocked.status();
    EXPECT_FALSE(unlocked->locked());
  }
  EXPECT_EQ(State(city), state);
  // The month whose window is open locks.
  EXPECT_TRUE(Lock(city, true, "thư ký").ok());
}

TEST_F(CalendarLifecycleTest, AutoLockOnceAndLocksSurviveARestart) {
  v1::NodeConfig config = CityConfig();
  config.set_auto_lock_days(2);
  config.set_auto_finalize_off(true);  // keep the consolidation still
  Node* city = NewNode(config);
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());

  // The children's deadline is 20 March 00:00; two days later it locks.
  At(Hanoi(2026, 3, 21, 23, 59, 59));
  Settle({city});
  EXPECT_FALSE(Locked(city));
  At(Hanoi(2026, 3, 22));
  ASSERT_TRUE(WaitFor([&] { return Locked(city); }));
  v1::LockRecord lock = Status(city).lock();
  EXPECT_TRUE(lock.auto_lock_done());
  ASSERT_EQ(lock.events_size(), 1);
  EXPECT_EQ(lock.events(0).actor(), "auto");
  EXPECT_EQ(ToTime(lock.events(0).time()), Hanoi(2026, 3, 22));
  EXPECT_EQ(Put(city, "10532", "QD11-01", 40, 50).code(),
            absl::StatusCode::kFailedPrecondition);
  // A period without data is not locked.
  v1::GetStatusRequest other;
  other.set_period("2026-02");
  EXPECT_FALSE(city->engine->GetStatus(other)->lock().locked());

  // An explicit unlock sticks, as the clock moves on and across a restart.
  At(Hanoi(2026, 3, 23));
  ASSERT_TRUE(Lock(city, false, "trưởng ban").ok());
  At(Hanoi(2026, 4, 30));
  Settle({city});
  EXPECT_FALSE(Locked(city));
  ASSERT_TRUE(Restart(city));
  Settle({city});
  EXPECT_FALSE(Locked(city));
  ASSERT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());
  EXPECT_EQ(Status(city).lock().events_size(), 2);

  // An explicit lock survives a restart.
  ASSERT_TRUE(Lock(city, true, "thư ký").ok());
  const std::string state = State(city);
  ASSERT_TRUE(Restart(city));
  lock = Status(city).lock();
  EXPECT_TRUE(lock.locked());
  ASSERT_EQ(lock.events_size(), 3);
  EXPECT_EQ(lock.events(2).actor(), "thư ký");
  EXPECT_EQ(ToTime(lock.events(2).time()), Hanoi(2026, 4, 30));
  absl::Status refused = Put(city, "10532", "QD11-01", 41, 50);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_THAT(std::string(refused.message()), HasSubstr("2026-03"));
  EXPECT_EQ(State(city), state);
}

// A lock before the node's own automatic finalisation (the children locked on
// the 22nd, the city finalising on the 24th for its parent's 25th) does not
// keep the city's report provisional.
TEST_F(CalendarLifecycleTest,
       AnEarlyLockDoesNotStopTheOwnAutomaticFinalisation) {
  v1::NodeConfig config = CityConfig();
  config.set_auto_lock_days(2);
  Node* city = NewNode(config);
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  At(Hanoi(2026, 3, 22));
  ASSERT_TRUE(WaitFor([&] { return Locked(city); }));
  EXPECT_FALSE(Final(city));
  At(Hanoi(2026, 3, 24));
  ASSERT_TRUE(WaitFor([&] { return Final(city); }));
  EXPECT_TRUE(Locked(city));
  EXPECT_EQ(ToTime(Report(city).finalized_time()), Hanoi(2026, 3, 24));
  EXPECT_EQ(Report(city).finalized_by(), "auto");
  EXPECT_EQ(Status(city).self().state(), v1::REPORT_STATE_FINAL_ON_TIME);
}

// A period nobody wrote to locks on time too: its first submission, late, is
// refused like any other.
TEST_F(CalendarLifecycleTest, APeriodWithoutDataLocksOnTimeToo) {
  v1::NodeConfig config = CityConfig();
  config.set_auto_lock_days(2);
  Node* city = NewNode(config);
  ASSERT_NE(city, nullptr);
  v1::GetStatusRequest april;
  april.set_period("2026-04");
  // April's children are due on 20 April 00:00; two days later it locks.
  At(Hanoi(2026, 4, 21, 23, 59, 59));
  Settle({city});
  EXPECT_FALSE(city->engine->GetStatus(april)->lock().locked());
  At(Hanoi(2026, 4, 25, 9, 0));
  ASSERT_TRUE(WaitFor([&] {
    auto status = city->engine->GetStatus(april);
    return status.ok() && status->lock().locked();
  }));
  v1::LockRecord lock = city->engine->GetStatus(april)->lock();
  EXPECT_TRUE(lock.auto_lock_done());
  ASSERT_EQ(lock.events_size(), 1);
  EXPECT_EQ(lock.events(0).actor(), "auto");

  v1::SubmitRequest late;
  late.set_unit("10507");
  late.set_period("2026-04");
  late.set_idempotency_key("late");
  v1::SubmittedValue* v = late.add_values();
  v->set_indicator("QD11-01");
  v->mutable_ratio()->set_numerator(1);
  v->mutable_ratio()->set_denominator(2);
  auto refused = city->engine->SubmitAndWait(late);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
}

TEST_F(CalendarLifecycleTest, NodeFinalisationLateRevisionAndPush) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  auto early = city->engine->BuildPush("2026-03");
  ASSERT_TRUE(early.ok()) << early.status();
  // A monthly report holds actual figures: its units are due when its data
  // window closes or later.
  EXPECT_FALSE(early->estimate());
  EXPECT_FALSE(early->has_finalized_time());
  EXPECT_FALSE(early->has_late_revision_time());
  EXPECT_EQ(Rt(early->leaves()), RateTuple(5, 0, 0));

  At(Hanoi(2026, 3, 12));
  ASSERT_TRUE(Finalize(city, "10507").ok());
  At(Hanoi(2026, 3, 21));
  auto own = Finalize(city, "", "2026-03", "thư ký");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(own->on_time());
  EXPECT_FALSE(own->already_final());
  EXPECT_EQ(ToTime(own->finalized_time()), Hanoi(2026, 3, 21));
  EXPECT_EQ(ToTime(own->due()), Hanoi(2026, 3, 25));
  v1::ConsolidatedReport report = Report(city);
  EXPECT_EQ(ToTime(report.finalized_time()), Hanoi(2026, 3, 21));
  EXPECT_EQ(report.finalized_by(), "thư ký");
  EXPECT_FALSE(report.has_late_revision_time());
  EXPECT_EQ(Status(city).self().state(), v1::REPORT_STATE_FINAL_ON_TIME);
  // The node's own code finalises the same report: already final.
  auto again = Finalize(city, "31", "2026-03", "người khác");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_final());
  EXPECT_EQ(ToTime(again->finalized_time()), Hanoi(2026, 3, 21));

  // A change after the finalisation (before the parent's deadline) is late.
  At(Hanoi(2026, 3, 22));
  ASSERT_TRUE(Put(city, "31.VP", "QD11-02", 7, 8).ok());
  report = Report(city);
  EXPECT_EQ(ToTime(report.finalized_time()), Hanoi(2026, 3, 21));
  EXPECT_EQ(report.finalized_by(), "thư ký");
  EXPECT_EQ(ToTime(report.late_revision_time()), Hanoi(2026, 3, 22));
  EXPECT_EQ(ToTime(Status(city).self().late_revision_time()),
            Hanoi(2026, 3, 22));

  auto push = city->engine->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->child(), "31");
  EXPECT_EQ(push->revision(), report.revision());
  EXPECT_EQ(ToTime(push->finalized_time()), Hanoi(2026, 3, 21));
  EXPECT_EQ(ToTime(push->late_revision_time()), Hanoi(2026, 3, 22));
  EXPECT_FALSE(push->estimate());
  EXPECT_EQ(Rt(push->leaves()), RateTuple(5, 1, 1));
}

// A simulated clock stands still between operations: a change accepted after
// the node's finalisation, at the same instant, is still a late revision.
TEST_F(CalendarLifecycleTest, ChangeAtTheInstantOfFinalisationIsLate) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Finalize(city, "").ok());
  ASSERT_TRUE(Put(city, "10532", "QD11-01", 40, 50).ok());
  v1::ConsolidatedReport report = Report(city);
  ASSERT_TRUE(report.has_finalized_time());
  EXPECT_TRUE(report.has_late_revision_time());
  EXPECT_EQ(ToTime(report.late_revision_time()), clock_->Now());
}

// Units owe a monthly report when its data window closes (before the 15th,
// the window to the 14th), a ward or a city later: what they send is the
// month's actual figures, never estimates, and the same file sent again after
// the window changes nothing.
TEST_F(CalendarLifecycleTest, AMonthlyReportHoldsNoEstimates) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "QD11-01", 45, 50).ok());
  EXPECT_FALSE(Report(city).estimate());
  EXPECT_FALSE(Report(city, "10507").estimate());
  v1::NodeConfig config = WardConfig("10525");
  *config.add_children() = ::tonghop::testing::ChildOf(
      "10525.VHXH", v1::ChildConfig::KIND_UNIT, "Phòng Văn hóa - Xã hội");
  Node* ward = NewNode(config);
  ASSERT_NE(ward, nullptr);
  ASSERT_TRUE(Put(ward, "10525.VHXH", "QD11-01", 4, 5).ok());
  ASSERT_TRUE(Finalize(ward, "10525.VHXH").ok());
  EXPECT_FALSE(Report(ward).estimate());
  const int64_t revision = Report(ward).revision();
  At(Hanoi(2026, 3, 16));
  auto again = PutRatio(ward, "10525.VHXH", "QD11-01", 4, 5);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->changes_size(), 0);
  EXPECT_EQ(Report(ward).revision(), revision);
  EXPECT_FALSE(Report(ward).has_late_revision_time());
}

// The annual report is due (30/11 at the city) before its window closes on
// 14 December: its figures are estimates until each is set again after it.
TEST_F(CalendarLifecycleTest,
       AnAnnualReportHoldsEstimatesUntilItsWindowCloses) {
  period_ = "2026";
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  At(Hanoi(2026, 11, 10));
  ASSERT_TRUE(Put(city, "31.STC", "HP-DIGEC", 30, 100).ok());
  v1::ConsolidatedReport report = Report(city);
  EXPECT_TRUE(report.estimate());
  EXPECT_EQ(report.window(), "2025-12-15..2026-12-14");
  EXPECT_TRUE(Report(city, "31.STC").estimate());

  At(Hanoi(2026, 12, 14, 23, 59, 59));
  v1::SubmittedValue infra;
  infra.set_indicator("HP-SHARED-INFRA");
  infra.set_number(8);
  ASSERT_TRUE(Submit(city, "31.SKHCN", infra).ok());
  EXPECT_TRUE(Report(city, "31.SKHCN").estimate());

  // A figure set after the window closed is final, but the report still
  // holds the one set before it.
  At(Hanoi(2026, 12, 15));
  infra.set_number(9);
  ASSERT_TRUE(Submit(city, "31.SKHCN", infra).ok());
  EXPECT_FALSE(Report(city, "31.SKHCN").estimate());
  EXPECT_TRUE(Report(city, "31.STC").estimate());  // unchanged since
  EXPECT_TRUE(Report(city).estimate());
  auto push = city->engine->BuildPush("2026");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_TRUE(push->estimate());

  // Once it is set again too, nothing is an estimate any more.
  ASSERT_TRUE(Put(city, "31.STC", "HP-DIGEC", 31, 100).ok());
  EXPECT_FALSE(Report(city).estimate());
  push = city->engine->BuildPush("2026");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_FALSE(push->estimate());
}

// The same figure sent again after the window closed confirms an estimate as
// final, even once the unit is finalised and past its deadline ("a later
// revision may replace" the annual report's estimates): a revision that
// changes no figure, so never a late one. The same again changes nothing.
TEST_F(CalendarLifecycleTest, TheSameFigureAfterTheWindowConfirmsTheEstimate) {
  period_ = "2026";
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  At(Hanoi(2026, 11, 10));
  ASSERT_TRUE(Put(city, "31.STC", "HP-DIGEC", 30, 100).ok());
  ASSERT_TRUE(Finalize(city, "31.STC", "2026").ok());
  EXPECT_TRUE(Report(city).estimate());
  At(Hanoi(2026, 12, 16));
  // The city's own report finalises itself (due to the central node on 10/12).
  ASSERT_TRUE(WaitFor([&] { return Final(city); }));
  const int64_t revision = Report(city).revision();
  auto confirmed = PutRatio(city, "31.STC", "HP-DIGEC", 30, 100);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  ASSERT_EQ(confirmed->changes_size(), 1);
  EXPECT_TRUE(confirmed->changes(0).confirmed());
  EXPECT_FALSE(Report(city, "31.STC").estimate());
  EXPECT_FALSE(Report(city, "31.STC").has_late_revision_time());
  v1::ConsolidatedReport report = Report(city);
  EXPECT_FALSE(report.estimate());
  EXPECT_GT(report.revision(), revision);
  EXPECT_FALSE(report.has_late_revision_time());
  const int64_t confirmed_revision = report.revision();
  auto again = PutRatio(city, "31.STC", "HP-DIGEC", 30, 100);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->changes_size(), 0);
  EXPECT_EQ(Report(city).revision(), confirmed_revision);
  // A changed figure after the deadline is late, as before.
  ASSERT_TRUE(Put(city, "31.STC", "HP-DIGEC", 29, 100).ok());
  EXPECT_TRUE(Report(city, "31.STC").has_late_revision_time());
}

// A ward's office finalised on time with the annual estimates confirms them
// after the window closed without being late, at the office or at the ward;
// the ward's breakdown row says so.
TEST_F(CalendarLifecycleTest,
       AFinalisedOfficeConfirmsItsEstimatesWithoutBeingLate) {
  period_ = "2026";
  Node* ward = NewNode(HueWardWithOffice());
  ASSERT_NE(ward, nullptr);
  At(Hanoi(2026, 11, 10));
  const absl::Status first = Put(ward, "19753.VHXH", "HUE-CASHLESS", 40, 50);
  ASSERT_TRUE(first.ok()) << first;
  auto final = Finalize(ward, "19753.VHXH", "2026");
  ASSERT_TRUE(final.ok()) << final.status();
  EXPECT_TRUE(final->on_time());
  EXPECT_TRUE(Report(ward).estimate());
  At(Hanoi(2026, 12, 16));
  // The ward's own report finalises itself (due to the city on 30/11).
  ASSERT_TRUE(WaitFor([&] { return Final(ward); }));
  auto confirmed = PutRatio(ward, "19753.VHXH", "HUE-CASHLESS", 40, 50);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  ASSERT_EQ(confirmed->changes_size(), 1);
  EXPECT_TRUE(confirmed->changes(0).confirmed());
  const v1::ConsolidatedReport report = Report(ward);
  EXPECT_FALSE(report.estimate());
  EXPECT_FALSE(report.has_late_revision_time());
  std::optional<v1::ChildBreakdown> row = Row(ward, "19753.VHXH");
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->estimate());
  EXPECT_FALSE(row->has_late_revision_time());
  // A changed figure after the deadline is late, as before.
  ASSERT_TRUE(Put(ward, "19753.VHXH", "HUE-CASHLESS", 39, 50).ok());
  row = Row(ward, "19753.VHXH");
  ASSERT_TRUE(row.has_value());
  EXPECT_TRUE(row->has_late_revision_time());
}

// The node's own part travels in the node's report: between the children's
// deadline and the parent's a change of it is not late.
TEST_F(CalendarLifecycleTest, TheOwnPartIsDueWithTheNodesReport) {
  Node* ward =
      NewNode(WardConfig("10525"));  // offices by the 15th, 31 by the 20th
  ASSERT_NE(ward, nullptr);
  ASSERT_TRUE(Put(ward, "10525", "QD11-01", 40, 45).ok());
  At(Hanoi(2026, 3, 17));
  ASSERT_TRUE(Put(ward, "10525", "QD11-01", 41, 45).ok());
  EXPECT_FALSE(Report(ward).has_late_revision_time());
  std::optional<v1::ChildBreakdown> row = Row(ward, "10525");
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->has_late_revision_time());
  // After the parent's deadline, a change of it is late.
  At(Hanoi(2026, 3, 20));
  ASSERT_TRUE(Put(ward, "10525", "QD11-01", 42, 45).ok());
  EXPECT_TRUE(Report(ward).has_late_revision_time());
  row = Row(ward, "10525");
  ASSERT_TRUE(row.has_value());
  EXPECT_TRUE(row->has_late_revision_time());
}

// A child node's revision that carries the figures of the one stored (its
// finalisation, or a confirmation of its estimates) changes the parent's
// report, but is no late revision of it; new figures after the parent
// finalised are.
TEST_F(CalendarLifecycleTest, AChildsRevisionWithTheSameFiguresIsNotLate) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  v1::PushRequest first = WardPush(1);
  first.set_figures_revision(1);
  first.set_estimate(true);
  ASSERT_TRUE(city->engine->PushAndWait(first).ok());
  EXPECT_TRUE(Report(city).estimate());
  const int64_t figures = Report(city).figures_revision();
  EXPECT_EQ(figures, Report(city).revision());
  At(Hanoi(2026, 3, 21));
  ASSERT_TRUE(Finalize(city, "").ok());
  const int64_t revision = Report(city).revision();

  v1::PushRequest confirmed = WardPush(2);
  confirmed.set_figures_revision(1);
  confirmed.set_estimate(false);
  ASSERT_TRUE(city->engine->PushAndWait(confirmed).ok());
  v1::ConsolidatedReport report = Report(city);
  EXPECT_EQ(report.revision(), revision + 1);
  EXPECT_FALSE(report.estimate());
  EXPECT_FALSE(report.has_late_revision_time());
  EXPECT_EQ(report.figures_revision(), figures);

  v1::PushRequest changed = WardPush(3);
  changed.set_figures_revision(3);
  changed.mutable_values(0)->mutable_value()->mutable_ratio()->set_numerator(8);
  ASSERT_TRUE(city->engine->PushAndWait(changed).ok());
  report = Report(city);
  EXPECT_EQ(ToTime(report.late_revision_time()), Hanoi(2026, 3, 21));
  EXPECT_EQ(report.figures_revision(), report.revision());
}

// What a node pushes says which revision's figures it carries: its own
// finalisation and a confirmation of estimates leave them.
TEST_F(CalendarLifecycleTest, APushCarriesTheRevisionOfItsFigures) {
  period_ = "2026";
  Node* ward = NewNode(HueWardWithOffice());
  ASSERT_NE(ward, nullptr);
  At(Hanoi(2026, 11, 10));
  ASSERT_TRUE(Put(ward, "19753", "HUE-CASHLESS", 40, 45).ok());
  auto push = ward->engine->BuildPush("2026");
  ASSERT_TRUE(push.ok()) << push.status();
  const int64_t figures = push->figures_revision();
  EXPECT_EQ(figures, push->revision());
  EXPECT_TRUE(push->estimate());
  ASSERT_TRUE(Finalize(ward, "", "2026").ok());
  At(Hanoi(2026, 12, 16));
  auto confirmed = PutRatio(ward, "19753", "HUE-CASHLESS", 40, 45);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  ASSERT_EQ(confirmed->changes_size(), 1);
  push = ward->engine->BuildPush("2026");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->revision(), figures + 2);
  EXPECT_EQ(push->figures_revision(), figures);
  EXPECT_FALSE(push->estimate());
  EXPECT_FALSE(push->has_late_revision_time());
  // A change of it after the node's finalisation is late.
  ASSERT_TRUE(Put(ward, "19753", "HUE-CASHLESS", 41, 45).ok());
  push = ward->engine->BuildPush("2026");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->figures_revision(), push->revision());
  EXPECT_TRUE(push->has_late_revision_time());
}

// A unit that revises one figure after the window closed still has its
// others from before: its report is an estimate until each is set again.
TEST_F(CalendarLifecycleTest, OneFigureRevisedLateLeavesTheOthersEstimates) {
  period_ = "2026";
  Node* ward = NewNode(HueWardWithOffice());
  ASSERT_NE(ward, nullptr);
  At(Hanoi(2026, 11, 10));
  ASSERT_TRUE(Put(ward, "19753.VHXH", "HUE-CASHLESS", 45, 50).ok());
  ASSERT_TRUE(Put(ward, "19753.VHXH", "HUE-CASHLESS-ESS", 10, 12).ok());
  At(Hanoi(2026, 12, 16));
  ASSERT_TRUE(Put(ward, "19753.VHXH", "HUE-CASHLESS", 46, 50).ok());
  EXPECT_TRUE(Report(ward, "19753.VHXH").estimate());
  EXPECT_TRUE(Report(ward).estimate());
  // The ward's breakdown row of the office says so too.
  auto breakdown_estimate = [&]() -> int {
    std::optional<v1::ChildBreakdown> row = Row(ward, "19753.VHXH");
    return row.has_value() ? row->estimate() : -1;
  };
  EXPECT_EQ(breakdown_estimate(), 1);
  ASSERT_TRUE(Put(ward, "19753.VHXH", "HUE-CASHLESS-ESS", 11, 12).ok());
  EXPECT_FALSE(Report(ward, "19753.VHXH").estimate());
  EXPECT_FALSE(Report(ward).estimate());
  EXPECT_EQ(breakdown_estimate(), 0);
}

// A note changed beside an unchanged figure is a revision that travels up,
// but no change of figures: never a late one, at the unit or the node.
TEST_F(CalendarLifecycleTest, ANoteAloneAfterFinalisationIsNoLateChange) {
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  v1::SubmittedValue value;
  value.set_indicator("QD11-01");
  value.mutable_ratio()->set_numerator(45);
  value.mutable_ratio()->set_denominator(50);
  value.set_note("số liệu tháng 3");
  ASSERT_TRUE(Submit(city, "10507", value).ok());
  ASSERT_TRUE(Finalize(city, "10507").ok());
  At(Hanoi(2026, 3, 21));
  ASSERT_TRUE(Finalize(city, "").ok());
  const v1::ConsolidatedReport before = Report(city);
  At(Hanoi(2026, 3, 26));  // after the parent's deadline too
  value.set_note("số liệu tháng 3 (đã rà soát)");
  auto noted = SubmitOne(city, "10507", value);
  ASSERT_TRUE(noted.ok()) << noted.status();
  ASSERT_EQ(noted->changes_size(), 1);
  EXPECT_FALSE(noted->changes(0).confirmed());
  EXPECT_FALSE(Report(city, "10507").has_late_revision_time());
  const v1::ConsolidatedReport after = Report(city);
  EXPECT_GT(after.revision(), before.revision());
  EXPECT_EQ(after.figures_revision(), before.figures_revision());
  EXPECT_FALSE(after.has_late_revision_time());
  // A changed figure is late.
  value.mutable_ratio()->set_numerator(44);
  ASSERT_TRUE(Submit(city, "10507", value).ok());
  EXPECT_TRUE(Report(city, "10507").has_late_revision_time());
  EXPECT_TRUE(Report(city).has_late_revision_time());
}

// Finalising changes no figure: figures last changed before the window closed
// are still estimates.
TEST_F(CalendarLifecycleTest, FinalisingAfterTheWindowKeepsTheEstimate) {
  period_ = "2026";
  Node* city = NewNode(CityConfig());
  ASSERT_NE(city, nullptr);
  At(Hanoi(2026, 11, 10));
  ASSERT_TRUE(Put(city, "31.STC", "HP-DIGEC", 30, 100).ok());
  At(Hanoi(2026, 12, 16));
  ASSERT_TRUE(Finalize(city, "31.STC", "2026").ok());
  EXPECT_TRUE(Report(city).estimate());
  ASSERT_TRUE(Finalize(city, "", "2026").ok());
  EXPECT_TRUE(Report(city).estimate());
  auto push = city->engine->BuildPush("2026");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_TRUE(push->estimate());
}

}  // namespace
}  // namespace tonghop
