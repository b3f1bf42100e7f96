// Exact decimal arithmetic for reported values: integers and hundredths, never
// floating point.
#ifndef TONGHOP_LIBS_BASE_DECIMAL_H_
#define TONGHOP_LIBS_BASE_DECIMAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tonghop {

// Parses a non-negative integer written in plain digits ("0", "1234").
// INVALID_ARGUMENT for signs, spaces, exponents, fractions, text ("NaN") or a
// value above int64's range.
absl::StatusOr<int64_t> ParseNonNegativeInt(absl::string_view text);

// Parses a decimal with at most 2 fractional digits ("87", "87.5", "87.25")
// into hundredths. Negative values are allowed only when `allow_negative`.
// INVALID_ARGUMENT otherwise.
absl::StatusOr<int64_t> ParseHundredths(absl::string_view text,
                                        bool allow_negative = false);

// Formats hundredths as a decimal with exactly 2 fractional digits: 8725 ->
// "87.25".
std::string FormatHundredths(int64_t hundredths);

// numerator / denominator as a percentage in hundredths, rounded half up
// (19999/25000 -> 8000, i.e. 80.00%). nullopt when denominator is 0. Requires
// non-negative inputs.
std::optional<int64_t> PercentHundredths(int64_t numerator,
                                         int64_t denominator);

// a + b, or nullopt when it would overflow int64.
std::optional<int64_t> CheckedAdd(int64_t a, int64_t b);

// Compares numerator/denominator * 100 (a percentage) with hundredths/100
// exactly: returns <0, 0, >0. Requires denominator > 0 and non-negative
// numerator.
int ComparePercent(int64_t numerator, int64_t denominator, int64_t hundredths);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_DECIMAL_H_
