#include "libs/catalog/target.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/base/decimal.h"

namespace tonghop {

absl::StatusOr<v1::Target> ParseTarget(absl::string_view text) {
  v1::Target t;
  if (text.empty()) return t;
  t.set_text(std::string(text));
  auto bound = [&](absl::string_view s) -> absl::StatusOr<int64_t> {
    auto v = ParseHundredths(s);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("target '", text, "': ", v.status().message()));
    }
    return *v;
  };
  size_t range = text.find("..");
  if (range != absl::string_view::npos) {
    auto lo = bound(text.substr(0, range));
    if (!lo.ok()) return lo.status();
    auto hi = bound(text.substr(range + 2));
    if (!hi.ok()) return hi.status();
    if (*lo > *hi) {
      return absl::InvalidArgumentError(absl::StrCat(
          "target '", text, "': the lower bound is above the upper"));
    }
    t.set_op(v1::Target::OP_RANGE);
    t.set_lower_hundredths(*lo);
    t.set_upper_hundredths(*hi);
    return t;
  }
  absl::string_view rest;
  if (absl::StartsWith(text, ">=")) {
    t.set_op(v1::Target::OP_GE);
    rest = text.substr(2);
  } else if (absl::StartsWith(text, "<=")) {
    t.set_op(v1::Target::OP_LE);
    rest = text.substr(2);
  } else if (absl::StartsWith(text, "=")) {
    t.set_op(v1::Target::OP_EQ);
    rest = text.substr(1);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("target '", text, "' is not =N, >=N, <=N or LOW..HIGH"));
  }
  auto v = bound(rest);
  if (!v.ok()) return v.status();
  t.set_lower_hundredths(*v);
  return t;
}

v1::TargetStatus JudgeTarget(v1::Measure measure, const v1::Value* value,
                             const v1::Target& target) {
  if (value == nullptr || value->kind_case() == v1::Value::KIND_NOT_SET) {
    return v1::TARGET_STATUS_NO_DATA;
  }
  if (value->has_ratio() && value->ratio().denominator() == 0)
    return v1::TARGET_STATUS_NO_DATA;
  if (!HasTarget(target)) return v1::TARGET_STATUS_NO_TARGET;
  // cmp(bound) < 0, == 0, > 0 as the exact value is below, at, above the bound.
  auto cmp = [&](int64_t bound) -> int {
    if (value->has_ratio()) {
      return ComparePercent(value->ratio().numerator(),
                            value->ratio().denominator(), bound);
    }
    __int128 v = value->has_number()
                     ? static_cast<__int128>(value->number()) * 100
                     : static_cast<__int128>(value->hundredths());
    return v < bound ? -1 : (v > bound ? 1 : 0);
  };
  bool met = false;
  switch (target.op()) {
    case v1::Target::OP_EQ:
      met = cmp(target.lower_hundredths()) == 0;
      break;
    case v1::Target::OP_GE:
    case v1::Target::OP_RANGE:
      met = cmp(target.lower_hundredths()) >= 0;
      break;
    case v1::Target::OP_LE:
      met = cmp(target.lower_hundredths()) <= 0;
      break;
    default:
      return v1::TARGET_STATUS_NO_TARGET;
  }
  return met ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET;
}

absl::string_view StatusName(v1::TargetStatus status) {
  switch (status) {
    case v1::TARGET_STATUS_MET:
      return "met";
    case v1::TARGET_STATUS_NOT_MET:
      return "not_met";
    case v1::TARGET_STATUS_NO_DATA:
      return "no_data";
    case v1::TARGET_STATUS_NO_TARGET:
      return "no_target";
    case v1::TARGET_STATUS_IN_PROGRESS:
      return "in_progress";
    default:
      return "unspecified";
  }
}

absl::string_view StatusLabelVi(v1::TargetStatus status) {
  switch (status) {
    case v1::TARGET_STATUS_MET:
      return "đạt";
    case v1::TARGET_STATUS_NOT_MET:
      return "chưa đạt";
    case v1::TARGET_STATUS_NO_DATA:
      return "chưa có số liệu";
    case v1::TARGET_STATUS_NO_TARGET:
      return "không có chỉ tiêu";
    case v1::TARGET_STATUS_IN_PROGRESS:
      return "đang thực hiện";
    default:
      return "";
  }
}

std::string DisplayValue(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kRatio: {
      auto pct = PercentHundredths(value.ratio().numerator(),
                                   value.ratio().denominator());
      return pct ? FormatHundredths(*pct) : "";
    }
    case v1::Value::kNumber:
      return absl::StrCat(value.number());
    case v1::Value::kHundredths:
      return FormatHundredths(value.hundredths());
    default:
      return "";
  }
}

}  // namespace tonghop
