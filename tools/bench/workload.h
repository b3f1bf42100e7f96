// The benchmark's workload on the real shape of the country: 34 cities, their
// 3,321 communes and the departments that own indicators (the reference data
// compiled into the binaries), every monthly indicator with a plausible value.
//
// A leaf (a commune or a department) pushes what its own node would push: its
// consolidated values of the indicators it owes directly, built with the same
// roll-up code a node runs (libs/rollup). A city push is what a city node would
// push to the central node: the consolidation over its leaves' pushes and the
// per-leaf breakdown. Values come from a seeded generator: the same seed gives
// the same workload.
//
// Independent of the roll-up code, Totals keeps plain sums of the figures that
// were sent (the newest revision per leaf), for checking the central node's
// national roll-up to the last digit.
#ifndef TONGHOP_TOOLS_BENCH_WORKLOAD_H_
#define TONGHOP_TOOLS_BENCH_WORKLOAD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "libs/engine/topology.h"
#include "libs/registry/registry.h"
#include "tonghop/v1/config.pb.h"
#include "tonghop/v1/federation.pb.h"
#include "tools/bench/flat.h"

namespace tonghop::bench {

// The reference data and one topology per node the workload plays.
// Thread-compatible.
class World {
 public:
  static absl::StatusOr<std::unique_ptr<World>> Load();

  const Registry& registry() const { return *registry_; }
  const Catalog& catalog() const { return *catalog_; }
  std::vector<const Unit*> Cities() const { return registry_->Cities(); }
  // A city's leaves as a city node expects them by default: its communes, then
  // the departments responsible for an indicator in its scope.
  std::vector<const Unit*> Leaves(const Unit& city) const;
  // The config of a city node whose leaves all run their own node
  // (KIND_NODE): listen address and data folder left empty.
  v1::NodeConfig CityConfig(const Unit& city) const;
  // The topology of the node of `unit` (the central node with every city; a
  // city with CityConfig's children; a commune or department with none). Built
  // once, then cached.
  absl::StatusOr<const Topology*> NodeTopology(const Unit& unit);

 private:
  World() = default;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Catalog> catalog_;
  std::map<std::string, std::unique_ptr<Topology>> topologies_;
};

// Plain sums of what was sent for one month: per indicator, Σ numerators and
// Σ denominators (ratios) or Σ numbers (counts), and how many leaves gave it.
struct IndicatorTotal {
  int64_t numerator = 0, denominator = 0, number = 0;
  int64_t leaves = 0;
};
using Totals = std::map<std::string, IndicatorTotal>;  // by indicator
// Adds `push`'s own values (a leaf's push) to `totals`.
void AddToTotals(const v1::PushRequest& push, Totals& totals);

// Seeded source of plausible reports.
class Generator {
 public:
  Generator(World& world, uint64_t seed) : world_(world), rng_(seed) {}

  // `leaf`'s push for `period` at `revision`, its values drawn afresh: ratios
  // with a denominator of 20-400 and a numerator of 50-100% of it; counts
  // 0-12. `updated` stamps it.
  absl::StatusOr<v1::PushRequest> LeafPush(const Unit& leaf,
                                           const Period& period,
                                           int64_t revision,
                                           absl::Time updated);
  // What `city`'s node pushes for `period` once it holds `leaves` (one push per
  // leaf, the newest): its consolidation and per-leaf breakdown.
  absl::StatusOr<v1::PushRequest> CityPush(
      const Unit& city, const Period& period,
      const std::vector<v1::PushRequest>& leaves, int64_t revision,
      absl::Time updated);

  // A random index in [0, n).
  size_t Pick(size_t n);
  std::mt19937_64& rng() { return rng_; }

 private:
  World& world_;
  std::mt19937_64 rng_;
};

// The month-end burst of `city`'s leaves for `period`: every leaf's final
// report once at revision 1 (in random order), then `corrections` (a fraction,
// e.g. 0.10) of them again at revision 2 with new values (a late revision) and
// `duplicates` (e.g. 0.01) of the pushes sent again unchanged, spread over the
// second half. `finals` receives the newest push per leaf (what the city must
// end up holding).
absl::StatusOr<std::vector<v1::PushRequest>> Burst(
    Generator& gen, World& world, const Unit& city, const Period& period,
    double corrections, double duplicates, absl::Time updated,
    std::vector<v1::PushRequest>* finals);

// A leaf push as one row per value, for the PostgreSQL side.
FlatReport Flatten(const v1::PushRequest& push, const std::string& city);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_WORKLOAD_H_
