// Tests of the reminder policy's defaults and of StepsFor: the worked example
// of the issue (wards -> city, March 2026), the Tết deadline of February 2026,
// quiet hours, custom policies, the `until` bound, and every month of 2026 for
// the city ("before the 20th") and ward ("before the 15th") edges.
//
// Dates checked against the 2026 calendar: March 2026 — 13 Fri, 15 Sun,
// 18 Wed, 19 Thu, 20 Fri, 21 Sat, 22 Sun, 23 Mon, 28-29 weekend, 30 Mon.
// February 2026 — 13 Fri, 14-22 Tết (holidays in the CSV), 23 Mon.
// April 2026 — 17 Fri, 20 Mon, 27 Mon (holiday), 30 Thu and 1 May (holidays).
#include "libs/remind/schedule.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/zone.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;
using Kind = ReminderStep::Kind;

std::string KindName(Kind kind) {
  switch (kind) {
    case Kind::kReminder:
      return "reminder";
    case Kind::kOverdue:
      return "overdue";
    case Kind::kEscalation:
      return "escalation";
    case Kind::kDigest:
      return "digest";
  }
  return "?";
}

// An instant from an explicit RFC 3339 text ("2026-03-13T08:00:00+07:00").
absl::Time T(const std::string& rfc3339) {
  absl::StatusOr<absl::Time> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339 << ": " << t.status();
  return t.ok() ? *t : absl::InfinitePast();
}

// What a test expects of one step.
struct Want {
  std::string id;
  Kind kind;
  std::string at;  // RFC 3339 with an explicit +07:00 offset
};

class StepsForTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<absl::TimeZone> zone = VietnamZone();
    ASSERT_TRUE(zone.ok()) << zone.status();
    zone_ = *zone;
    absl::StatusOr<Holidays> holidays = Holidays::LoadEmbedded();
    ASSERT_TRUE(holidays.ok()) << holidays.status();
    holidays_ = *holidays;
  }

  std::vector<ReminderStep> Steps(const v1::ReminderPolicy& policy,
                                  absl::Time due, absl::Time until) const {
    return StepsFor(policy, due, until, holidays_, zone_);
  }

  // "before-5 reminder 2026-03-13T08:00:00+07:00": readable in a failure.
  std::string Describe(const ReminderStep& s) const {
    return absl::StrCat(s.id, " ", KindName(s.kind), " ",
                        absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", s.at, zone_));
  }
  static std::string Describe(const Want& w) {
    return absl::StrCat(w.id, " ", KindName(w.kind), " ", w.at);
  }

  // The steps are in time order and are exactly `want`. Steps at the same
  // instant (an overdue notice and the escalation, moved to the same Monday)
  // may come in either order: the contract only says "sorted by time".
  void ExpectSteps(const std::vector<ReminderStep>& got,
                   std::vector<Want> want) const {
    for (size_t i = 1; i < got.size(); ++i) {
      EXPECT_LE(got[i - 1].at, got[i].at)
          << Describe(got[i - 1]) << " then " << Describe(got[i]);
    }
    std::vector<ReminderStep> sorted = got;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const ReminderStep& a, const ReminderStep& b) {
                       return std::tie(a.at, a.id) < std::tie(b.at, b.id);
                     });
    std::stable_sort(want.begin(), want.end(),
                     [](const Want& a, const Want& b) {
                       return std::make_tuple(T(a.at), a.id) <
                              std::make_tuple(T(b.at), b.id);
                     });
    std::vector<std::string> got_text, want_text;
    for (const ReminderStep& s : sorted) got_text.push_back(Describe(s));
    for (const Want& w : want) want_text.push_back(Describe(w));
    EXPECT_THAT(got_text, ElementsAreArray(want_text));
    // And the instants themselves, parsed from the explicit +07:00 texts.
    if (sorted.size() != want.size()) return;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(sorted[i].id, want[i].id);
      EXPECT_EQ(sorted[i].kind, want[i].kind) << want[i].id;
      EXPECT_EQ(sorted[i].at, T(want[i].at)) << want[i].id;
    }
  }

  absl::CivilSecond Local(absl::Time t) const {
    return absl::ToCivilSecond(t, zone_);
  }

  // Every step on a working day, 07:00 <= time < 20:00; reminders strictly
  // before `due`, the rest at or after it; ids unique; time order.
  void ExpectAllowed(const std::vector<ReminderStep>& steps,
                     absl::Time due) const {
    std::map<std::string, int> ids;
    for (size_t i = 0; i < steps.size(); ++i) {
      const ReminderStep& s = steps[i];
      const absl::CivilSecond local = Local(s.at);
      EXPECT_TRUE(holidays_.IsWorkingDay(absl::CivilDay(local))) << Describe(s);
      EXPECT_GE(local.hour(), 7) << Describe(s);
      EXPECT_LT(local.hour(), 20) << Describe(s);
      if (s.kind == Kind::kReminder) {
        EXPECT_LT(s.at, due) << Describe(s);
      } else {
        EXPECT_GE(s.at, due) << Describe(s);
      }
      EXPECT_EQ(++ids[s.id], 1) << "duplicate " << s.id;
      if (i > 0) {
        EXPECT_LE(steps[i - 1].at, s.at) << Describe(s);
      }
    }
  }

  absl::TimeZone zone_;
  Holidays holidays_;
};

