// Tests of EdgeCalendar: the default deadlines of the three edges, configured
// rules, days past a month's end, the instants either side of each deadline
// and moving deadlines off holidays. Expected instants are built from explicit
// "+07:00" RFC 3339 text, which needs no zone database.
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/period.h"
#include "libs/calendar/zone.h"

namespace tonghop {
namespace {

Period P(const std::string& label) {
  absl::StatusOr<Period> p = ParsePeriod(label);
  EXPECT_TRUE(p.ok()) << label << ": " << p.status();
  return p.ok() ? *p : Period{};
}

// An instant from RFC 3339 text, parsed by Abseil directly (not the library).
absl::Time At(const std::string& text) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &t, &err))
      << text << ": " << err;
  return t;
}

// "2026-03-15T00:00:00+07:00": the start of `day` in Vietnam.
std::string MidnightText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02dT00:00:00+07:00", day.year(),
                         day.month(), day.day());
}

std::string LastSecondText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02dT23:59:59+07:00", day.year(),
                         day.month(), day.day());
}

// Days in a month, from a table rather than from civil-time arithmetic.
int MonthLength(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

v1::Deadline Rule(int day, int month = 0) {
  v1::Deadline d;
  d.set_day(day);
  d.set_month(month);
  return d;
}

struct Edge {
  Recipient recipient;
  const char* name;
  int monthly_last_day;  // the last on-time day of a monthly report
  absl::CivilDay annual_last_day;
};

const std::vector<Edge>& Edges() {
  static const auto* edges = new std::vector<Edge>{
      {Recipient::kWard, "ward", 14, absl::CivilDay(2026, 11, 19)},
      {Recipient::kCity, "city", 19, absl::CivilDay(2026, 11, 29)},
      {Recipient::kCentral, "central", 24, absl::CivilDay(2026, 12, 9)},
  };
  return *edges;
}

class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<absl::TimeZone> zone = VietnamZone();
    ASSERT_TRUE(zone.ok()) << zone.status();
    vn_ = *zone;
  }

  static EdgeCalendar Default(Recipient r, const Holidays* h = nullptr) {
    return EdgeCalendar(v1::DeadlineConfig(), DefaultDeadlines(r), h);
  }

  // Checks the last on-time day, Due, its text and the second before it.
  void ExpectDeadline(const EdgeCalendar& cal, const Period& p,
                      absl::CivilDay last) {
    SCOPED_TRACE(p.Label());
    EXPECT_EQ(cal.LastOnTimeDay(p), last);
    const absl::Time due = cal.Due(p, vn_);
    EXPECT_EQ(due, At(MidnightText(last + 1)));
    EXPECT_EQ(FormatVietnamTime(due), MidnightText(last + 1));
    EXPECT_EQ(due - absl::Seconds(1), At(LastSecondText(last)));
  }

  absl::TimeZone vn_;
};

TEST_F(DeadlineTest, DefaultRules) {
  const v1::DeadlineConfig ward = DefaultDeadlines(Recipient::kWard);
  EXPECT_EQ(ward.monthly().day(), 15);
  EXPECT_EQ(ward.monthly().month(), 0);
  EXPECT_EQ(ward.annual().day(), 20);
  EXPECT_EQ(ward.annual().month(), 11);
  EXPECT_FALSE(ward.move_off_holidays());
  const v1::DeadlineConfig city = DefaultDeadlines(Recipient::kCity);
  EXPECT_EQ(city.monthly().day(), 20);
  EXPECT_EQ(city.annual().day(), 30);
  EXPECT_EQ(city.annual().month(), 11);
  const v1::DeadlineConfig central = DefaultDeadlines(Recipient::kCentral);
  EXPECT_EQ(central.monthly().day(), 25);
  EXPECT_EQ(central.annual().day(), 10);
  EXPECT_EQ(central.annual().month(), 12);
}

