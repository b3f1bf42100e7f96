// Consolidation of one indicator plan from the contributions a node holds, and
// the records a node would hold for a period of history, for bulk loading
// (Db::Ingest) into a node that is not serving yet. Pure; thread-compatible.
#ifndef TONGHOP_LIBS_ENGINE_HISTORY_H_
#define TONGHOP_LIBS_ENGINE_HISTORY_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/calendar/period.h"
#include "libs/engine/topology.h"
#include "tonghop/v1/federation.pb.h"
#include "tonghop/v1/report.pb.h"

namespace tonghop {

// unit -> indicator -> the unit's value as a contribution.
// Hash maps: the writer looks up every child of a plan on each recompute.
using ContributionMap = absl::flat_hash_map<
    std::string, absl::flat_hash_map<std::string, v1::ConsolidatedValue>>;

// The node's consolidated value for `plan` from `contributions` (the node's own
// unit when the plan says so, then each child that owes it; a missing entry is
// a contributor that gave nothing). OUT_OF_RANGE when a sum overflows.
absl::StatusOr<v1::ConsolidatedValue> ConsolidatePlan(
    const Topology& topo, const Period& period, const IndicatorPlan& plan,
    const ContributionMap& contributions);

// The records (key, value), sorted by key, that a node of `topo` holds for
// `period` once it has received `pushes` (each child node's newest push) at
// `received`: one push record per child and the consolidation at revision 1,
// finalised at `received` by "history". INVALID_ARGUMENT naming the push for
// one from a unit that is not an expected child node, one twice, or one that
// ValidatePush refuses.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> HistoryRecords(
    const Topology& topo, const Period& period,
    const std::vector<v1::PushRequest>& pushes, absl::Time received);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ENGINE_HISTORY_H_
