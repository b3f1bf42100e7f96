// When the engine plans its reminders to the units below: never on a weekend,
// a holiday or at night, even for a step that fell due then; and after a
// restart, only once the units' reports kept in their outboxes had time to
// arrive (a unit that finalised on time while this node was down is not told
// it is late).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::tonghop::testing::ChildOf;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::Hanoi;
using ::tonghop::testing::TestNode;
using ::tonghop::testing::WaitFor;

class PlanRemindersTest : public EngineFixture {
 protected:
  PlanRemindersTest() : EngineFixture(absl::Milliseconds(10)) {}

  // City 31 with wards 10525 and 10507 as child nodes, reminding in band with
  // the default policy; steps that fell due while it was down wait `catch_up`.
  TestNode* City(absl::Duration catch_up) {
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    *config.add_children() = ChildOf("10525", v1::ChildConfig::KIND_NODE);
    *config.add_children() = ChildOf("10507", v1::ChildConfig::KIND_NODE);
    return NewNode(config, Holidays(), [this, catch_up](Engine::Options& o) {
      o.reminders = &policy_;
      o.catch_up = catch_up;
    });
  }
  // Ward 10525's node (it has a parent: it finalises itself 24 h before the
  // 20th), holding a provisional March figure.
  TestNode* Ward() {
    v1::NodeConfig config;
    config.set_unit("10525");
    config.set_role(v1::ROLE_WARD);
    TestNode* ward = NewNode(config, Holidays(),
                             [](Engine::Options& o) { o.has_parent = true; });
    if (ward == nullptr) return nullptr;
    v1::SubmitRequest submit;
    submit.set_unit("10525");
    submit.set_period("2026-03");
    submit.set_idempotency_key("k");
    v1::SubmittedValue* v = submit.add_values();
    v->set_indicator("QD11-01");
    v->mutable_ratio()->set_numerator(9);
    v->mutable_ratio()->set_denominator(10);
    EXPECT_TRUE(ward->engine->SubmitAndWait(submit).ok());
    return ward;
  }
  // The ids of the in-band reminders `city` planned for `unit`.
  static std::vector<std::string> Planned(TestNode* city,
                                          const std::string& unit) {
    std::vector<std::string> ids;
    auto list = city->engine->FetchReminders(unit, 0);
    if (list.ok()) {
      for (const v1::Reminder& r : list->reminders()) ids.push_back(r.id());
    }
    return ids;
  }

  v1::ReminderPolicy policy_;  // the defaults
};

TEST_F(PlanRemindersTest, AStepThatFellDueIsHeldOverTheWeekend) {
  TestNode* city = City(absl::Milliseconds(500));
  ASSERT_NE(city, nullptr);
  // March 2026: due before Friday the 20th, overdue-0 on the 20th at 08:00.
  // The clock jumps past it to Saturday the 21st: nothing goes out.
  At(Hanoi(2026, 3, 21, 10, 0));
  absl::SleepFor(absl::Milliseconds(200));  // 20 ticks
  EXPECT_TRUE(Planned(city, "10525").empty());
  // Nor on Sunday night; on Monday from 07:00 the latest step due goes.
  At(Hanoi(2026, 3, 22, 23, 0));
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_TRUE(Planned(city, "10525").empty());
  At(Hanoi(2026, 3, 23, 7, 30));
  EXPECT_TRUE(WaitFor([&] { return !Planned(city, "10525").empty(); }));
  EXPECT_EQ(Planned(city, "10525"),
            std::vector<std::string>{"2026-03.overdue-0.10525.inband"});
}

// A step planned late (the clock jumped, or the node was down) says when its
// list of missing units was taken, not when the step fell due.
TEST_F(PlanRemindersTest, ALateStepIsWordedAsOfWhenItIsPlanned) {
  TestNode* city = City(absl::Milliseconds(10));
  ASSERT_NE(city, nullptr);
  At(Hanoi(2026, 3, 30, 9,
           15));  // a Monday; the day's digest fell due at 08:00
  v1::ListRemindersRequest request;
  request.set_sent(true);
  v1::Reminder digest;
  EXPECT_TRUE(WaitFor([&] {
    auto list = city->engine->ListReminders(request);
    if (!list.ok()) return false;
    for (const v1::Reminder& r : list->reminders()) {
      if (r.unit() == "31" && r.kind() == "digest") digest = r;
    }
    return !digest.id().empty();
  }));
  EXPECT_EQ(digest.step(), "digest-2026-03-30");
  EXPECT_NE(digest.body().find("Đến 09:15 ngày 30/03/2026"), std::string::npos)
      << digest.body();
}

