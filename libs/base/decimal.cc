#include "libs/base/decimal.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tonghop {
namespace {

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status NotANumber(absl::string_view text, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not ", expected));
}

}  // namespace

absl::StatusOr<int64_t> ParseNonNegativeInt(absl::string_view text) {
  if (!text.empty() && text[0] == '-' && AllDigits(text.substr(1))) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is negative"));
  }
  if (!AllDigits(text)) return NotANumber(text, "a non-negative integer");
  int64_t value = 0;
  for (char c : text) {
    int digit = c - '0';
    if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' is too large"));
    }
    value = value * 10 + digit;
  }
  return value;
}

absl::StatusOr<int64_t> ParseHundredths(absl::string_view text,
                                        bool allow_negative) {
  absl::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && rest[0] == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  absl::string_view whole = rest, frac;
  size_t dot = rest.find('.');
  if (dot != absl::string_view::npos) {
    whole = rest.substr(0, dot);
    frac = rest.substr(dot + 1);
    if (!AllDigits(frac)) return NotANumber(text, "a decimal number");
    if (frac.size() > 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' has more than 2 decimal places"));
    }
  }
  if (!AllDigits(whole)) return NotANumber(text, "a decimal number");
  if (negative && !allow_negative) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is negative"));
  }
  auto units = ParseNonNegativeInt(whole);
  if (!units.ok() || *units > std::numeric_limits<int64_t>::max() / 100 - 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is too large"));
  }
  int64_t cents = 0;
  if (!frac.empty())
    cents = (frac[0] - '0') * 10 + (frac.size() > 1 ? frac[1] - '0' : 0);
  int64_t value = *units * 100 + cents;
  return negative ? -value : value;
}

std::string FormatHundredths(int64_t hundredths) {
  bool negative = hundredths < 0;
  // Work in unsigned to format INT64_MIN correctly.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(hundredths)
                                : static_cast<uint64_t>(hundredths);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100,
                         magnitude % 100);
}

std::optional<int64_t> PercentHundredths(int64_t numerator,
                                         int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  // round(n * 10000 / d) half up, in 128 bits so that no int64 input overflows.
  __int128 scaled = static_cast<__int128>(numerator) * 10000 * 2 + denominator;
  __int128 result = scaled / (static_cast<__int128>(denominator) * 2);
  if (result > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(result);
}

std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

int ComparePercent(int64_t numerator, int64_t denominator, int64_t hundredths) {
  // n/d*100 vs h/100  <=>  n*10000 vs h*d
  __int128 lhs = static_cast<__int128>(numerator) * 10000;
  __int128 rhs = static_cast<__int128>(hundredths) * denominator;
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}

}  // namespace tonghop
