// Tests of the Decree 09 data windows, ClosesYear, the holiday list and the
// independence of the calendar from the host's time zone. Deadlines are in
// calendar_deadline_test.cc.
#include "libs/calendar/calendar.h"

#include <stdlib.h>
#include <time.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/period.h"
#include "libs/calendar/zone.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

Period P(const std::string& label) {
  absl::StatusOr<Period> p = ParsePeriod(label);
  EXPECT_TRUE(p.ok()) << label << ": " << p.status();
  return p.ok() ? *p : Period{};
}

// Inclusive length of a window in days.
int Days(const DataWindow& w) { return static_cast<int>(w.last - w.first) + 1; }

struct WindowCase {
  const char* label;
  const char* text;
};

TEST(WindowOfTest, EveryMonthOf2026) {
  const std::vector<WindowCase> cases = {
      {"2026-01", "2025-12-15..2026-01-14"},
      {"2026-02", "2026-01-15..2026-02-14"},
      {"2026-03", "2026-02-15..2026-03-14"},
      {"2026-04", "2026-03-15..2026-04-14"},
      {"2026-05", "2026-04-15..2026-05-14"},
      {"2026-06", "2026-05-15..2026-06-14"},
      {"2026-07", "2026-06-15..2026-07-14"},
      {"2026-08", "2026-07-15..2026-08-14"},
      {"2026-09", "2026-08-15..2026-09-14"},
      {"2026-10", "2026-09-15..2026-10-14"},
      {"2026-11", "2026-10-15..2026-11-14"},
      {"2026-12", "2026-11-15..2026-12-14"},
  };
  for (const WindowCase& c : cases) {
    EXPECT_EQ(WindowOf(P(c.label)).Text(), c.text) << c.label;
  }
  const DataWindow march = WindowOf(P("2026-03"));
  EXPECT_EQ(march.first, absl::CivilDay(2026, 2, 15));
  EXPECT_EQ(march.last, absl::CivilDay(2026, 3, 14));
  const DataWindow january = WindowOf(P("2026-01"));
  EXPECT_EQ(january.first, absl::CivilDay(2025, 12, 15));
  EXPECT_EQ(january.last, absl::CivilDay(2026, 1, 14));
}

TEST(WindowOfTest, QuartersHalvesNineMonthsAndYear) {
  const std::vector<WindowCase> cases = {
      {"2026-Q1", "2025-12-15..2026-03-14"},
      {"2026-Q2", "2026-03-15..2026-06-14"},
      {"2026-Q3", "2026-06-15..2026-09-14"},
      {"2026-Q4", "2026-09-15..2026-12-14"},
      {"2026-H1", "2025-12-15..2026-06-14"},
      {"2026-H2", "2026-06-15..2026-12-14"},
      {"2026-9M", "2025-12-15..2026-09-14"},
      {"2026", "2025-12-15..2026-12-14"},
  };
  for (const WindowCase& c : cases) {
    EXPECT_EQ(WindowOf(P(c.label)).Text(), c.text) << c.label;
  }
  const DataWindow year = WindowOf(P("2026"));
  EXPECT_EQ(year.first, absl::CivilDay(2025, 12, 15));
  EXPECT_EQ(year.last, absl::CivilDay(2026, 12, 14));
  EXPECT_EQ(Days(year), 365);
}

TEST(WindowOfTest, ConsecutiveMonthsTileTheYear) {
  const DataWindow year = WindowOf(P("2026"));
  absl::CivilDay previous_last = year.first - 1;
  int total = 0;
  for (int m = 1; m <= 12; ++m) {
    const DataWindow w = WindowOf(Period{2026, PeriodType::kMonth, m});
    // No gap and no overlap: each window opens the day after the last closed.
    EXPECT_EQ(w.first, previous_last + 1) << "month " << m;
    EXPECT_LE(w.first, w.last) << "month " << m;
    EXPECT_EQ(w.first.day(), 15) << "month " << m;
    EXPECT_EQ(w.last.day(), 14) << "month " << m;
    EXPECT_EQ(w.last.month(), m) << "month " << m;
    total += Days(w);
    previous_last = w.last;
  }
  EXPECT_EQ(previous_last, year.last);
  EXPECT_EQ(total, Days(year));
}