TEST_F(PlanRemindersTest, AfterARestartTheUnitsBacklogArrivesFirst) {
  // Ward 10525 finalises its March report on time while the city is down.
  TestNode* city = City(absl::Milliseconds(500));
  ASSERT_NE(city, nullptr);
  Close(city);
  TestNode* ward = Ward();
  ASSERT_NE(ward, nullptr);
  At(Hanoi(2026, 3, 18, 9, 0));
  ASSERT_TRUE(Finalize(ward, "").ok());

  // The city comes back after overdue-0 (Friday the 20th, 08:00) fell due;
  // the ward's final report, kept in its outbox, arrives a moment later.
  At(Hanoi(2026, 3, 20, 9, 0));
  ASSERT_TRUE(Open(city));
  absl::SleepFor(absl::Milliseconds(100));  // 10 ticks: its sender's next try
  auto push = ward->engine->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  ASSERT_TRUE(city->engine->PushAndWait(*push).ok());
  // Once the catch-up is over, only the ward that did not report is overdue.
  EXPECT_TRUE(WaitFor([&] { return !Planned(city, "10507").empty(); }));
  EXPECT_EQ(Planned(city, "10507"),
            std::vector<std::string>{"2026-03.overdue-0.10507.inband"});
  EXPECT_TRUE(Planned(city, "10525").empty());
}

// A jump of the simulated clock with a hold (AdminService.SetClock's settle,
// as tonghop-cluster moves a city): a step that fell due within it waits, so
// that a ward that finalised itself in the same jump is not reminded. Beside
// it, a city moved without a hold reminds that ward, its push arriving just
// after the step.
TEST_F(PlanRemindersTest, AStepDueWithinAHeldJumpWaitsForTheChildNodes) {
  TestNode* ward = Ward();
  ASSERT_NE(ward, nullptr);
  TestNode* held = City(absl::Milliseconds(10));
  ASSERT_NE(held, nullptr);
  TestNode* unheld = City(absl::Milliseconds(10));
  ASSERT_NE(unheld, nullptr);
  // Wednesday 18 March: both cities take the day's step (before-2).
  At(Hanoi(2026, 3, 18, 9, 0));
  const std::string before_2 = "2026-03.before-2.10507.inband";
  for (TestNode* city : {held, unheld}) {
    EXPECT_TRUE(WaitFor([&] { return Planned(city, "10507").size() == 1; }));
    EXPECT_EQ(Planned(city, "10507"), std::vector<std::string>{before_2});
  }

  // To Thursday 09:00, over the ward's automatic finalisation (00:00, 24 h
  // before the 20th) and the before-1 step (08:00).
  held->engine->HoldSteps(Hanoi(2026, 3, 18, 9, 0), absl::Seconds(5));
  At(Hanoi(2026, 3, 19, 9, 0));
  const std::string ward_before_1 = "2026-03.before-1.10525.inband";
  EXPECT_TRUE(WaitFor([&] {
    return Status(ward).self().state() == v1::REPORT_STATE_FINAL_ON_TIME;
  }));
  // (Each look is a fetch, which may take before-2 as the step is planned.)
  auto has = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  EXPECT_TRUE(
      WaitFor([&] { return has(Planned(unheld, "10525"), ward_before_1); }));
  // The held city has planned nothing yet; the ward's final report reaches
  // both.
  EXPECT_EQ(Planned(held, "10507"), std::vector<std::string>{before_2});
  auto push = ward->engine->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  ASSERT_TRUE(held->engine->PushAndWait(*push).ok());
  ASSERT_TRUE(unheld->engine->PushAndWait(*push).ok());
  // Once the hold is over, the held city reminds only the ward that has not
  // reported (which keeps the step it took before).
  EXPECT_TRUE(WaitFor([&] {
    return has(Planned(held, "10507"), "2026-03.before-1.10507.inband");
  }));
  EXPECT_FALSE(has(Planned(held, "10525"), ward_before_1));
  const v1::StatusReport status = Status(held);
  auto row =
      std::find_if(status.children().begin(), status.children().end(),
                   [](const v1::UnitStatus& c) { return c.unit() == "10525"; });
  ASSERT_NE(row, status.children().end());
  EXPECT_EQ(row->state(), v1::REPORT_STATE_FINAL_ON_TIME);
}

