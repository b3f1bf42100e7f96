#include "libs/engine/history.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/engine/engine_internal.h"
#include "libs/federation/validate_push.h"
#include "libs/rollup/rollup.h"
#include "libs/store/db.h"
#include "tonghop/v1/store.pb.h"

namespace tonghop {

absl::StatusOr<v1::ConsolidatedValue> ConsolidatePlan(
    const Topology& topo, const Period& period, const IndicatorPlan& plan,
    const ContributionMap& contributions) {
  const std::string& code = plan.indicator->code();
  auto lookup = [&](const Unit* u) -> const v1::ConsolidatedValue* {
    auto it = contributions.find(u->code);
    if (it == contributions.end()) return nullptr;
    auto jt = it->second.find(code);
    return jt == it->second.end() ? nullptr : &jt->second;
  };
  std::vector<Contribution> list;
  list.reserve(plan.children.size() + 1);
  if (plan.own) list.push_back({&topo.self(), lookup(&topo.self()), true});
  for (const Unit* c : plan.children) list.push_back({c, lookup(c), false});
  return ConsolidateIndicator(topo.catalog(), topo.registry(), topo.self(),
                              period, *plan.indicator, list);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> HistoryRecords(
    const Topology& topo, const Period& period,
    const std::vector<v1::PushRequest>& pushes, absl::Time received) {
  const std::string label = period.Label();
  const auto stamp = engine_internal::ToProto(received);
  ContributionMap contributions;
  std::vector<std::pair<std::string, std::string>> records;
  for (size_t i = 0; i < pushes.size(); ++i) {
    const v1::PushRequest& push = pushes[i];
    const Child* child = topo.FindChild(push.child());
    if (child == nullptr || child->kind != v1::ChildConfig::KIND_NODE) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pushes[", i, "].child: '", push.child(),
          "' is not an expected child node of ", topo.self().code));
    }
    if (push.period() != label) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pushes[", i, "].period: '", push.period(), "', not ", label));
    }
    if (contributions.count(push.child())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pushes[", i, "].child: '", push.child(), "' pushes twice"));
    }
    auto valid =
        ValidatePush(topo.catalog(), topo.registry(), *child->unit, push);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("pushes[", i, "]: ", valid.status().message()));
    }
    auto& mine = contributions[push.child()];
    for (const v1::ConsolidatedValue& v : push.values())
      mine[v.indicator()] = v;
    v1::ChildNodeReport stored;
    *stored.mutable_push() = push;
    v1::PushedBreakdown breakdown;
    breakdown.mutable_children()->Swap(
        stored.mutable_push()->mutable_children());
    records.emplace_back(keys::PushBreakdown(label, push.child()),
                         breakdown.SerializeAsString());
    *stored.mutable_received_time() = stamp;
    *stored.mutable_first_received_time() = stamp;
    records.emplace_back(keys::Push(label, push.child()),
                         stored.SerializeAsString());
  }
  v1::ConsolidatedReport cons;
  cons.set_unit(topo.self().code);
  cons.set_period(label);
  cons.set_revision(1);
  *cons.mutable_updated_time() = stamp;
  *cons.mutable_finalized_time() = stamp;
  cons.set_finalized_by("history");
  cons.set_window(WindowOf(period).Text());
  for (const IndicatorPlan& plan : topo.Plans(period.frequency())) {
    ASSIGN_OR_RETURN(*cons.add_values(),
                     ConsolidatePlan(topo, period, plan, contributions));
  }
  records.emplace_back(keys::Consolidated(label), cons.SerializeAsString());
  std::sort(records.begin(), records.end());
  return records;
}

}  // namespace tonghop
