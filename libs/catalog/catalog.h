// The indicator catalog and the rules of who owes which indicator.
// Loaded once at start from data/indicators.csv (compiled in) or a file the
// config names; immutable afterwards, so safe to share between threads.
#ifndef TONGHOP_LIBS_CATALOG_CATALOG_H_
#define TONGHOP_LIBS_CATALOG_CATALOG_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/registry/registry.h"
#include "tonghop/v1/catalog.pb.h"

namespace tonghop {

// The catalog's words for a measure ("ratio", "count", "rank", "index") and for
// who reports
// ("commune", "department", "both"); "" for an unspecified value.
absl::string_view MeasureName(v1::Measure measure);
absl::string_view ReportedByName(v1::ReportedBy reported_by);

class Catalog {
 public:
  // Parses the indicators CSV (the columns of ../shared/reference/README.md)
  // and checks it against `registry`. INVALID_ARGUMENT naming the line and
  // column of the first problem: duplicate or empty code, unknown measure /
  // reported_by / frequency / rollup / cumulative, a malformed target or
  // target_years, a target without years, a rank or index rolled up by anything
  // but none, a count with ratio_of_sums, a department or both indicator
  // without a known responsible department, an unknown province in scope.
  static absl::StatusOr<std::unique_ptr<Catalog>> Load(
      absl::string_view csv, const Registry& registry);
  static absl::StatusOr<std::unique_ptr<Catalog>> LoadEmbedded(
      const Registry& registry);

  // nullptr when unknown.
  const v1::Indicator* Find(absl::string_view code) const;
  const v1::Catalog& proto() const { return proto_; }

  // The target in force for `year`: the catalog target (or the national target
  // when `national`) when year is within target_years; else an unset Target.
  static v1::Target TargetFor(const v1::Indicator& indicator, int year,
                              bool national);

  // True when `province` is in the indicator's scope (empty scope: every city).
  static bool InScope(const v1::Indicator& indicator,
                      absl::string_view province);

  // True when `unit` itself reports its own part of `indicator` (ignoring
  // frequency): a commune or its office for commune/both indicators in scope;
  // the responsible department (or its office) for department/both indicators
  // in scope.
  bool OwesDirectly(const Unit& unit, const v1::Indicator& indicator) const;

  // True when `unit` or any unit below it owes `indicator`: OwesDirectly, or a
  // city with the indicator in scope, or the central node.
  bool OwesInSubtree(const Unit& unit, const v1::Indicator& indicator) const;

 private:
  explicit Catalog(const Registry& registry) : registry_(registry) {}

  const Registry& registry_;
  v1::Catalog proto_;
  std::map<std::string, int, std::less<>> index_;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CATALOG_CATALOG_H_
