// The reporting calendar of Decree 09/2019 and the seeds: each period's data
// window, each edge's deadlines, and the holiday list. Pure; civil dates are
// Asia/Ho_Chi_Minh dates. Thread-compatible (immutable after construction).
#ifndef TONGHOP_LIBS_CALENDAR_CALENDAR_H_
#define TONGHOP_LIBS_CALENDAR_CALENDAR_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/period.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

// The days a report covers (Decree 09): monthly, the 15th of the previous month
// to the 14th; quarterly, the 15th of the month before the quarter to the 14th
// of its last month; first half, 15 Dec (previous year) to 14 Jun; second half,
// 15 Jun to 14 Dec; nine months, 15 Dec to 14 Sep; annual, 15 Dec (previous
// year) to 14 Dec.
struct DataWindow {
  absl::CivilDay first;
  absl::CivilDay last;
  std::string Text() const;  // "2026-02-15..2026-03-14"
};
DataWindow WindowOf(const Period& period);

// The period whose reports close the year (December, Q4, H2, the year itself):
// where a cumulative indicator is judged against its annual target.
bool ClosesYear(const Period& period);

// Public holidays (weekends are implied). A list names the days of the years
// it covers (those with at least one day in it). For a year it does not
// cover, a non-empty list falls back to the holidays of fixed date in the
// Labour Code 2019, art. 112(1) — 1/1, 30/4, 1/5 and 2/9 — each with a day in
// lieu on the next working day when it falls on a weekend (art. 111(3)): not
// Tết nor Giỗ Tổ Hùng Vương (lunar dates), nor the day next to 2/9 and the
// Tết days the Prime Minister fixes each year (art. 112(3)), which only a list
// can give (Covers says which years it does). An empty list has no holidays
// at all.
class Holidays {
 public:
  // Parses a CSV with a `date` column (YYYY-MM-DD). INVALID_ARGUMENT naming the
  // line.
  static absl::StatusOr<Holidays> Load(absl::string_view csv);
  static absl::StatusOr<Holidays> LoadEmbedded();  // data/holidays-2026.csv
  bool IsHoliday(absl::CivilDay day) const;
  // Monday to Friday and not a holiday.
  bool IsWorkingDay(absl::CivilDay day) const;
  int size() const { return static_cast<int>(days_.size()); }
  // True when the list names days of `year` (its holidays are then the
  // list's, lunar ones included); false for a year it falls back on the
  // fixed dates for, and for any year of an empty list.
  bool Covers(int64_t year) const { return years_.count(year) > 0; }
  // The fixed-date holidays of `year` with their days in lieu (the fallback).
  static std::set<absl::CivilDay> FixedDates(int64_t year);

 private:
  std::set<absl::CivilDay> days_;
  std::set<int64_t> years_;  // the years days_ names
};

// Warnings for the people who run a node when `holidays` (a non-empty list)
// does not cover the year `now` falls in, or one it reaches within `ahead`
// (in `zone`): "holidays_file: no holidays listed for 2027: ...". Empty
// when it covers them all.
std::vector<std::string> HolidayWarnings(const Holidays& holidays,
                                         absl::Time now, absl::TimeZone zone,
                                         absl::Duration ahead);

// Who receives the reports on an edge; it sets the default deadlines.
enum class Recipient {
  kWard,  // units and offices -> ward (and a department's divisions): before
          // the 15th, annual 20/11 (seed 001)
  kCity,  // wards, communes, departments -> city: before the 20th, annual 30/11
          // (seed 002)
  kCentral,  // cities -> central: before the 25th, annual 10/12 (tonghop's
             // defaults)
};
v1::DeadlineConfig DefaultDeadlines(Recipient recipient);

// One edge's deadlines: the config's rules, with each unset rule taken from
// `defaults`, and quarterly, half-yearly and nine-month rules defaulting to the
// monthly day in the period's last month.
class EdgeCalendar {
 public:
  EdgeCalendar(const v1::DeadlineConfig& config,
               const v1::DeadlineConfig& defaults,
               const Holidays* holidays);  // `holidays` not owned; may be null

  // The last day on which a report of `period` is on time.
  absl::CivilDay LastOnTimeDay(const Period& period) const;
  // The first late instant: 00:00:00 Asia/Ho_Chi_Minh of the day after
  // LastOnTimeDay. A report is on time when its time is before it.
  absl::Time Due(const Period& period, absl::TimeZone zone) const;
  const v1::DeadlineConfig& rules() const { return rules_; }

 private:
  v1::DeadlineConfig rules_;
  const Holidays* holidays_;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CALENDAR_CALENDAR_H_
