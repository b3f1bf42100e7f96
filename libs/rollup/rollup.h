// Consolidation: one node's value of one indicator from what its contributors
// gave. Pure and exact (int64 with overflow checks, no floating point);
// thread-compatible.
//
// Contributors of a node for an indicator are its expected children that owe
// the indicator in their subtree, plus the node's own unit when it owes the
// indicator directly (a ward's own figures; a department's own part). Rules
// (DESIGN.md §2):
//   ratio_of_sums  Σ numerators / Σ denominators over the contributors that
//   reported sum            Σ values none           the value of the single
//   contributor that owes it (a rank or published
//                  index at the responsible department); never aggregated over
//                  several
// Coverage: `reported`/`expected` count the contributors (the children that owe
// it and the node's own unit when it owes a part: the rows of the breakdown);
// `communes_*` add up the communes below each contributor, except at a ward,
// which is itself one commune (reported when it or any of its offices
// reported). `children_met`/`children_judged` count the contributors whose own
// value met its own target, and those that had a target to judge (at the
// central node: cities that met theirs).
#ifndef TONGHOP_LIBS_ROLLUP_ROLLUP_H_
#define TONGHOP_LIBS_ROLLUP_ROLLUP_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "tonghop/v1/report.pb.h"

namespace tonghop {

// One contributor and what it gave for the indicator (nullptr: nothing).
struct Contribution {
  const Unit* unit = nullptr;
  const v1::ConsolidatedValue* value = nullptr;
  bool is_own = false;  // the node's own unit rather than a child
};

// The node's consolidated value of `indicator` for `period`. The target is the
// catalog's (the national target at the central node) in force for the period's
// year. OUT_OF_RANGE when a sum would overflow int64.
absl::StatusOr<v1::ConsolidatedValue> ConsolidateIndicator(
    const Catalog& catalog, const Registry& registry, const Unit& node,
    const Period& period, const v1::Indicator& indicator,
    const std::vector<Contribution>& contributions);

// A plain unit's stored value as a contribution: value, note, the unit's own
// coverage (1 of 1; communes 1 of 1 for a commune), and its status against the
// catalog target.
v1::ConsolidatedValue UnitValue(const Catalog& catalog, const Unit& unit,
                                const Period& period,
                                const v1::Indicator& indicator,
                                const v1::Value& value,
                                const std::string& note);

// The status of `value` for `indicator` in `period` against `target`:
// JudgeTarget, except that a cumulative (year-to-date) indicator is
// IN_PROGRESS, not met or not met, before the period that closes the year.
v1::TargetStatus JudgeIndicator(const v1::Indicator& indicator,
                                const Period& period, const v1::Value* value,
                                const v1::Target& target);

// How many communes under `unit` owe `indicator` by the registry (used for a
// contributor that has not reported): 1 for a commune that owes it, all of a
// city's communes for a commune or both indicator in scope, the sum over cities
// for the central node, else 0.
int ExpectedCommunes(const Catalog& catalog, const Registry& registry,
                     const Unit& unit, const v1::Indicator& indicator);

// The version of the consolidation rules: raise it with any change that makes
// ConsolidateIndicator or CoverageOf give another result for the same inputs.
// It is part of Topology::Fingerprint, so a node recomputes its stored periods
// once when it starts on a build with other rules. 2: a child's own commune
// count holds for an indicator it pushed without data.
inline constexpr int kRollupRulesVersion = 2;

// True when `value` holds a value (a reported 0/0 counts as reported).
inline bool HasValue(const v1::ConsolidatedValue* v) {
  return v != nullptr && v->value().kind_case() != v1::Value::KIND_NOT_SET;
}

// Incremental consolidation: a node that holds a consolidated value and learns
// that a few contributors changed updates it in time independent of how many
// contributors it has, to exactly what ConsolidateIndicator gives over all of
// them. The sums themselves are the caller's (kept with the overflow check of
// each addition, as ConsolidateIndicator's).

// What one contributor adds to the coverage of its node's value, as
// ConsolidateIndicator counts it. `value` nullptr: a contributor that sent
// nothing (its registry communes count as expected); without a value: one
// that has not reported it (the communes it says it expects count).
struct CoveragePart {
  int64_t reported = 0;  // 1 when it reported
  int64_t communes_reported = 0;
  int64_t communes_expected = 0;
  int64_t met = 0;     // 1 when its own value met its own target
  int64_t judged = 0;  // 1 when it was judged met or not met

  CoveragePart& operator+=(const CoveragePart& o);
  CoveragePart& operator-=(const CoveragePart& o);
};
CoveragePart CoverageOf(const Catalog& catalog, const Registry& registry,
                        const Unit& contributor, const v1::Indicator& indicator,
                        const v1::ConsolidatedValue* value);

// True when ApplyChange can maintain `indicator` at `node`: a ratio_of_sums or
// sum indicator at a node that is not a commune (ranks and indices are taken
// from their one contributor, and a ward counts itself as one commune:
// recompute those whole).
bool CanApplyChange(const Unit& node, const v1::Indicator& indicator);

// Updates `total`, a value that ConsolidateIndicator gave (or this function
// kept) for `indicator` at `node` in `period`, after some of its contributors
// changed: `delta` is their CoverageOf after minus their CoverageOf before, and
// `a`, `b` the new sums over all contributors (numerators and denominators for
// ratio_of_sums, the values' sum in `a` for sum). Value, coverage and status
// become exactly what ConsolidateIndicator gives over the contributors as they
// are now. Only where CanApplyChange(node, indicator).
void ApplyChange(const Catalog& catalog, const Unit& node, const Period& period,
                 const v1::Indicator& indicator, const CoveragePart& delta,
                 int64_t a, int64_t b, v1::ConsolidatedValue* total);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ROLLUP_ROLLUP_H_
