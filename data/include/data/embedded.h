// The reference data files of data/, compiled in. Each returns the file's exact
// bytes (UTF-8).
#ifndef TONGHOP_DATA_EMBEDDED_H_
#define TONGHOP_DATA_EMBEDDED_H_

#include "absl/strings/string_view.h"

namespace tonghop::data {

absl::string_view IndicatorsCsv();   // data/indicators.csv
absl::string_view AdminUnitsCsv();   // data/admin-units-2025.csv
absl::string_view DepartmentsCsv();  // data/departments.csv
absl::string_view HolidaysCsv();     // data/holidays-2026.csv

}  // namespace tonghop::data

#endif  // TONGHOP_DATA_EMBEDDED_H_