// ---------------------------------------------------------------------------
// WithDefaults

TEST(WithDefaultsTest, FillsTheDefaults) {
  const v1::ReminderPolicy p = WithDefaults(v1::ReminderPolicy());
  EXPECT_THAT(p.before_days(), ElementsAre(5, 2, 1));
  EXPECT_THAT(p.overdue_days(), ElementsAre(0, 2));
  EXPECT_EQ(p.escalation_day(), 1);
  EXPECT_EQ(p.hour(), 8);
  EXPECT_EQ(p.max_retry_seconds(), 300);
  EXPECT_FALSE(p.digest_off());
  EXPECT_FALSE(p.off());
}

TEST(WithDefaultsTest, KeepsGivenValues) {
  v1::ReminderPolicy given;
  given.add_before_days(3);
  given.add_overdue_days(1);
  given.set_escalation_day(2);
  given.set_hour(9);
  given.set_max_retry_seconds(60);
  given.set_digest_off(true);
  given.set_off(true);
  const v1::ReminderPolicy p = WithDefaults(given);
  EXPECT_THAT(p.before_days(), ElementsAre(3));
  EXPECT_THAT(p.overdue_days(), ElementsAre(1));
  EXPECT_EQ(p.escalation_day(), 2);
  EXPECT_EQ(p.hour(), 9);
  EXPECT_EQ(p.max_retry_seconds(), 60);
  EXPECT_TRUE(p.digest_off());
  EXPECT_TRUE(p.off());
}

TEST(WithDefaultsTest, FillsOnlyWhatIsUnset) {
  v1::ReminderPolicy given;
  given.add_overdue_days(0);  // only an overdue notice on the day itself
  given.set_hour(21);         // kept: the schedule moves it, not the defaults
  const v1::ReminderPolicy p = WithDefaults(given);
  EXPECT_THAT(p.before_days(), ElementsAre(5, 2, 1));
  EXPECT_THAT(p.overdue_days(), ElementsAre(0));
  EXPECT_EQ(p.escalation_day(), 1);
  EXPECT_EQ(p.hour(), 21);
  EXPECT_EQ(p.max_retry_seconds(), 300);
}

// ---------------------------------------------------------------------------
// The worked example: wards -> city, March 2026, "before the 20th".