TEST_F(DeadlineTest, StatedExamples) {
  const Period march = P("2026-03");
  EXPECT_EQ(Default(Recipient::kWard).LastOnTimeDay(march),
            absl::CivilDay(2026, 3, 14));
  EXPECT_EQ(Default(Recipient::kWard).Due(march, vn_),
            At("2026-03-15T00:00:00+07:00"));
  EXPECT_EQ(Default(Recipient::kCity).LastOnTimeDay(march),
            absl::CivilDay(2026, 3, 19));
  EXPECT_EQ(Default(Recipient::kCity).Due(march, vn_),
            At("2026-03-20T00:00:00+07:00"));
  EXPECT_EQ(Default(Recipient::kCentral).LastOnTimeDay(march),
            absl::CivilDay(2026, 3, 24));
  EXPECT_EQ(Default(Recipient::kCentral).Due(march, vn_),
            At("2026-03-25T00:00:00+07:00"));
  // The same instants in UTC.
  EXPECT_EQ(Default(Recipient::kWard).Due(march, vn_),
            At("2026-03-14T17:00:00Z"));
  EXPECT_EQ(Default(Recipient::kCity).Due(P("2026"), vn_),
            At("2026-11-29T17:00:00Z"));
  const EdgeCalendar city = Default(Recipient::kCity);
  EXPECT_EQ(city.Due(P("2026-Q1"), vn_), At("2026-03-20T00:00:00+07:00"));
  EXPECT_EQ(city.Due(P("2026-H1"), vn_), At("2026-06-20T00:00:00+07:00"));
  EXPECT_EQ(city.Due(P("2026-9M"), vn_), At("2026-09-20T00:00:00+07:00"));
  EXPECT_EQ(city.Due(P("2026-H2"), vn_), At("2026-12-20T00:00:00+07:00"));
}

TEST_F(DeadlineTest, EveryMonthOfEachEdge) {
  for (const Edge& e : Edges()) {
    SCOPED_TRACE(e.name);
    const EdgeCalendar cal = Default(e.recipient);
    for (int m = 1; m <= 12; ++m) {
      const Period p{2026, PeriodType::kMonth, m};
      EXPECT_EQ(cal.LastOnTimeDay(p),
                absl::CivilDay(2026, m, e.monthly_last_day))
          << p.Label();
      const std::string due_text = absl::StrFormat(
          "2026-%02d-%02dT00:00:00+07:00", m, e.monthly_last_day + 1);
      EXPECT_EQ(cal.Due(p, vn_), At(due_text)) << p.Label();
      EXPECT_EQ(FormatVietnamTime(cal.Due(p, vn_)), due_text) << p.Label();
    }
  }
}

TEST_F(DeadlineTest, AnnualOfEachEdge) {
  for (const Edge& e : Edges()) {
    SCOPED_TRACE(e.name);
    ExpectDeadline(Default(e.recipient), P("2026"), e.annual_last_day);
  }
  EXPECT_EQ(Default(Recipient::kWard).Due(P("2026"), vn_),
            At("2026-11-20T00:00:00+07:00"));
  EXPECT_EQ(Default(Recipient::kCity).Due(P("2026"), vn_),
            At("2026-11-30T00:00:00+07:00"));
  EXPECT_EQ(Default(Recipient::kCentral).Due(P("2026"), vn_),
            At("2026-12-10T00:00:00+07:00"));
}

TEST_F(DeadlineTest, LongerPeriodsUseTheMonthlyDayInTheirLastMonth) {
  struct Case {
    const char* label;
    int last_month;
  };
  const std::vector<Case> cases = {
      {"2026-Q1", 3}, {"2026-Q2", 6},  {"2026-Q3", 9}, {"2026-Q4", 12},
      {"2026-H1", 6}, {"2026-H2", 12}, {"2026-9M", 9},
  };
  for (const Edge& e : Edges()) {
    SCOPED_TRACE(e.name);
    for (const Case& c : cases) {
      ExpectDeadline(Default(e.recipient), P(c.label),
                     absl::CivilDay(2026, c.last_month, e.monthly_last_day));
    }
  }
}

