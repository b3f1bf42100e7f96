// Reporting periods and their labels: "2026-03" (month), "2026-Q1" (quarter),
// "2026-H1" / "2026-H2" (half year), "2026-9M" (nine months), "2026" (year).
// Pure, thread-compatible.
#ifndef TONGHOP_LIBS_CALENDAR_PERIOD_H_
#define TONGHOP_LIBS_CALENDAR_PERIOD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tonghop/v1/catalog.pb.h"

namespace tonghop {

enum class PeriodType { kMonth, kQuarter, kHalfYear, kNineMonths, kYear };

struct Period {
  int year = 0;
  PeriodType type = PeriodType::kMonth;
  int index =
      1;  // month 1-12, quarter 1-4, half 1-2; 1 for nine months and year

  // The canonical label, e.g. "2026-03".
  std::string Label() const;
  // As a Vietnamese official writes it after "báo cáo": "tháng 3/2026",
  // "quý I/2026", "6 tháng đầu năm 2026" / "6 tháng cuối năm 2026",
  // "9 tháng năm 2026", "năm 2026".
  std::string NameVi() const;
  // The indicator frequency whose values a report for this period carries.
  v1::Frequency frequency() const;

  friend bool operator==(const Period& a, const Period& b) {
    return a.year == b.year && a.type == b.type && a.index == b.index;
  }
};

// Parses a label. INVALID_ARGUMENT naming the label for anything else
// ("2026-13", "2026-3", "26-03", "2026-Q5"). Years 2000-2999 are accepted.
absl::StatusOr<Period> ParsePeriod(absl::string_view label);

// ParsePeriod for a request's `period` field: INVALID_ARGUMENT "period:
// required" when empty, "period: <why>" when malformed. With `field`, that
// name instead of "period" ("first_period: required").
absl::StatusOr<Period> ParsePeriodField(absl::string_view label,
                                        absl::string_view field = "period");

// The period of the same kind that follows `p`: the next month, quarter or
// half year (2026-12 -> 2027-01, 2026-H2 -> 2027-H1), the next year's nine
// months or year.
Period NextPeriod(const Period& p);

// "monthly", "quarterly", "half_yearly", "nine_months", "annual".
absl::string_view FrequencyName(v1::Frequency f);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CALENDAR_PERIOD_H_