TEST(WindowOfTest, LongerPeriodsAreUnionsOfTheirMonths) {
  auto month = [](int m) {
    return WindowOf(Period{2026, PeriodType::kMonth, m});
  };
  for (int q = 1; q <= 4; ++q) {
    const DataWindow w = WindowOf(Period{2026, PeriodType::kQuarter, q});
    EXPECT_EQ(w.first, month(3 * q - 2).first) << "Q" << q;
    EXPECT_EQ(w.last, month(3 * q).last) << "Q" << q;
  }
  for (int h = 1; h <= 2; ++h) {
    const DataWindow w = WindowOf(Period{2026, PeriodType::kHalfYear, h});
    EXPECT_EQ(w.first, month(6 * h - 5).first) << "H" << h;
    EXPECT_EQ(w.last, month(6 * h).last) << "H" << h;
  }
  const DataWindow nine = WindowOf(Period{2026, PeriodType::kNineMonths, 1});
  EXPECT_EQ(nine.first, month(1).first);
  EXPECT_EQ(nine.last, month(9).last);
  // H1 and H2 tile the year.
  EXPECT_EQ(WindowOf(P("2026-H2")).first, WindowOf(P("2026-H1")).last + 1);
}

TEST(DataWindowTest, TextIsZeroPaddedIsoDates) {
  EXPECT_EQ(
      (DataWindow{absl::CivilDay(2026, 2, 15), absl::CivilDay(2026, 3, 14)}
           .Text()),
      "2026-02-15..2026-03-14");
  EXPECT_EQ((DataWindow{absl::CivilDay(2026, 1, 5), absl::CivilDay(2026, 1, 9)}
                 .Text()),
            "2026-01-05..2026-01-09");
}

TEST(WindowOfTest, LeapDay2028) {
  const DataWindow march = WindowOf(P("2028-03"));
  EXPECT_EQ(march.Text(), "2028-02-15..2028-03-14");
  EXPECT_LE(march.first, absl::CivilDay(2028, 2, 29));
  EXPECT_GE(march.last, absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(Days(march), 29);  // 15 days of February + 14 of March
  EXPECT_EQ(Days(WindowOf(P("2026-03"))), 28);  // not a leap year
  EXPECT_EQ(WindowOf(P("2028-02")).Text(), "2028-01-15..2028-02-14");
  EXPECT_EQ(WindowOf(P("2028-Q1")).Text(), "2027-12-15..2028-03-14");
  EXPECT_EQ(WindowOf(P("2028")).Text(), "2027-12-15..2028-12-14");
  EXPECT_EQ(Days(WindowOf(P("2028"))), 366);
}

TEST(ClosesYearTest, OnlyThePeriodsEndingInDecember) {
  for (const char* label : {"2026-12", "2026-Q4", "2026-H2", "2026"}) {
    EXPECT_TRUE(ClosesYear(P(label))) << label;
  }
  for (const char* label :
       {"2026-01", "2026-06", "2026-09", "2026-11", "2026-Q1", "2026-Q2",
        "2026-Q3", "2026-H1", "2026-9M"}) {
    EXPECT_FALSE(ClosesYear(P(label))) << label;
  }
}

// The rows of data/holidays-2026.csv (checked by hand against the file).
std::vector<absl::CivilDay> CsvHolidays() {
  const int month_days[][2] = {{1, 1},  {2, 14}, {2, 15}, {2, 16}, {2, 17},
                               {2, 18}, {2, 19}, {2, 20}, {2, 21}, {2, 22},
                               {4, 27}, {4, 30}, {5, 1},  {9, 2}};
  std::vector<absl::CivilDay> days;
  for (const auto& md : month_days) days.emplace_back(2026, md[0], md[1]);
  return days;
}

TEST(HolidaysTest, EmbeddedHasTheRowsOfTheCsv) {
  absl::StatusOr<Holidays> h = Holidays::LoadEmbedded();
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->size(), static_cast<int>(CsvHolidays().size()));
  for (absl::CivilDay day : CsvHolidays()) {
    EXPECT_TRUE(h->IsHoliday(day)) << day;
    EXPECT_FALSE(h->IsWorkingDay(day)) << day;
  }
  // Days next to holidays, and Hung Kings' day itself (a Sunday, compensated
  // on Monday 27/4), are not listed.
  for (absl::CivilDay day :
       {absl::CivilDay(2026, 1, 2), absl::CivilDay(2026, 2, 13),
        absl::CivilDay(2026, 2, 23), absl::CivilDay(2026, 4, 26),
        absl::CivilDay(2026, 9, 1), absl::CivilDay(2026, 9, 3)}) {
    EXPECT_FALSE(h->IsHoliday(day)) << day;
  }
}