// Due - 1s (23:59:59 of the last day) is on time; Due (00:00:00) is late.
TEST_F(DeadlineTest, EitherSideOfEveryDeadline) {
  std::vector<Period> periods;
  for (int m = 1; m <= 12; ++m)
    periods.push_back({2026, PeriodType::kMonth, m});
  for (const char* label : {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
                            "2026-H1", "2026-H2", "2026-9M", "2026"}) {
    periods.push_back(P(label));
  }
  for (const Edge& e : Edges()) {
    const EdgeCalendar cal = Default(e.recipient);
    for (const Period& p : periods) {
      SCOPED_TRACE(absl::StrFormat("%s %s", e.name, p.Label()));
      const absl::CivilDay last = cal.LastOnTimeDay(p);
      const absl::Time due = cal.Due(p, vn_);
      const absl::Time last_second = absl::FromCivil(
          absl::CivilSecond(last.year(), last.month(), last.day(), 23, 59, 59),
          vn_);
      const absl::Time midnight =
          absl::FromCivil(absl::CivilSecond(last + 1), vn_);
      EXPECT_EQ(last_second, due - absl::Seconds(1));
      EXPECT_EQ(midnight, due);
      EXPECT_EQ(At(LastSecondText(last)), last_second);
      EXPECT_EQ(At(MidnightText(last + 1)), midnight);
      EXPECT_TRUE(last_second < due);  // on time
      EXPECT_FALSE(midnight < due);    // late
      EXPECT_FALSE(due + absl::Seconds(1) < due);
      EXPECT_EQ(FormatVietnamTime(last_second), LastSecondText(last));
    }
  }
}

TEST_F(DeadlineTest, ConfiguredRulesOverrideTheDefaults) {
  v1::DeadlineConfig config;
  *config.mutable_monthly() = Rule(10);
  *config.mutable_annual() = Rule(15, 12);
  for (const Edge& e : Edges()) {
    SCOPED_TRACE(e.name);
    const EdgeCalendar cal(config, DefaultDeadlines(e.recipient), nullptr);
    EXPECT_EQ(cal.rules().monthly().day(), 10);
    EXPECT_EQ(cal.rules().annual().day(), 15);
    EXPECT_EQ(cal.rules().annual().month(), 12);
    for (int m = 1; m <= 12; ++m) {
      ExpectDeadline(cal, Period{2026, PeriodType::kMonth, m},
                     absl::CivilDay(2026, m, 9));
    }
    ExpectDeadline(cal, P("2026"), absl::CivilDay(2026, 12, 14));
    // The derived rules follow the configured monthly day.
    ExpectDeadline(cal, P("2026-Q1"), absl::CivilDay(2026, 3, 9));
    ExpectDeadline(cal, P("2026-H2"), absl::CivilDay(2026, 12, 9));
    ExpectDeadline(cal, P("2026-9M"), absl::CivilDay(2026, 9, 9));
  }
  // An unset rule keeps its default.
  v1::DeadlineConfig monthly_only;
  *monthly_only.mutable_monthly() = Rule(10);
  const EdgeCalendar city(monthly_only, DefaultDeadlines(Recipient::kCity),
                          nullptr);
  ExpectDeadline(city, P("2026"), absl::CivilDay(2026, 11, 29));
}

TEST_F(DeadlineTest, QuarterlyHalfAndNineMonthRulesOverrideTheDerivedOnes) {
  v1::DeadlineConfig config;
  *config.mutable_quarterly() = Rule(5);
  *config.mutable_half_yearly() = Rule(8);
  *config.mutable_nine_months() = Rule(28, 10);
  const EdgeCalendar city(config, DefaultDeadlines(Recipient::kCity), nullptr);
  ExpectDeadline(city, P("2026-Q1"), absl::CivilDay(2026, 3, 4));
  ExpectDeadline(city, P("2026-Q2"), absl::CivilDay(2026, 6, 4));
  ExpectDeadline(city, P("2026-Q4"), absl::CivilDay(2026, 12, 4));
  ExpectDeadline(city, P("2026-H1"), absl::CivilDay(2026, 6, 7));
  ExpectDeadline(city, P("2026-H2"), absl::CivilDay(2026, 12, 7));
  ExpectDeadline(city, P("2026-9M"), absl::CivilDay(2026, 10, 27));
  // Months and the year are untouched.
  ExpectDeadline(city, P("2026-06"), absl::CivilDay(2026, 6, 19));
  ExpectDeadline(city, P("2026"), absl::CivilDay(2026, 11, 29));

  // A quarterly rule naming a month uses that month of the period's year.
  v1::DeadlineConfig april;
  *april.mutable_quarterly() = Rule(10, 4);
  ExpectDeadline(
      EdgeCalendar(april, DefaultDeadlines(Recipient::kWard), nullptr),
      P("2026-Q1"), absl::CivilDay(2026, 4, 9));

  // A quarterly rule in the defaults beats the derived one; the config's
  // beats both.
  v1::DeadlineConfig defaults = DefaultDeadlines(Recipient::kCentral);
  *defaults.mutable_quarterly() = Rule(12);
  ExpectDeadline(EdgeCalendar(v1::DeadlineConfig(), defaults, nullptr),
                 P("2026-Q3"), absl::CivilDay(2026, 9, 11));
  ExpectDeadline(EdgeCalendar(config, defaults, nullptr), P("2026-Q3"),
                 absl::CivilDay(2026, 9, 4));
}

