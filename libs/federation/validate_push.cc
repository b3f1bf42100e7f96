#include "libs/federation/validate_push.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace tonghop {
namespace {

absl::Status CheckValue(const v1::Value& value, const v1::Indicator& ind,
                        absl::string_view where) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".value: ", why));
  };
  switch (value.kind_case()) {
    case v1::Value::KIND_NOT_SET:
      return absl::OkStatus();  // no data
    case v1::Value::kRatio: {
      if (ind.measure() != v1::MEASURE_RATIO) return bad("a ratio for a non-ratio indicator");
      const v1::Ratio& r = value.ratio();
      if (r.numerator() < 0 || r.denominator() < 0) return bad("a negative part");
      if (r.numerator() > r.denominator()) return bad("numerator greater than denominator");
      return absl::OkStatus();
    }
    case v1::Value::kNumber:
      if (ind.measure() != v1::MEASURE_COUNT && ind.measure() != v1::MEASURE_RANK) {
        return bad("a number for an indicator that is not a count or rank");
      }
      if (value.number() < 0) return bad("negative");
      return absl::OkStatus();
    case v1::Value::kHundredths:
      if (ind.measure() != v1::MEASURE_INDEX) return bad("a decimal for a non-index indicator");
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Period> ValidatePush(const Catalog& catalog, const Unit& child,
                                    const v1::PushRequest& request) {
  auto period = ParsePeriod(request.period());
  if (!period.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("period: ", period.status().message()));
  }
  if (request.revision() <= 0) return absl::InvalidArgumentError("revision: must be positive");
  std::set<std::string> seen;
  for (int i = 0; i < request.values_size(); ++i) {
    const v1::ConsolidatedValue& v = request.values(i);
    std::string where = absl::StrCat("values[", i, "] (", v.indicator(), ")");
    const v1::Indicator* ind = catalog.Find(v.indicator());
    if (ind == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".indicator: not in the catalog"));
    }
    if (!seen.insert(v.indicator()).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".indicator: given twice"));
    }
    if (ind->frequency() != period->frequency()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ".indicator: not of period ", period->Label(), "'s frequency"));
    }
    if (!catalog.OwesInSubtree(child, *ind)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".indicator: not owed by ", child.code));
    }
    absl::Status s = CheckValue(v.value(), *ind, where);
    if (!s.ok()) return s;
    if (v.reported() < 0 || v.expected() < 0 || v.reported() > v.expected()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".reported: ", v.reported(),
                                                     " is not within 0..expected ", v.expected()));
    }
    if (v.communes_reported() < 0 || v.communes_expected() < 0 ||
        v.communes_reported() > v.communes_expected()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".communes_reported: ", v.communes_reported(),
                       " is not within 0..communes_expected ", v.communes_expected()));
    }
  }
  return *period;
}

}  // namespace tonghop