TEST(HolidaysTest, HolidaysWeekendsAndWeekdays) {
  absl::StatusOr<Holidays> h = Holidays::LoadEmbedded();
  ASSERT_TRUE(h.ok()) << h.status();
  const absl::CivilDay tet(2026, 2, 16);  // a Monday inside Tết
  ASSERT_EQ(absl::GetWeekday(tet), absl::Weekday::monday);
  EXPECT_TRUE(h->IsHoliday(tet));
  EXPECT_FALSE(h->IsWorkingDay(tet));

  const absl::CivilDay saturday(2026, 3, 7);
  ASSERT_EQ(absl::GetWeekday(saturday), absl::Weekday::saturday);
  EXPECT_FALSE(h->IsHoliday(saturday));  // weekends are implied, not listed
  EXPECT_FALSE(h->IsWorkingDay(saturday));
  EXPECT_FALSE(h->IsWorkingDay(saturday + 1));  // Sunday

  const absl::CivilDay tuesday(2026, 3, 10);
  ASSERT_EQ(absl::GetWeekday(tuesday), absl::Weekday::tuesday);
  EXPECT_FALSE(h->IsHoliday(tuesday));
  EXPECT_TRUE(h->IsWorkingDay(tuesday));
  // The first working day after Tết.
  EXPECT_TRUE(h->IsWorkingDay(absl::CivilDay(2026, 2, 23)));
}