// A day past the month's end means the month's last day + 1.
TEST_F(DeadlineTest, DayPastTheMonthsEnd) {
  struct Case {
    const char* label;
    int day;
    int year, month, last_day;  // the expected last on-time day
  };
  const std::vector<Case> cases = {
      {"2026-02", 31, 2026, 2, 28}, {"2026-02", 30, 2026, 2, 28},
      {"2026-02", 29, 2026, 2, 28}, {"2026-02", 28, 2026, 2, 27},
      {"2028-02", 31, 2028, 2, 29}, {"2028-02", 30, 2028, 2, 29},
      {"2028-02", 29, 2028, 2, 28}, {"2026-03", 32, 2026, 3, 31},
      {"2026-03", 31, 2026, 3, 30}, {"2026-04", 31, 2026, 4, 30},
      {"2026-04", 30, 2026, 4, 29}, {"2026-12", 32, 2026, 12, 31},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrFormat("day %d", c.day));
    v1::DeadlineConfig config;
    *config.mutable_monthly() = Rule(c.day);
    ExpectDeadline(
        EdgeCalendar(config, DefaultDeadlines(Recipient::kCity), nullptr),
        P(c.label), absl::CivilDay(c.year, c.month, c.last_day));
  }
  v1::DeadlineConfig day30;
  *day30.mutable_monthly() = Rule(30);
  const EdgeCalendar cal(day30, DefaultDeadlines(Recipient::kWard), nullptr);
  EXPECT_EQ(cal.Due(P("2028-02"), vn_), At("2028-03-01T00:00:00+07:00"));
  EXPECT_EQ(cal.Due(P("2026-02"), vn_), At("2026-03-01T00:00:00+07:00"));

  // Every month's end, in a common and a leap year; the year changes after
  // December.
  v1::DeadlineConfig day32;
  *day32.mutable_monthly() = Rule(32);
  const EdgeCalendar ends(day32, DefaultDeadlines(Recipient::kWard), nullptr);
  for (int year : {2026, 2028}) {
    for (int m = 1; m <= 12; ++m) {
      ExpectDeadline(ends, Period{year, PeriodType::kMonth, m},
                     absl::CivilDay(year, m, MonthLength(year, m)));
    }
  }
  EXPECT_EQ(ends.Due(P("2026-12"), vn_), At("2027-01-01T00:00:00+07:00"));

  // An annual rule in February of a leap year.
  v1::DeadlineConfig feb;
  *feb.mutable_annual() = Rule(31, 2);
  ExpectDeadline(EdgeCalendar(feb, DefaultDeadlines(Recipient::kCity), nullptr),
                 P("2028"), absl::CivilDay(2028, 2, 29));
}

class MoveOffHolidaysTest : public DeadlineTest {
 protected:
  void SetUp() override {
    DeadlineTest::SetUp();
    absl::StatusOr<Holidays> h = Holidays::LoadEmbedded();
    ASSERT_TRUE(h.ok()) << h.status();
    holidays_ = *h;
  }

  EdgeCalendar Moving(Recipient r, v1::DeadlineConfig config = {}) const {
    config.set_move_off_holidays(true);
    return EdgeCalendar(config, DefaultDeadlines(r), &holidays_);
  }