TEST_F(StepsForTest, March2026WorkedExample) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  const absl::Time until = due + absl::Hours(24 * 10);  // 30 March 00:00
  ExpectSteps(
      Steps(v1::ReminderPolicy(), due, until),
      {
          // 15 March is a Sunday: back to Friday 13 March.
          {"before-5", Kind::kReminder, "2026-03-13T08:00:00+07:00"},
          {"before-2", Kind::kReminder, "2026-03-18T08:00:00+07:00"},
          {"before-1", Kind::kReminder, "2026-03-19T08:00:00+07:00"},
          {"overdue-0", Kind::kOverdue, "2026-03-20T08:00:00+07:00"},
          // Saturday 21 and Sunday 22 March: forward to Monday 23 March.
          {"escalation", Kind::kEscalation, "2026-03-23T08:00:00+07:00"},
          {"overdue-2", Kind::kOverdue, "2026-03-23T08:00:00+07:00"},
          // Daily digests from the day after the escalation went, working
          // days only (28-29 March are a weekend), up to `until`.
          {"digest-2026-03-24", Kind::kDigest, "2026-03-24T08:00:00+07:00"},
          {"digest-2026-03-25", Kind::kDigest, "2026-03-25T08:00:00+07:00"},
          {"digest-2026-03-26", Kind::kDigest, "2026-03-26T08:00:00+07:00"},
          {"digest-2026-03-27", Kind::kDigest, "2026-03-27T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, March2026IsAllowedAndOrdered) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  const std::vector<ReminderStep> steps =
      Steps(v1::ReminderPolicy(), due, due + absl::Hours(24 * 10));
  ExpectAllowed(steps, due);
  // Reminders first, then everything else; one escalation.
  int escalations = 0;
  bool after = false;
  for (const ReminderStep& s : steps) {
    if (s.kind != Kind::kReminder) after = true;
    if (after) {
      EXPECT_NE(s.kind, Kind::kReminder) << s.id;
    }
    escalations += s.kind == Kind::kEscalation;
  }
  EXPECT_EQ(escalations, 1);
}

// "a digest each working day after the escalation up to and including `until`"
TEST_F(StepsForTest, DigestsStopAtUntil) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  auto digests = [&](absl::Time until) {
    std::vector<std::string> ids;
    for (const ReminderStep& s : Steps(v1::ReminderPolicy(), due, until)) {
      if (s.kind != Kind::kDigest) continue;
      ids.push_back(s.id);
      EXPECT_LE(s.at, until)
          << s.id << " falls after until " << absl::FormatTime(until, zone_);
    }
    return ids;
  };
  // Including `until` itself.
  EXPECT_THAT(digests(T("2026-03-26T08:00:00+07:00")),
              ElementsAre("digest-2026-03-24", "digest-2026-03-25",
                          "digest-2026-03-26"));
  EXPECT_THAT(digests(T("2026-03-26T07:59:59+07:00")),
              ElementsAre("digest-2026-03-24", "digest-2026-03-25"));
  // Monday 30 March 00:00 (due + 10 days): the 08:00 digest of that Monday
  // falls after it.
  EXPECT_THAT(digests(T("2026-03-30T00:00:00+07:00")),
              ElementsAre("digest-2026-03-24", "digest-2026-03-25",
                          "digest-2026-03-26", "digest-2026-03-27"));
  EXPECT_THAT(
      digests(T("2026-03-30T08:00:00+07:00")),
      ElementsAre("digest-2026-03-24", "digest-2026-03-25", "digest-2026-03-26",
                  "digest-2026-03-27", "digest-2026-03-30"));
  // Before the first digest day: none, while the other steps stay.
  EXPECT_THAT(digests(due), IsEmpty());
  const std::vector<ReminderStep> steps = Steps(v1::ReminderPolicy(), due, due);
  EXPECT_EQ(steps.size(), 6u);
}

// ---------------------------------------------------------------------------
// February 2026: the city's deadline falls in the Tết break (14-22 Feb).

TEST_F(StepsForTest, February2026Tet) {
  const absl::Time due = T("2026-02-20T00:00:00+07:00");
  const absl::Time until = T("2026-02-27T12:00:00+07:00");
  // before-5 (Sun 15 Feb), before-2 (18 Feb) and before-1 (19 Feb) all move
  // back to Friday 13 February 08:00 and are sent once: before-1, the one
  // nearest the deadline. overdue-0 (20 Feb) and overdue-2 (22 Feb) both move
  // forward to Monday 23 February and are sent once: overdue-0. The escalation
  // (21 Feb) goes the same Monday.
  ExpectSteps(
      Steps(v1::ReminderPolicy(), due, until),
      {
          {"before-1", Kind::kReminder, "2026-02-13T08:00:00+07:00"},
          {"overdue-0", Kind::kOverdue, "2026-02-23T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-02-23T08:00:00+07:00"},
          {"digest-2026-02-24", Kind::kDigest, "2026-02-24T08:00:00+07:00"},
          {"digest-2026-02-25", Kind::kDigest, "2026-02-25T08:00:00+07:00"},
          {"digest-2026-02-26", Kind::kDigest, "2026-02-26T08:00:00+07:00"},
          {"digest-2026-02-27", Kind::kDigest, "2026-02-27T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, February2026WithoutTheMergedStepsEachMovesBack) {
  // One step at a time, to see where each lands before merging.
  const absl::Time due = T("2026-02-20T00:00:00+07:00");
  for (int n : {5, 2, 1}) {
    v1::ReminderPolicy policy;
    policy.add_before_days(n);
    policy.add_overdue_days(0);
    policy.set_digest_off(true);
    ExpectSteps(
        Steps(policy, due, due),
        {
            {absl::StrCat("before-", n), Kind::kReminder,
             "2026-02-13T08:00:00+07:00"},
            {"overdue-0", Kind::kOverdue, "2026-02-23T08:00:00+07:00"},
            {"escalation", Kind::kEscalation, "2026-02-23T08:00:00+07:00"},
        });
  }
}

// The contract keeps "the one nearer the deadline" whatever order the policy
// lists its days in.
TEST_F(StepsForTest, MergedStepsKeepTheNearestWhateverThePolicyOrder) {
  const absl::Time due = T("2026-02-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  for (int n : {1, 2, 5}) policy.add_before_days(n);
  for (int n : {2, 0}) policy.add_overdue_days(n);
  policy.set_digest_off(true);
  ExpectSteps(
      Steps(policy, due, due),
      {
          {"before-1", Kind::kReminder, "2026-02-13T08:00:00+07:00"},
          {"overdue-0", Kind::kOverdue, "2026-02-23T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-02-23T08:00:00+07:00"},
      });
}

// ---------------------------------------------------------------------------
// Quiet hours: no message from 20:00 to 07:00.

TEST_F(StepsForTest, Hour21MovesBackTheSameDayOrForwardTheNextWorkingDay) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  policy.set_hour(21);
  policy.set_digest_off(true);
  ExpectSteps(
      Steps(policy, due, due + absl::Hours(24 * 10)),
      {
          // Sun 15 March 21:00: back to Fri 13 March 08:00.
          {"before-5", Kind::kReminder, "2026-03-13T08:00:00+07:00"},
          // Wed 18 and Thu 19 March 21:00: 08:00 the same (working) day.
          {"before-2", Kind::kReminder, "2026-03-18T08:00:00+07:00"},
          {"before-1", Kind::kReminder, "2026-03-19T08:00:00+07:00"},
          // Fri 20 March 21:00: the next working day, Mon 23 March 08:00,
          // where overdue-2 (Sun 22) also lands: sent once.
          {"overdue-0", Kind::kOverdue, "2026-03-23T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-03-23T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, Hour21OnAWorkingDayBeforeAnotherWorkingDay) {
  // April 2026: due Mon 20 April; overdue-1 on Tue 21 April 21:00 goes to
  // Wed 22 April 08:00; the escalation on Wed 22 April 21:00 to Thu 23 April.
  const absl::Time due = T("2026-04-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  policy.add_before_days(3);
  policy.add_overdue_days(1);
  policy.set_escalation_day(2);
  policy.set_hour(21);
  policy.set_digest_off(true);
  ExpectSteps(
      Steps(policy, due, due),
      {
          {"before-3", Kind::kReminder, "2026-04-17T08:00:00+07:00"},
          {"overdue-1", Kind::kOverdue, "2026-04-22T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-04-23T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, Hour6AfterTheDeadlineGoesTo8TheSameWorkingDay) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  policy.set_hour(6);
  ExpectSteps(
      Steps(policy, due, T("2026-03-26T12:00:00+07:00")),
      {
          // Before the deadline: the previous working day at 08:00.
          {"before-5", Kind::kReminder, "2026-03-13T08:00:00+07:00"},
          {"before-2", Kind::kReminder, "2026-03-17T08:00:00+07:00"},
          {"before-1", Kind::kReminder, "2026-03-18T08:00:00+07:00"},
          // Fri 20 March 06:00: 08:00 the same day.
          {"overdue-0", Kind::kOverdue, "2026-03-20T08:00:00+07:00"},
          // Weekend: Monday 23 March 08:00.
          {"escalation", Kind::kEscalation, "2026-03-23T08:00:00+07:00"},
          {"overdue-2", Kind::kOverdue, "2026-03-23T08:00:00+07:00"},
          {"digest-2026-03-24", Kind::kDigest, "2026-03-24T08:00:00+07:00"},
          {"digest-2026-03-25", Kind::kDigest, "2026-03-25T08:00:00+07:00"},
          {"digest-2026-03-26", Kind::kDigest, "2026-03-26T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, QuietHourBoundaries) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  auto at = [&](int hour, const std::string& id) {
    v1::ReminderPolicy policy;
    policy.set_hour(hour);
    policy.set_digest_off(true);
    for (const ReminderStep& s : Steps(policy, due, due)) {
      if (s.id == id)
        return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", s.at, zone_);
    }
    return std::string("missing");
  };
  // 07:00 and 19:00 are allowed as they are.
  EXPECT_EQ(at(7, "before-2"), "2026-03-18T07:00:00+07:00");
  EXPECT_EQ(at(7, "overdue-0"), "2026-03-20T07:00:00+07:00");
  EXPECT_EQ(at(19, "before-2"), "2026-03-18T19:00:00+07:00");
  EXPECT_EQ(at(19, "overdue-0"), "2026-03-20T19:00:00+07:00");
  // 20:00 is quiet already.
  EXPECT_EQ(at(20, "before-2"), "2026-03-18T08:00:00+07:00");
  EXPECT_EQ(at(20, "overdue-0"), "2026-03-23T08:00:00+07:00");
  EXPECT_EQ(at(23, "before-1"), "2026-03-19T08:00:00+07:00");
  // A nominal hour inside the window on a weekend moves, and takes 08:00.
  EXPECT_EQ(at(10, "before-5"), "2026-03-13T08:00:00+07:00");
  EXPECT_EQ(at(10, "overdue-2"), "2026-03-23T08:00:00+07:00");
  EXPECT_EQ(at(10, "before-2"), "2026-03-18T10:00:00+07:00");
}

// ---------------------------------------------------------------------------
// Policies other than the default.

TEST_F(StepsForTest, DigestOffGivesNoDigests) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  policy.set_digest_off(true);
  ExpectSteps(
      Steps(policy, due, due + absl::Hours(24 * 30)),
      {
          {"before-5", Kind::kReminder, "2026-03-13T08:00:00+07:00"},
          {"before-2", Kind::kReminder, "2026-03-18T08:00:00+07:00"},
          {"before-1", Kind::kReminder, "2026-03-19T08:00:00+07:00"},
          {"overdue-0", Kind::kOverdue, "2026-03-20T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-03-23T08:00:00+07:00"},
          {"overdue-2", Kind::kOverdue, "2026-03-23T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, CustomDaysInMarch) {
  const absl::Time due = T("2026-03-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  policy.add_before_days(3);
  policy.add_overdue_days(1);
  policy.set_escalation_day(2);
  ExpectSteps(
      Steps(policy, due, T("2026-03-25T12:00:00+07:00")),
      {
          {"before-3", Kind::kReminder, "2026-03-17T08:00:00+07:00"},
          // Sat 21 and Sun 22 March: Monday 23 March.
          {"overdue-1", Kind::kOverdue, "2026-03-23T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-03-23T08:00:00+07:00"},
          {"digest-2026-03-24", Kind::kDigest, "2026-03-24T08:00:00+07:00"},
          {"digest-2026-03-25", Kind::kDigest, "2026-03-25T08:00:00+07:00"},
      });
}

TEST_F(StepsForTest, CustomDaysInAprilSkipHolidays) {
  // Due Mon 20 April: nothing moves; digests skip the weekend, Mon 27 April
  // (Hùng Kings, observed) and Thu 30 April (a holiday).
  const absl::Time due = T("2026-04-20T00:00:00+07:00");
  v1::ReminderPolicy policy;
  policy.add_before_days(3);
  policy.add_overdue_days(1);
  policy.set_escalation_day(2);
  ExpectSteps(
      Steps(policy, due, due + absl::Hours(24 * 10)),
      {
          {"before-3", Kind::kReminder, "2026-04-17T08:00:00+07:00"},
          {"overdue-1", Kind::kOverdue, "2026-04-21T08:00:00+07:00"},
          {"escalation", Kind::kEscalation, "2026-04-22T08:00:00+07:00"},
          {"digest-2026-04-23", Kind::kDigest, "2026-04-23T08:00:00+07:00"},
          {"digest-2026-04-24", Kind::kDigest, "2026-04-24T08:00:00+07:00"},
          {"digest-2026-04-28", Kind::kDigest, "2026-04-28T08:00:00+07:00"},
          {"digest-2026-04-29", Kind::kDigest, "2026-04-29T08:00:00+07:00"},
      });
}

// ---------------------------------------------------------------------------
// Every month of 2026, for the city edge (before the 20th) and the ward edge
// (before the 15th), against an independent working of the rules.

TEST_F(StepsForTest, EveryMonthOf2026) {
  for (int deadline_day : {20, 15}) {
    for (int month = 1; month <= 12; ++month) {
      const absl::CivilDay d(2026, month, deadline_day);
      const absl::Time due = absl::FromCivil(absl::CivilSecond(d), zone_);
      const absl::Time until = due + absl::Hours(24 * 10);
      SCOPED_TRACE(
          absl::StrFormat("deadline before %d/%02d/2026", deadline_day, month));
      const std::vector<ReminderStep> steps =
          Steps(v1::ReminderPolicy(), due, until);
      ExpectAllowed(steps, due);

      // The oracle, with the default policy (08:00, inside the window).
      auto at8 = [&](absl::CivilDay day) {
        return absl::FromCivil(absl::CivilSecond(day) + 8 * 3600, zone_);
      };
      auto back = [&](absl::CivilDay day) {
        while (!holidays_.IsWorkingDay(day)) --day;
        return day;
      };
      auto forward = [&](absl::CivilDay day) {
        while (!holidays_.IsWorkingDay(day)) ++day;
        return day;
      };
      std::map<absl::Time, std::string> reminders, overdue;
      for (int n : {5, 2, 1}) {  // nearest last: it wins a shared instant
        reminders[at8(back(d - n))] = absl::StrCat("before-", n);
      }
      for (int n : {2, 0}) {  // nearest last
        overdue[at8(forward(d + n))] = absl::StrCat("overdue-", n);
      }
      const absl::CivilDay escalation_day = forward(d + 1);
      std::vector<std::string> want;
      for (const auto& [t, id] : reminders) {
        want.push_back(absl::StrCat(id, "@", absl::FormatTime(t, zone_)));
      }
      for (const auto& [t, id] : overdue) {
        want.push_back(absl::StrCat(id, "@", absl::FormatTime(t, zone_)));
      }
      want.push_back(absl::StrCat(
          "escalation@", absl::FormatTime(at8(escalation_day), zone_)));

      std::vector<std::string> got;
      std::vector<absl::CivilDay> digest_days;
      for (const ReminderStep& s : steps) {
        if (s.kind == Kind::kDigest) {
          const absl::CivilDay day(Local(s.at));
          digest_days.push_back(day);
          EXPECT_EQ(s.id, absl::StrFormat("digest-%04d-%02d-%02d", day.year(),
                                          day.month(), day.day()));
          EXPECT_EQ(Local(s.at), absl::CivilSecond(day) + 8 * 3600) << s.id;
        } else {
          got.push_back(absl::StrCat(s.id, "@", absl::FormatTime(s.at, zone_)));
        }
      }
      EXPECT_THAT(got, UnorderedElementsAreArray(want));

      // Digests: every working day from the first after the escalation's,
      // none skipped, none on or before the escalation's day, none past the
      // day of `until`.
      ASSERT_FALSE(digest_days.empty());
      EXPECT_EQ(digest_days.front(), forward(escalation_day + 1));
      for (size_t i = 1; i < digest_days.size(); ++i) {
        EXPECT_EQ(digest_days[i], forward(digest_days[i - 1] + 1));
      }
      EXPECT_LE(digest_days.back(), absl::CivilDay(Local(until)));
    }
  }
}

}  // namespace
}  // namespace tonghop
