#include "libs/calendar/period.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tonghop {
namespace {

bool Digits(absl::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status BadPeriod(absl::string_view label) {
  return absl::InvalidArgumentError(absl::StrCat(
      "period '", label,
      "' is not a period label (2026-03, 2026-Q1, 2026-H1, 2026-9M or 2026)"));
}

}  // namespace

std::string Period::Label() const {
  switch (type) {
    case PeriodType::kMonth:
      return absl::StrFormat("%04d-%02d", year, index);
    case PeriodType::kQuarter:
      return absl::StrFormat("%04d-Q%d", year, index);
    case PeriodType::kHalfYear:
      return absl::StrFormat("%04d-H%d", year, index);
    case PeriodType::kNineMonths:
      return absl::StrFormat("%04d-9M", year);
    case PeriodType::kYear:
      return absl::StrFormat("%04d", year);
  }
  return "";
}

std::string Period::NameVi() const {
  static constexpr const char* kRoman[] = {"I", "II", "III", "IV"};
  switch (type) {
    case PeriodType::kMonth:
      return absl::StrFormat("tháng %d/%04d", index, year);
    case PeriodType::kQuarter:
      return absl::StrFormat("quý %s/%04d",
                             index >= 1 && index <= 4 ? kRoman[index - 1] : "?",
                             year);
    case PeriodType::kHalfYear:
      return absl::StrFormat("6 tháng %s năm %04d", index == 1 ? "đầu" : "cuối",
                             year);
    case PeriodType::kNineMonths:
      return absl::StrFormat("9 tháng năm %04d", year);
    case PeriodType::kYear:
      return absl::StrFormat("năm %04d", year);
  }
  return Label();
}

v1::Frequency Period::frequency() const {
  switch (type) {
    case PeriodType::kMonth:
      return v1::FREQUENCY_MONTHLY;
    case PeriodType::kQuarter:
      return v1::FREQUENCY_QUARTERLY;
    case PeriodType::kHalfYear:
      return v1::FREQUENCY_HALF_YEARLY;
    case PeriodType::kNineMonths:
      return v1::FREQUENCY_NINE_MONTHS;
    case PeriodType::kYear:
      return v1::FREQUENCY_ANNUAL;
  }
  return v1::FREQUENCY_UNSPECIFIED;
}

absl::StatusOr<Period> ParsePeriod(absl::string_view label) {
  if (label.size() < 4 || !Digits(label.substr(0, 4), 4) ||
      (label.size() > 4 && label[4] != '-')) {
    return BadPeriod(label);  // "99999" is not a year 9999 of something
  }
  Period p;
  absl::SimpleAtoi(label.substr(0, 4), &p.year);
  if (p.year < 2000 || p.year > 2999) {
    return absl::InvalidArgumentError(
        absl::StrCat("period '", label, "': year ", p.year,
                     " is not between 2000 and 2999"));
  }
  if (label.size() == 4) {
    p.type = PeriodType::kYear;
    return p;
  }
  absl::string_view rest = label.substr(5);
  if (Digits(rest, 2)) {
    p.type = PeriodType::kMonth;
    absl::SimpleAtoi(rest, &p.index);
    if (p.index < 1 || p.index > 12) {
      return absl::InvalidArgumentError(absl::StrCat(
          "period '", label, "': month ", rest, " is not between 01 and 12"));
    }
    return p;
  }
  if (rest == "9M") {
    p.type = PeriodType::kNineMonths;
    return p;
  }
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'H') &&
      Digits(rest.substr(1), 1)) {
    p.type = rest[0] == 'Q' ? PeriodType::kQuarter : PeriodType::kHalfYear;
    p.index = rest[1] - '0';
    int max = rest[0] == 'Q' ? 4 : 2;
    if (p.index < 1 || p.index > max) return BadPeriod(label);
    return p;
  }
  return BadPeriod(label);
}

absl::StatusOr<Period> ParsePeriodField(absl::string_view label,
                                        absl::string_view field) {
  if (label.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  auto period = ParsePeriod(label);
  if (!period.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", period.status().message()));
  }
  return period;
}

Period NextPeriod(const Period& p) {
  int per_year = 1;
  switch (p.type) {
    case PeriodType::kMonth:
      per_year = 12;
      break;
    case PeriodType::kQuarter:
      per_year = 4;
      break;
    case PeriodType::kHalfYear:
      per_year = 2;
      break;
    case PeriodType::kNineMonths:
    case PeriodType::kYear:
      break;
  }
  Period next = p;
  if (p.index < per_year) {
    ++next.index;
  } else {
    ++next.year;
    next.index = 1;
  }
  return next;
}

absl::string_view FrequencyName(v1::Frequency f) {
  switch (f) {
    case v1::FREQUENCY_MONTHLY:
      return "monthly";
    case v1::FREQUENCY_QUARTERLY:
      return "quarterly";
    case v1::FREQUENCY_HALF_YEARLY:
      return "half_yearly";
    case v1::FREQUENCY_NINE_MONTHS:
      return "nine_months";
    case v1::FREQUENCY_ANNUAL:
      return "annual";
    default:
      return "unspecified";
  }
}

}  // namespace tonghop