// A year the list does not cover (the embedded one covers 2026) falls back
// on the fixed dates of the Labour Code, with a day in lieu for one on a
// weekend; the list stays the word for the year it covers, and an empty list
// has none.
TEST(HolidaysTest, AYearWithoutAListFallsBackOnTheFixedDates) {
  absl::StatusOr<Holidays> h = Holidays::LoadEmbedded();
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TRUE(h->Covers(2026));
  EXPECT_FALSE(h->Covers(2027));
  // 2027: 1/1 a Friday, 30/4 a Friday, 1/5 a Saturday (in lieu Monday 3/5),
  // 2/9 a Thursday.
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2027, 5, 1)),
            absl::Weekday::saturday);
  for (absl::CivilDay day :
       {absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 4, 30),
        absl::CivilDay(2027, 5, 1), absl::CivilDay(2027, 5, 3),
        absl::CivilDay(2027, 9, 2)}) {
    EXPECT_TRUE(h->IsHoliday(day)) << day;
    EXPECT_FALSE(h->IsWorkingDay(day)) << day;
  }
  for (absl::CivilDay day :
       {absl::CivilDay(2027, 1, 4), absl::CivilDay(2027, 5, 4),
        absl::CivilDay(2027, 9, 3), absl::CivilDay(2027, 2, 8)}) {
    EXPECT_TRUE(h->IsWorkingDay(day)) << day;  // Tết 2027 needs a list
  }
  // 2022: 30/4 and 1/5 on a weekend, in lieu on Monday and Tuesday.
  EXPECT_EQ(Holidays::FixedDates(2022),
            (std::set<absl::CivilDay>{
                absl::CivilDay(2022, 1, 1), absl::CivilDay(2022, 1, 3),
                absl::CivilDay(2022, 4, 30), absl::CivilDay(2022, 5, 1),
                absl::CivilDay(2022, 5, 2), absl::CivilDay(2022, 5, 3),
                absl::CivilDay(2022, 9, 2)}));
  // The list rules the year it covers: 2/9/2026 is listed, 1/9 and 3/9 are
  // not (the adjacent day is announced each year).
  EXPECT_TRUE(h->IsHoliday(absl::CivilDay(2026, 9, 2)));
  EXPECT_FALSE(h->IsHoliday(absl::CivilDay(2026, 9, 3)));
  // 2023: 1/1 a Sunday (in lieu Monday 2/1); 30/4 a Sunday and 1/5 a Monday,
  // so 30/4's day in lieu is Tuesday 2/5; 2/9 a Saturday (Monday 4/9).
  EXPECT_EQ(Holidays::FixedDates(2023),
            (std::set<absl::CivilDay>{
                absl::CivilDay(2023, 1, 1), absl::CivilDay(2023, 1, 2),
                absl::CivilDay(2023, 4, 30), absl::CivilDay(2023, 5, 1),
                absl::CivilDay(2023, 5, 2), absl::CivilDay(2023, 9, 2),
                absl::CivilDay(2023, 9, 4)}));
  // A list that names a day of a year is the whole word for that year: one
  // naming only a Tết day of 2027 leaves 1/1/2027 a working day.
  absl::StatusOr<Holidays> tet_only = Holidays::Load("date\n2027-02-08\n");
  ASSERT_TRUE(tet_only.ok()) << tet_only.status();
  EXPECT_TRUE(tet_only->IsHoliday(absl::CivilDay(2027, 2, 8)));
  EXPECT_FALSE(tet_only->IsHoliday(absl::CivilDay(2027, 1, 1)));
  EXPECT_TRUE(tet_only->IsHoliday(absl::CivilDay(2028, 5, 1)));  // fallback
  // An empty list has no holidays, any year.
  EXPECT_FALSE(Holidays().IsHoliday(absl::CivilDay(2027, 1, 1)));
  EXPECT_FALSE(Holidays().Covers(2026));
}

TEST(HolidaysTest, WarnsOfAYearWithoutAListInTimeAndNotOtherwise) {
  absl::StatusOr<Holidays> h = Holidays::LoadEmbedded();
  ASSERT_TRUE(h.ok()) << h.status();
  const absl::TimeZone vn = absl::FixedTimeZone(7 * 3600);
  const absl::Duration ahead = absl::Hours(24 * 45);
  auto at = [&](int y, int m, int d) {
    return absl::FromCivil(absl::CivilDay(y, m, d), vn);
  };
  // Mid-2026: covered, nothing to say.
  EXPECT_TRUE(HolidayWarnings(*h, at(2026, 6, 1), vn, ahead).empty());
  // 3 December 2026: 2027 starts within 45 days.
  std::vector<std::string> w = HolidayWarnings(*h, at(2026, 12, 3), vn, ahead);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_THAT(w[0], HasSubstr("holidays_file: no holidays listed for 2027"));
  EXPECT_THAT(w[0], HasSubstr("not Tết"));
  // In 2027 itself; and a list of 2026 and 2027 is quiet then.
  EXPECT_EQ(HolidayWarnings(*h, at(2027, 3, 1), vn, ahead).size(), 1u);
  absl::StatusOr<Holidays> both =
      Holidays::Load("date\n2026-01-01\n2027-01-01\n");
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_TRUE(HolidayWarnings(*both, at(2026, 12, 3), vn, ahead).empty());
  // An empty list (no holidays wanted) is not warned about.
  EXPECT_TRUE(HolidayWarnings(Holidays(), at(2026, 12, 3), vn, ahead).empty());
}

