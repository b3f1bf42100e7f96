#include "libs/federation/validate_push.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tonghop {
namespace {

// The checks below name the field relative to the entry (".value: ..."); the
// caller prefixes the entry's place ("values[3] (QD11-01)") on an error only,
// so that a valid push builds no message.

// Prefixes `where` to the message of `status`, an error of the checks below.
absl::Status At(absl::string_view where, const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat(where, status.message()));
}

absl::Status CheckValue(const v1::Value& value, const v1::Indicator& ind,
                        int64_t max_part) {
  auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(".value: ", why));
  };
  switch (value.kind_case()) {
    case v1::Value::KIND_NOT_SET:
      return absl::OkStatus();  // no data
    case v1::Value::kRatio: {
      if (ind.measure() != v1::MEASURE_RATIO)
        return bad("a ratio for a non-ratio indicator");
      const v1::Ratio& r = value.ratio();
      if (!r.has_numerator() || !r.has_denominator())
        return bad("a ratio needs both parts");
      if (r.numerator() < 0 || r.denominator() < 0)
        return bad("a negative part");
      if (r.numerator() > r.denominator())
        return bad("numerator greater than denominator");
      if (r.denominator() > max_part) {
        return bad(absl::StrCat("denominator ", r.denominator(),
                                " is more than ", max_part,
                                ", more than all the units below a node"));
      }
      return absl::OkStatus();
    }
    case v1::Value::kNumber:
      if (ind.measure() != v1::MEASURE_COUNT &&
          ind.measure() != v1::MEASURE_RANK) {
        return bad("a number for an indicator that is not a count or rank");
      }
      if (value.number() < 0) return bad("negative");
      if (ind.measure() == v1::MEASURE_RANK && value.number() == 0)
        return bad("a rank starts at 1");
      if (value.number() > max_part) {
        return bad(absl::StrCat(value.number(), " is more than ", max_part,
                                ", more than all the units below a node"));
      }
      return absl::OkStatus();
    case v1::Value::kHundredths:
      if (ind.measure() != v1::MEASURE_INDEX)
        return bad("a decimal for a non-index indicator");
      if (value.hundredths() < 0) return bad("negative");
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// A value's coverage: 0 <= reported <= expected at both depths, 0 <= met <=
// judged.
absl::Status CheckCoverage(const v1::ConsolidatedValue& v) {
  auto within = [&](absl::string_view field, int32_t part, int32_t whole,
                    absl::string_view whole_name) -> absl::Status {
    if (part < 0 || whole < 0 || part > whole) {
      return absl::InvalidArgumentError(absl::StrCat(".", field, ": ", part,
                                                     " is not within 0..",
                                                     whole_name, " ", whole));
    }
    return absl::OkStatus();
  };
  absl::Status s = within("reported", v.reported(), v.expected(), "expected");
  if (s.ok()) {
    s = within("communes_reported", v.communes_reported(),
               v.communes_expected(), "communes_expected");
  }
  if (s.ok())
    s = within("children_met", v.children_met(), v.children_judged(),
               "children_judged");
  return s;
}

// How many communes a report of `unit` can cover: a city's communes, a
// commune itself, none below a department or an office.
int CommunesBelow(const Registry& registry, const Unit& unit) {
  switch (unit.level) {
    case Level::kCity:
      return registry.CommuneCount(unit.code);
    case Level::kCommune:
      return 1;
    case Level::kCentral:
      return registry.CountLevel(Level::kCommune);
    case Level::kDepartment:
    case Level::kOffice:
      return 0;
  }
  return 0;
}

// One value of the push or of its breakdown: a known indicator the unit may
// carry, of the period's frequency, with a well-formed value and coverage
// (communes_expected at most `communes`, the communes below the unit).
absl::Status CheckEntry(const Catalog& catalog, const Unit* owner, int communes,
                        const Period& period, const v1::ConsolidatedValue& v,
                        int64_t max_part) {
  const v1::Indicator* ind = catalog.Find(v.indicator());
  if (ind == nullptr) {
    return absl::InvalidArgumentError(".indicator: not in the catalog");
  }
  if (ind->frequency() != period.frequency()) {
    return absl::InvalidArgumentError(absl::StrCat(
        ".indicator: not of period ", period.Label(), "'s frequency"));
  }
  if (owner != nullptr && !catalog.OwesInSubtree(*owner, *ind)) {
    return absl::InvalidArgumentError(
        absl::StrCat(".indicator: not owed by ", owner->code));
  }
  absl::Status s = CheckValue(v.value(), *ind, max_part);
  if (!s.ok()) return s;
  if (v.communes_expected() > communes) {
    return absl::InvalidArgumentError(absl::StrCat(
        ".communes_expected: ", v.communes_expected(), " is more than ",
        owner != nullptr ? owner->code : "the unit", " has (", communes, ")"));
  }
  return CheckCoverage(v);
}

}  // namespace

absl::StatusOr<Period> ValidatePush(const Catalog& catalog,
                                    const Registry& registry, const Unit& child,
                                    const v1::PushRequest& request,
                                    int64_t max_part) {
  auto period = ParsePeriodField(request.period());
  if (!period.ok()) return period.status();
  if (request.revision() <= 0)
    return absl::InvalidArgumentError("revision: must be positive");
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(request.values_size());
  const int communes = CommunesBelow(registry, child);
  for (int i = 0; i < request.values_size(); ++i) {
    const v1::ConsolidatedValue& v = request.values(i);
    absl::Status s =
        seen.insert(v.indicator()).second
            ? CheckEntry(catalog, &child, communes, *period, v, max_part)
            : absl::InvalidArgumentError(".indicator: given twice");
    if (!s.ok()) {
      return At(absl::StrCat("values[", i, "] (", v.indicator(), ")"), s);
    }
  }
  // The breakdown: the child itself or units directly below it (internal
  // offices, which only the child's own registry knows, are
  // "<child>.<SUFFIX>").
  for (int c = 0; c < request.children_size(); ++c) {
    const v1::ChildBreakdown& entry = request.children(c);
    auto where = [&] {
      return absl::StrCat("children[", c, "] (", entry.unit(), ")");
    };
    const Unit* unit = registry.Find(entry.unit());
    bool below =
        entry.unit() == child.code ||
        (unit != nullptr && unit->parent == child.code) ||
        (unit == nullptr &&
         absl::StartsWith(entry.unit(), absl::StrCat(child.code, ".")));
    if (!below) {
      return absl::InvalidArgumentError(absl::StrCat(
          where(), ".unit: not ", child.code, " nor a unit directly below it"));
    }
    // An office known only to the child counts no commune.
    const int below_communes =
        unit != nullptr ? CommunesBelow(registry, *unit) : 0;
    for (int i = 0; i < entry.values_size(); ++i) {
      const v1::ConsolidatedValue& v = entry.values(i);
      absl::Status s =
          CheckEntry(catalog, unit, below_communes, *period, v, max_part);
      if (!s.ok()) {
        return At(
            absl::StrCat(where(), ".values[", i, "] (", v.indicator(), ")"), s);
      }
    }
  }
  return *period;
}

}  // namespace tonghop
