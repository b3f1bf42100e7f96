#include "libs/rollup/rollup.h"

#include "absl/strings/str_cat.h"
#include "libs/base/decimal.h"
#include "libs/calendar/calendar.h"
#include "libs/catalog/target.h"

namespace tonghop {
namespace {

absl::Status Overflow(const v1::Indicator& ind, absl::string_view what) {
  return absl::OutOfRangeError(absl::StrCat(ind.code(), ": the sum of ", what,
                                            " would exceed the int64 range"));
}

}  // namespace

v1::TargetStatus JudgeIndicator(const v1::Indicator& indicator,
                                const Period& period, const v1::Value* value,
                                const v1::Target& target) {
  v1::TargetStatus status = JudgeTarget(indicator.measure(), value, target);
  if (indicator.cumulative() && !ClosesYear(period) &&
      (status == v1::TARGET_STATUS_MET ||
       status == v1::TARGET_STATUS_NOT_MET)) {
    return v1::TARGET_STATUS_IN_PROGRESS;
  }
  return status;
}

int ExpectedCommunes(const Catalog& catalog, const Registry& registry,
                     const Unit& unit, const v1::Indicator& indicator) {
  if (indicator.reported_by() == v1::REPORTED_BY_DEPARTMENT) return 0;
  switch (unit.level) {
    case Level::kCommune:
      return catalog.OwesDirectly(unit, indicator) ? 1 : 0;
    case Level::kCity:
      return Catalog::InScope(indicator, unit.province)
                 ? registry.CommuneCount(unit.province)
                 : 0;
    case Level::kCentral: {
      int n = 0;
      for (const Unit* city : registry.Cities()) {
        n += ExpectedCommunes(catalog, registry, *city, indicator);
      }
      return n;
    }
    default:
      return 0;
  }
}

v1::ConsolidatedValue UnitValue(const Catalog& catalog, const Unit& unit,
                                const Period& period,
                                const v1::Indicator& indicator,
                                const v1::Value& value,
                                const std::string& note) {
  v1::ConsolidatedValue out;
  out.set_indicator(indicator.code());
  *out.mutable_value() = value;
  out.set_note(note);
  out.set_reported(1);
  out.set_expected(1);
  if (unit.level == Level::kCommune &&
      indicator.reported_by() != v1::REPORTED_BY_DEPARTMENT) {
    out.set_communes_reported(1);
    out.set_communes_expected(1);
  }
  v1::Target target =
      Catalog::TargetFor(indicator, period.year, /*national=*/false);
  if (HasTarget(target)) *out.mutable_target() = target;
  out.set_status(JudgeIndicator(indicator, period, &value, target));
  return out;
}

absl::StatusOr<v1::ConsolidatedValue> ConsolidateIndicator(
    const Catalog& catalog, const Registry& registry, const Unit& node,
    const Period& period, const v1::Indicator& indicator,
    const std::vector<Contribution>& contributions) {
  v1::ConsolidatedValue out;
  out.set_indicator(indicator.code());
  // Every contributor counts once: the node's own unit (when it owes a part)
  // beside its children, the same set that the breakdown lists.
  const int64_t owing = static_cast<int64_t>(contributions.size());
  CoveragePart coverage;  // summed over the contributors (CoverageOf)
  int64_t num = 0, den = 0, sum = 0;
  const v1::ConsolidatedValue* single = nullptr;
  for (const Contribution& c : contributions) {
    coverage += CoverageOf(catalog, registry, *c.unit, indicator, c.value);
    if (!HasValue(c.value)) continue;
    single = c.value;
    const v1::Value& v = c.value->value();
    if (indicator.rollup() == v1::ROLLUP_RATIO_OF_SUMS && v.has_ratio()) {
      auto n = CheckedAdd(num, v.ratio().numerator());
      auto d = CheckedAdd(den, v.ratio().denominator());
      if (!n) return Overflow(indicator, "numerators");
      if (!d) return Overflow(indicator, "denominators");
      num = *n;
      den = *d;
    } else if (indicator.rollup() == v1::ROLLUP_SUM && v.has_number()) {
      auto s = CheckedAdd(sum, v.number());
      if (!s) return Overflow(indicator, "values");
      sum = *s;
    }
  }
  if (coverage.reported > 0) {
    switch (indicator.rollup()) {
      case v1::ROLLUP_RATIO_OF_SUMS:
        out.mutable_value()->mutable_ratio()->set_numerator(num);
        out.mutable_value()->mutable_ratio()->set_denominator(den);
        break;
      case v1::ROLLUP_SUM:
        out.mutable_value()->set_number(sum);
        break;
      default:
        // Ranks and published indices are taken from their one responsible
        // contributor and never aggregated over several.
        if (owing == 1) *out.mutable_value() = single->value();
        if (owing == 1) out.set_note(single->note());
        break;
    }
  }
  out.set_reported(static_cast<int32_t>(coverage.reported));
  out.set_expected(static_cast<int32_t>(owing));
  if (node.level == Level::kCommune) {
    // A ward is itself the commune: it has reported when it or any of its
    // offices has.
    coverage.communes_expected =
        indicator.reported_by() == v1::REPORTED_BY_DEPARTMENT ? 0 : 1;
    coverage.communes_reported =
        coverage.communes_expected > 0 && coverage.reported > 0 ? 1 : 0;
  }
  out.set_communes_reported(static_cast<int32_t>(coverage.communes_reported));
  out.set_communes_expected(static_cast<int32_t>(coverage.communes_expected));
  out.set_children_met(static_cast<int32_t>(coverage.met));
  out.set_children_judged(static_cast<int32_t>(coverage.judged));
  v1::Target target =
      Catalog::TargetFor(indicator, period.year, node.level == Level::kCentral);
  if (HasTarget(target)) *out.mutable_target() = target;
  out.set_status(JudgeIndicator(
      indicator, period, out.has_value() ? &out.value() : nullptr, target));
  return out;
}

CoveragePart& CoveragePart::operator+=(const CoveragePart& o) {
  reported += o.reported;
  communes_reported += o.communes_reported;
  communes_expected += o.communes_expected;
  met += o.met;
  judged += o.judged;
  return *this;
}

CoveragePart& CoveragePart::operator-=(const CoveragePart& o) {
  reported -= o.reported;
  communes_reported -= o.communes_reported;
  communes_expected -= o.communes_expected;
  met -= o.met;
  judged -= o.judged;
  return *this;
}

CoveragePart CoverageOf(const Catalog& catalog, const Registry& registry,
                        const Unit& contributor, const v1::Indicator& indicator,
                        const v1::ConsolidatedValue* value) {
  CoveragePart part;
  if (!HasValue(value)) {
    // A child node that pushed the indicator without data says how many
    // communes it expects (a city configured with fewer than the registry's);
    // one that sent nothing owes the registry's.
    part.communes_expected =
        value != nullptr
            ? value->communes_expected()
            : ExpectedCommunes(catalog, registry, contributor, indicator);
    return part;
  }
  part.reported = 1;
  part.communes_reported = value->communes_reported();
  part.communes_expected = value->communes_expected();
  part.met = value->status() == v1::TARGET_STATUS_MET;
  part.judged = value->status() == v1::TARGET_STATUS_MET ||
                value->status() == v1::TARGET_STATUS_NOT_MET;
  return part;
}

bool CanApplyChange(const Unit& node, const v1::Indicator& indicator) {
  return node.level != Level::kCommune &&
         (indicator.rollup() == v1::ROLLUP_RATIO_OF_SUMS ||
          indicator.rollup() == v1::ROLLUP_SUM);
}

void ApplyChange(const Catalog& catalog, const Unit& node, const Period& period,
                 const v1::Indicator& indicator, const CoveragePart& delta,
                 int64_t a, int64_t b, v1::ConsolidatedValue* total) {
  total->set_reported(static_cast<int32_t>(total->reported() + delta.reported));
  total->set_communes_reported(static_cast<int32_t>(total->communes_reported() +
                                                    delta.communes_reported));
  total->set_communes_expected(static_cast<int32_t>(total->communes_expected() +
                                                    delta.communes_expected));
  total->set_children_met(
      static_cast<int32_t>(total->children_met() + delta.met));
  total->set_children_judged(
      static_cast<int32_t>(total->children_judged() + delta.judged));
  // As ConsolidateIndicator: a value once any contributor reported (every
  // contributor that reported counts in `reported`).
  if (total->reported() == 0) {
    total->clear_value();
  } else if (indicator.rollup() == v1::ROLLUP_RATIO_OF_SUMS) {
    total->mutable_value()->mutable_ratio()->set_numerator(a);
    total->mutable_value()->mutable_ratio()->set_denominator(b);
  } else {
    total->mutable_value()->set_number(a);
  }
  const v1::Target target =
      Catalog::TargetFor(indicator, period.year, node.level == Level::kCentral);
  total->set_status(
      JudgeIndicator(indicator, period,
                     total->has_value() ? &total->value() : nullptr, target));
}

}  // namespace tonghop
