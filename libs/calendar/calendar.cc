#include "libs/calendar/calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "data/embedded.h"
#include "libs/base/csv.h"

namespace tonghop {
namespace {

int LastMonth(const Period& p) {
  switch (p.type) {
    case PeriodType::kMonth:
      return p.index;
    case PeriodType::kQuarter:
      return p.index * 3;
    case PeriodType::kHalfYear:
      return p.index * 6;
    case PeriodType::kNineMonths:
      return 9;
    case PeriodType::kYear:
      return 12;
  }
  return 12;
}

int DaysInMonth(int year, int month) {
  absl::CivilMonth m(year, month);
  return static_cast<int>(absl::CivilDay(m + 1) - absl::CivilDay(m));
}

v1::Deadline Rule(int day, int month) {
  v1::Deadline d;
  d.set_day(day);
  d.set_month(month);
  return d;
}

}  // namespace

std::string DataWindow::Text() const {
  return absl::StrFormat("%04d-%02d-%02d..%04d-%02d-%02d", first.year(),
                         first.month(), first.day(), last.year(), last.month(),
                         last.day());
}

DataWindow WindowOf(const Period& p) {
  const int last_month = LastMonth(p);
  int first_month;  // the month whose 15th opens the window (may be 0: December
                    // before)
  switch (p.type) {
    case PeriodType::kMonth:
      first_month = p.index - 1;
      break;
    case PeriodType::kQuarter:
      first_month = (p.index - 1) * 3;
      break;
    case PeriodType::kHalfYear:
      first_month = p.index == 1 ? 0 : 6;
      break;
    default:  // nine months, year: from 15 December of the previous year
      first_month = 0;
      break;
  }
  absl::CivilDay first =
      absl::CivilDay(absl::CivilMonth(p.year, 1) + (first_month - 1)) + 14;
  absl::CivilDay last(p.year, last_month, 14);
  return DataWindow{first, last};
}

bool ClosesYear(const Period& p) {
  return LastMonth(p) == 12 && p.type != PeriodType::kNineMonths;
}

absl::StatusOr<Holidays> Holidays::Load(absl::string_view csv) {
  auto table = CsvTable::Parse(csv, "holidays.csv", {"date"});
  if (!table.ok()) return table.status();
  Holidays h;
  for (int i = 0; i < table->size(); ++i) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(table->Get(i, "date"), &day)) {
      return absl::InvalidArgumentError(
          absl::StrCat("holidays.csv: line ", table->line(i), ": date '",
                       table->Get(i, "date"), "' is not YYYY-MM-DD"));
    }
    h.days_.insert(day);
    h.years_.insert(day.year());
  }
  return h;
}

std::set<absl::CivilDay> Holidays::FixedDates(int64_t year) {
  const std::set<absl::CivilDay> fixed = {
      absl::CivilDay(year, 1, 1), absl::CivilDay(year, 4, 30),
      absl::CivilDay(year, 5, 1), absl::CivilDay(year, 9, 2)};
  auto weekend = [](absl::CivilDay d) {
    const absl::Weekday w = absl::GetWeekday(d);
    return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
  };
  std::set<absl::CivilDay> days = fixed;
  for (const absl::CivilDay& d : fixed) {  // in date order
    if (!weekend(d)) continue;
    absl::CivilDay in_lieu = d + 1;
    while (weekend(in_lieu) || days.count(in_lieu) > 0) ++in_lieu;
    days.insert(in_lieu);
  }
  return days;
}

std::vector<std::string> HolidayWarnings(const Holidays& holidays,
                                         absl::Time now, absl::TimeZone zone,
                                         absl::Duration ahead) {
  std::vector<std::string> out;
  if (holidays.size() == 0) return out;
  const int64_t first = absl::ToCivilYear(now, zone).year();
  const int64_t last = absl::ToCivilYear(now + ahead, zone).year();
  for (int64_t year = first; year <= last; ++year) {
    if (holidays.Covers(year)) continue;
    out.push_back(absl::StrCat(
        "holidays_file: no holidays listed for ", year,
        ": only 1/1, 30/4, 1/5 and 2/9 (with a day in lieu for one on a "
        "weekend) count as holidays then, not Tết, Giỗ Tổ Hùng Vương nor the "
        "days the Prime Minister fixes each year (the day next to 2/9, the "
        "Tết break), so reminders may go out on them and "
        "deadlines that move off holidays will not; give the config's "
        "holidays_file a list with ",
        year, "'s days (the columns of data/holidays-2026.csv) and restart"));
  }
  return out;
}

