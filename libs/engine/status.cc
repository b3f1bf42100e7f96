// Engine's status view: who has reported for a period, against the deadline,
// and the rates.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/engine/engine.h"
#include "libs/engine/engine_internal.h"

namespace tonghop {
namespace {

using engine_internal::FromProto;
using engine_internal::PeriodView;
using engine_internal::ReadPeriod;
using engine_internal::ToProto;
using google::protobuf::util::TimeUtil;

// The state of a report with these fields against `due`.
v1::ReportState StateOf(int64_t revision,
                        const google::protobuf::Timestamp* finalized,
                        absl::Time due) {
  if (revision == 0) return v1::REPORT_STATE_NOT_SUBMITTED;
  if (finalized == nullptr) return v1::REPORT_STATE_PROVISIONAL;
  return FromProto(*finalized) < due ? v1::REPORT_STATE_FINAL_ON_TIME
                                     : v1::REPORT_STATE_FINAL_LATE;
}

void Count(v1::ReportState state, v1::Rates* rates) {
  rates->set_expected(rates->expected() + 1);
  if (state == v1::REPORT_STATE_FINAL_ON_TIME ||
      state == v1::REPORT_STATE_FINAL_LATE) {
    rates->set_final(rates->final() + 1);
  }
  if (state == v1::REPORT_STATE_FINAL_ON_TIME)
    rates->set_on_time(rates->on_time() + 1);
}

void Add(const v1::Rates& more, v1::Rates* rates) {
  rates->set_expected(rates->expected() + more.expected());
  rates->set_final(rates->final() + more.final());
  rates->set_on_time(rates->on_time() + more.on_time());
}

// The expected children that owe something in `period`, in child order.
std::vector<const Child*> OwingChildren(const Topology& topo,
                                        const Period& period) {
  std::vector<const Child*> out;
  const auto& plans = topo.Plans(period.frequency());
  for (const Child& c : topo.children()) {
    bool owes = false;
    for (const IndicatorPlan& plan : plans) {
      owes |= plan.Has(c.unit);
    }
    if (owes) out.push_back(&c);
  }
  return out;
}

// How many wards and departments a city that has not pushed yet is expected to
// have for `period`: its default children that owe an indicator of the period's
// frequency.
int ExpectedLeaves(const Topology& topo, const Unit& city,
                   const Period& period) {
  int n = 0;
  for (const Unit* u :
       Topology::DefaultCityChildren(city, topo.registry(), topo.catalog())) {
    for (const v1::Indicator& ind : topo.catalog().proto().indicators()) {
      if (ind.frequency() == period.frequency() &&
          topo.catalog().OwesDirectly(*u, ind)) {
        ++n;
        break;
      }
    }
  }
  return n;
}

// One child's standing, and its contribution to the leaf rates.
v1::UnitStatus ChildStatus(const Topology& topo, const Child& child,
                           const PeriodView& view, const Period& period,
                           absl::Time due, v1::Rates* leaves) {
  v1::UnitStatus us;
  us.set_unit(child.unit->code);
  us.set_name(child.unit->name);
  us.set_node(child.kind == v1::ChildConfig::KIND_NODE);
  *us.mutable_due() = ToProto(due);
  const google::protobuf::Timestamp* finalized = nullptr;
  if (us.node()) {
    auto it = view.pushes.find(child.unit->code);
    if (it != view.pushes.end()) {
      const v1::PushRequest& push = it->second.push();
      us.set_revision(push.revision());
      *us.mutable_updated_time() = push.updated_time();
      *us.mutable_received_time() = it->second.received_time();
      if (push.has_finalized_time()) finalized = &push.finalized_time();
      if (push.has_late_revision_time()) {
        *us.mutable_late_revision_time() = push.late_revision_time();
      }
      if (it->second.has_late_revision_received_time()) {
        *us.mutable_late_revision_received_time() =
            it->second.late_revision_received_time();
      }
      // Leaves are a city's wards and departments: a ward's or a
      // department's own units (offices) are not shown as such.
      if (child.unit->level == Level::kCity) {
        *us.mutable_leaves() = push.leaves();
      }
    }
  } else {
    auto it = view.reports.find(child.unit->code);
    if (it != view.reports.end()) {
      const v1::UnitReport& r = it->second;
      us.set_revision(r.revision());
      *us.mutable_updated_time() = r.updated_time();
      *us.mutable_received_time() = r.updated_time();
      if (r.has_finalized_time()) finalized = &r.finalized_time();
      if (r.has_late_revision_time()) {
        *us.mutable_late_revision_time() = r.late_revision_time();
        *us.mutable_late_revision_received_time() = r.late_revision_time();
      }
    }
  }
  if (finalized != nullptr) *us.mutable_finalized_time() = *finalized;
  us.set_state(StateOf(us.revision(), finalized, due));
  // Leaves are the units that report to a city (wards, departments): a city
  // child counts its own leaves, as it pushed them (or, before its first push,
  // those it is expected to have).
  if (child.unit->level == Level::kCity) {
    v1::Rates city = us.leaves();
    if (us.revision() == 0) {
      city.set_expected(ExpectedLeaves(topo, *child.unit, period));
      *us.mutable_leaves() = city;
    }
    Add(city, leaves);
  } else {
    Count(us.state(), leaves);
  }
  return us;
}

}  // namespace

namespace engine_internal {

absl::StatusOr<PeriodView> ReadPeriod(const Db& db, const std::string& label,
                                      const Db::Snapshot* snapshot) {
  PeriodView view;
  ASSIGN_OR_RETURN(auto reps, db.Scan(keys::ReportPrefix(label), snapshot));
  for (auto& [key, bytes] : reps) {
    v1::UnitReport r;
    if (!r.ParseFromString(bytes))
      return absl::DataLossError(absl::StrCat(key, " does not parse"));
    std::string unit = r.unit();
    view.reports[unit] = std::move(r);
  }
  ASSIGN_OR_RETURN(auto pushes, db.Scan(keys::PushPrefix(label), snapshot));
  for (auto& [key, bytes] : pushes) {
    v1::ChildNodeReport r;
    if (!r.ParseFromString(bytes))
      return absl::DataLossError(absl::StrCat(key, " does not parse"));
    std::string child = r.push().child();
    view.pushes[child] = std::move(r);
  }
  ASSIGN_OR_RETURN(
      view.has_consolidated,
      db.GetProto(keys::Consolidated(label), &view.consolidated, snapshot));
  ASSIGN_OR_RETURN(bool locked,
                   db.GetProto(keys::Lock(label), &view.lock, snapshot));
  (void)locked;
  return view;
}

}  // namespace engine_internal

v1::Rates Engine::LeafRates(const Period& period,
                            const engine_internal::PeriodView& view) const {
  const Topology& topo = *options_.topology;
  v1::Rates leaves;
  const absl::Time due = calendar_->ChildrenDue(period);
  for (const Child* c : OwingChildren(topo, period))
    ChildStatus(topo, *c, view, period, due, &leaves);
  return leaves;
}

absl::StatusOr<v1::StatusReport> Engine::GetStatus(
    const v1::GetStatusRequest& request) const {
  const Topology& topo = *options_.topology;
  auto period = ParsePeriodField(request.period());
  if (!period.ok()) return period.status();
  const std::string label = period->Label();
  auto snapshot = options_.db->NewSnapshot();
  ASSIGN_OR_RETURN(PeriodView view,
                   ReadPeriod(*options_.db, label, snapshot.get()));
  const absl::Time now = options_.clock->Now();
  const absl::Time due = calendar_->ChildrenDue(*period);

  v1::StatusReport report;
  report.set_unit(topo.self().code);
  report.set_period(label);
  report.set_window(WindowOf(*period).Text());
  *report.mutable_now() = ToProto(now);
  *report.mutable_children_due() = ToProto(due);
  *report.mutable_lock() = view.lock;

  v1::UnitStatus* self = report.mutable_self();
  self->set_unit(topo.self().code);
  self->set_name(topo.self().name);
  self->set_revision(view.consolidated.revision());
  *self->mutable_updated_time() = view.consolidated.updated_time();
  if (view.consolidated.has_late_revision_time()) {
    *self->mutable_late_revision_time() =
        view.consolidated.late_revision_time();
  }
  // A period of a kind no unit of this node's subtree owes an indicator of
  // (the rule its parent expects it by: catalog.OwesInSubtree), and that it
  // holds nothing for: it owes its parent no report.
  bool owes = view.consolidated.revision() > 0;
  for (const v1::Indicator& indicator : topo.catalog().proto().indicators()) {
    owes |= indicator.frequency() == period->frequency() &&
            topo.catalog().OwesInSubtree(topo.self(), indicator);
  }
  const auto parent_due =
      owes ? calendar_->ParentDue(*period) : std::optional<absl::Time>();
  if (parent_due.has_value()) *self->mutable_due() = ToProto(*parent_due);
  const google::protobuf::Timestamp* finalized =
      view.consolidated.has_finalized_time()
          ? &view.consolidated.finalized_time()
          : nullptr;
  if (finalized != nullptr) *self->mutable_finalized_time() = *finalized;
  self->set_state(owes ? StateOf(self->revision(), finalized,
                                 parent_due.value_or(absl::InfiniteFuture()))
                       : v1::REPORT_STATE_NOT_EXPECTED);

  for (const Child* c : OwingChildren(topo, *period)) {
    v1::UnitStatus us =
        ChildStatus(topo, *c, view, *period, due, report.mutable_leaves());
    Count(us.state(), report.mutable_direct());
    *report.add_children() = std::move(us);
  }
  *self->mutable_leaves() = report.leaves();
  return report;
}

}  // namespace tonghop