  Holidays holidays_;
};

TEST_F(MoveOffHolidaysTest, OffByDefault) {
  const EdgeCalendar city = Default(Recipient::kCity, &holidays_);
  EXPECT_FALSE(city.rules().move_off_holidays());
  ExpectDeadline(city, P("2026-02"), absl::CivilDay(2026, 2, 19));  // in Tết
  ExpectDeadline(Default(Recipient::kWard, &holidays_), P("2026-03"),
                 absl::CivilDay(2026, 3, 14));  // a Saturday
}

TEST_F(MoveOffHolidaysTest, TetMovesToTheNextWorkingDay) {
  // From the CSV: 19-22 Feb 2026 are Tết holidays (21, 22 also a weekend)
  // and Monday 23 Feb is the first working day after them.
  for (int d = 19; d <= 22; ++d) {
    EXPECT_TRUE(holidays_.IsHoliday(absl::CivilDay(2026, 2, d))) << d;
  }
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2026, 2, 23)),
            absl::Weekday::monday);
  EXPECT_FALSE(holidays_.IsHoliday(absl::CivilDay(2026, 2, 23)));

  const EdgeCalendar city = Moving(Recipient::kCity);
  ExpectDeadline(city, P("2026-02"), absl::CivilDay(2026, 2, 23));
  EXPECT_EQ(city.Due(P("2026-02"), vn_), At("2026-02-24T00:00:00+07:00"));
  // The ward's February deadline (14 Feb) is in Tết too.
  ExpectDeadline(Moving(Recipient::kWard), P("2026-02"),
                 absl::CivilDay(2026, 2, 23));
}

TEST_F(MoveOffHolidaysTest, WeekendsAndOtherHolidays) {
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2026, 3, 14)),
            absl::Weekday::saturday);
  ExpectDeadline(Moving(Recipient::kWard), P("2026-03"),
                 absl::CivilDay(2026, 3, 16));  // Saturday -> Monday
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2026, 5, 24)),
            absl::Weekday::sunday);
  ExpectDeadline(Moving(Recipient::kCentral), P("2026-05"),
                 absl::CivilDay(2026, 5, 25));  // Sunday -> Monday
  // A working day stays: Thursday 19 March.
  ExpectDeadline(Moving(Recipient::kCity), P("2026-03"),
                 absl::CivilDay(2026, 3, 19));
  // 30 Apr (Thu) and 1 May (Fri) are holidays, then a weekend.
  v1::DeadlineConfig may;
  *may.mutable_annual() = Rule(1, 5);
  ExpectDeadline(Moving(Recipient::kCity, may), P("2026"),
                 absl::CivilDay(2026, 5, 4));
  // National Day, Wednesday 2 Sep.
  v1::DeadlineConfig september;
  *september.mutable_annual() = Rule(3, 9);
  ExpectDeadline(Moving(Recipient::kCity, september), P("2026"),
                 absl::CivilDay(2026, 9, 3));
}

TEST_F(MoveOffHolidaysTest, EveryMovedDeadlineIsTheNextWorkingDay) {
  for (const Edge& e : Edges()) {
    const EdgeCalendar fixed = Default(e.recipient, &holidays_);
    const EdgeCalendar moving = Moving(e.recipient);
    for (int m = 1; m <= 12; ++m) {
      const Period p{2026, PeriodType::kMonth, m};
      SCOPED_TRACE(absl::StrFormat("%s %s", e.name, p.Label()));
      const absl::CivilDay stated = fixed.LastOnTimeDay(p);
      const absl::CivilDay moved = moving.LastOnTimeDay(p);
      EXPECT_TRUE(holidays_.IsWorkingDay(moved));
      EXPECT_GE(moved, stated);
      for (absl::CivilDay d = stated; d < moved; ++d) {
        EXPECT_FALSE(holidays_.IsWorkingDay(d)) << d;
      }
      EXPECT_EQ(moving.Due(p, vn_), At(MidnightText(moved + 1)));
    }
  }
}

}  // namespace
}  // namespace tonghop