// A child node that has not taken a step (it was unreachable) gets only the
// next one of that period, the older recorded as superseded; a child that
// took it keeps both.
TEST_F(PlanRemindersTest, AnUntakenStepGivesWayToTheNextOne) {
  TestNode* city = City(absl::Milliseconds(10));
  ASSERT_NE(city, nullptr);
  // What the city planned for 2026-03, "id:state" (listed, not fetched: a
  // fetch would count as the child taking them).
  auto planned = [&] {
    std::vector<std::string> out;
    v1::ListRemindersRequest request;
    request.set_sent(true);
    request.set_period("2026-03");
    auto list = city->engine->ListReminders(request);
    if (!list.ok()) return out;
    for (const v1::Reminder& r : list->reminders()) {
      out.push_back(absl::StrCat(
          r.id(), ":",
          r.state() == v1::Reminder::STATE_SUPERSEDED ? "superseded" : "",
          r.has_sent_time() ? "" : "-"));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // "5 days before" the 20th falls on Sunday the 15th: Friday the 13th.
  At(Hanoi(2026, 3, 13, 9, 0));
  ASSERT_TRUE(WaitFor([&] { return planned().size() == 2; }));
  // 10507's node takes it (and confirms); 10525's is down.
  auto taken = city->engine->FetchReminders("10507", 0);
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->reminders_size(), 1);
  ASSERT_TRUE(
      city->engine->FetchReminders("10507", taken->reminders(0).sequence())
          .ok());
  At(Hanoi(2026, 3, 18, 9, 0));  // "2 days before"
  ASSERT_TRUE(WaitFor([&] { return planned().size() == 4; }));
  EXPECT_EQ(planned(), (std::vector<std::string>{
                           "2026-03.before-2.10507.inband:-",
                           "2026-03.before-2.10525.inband:-",
                           "2026-03.before-5.10507.inband:",
                           "2026-03.before-5.10525.inband:superseded-"}));
  // Back, 10525 gets the current step only; 10507 has both.
  EXPECT_EQ(Planned(city, "10525"),
            std::vector<std::string>{"2026-03.before-2.10525.inband"});
  EXPECT_EQ(Planned(city, "10507").size(), 2u);
}

// A child node down across two periods keeps one current reminder of each:
// a later period's step supersedes only its own period's untaken reminders.
TEST_F(PlanRemindersTest, AnUntakenStepOfAnotherPeriodStays) {
  TestNode* city = City(absl::Milliseconds(10));
  ASSERT_NE(city, nullptr);
  // The ids of 10525's reminders of `label` still to be taken (listed, not
  // fetched: a fetch would count as its node taking them).
  auto current = [&](const std::string& label) {
    std::vector<std::string> out;
    v1::ListRemindersRequest request;
    request.set_sent(true);
    request.set_period(label);
    auto list = city->engine->ListReminders(request);
    if (!list.ok()) return out;
    for (const v1::Reminder& r : list->reminders()) {
      if (r.unit() == "10525" && r.channel() == "inband" &&
          r.state() != v1::Reminder::STATE_SUPERSEDED) {
        out.push_back(r.id());
      }
    }
    return out;
  };
  At(Hanoi(2026, 3, 13, 9, 0));  // March's "5 days before"
  ASSERT_TRUE(WaitFor([&] { return current("2026-03").size() == 1; }));
  At(Hanoi(2026, 4, 15, 9, 0));  // April's "5 days before"
  ASSERT_TRUE(WaitFor([&] { return current("2026-04").size() == 1; }));
  // March's may itself have given way to March's own later (overdue) step.
  const std::vector<std::string> after = current("2026-03");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(after[0], "2026-03.")) << after[0];
  EXPECT_EQ(Planned(city, "10525").size(), 2u);
}

}  // namespace
}  // namespace tonghop