bool Holidays::IsHoliday(absl::CivilDay day) const {
  if (years_.empty() || Covers(day.year())) return days_.count(day) > 0;
  return FixedDates(day.year()).count(day) > 0;
}

absl::StatusOr<Holidays> Holidays::LoadEmbedded() {
  return Load(data::HolidaysCsv());
}

bool Holidays::IsWorkingDay(absl::CivilDay day) const {
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday &&
         !IsHoliday(day);
}

v1::DeadlineConfig DefaultDeadlines(Recipient recipient) {
  v1::DeadlineConfig c;
  switch (recipient) {
    case Recipient::kWard:
      *c.mutable_monthly() = Rule(15, 0);
      *c.mutable_annual() = Rule(20, 11);
      break;
    case Recipient::kCity:
      *c.mutable_monthly() = Rule(20, 0);
      *c.mutable_annual() = Rule(30, 11);
      break;
    case Recipient::kCentral:
      *c.mutable_monthly() = Rule(25, 0);
      *c.mutable_annual() = Rule(10, 12);
      break;
  }
  return c;
}

EdgeCalendar::EdgeCalendar(const v1::DeadlineConfig& config,
                           const v1::DeadlineConfig& defaults,
                           const Holidays* holidays)
    : rules_(config), holidays_(holidays) {
  auto pick = [](const v1::Deadline& mine, const v1::Deadline& fallback) {
    return mine.day() > 0 ? mine : fallback;
  };
  *rules_.mutable_monthly() = pick(config.monthly(), defaults.monthly());
  *rules_.mutable_annual() = pick(config.annual(), defaults.annual());
  // The seeds give no day for these: the edge's monthly day in the period's
  // last month.
  v1::Deadline monthly_day = Rule(rules_.monthly().day(), 0);
  *rules_.mutable_quarterly() =
      pick(config.quarterly(), pick(defaults.quarterly(), monthly_day));
  *rules_.mutable_half_yearly() =
      pick(config.half_yearly(), pick(defaults.half_yearly(), monthly_day));
  *rules_.mutable_nine_months() =
      pick(config.nine_months(), pick(defaults.nine_months(), monthly_day));
}

absl::CivilDay EdgeCalendar::LastOnTimeDay(const Period& p) const {
  const v1::Deadline* rule;
  switch (p.type) {
    case PeriodType::kMonth:
      rule = &rules_.monthly();
      break;
    case PeriodType::kQuarter:
      rule = &rules_.quarterly();
      break;
    case PeriodType::kHalfYear:
      rule = &rules_.half_yearly();
      break;
    case PeriodType::kNineMonths:
      rule = &rules_.nine_months();
      break;
    default:
      rule = &rules_.annual();
      break;
  }
  int month = rule->month() > 0 ? rule->month() : LastMonth(p);
  int day = std::clamp(rule->day(), 1, DaysInMonth(p.year, month) + 1);
  // "Before day D": D - 1 is the last on-time day.
  absl::CivilDay last = absl::CivilDay(p.year, month, 1) + (day - 2);
  if (rules_.move_off_holidays()) {
    static const Holidays* const kNoHolidays = new Holidays;
    const Holidays& h = holidays_ != nullptr ? *holidays_ : *kNoHolidays;
    for (int i = 0; i < 60 && !h.IsWorkingDay(last); ++i)
      ++last;  // weekends at least
  }
  return last;
}

absl::Time EdgeCalendar::Due(const Period& p, absl::TimeZone zone) const {
  return absl::FromCivil(absl::CivilSecond(LastOnTimeDay(p) + 1), zone);
}

}  // namespace tonghop