TEST(HolidaysTest, LoadParsesQuotedFieldsBomAndCrlf) {
  absl::StatusOr<Holidays> h = Holidays::Load(
      "\xEF\xBB\xBF"
      "date,name_vi,source\r\n"
      "2026-01-01,Tết Dương lịch,\"Labour Code, art. 112\"\r\n"
      "2026-09-02,Quốc khánh,x\r\n");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->size(), 2);
  EXPECT_TRUE(h->IsHoliday(absl::CivilDay(2026, 9, 2)));
  absl::StatusOr<Holidays> empty = Holidays::Load("date\n");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->size(), 0);
}

TEST(HolidaysTest, LoadRefusesABadDateNamingTheLine) {
  for (const char* bad :
       {"2026-13-01", "2026-02-30", "01/02/2026", "tomorrow", ""}) {
    const std::string csv =
        std::string("date,name_vi\n2026-01-01,a\n") + bad + ",b\n";
    absl::StatusOr<Holidays> h = Holidays::Load(csv);
    ASSERT_FALSE(h.ok()) << bad;
    EXPECT_EQ(h.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(h.status().message(), HasSubstr("line 3")) << bad;
    EXPECT_THAT(h.status().message(), HasSubstr(std::string("'") + bad + "'"))
        << bad;
  }
  EXPECT_EQ(Holidays::Load("day,name\n2026-01-01,a\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Restores the process's TZ when it goes out of scope.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = getenv("TZ")) saved_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTz() {
    if (saved_.has_value()) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

TEST(HostTimeZoneTest, SetenvTzDoesNotChangeDueOrFormatting) {
  absl::StatusOr<absl::TimeZone> vn = VietnamZone();
  ASSERT_TRUE(vn.ok()) << vn.status();
  const EdgeCalendar city(v1::DeadlineConfig(),
                          DefaultDeadlines(Recipient::kCity), nullptr);
  const EdgeCalendar ward(v1::DeadlineConfig(),
                          DefaultDeadlines(Recipient::kWard), nullptr);
  const Period march = P("2026-03");
  const Period year = P("2026");
  const absl::Time city_due = city.Due(march, *vn);
  const absl::Time ward_due = ward.Due(year, *vn);
  const std::string city_text = FormatVietnamTime(city_due);
  EXPECT_EQ(city_text, "2026-03-20T00:00:00+07:00");
  EXPECT_EQ(FormatVietnamTime(ward_due), "2026-11-20T00:00:00+07:00");

  ScopedTz new_york("America/New_York");
  // The host's local time really is different now: 2026-03-20 00:00 in
  // Vietnam is 13:00 the day before in New York (17:00 should the host lack
  // the zone and fall back to UTC); never midnight.
  const time_t t = absl::ToTimeT(city_due);
  struct tm local;
  ASSERT_NE(localtime_r(&t, &local), nullptr);
  EXPECT_NE(local.tm_hour, 0);

  absl::StatusOr<absl::TimeZone> vn_again = VietnamZone();
  ASSERT_TRUE(vn_again.ok()) << vn_again.status();
  absl::TimeZone fresh;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Ho_Chi_Minh", &fresh));
  EXPECT_EQ(city.Due(march, *vn_again), city_due);
  EXPECT_EQ(city.Due(march, fresh), city_due);
  EXPECT_EQ(ward.Due(year, *vn_again), ward_due);
  EXPECT_EQ(FormatVietnamTime(city_due), city_text);
  EXPECT_EQ(FormatVietnamTime(city.Due(march, *vn_again)),
            "2026-03-20T00:00:00+07:00");
  EXPECT_EQ(FormatVietnamTime(ward.Due(year, fresh)),
            "2026-11-20T00:00:00+07:00");
  EXPECT_EQ(city.LastOnTimeDay(march), absl::CivilDay(2026, 3, 19));
  absl::StatusOr<absl::Time> parsed = ParseRfc3339("2026-03-20T00:00:00+07:00");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, city_due);
}

}  // namespace
}  // namespace tonghop
