// Engine's read side: roll-up and template queries over a RocksDB snapshot.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/catalog/target.h"
#include "libs/engine/engine.h"
#include "libs/engine/engine_internal.h"
#include "libs/rollup/rollup.h"

namespace tonghop {
namespace {

// A contributor's value of one indicator for a breakdown: what it reported, or
// no data.
v1::ConsolidatedValue ContributorValue(const Topology& topo, const Unit& unit,
                                       const Period& period,
                                       const v1::Indicator& ind,
                                       const v1::UnitReport* report) {
  if (report != nullptr) {
    for (const v1::ReportValue& v : report->values()) {
      if (v.indicator() == ind.code()) {
        return UnitValue(topo.catalog(), unit, period, ind, v.value(),
                         v.note());
      }
    }
  }
  v1::ConsolidatedValue out;
  out.set_indicator(ind.code());
  v1::Target target = Catalog::TargetFor(ind, period.year, /*national=*/false);
  if (HasTarget(target)) *out.mutable_target() = target;
  out.set_status(v1::TARGET_STATUS_NO_DATA);
  out.set_expected(1);
  out.set_communes_expected(
      ExpectedCommunes(topo.catalog(), topo.registry(), unit, ind));
  return out;
}

// A child node's pushed value of one indicator, or no data.
v1::ConsolidatedValue PushedValue(const Topology& topo, const Unit& unit,
                                  const Period& period,
                                  const v1::Indicator& ind,
                                  const v1::ChildNodeReport* pushed) {
  if (pushed != nullptr) {
    for (const v1::ConsolidatedValue& v : pushed->push().values()) {
      if (v.indicator() == ind.code()) return v;
    }
  }
  return ContributorValue(topo, unit, period, ind, nullptr);
}

// `unit`'s breakdown entry: its values of the indicators it contributes to,
// from what it submitted (`report`) or, for a child node, what it pushed
// (`pushed`).
v1::ChildBreakdown Breakdown(const Topology& topo, const Unit& unit,
                             const Period& period, const v1::UnitReport* report,
                             const v1::ChildNodeReport* pushed) {
  v1::ChildBreakdown out;
  out.set_unit(unit.code);
  out.set_name(unit.name);
  if (report != nullptr) {
    out.set_revision(report->revision());
    *out.mutable_updated_time() = report->updated_time();
    if (report->has_finalized_time()) {
      *out.mutable_finalized_time() = report->finalized_time();
      out.set_finalized_by(report->finalized_by());
    }
    if (report->has_late_revision_time()) {
      *out.mutable_late_revision_time() = report->late_revision_time();
    }
  } else if (pushed != nullptr) {
    out.set_revision(pushed->push().revision());
    *out.mutable_updated_time() = pushed->push().updated_time();
    if (pushed->push().has_finalized_time()) {
      *out.mutable_finalized_time() = pushed->push().finalized_time();
      out.set_finalized_by(pushed->push().finalized_by());
    }
    if (pushed->push().has_late_revision_time()) {
      *out.mutable_late_revision_time() = pushed->push().late_revision_time();
    }
  }
  const bool own = unit.code == topo.self().code;
  const Child* child = own ? nullptr : topo.FindChild(unit.code);
  const bool node =
      child != nullptr && child->kind == v1::ChildConfig::KIND_NODE;
  for (const IndicatorPlan& plan : topo.Plans(period.frequency())) {
    bool contributes = own ? plan.own : plan.Has(&unit);
    if (!contributes) continue;
    *out.add_values() =
        node ? PushedValue(topo, unit, period, *plan.indicator, pushed)
             : ContributorValue(topo, unit, period, *plan.indicator, report);
  }
  return out;
}

}  // namespace

bool Engine::EstimateOf(const Period& period, const v1::UnitReport* report,
                        const v1::ChildNodeReport* pushed) const {
  if (pushed != nullptr) return pushed->push().estimate();
  return report != nullptr && calendar_->HoldsEstimates(period, *report);
}

absl::StatusOr<const Unit*> Engine::RollupUnit(const std::string& code) const {
  const Topology& topo = *options_.topology;
  const Unit* unit = code.empty() ? &topo.self() : topo.registry().Find(code);
  if (unit == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unit: '", code, "' is not a known unit"));
  }
  if (unit != &topo.self() && topo.FindChild(unit->code) == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit: ", unit->code, " is not this node's unit ",
                     topo.self().code, " nor one of its children"));
  }
  return unit;
}

absl::StatusOr<v1::GetRollupResponse> Engine::RollupAt(
    const Unit& unit, const Period& period, bool breakdown,
    const Db::Snapshot* snapshot) const {
  const Topology& topo = *options_.topology;
  v1::GetRollupResponse response;
  for (const IndicatorPlan& plan : topo.Plans(period.frequency())) {
    *response.add_indicators() = *plan.indicator;
  }
  if (&unit != &topo.self()) {
    return ChildRollup(unit, period, breakdown, snapshot, std::move(response));
  }
  engine_internal::PeriodView view;
  if (breakdown) {
    ASSIGN_OR_RETURN(view, engine_internal::ReadPeriod(
                               *options_.db, period.Label(), snapshot));
  } else {
    // Without a breakdown the consolidation is all there is to read.
    ASSIGN_OR_RETURN(view.has_consolidated,
                     options_.db->GetProto(keys::Consolidated(period.Label()),
                                           &view.consolidated, snapshot));
  }
  return OwnRollup(period, breakdown, view, std::move(response));
}

absl::StatusOr<v1::GetRollupResponse> Engine::GetRollup(
    const v1::GetRollupRequest& request) const {
  ASSIGN_OR_RETURN(const Period period, ParsePeriodField(request.period()));
  ASSIGN_OR_RETURN(const Unit* unit, RollupUnit(request.unit()));
  auto snapshot = options_.db->NewSnapshot();
  return RollupAt(*unit, period, request.breakdown(), snapshot.get());
}

absl::StatusOr<v1::GetSeriesResponse> Engine::GetSeries(
    const v1::GetSeriesRequest& request) const {
  ASSIGN_OR_RETURN(const Period first,
                   ParsePeriodField(request.first_period(), "first_period"));
  ASSIGN_OR_RETURN(const Period last,
                   ParsePeriodField(request.last_period(), "last_period"));
  if (last.type != first.type) {
    return absl::InvalidArgumentError(absl::StrCat(
        "last_period: ", last.Label(), " is not of the kind of ", first.Label(),
        " (", FrequencyName(first.frequency()), ")"));
  }
  std::vector<Period> periods = {first};
  while (!(periods.back() == last)) {
    if (periods.size() == kSeriesMax || periods.back().year > last.year) {
      return absl::InvalidArgumentError(absl::StrCat(
          "last_period: ", last.Label(),
          periods.back().year > last.year
              ? absl::StrCat(" is before first_period ", first.Label())
              : absl::StrCat(": ", first.Label(), "..", last.Label(),
                             " holds more than ", kSeriesMax, " periods")));
    }
    periods.push_back(NextPeriod(periods.back()));
  }
  ASSIGN_OR_RETURN(const Unit* unit, RollupUnit(request.unit()));
  // One snapshot: the whole series as it stood at one instant.
  auto snapshot = options_.db->NewSnapshot();
  v1::GetSeriesResponse series;
  for (const Period& period : periods) {
    ASSIGN_OR_RETURN(v1::GetRollupResponse one,
                     RollupAt(*unit, period, false, snapshot.get()));
    *series.add_reports() = std::move(*one.mutable_report());
    if (series.indicators().empty()) {
      *series.mutable_indicators() = std::move(*one.mutable_indicators());
    }
  }
  return series;
}

absl::StatusOr<v1::GetRollupResponse> Engine::OwnRollup(
    const Period& period, bool breakdown, engine_internal::PeriodView& view,
    v1::GetRollupResponse response) const {
  const Topology& topo = *options_.topology;
  const std::string label = period.Label();
  auto find = [&](const std::string& code) -> const v1::UnitReport* {
    auto it = view.reports.find(code);
    return it == view.reports.end() ? nullptr : &it->second;
  };
  auto find_pushed =
      [&](const std::string& code) -> const v1::ChildNodeReport* {
    auto it = view.pushes.find(code);
    return it == view.pushes.end() ? nullptr : &it->second;
  };

  v1::ConsolidatedReport* report = response.mutable_report();
  if (view.has_consolidated) {
    *report = std::move(view.consolidated);
  } else {
    // Nothing submitted for this period yet: every indicator without data.
    report->set_unit(topo.self().code);
    report->set_period(label);
    report->set_window(WindowOf(period).Text());
    for (const IndicatorPlan& plan : topo.Plans(period.frequency())) {
      std::vector<Contribution> none;
      if (plan.own) none.push_back({&topo.self(), nullptr, true});
      for (const Unit* c : plan.children) none.push_back({c, nullptr, false});
      ASSIGN_OR_RETURN(
          *report->add_values(),
          ConsolidateIndicator(topo.catalog(), topo.registry(), topo.self(),
                               period, *plan.indicator, none));
    }
  }
  if (breakdown) {
    bool own = false;
    for (const IndicatorPlan& plan : topo.Plans(period.frequency()))
      own |= plan.own;
    if (own) {
      const v1::UnitReport* mine = find(topo.self().code);
      v1::ChildBreakdown* b = response.add_children();
      *b = Breakdown(topo, topo.self(), period, mine, nullptr);
      b->set_estimate(EstimateOf(period, mine, nullptr));
    }
    for (const Child& c : topo.children()) {
      const v1::UnitReport* report = find(c.unit->code);
      const v1::ChildNodeReport* pushed = find_pushed(c.unit->code);
      v1::ChildBreakdown b = Breakdown(topo, *c.unit, period, report, pushed);
      b.set_estimate(EstimateOf(period, report, pushed));
      if (b.values_size() > 0) *response.add_children() = std::move(b);
    }
  }
  return response;
}

absl::StatusOr<std::shared_ptr<const std::string>> Engine::GetRollupBytes(
    const v1::GetRollupRequest& request) const {
  // Read before the snapshot GetRollup takes: a write after it makes the
  // entry stale, never the other way round.
  const uint64_t epoch = write_epoch_.load(std::memory_order_acquire);
  const auto key =
      std::make_tuple(request.period(), request.unit(), request.breakdown());
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = rollup_cache_.find(key);
    if (it != rollup_cache_.end() && it->second.epoch == epoch)
      return it->second.bytes;
  }
  ASSIGN_OR_RETURN(v1::GetRollupResponse response, GetRollup(request));
  auto bytes =
      std::make_shared<const std::string>(response.SerializeAsString());
  absl::MutexLock lock(&cache_mu_);
  if (rollup_cache_.size() >= 256) rollup_cache_.clear();  // bounded
  rollup_cache_[key] = {epoch, bytes};
  return bytes;
}

absl::StatusOr<v1::GetRollupResponse> Engine::ChildRollup(
    const Unit& unit, const Period& period, bool breakdown,
    const Db::Snapshot* snapshot, v1::GetRollupResponse response) const {
  const Topology& topo = *options_.topology;
  const std::string label = period.Label();
  v1::UnitReport submitted;
  ASSIGN_OR_RETURN(bool has_report,
                   options_.db->GetProto(keys::Report(label, unit.code),
                                         &submitted, snapshot));
  v1::ChildNodeReport stored;
  ASSIGN_OR_RETURN(
      bool has_push,
      options_.db->GetProto(keys::Push(label, unit.code), &stored, snapshot));
  const v1::ChildNodeReport* pushed = has_push ? &stored : nullptr;
  v1::ChildBreakdown child =
      Breakdown(topo, unit, period, has_report ? &submitted : nullptr, pushed);
  // A child node's own breakdown, as it pushed it: one level of drill-down.
  if (breakdown && pushed != nullptr) {
    v1::PushedBreakdown kids;
    ASSIGN_OR_RETURN(
        bool split, options_.db->GetProto(keys::PushBreakdown(label, unit.code),
                                          &kids, snapshot));
    if (split) {
      response.mutable_children()->Swap(kids.mutable_children());
    } else {  // a record stored before breakdowns were kept apart
      *response.mutable_children() = pushed->push().children();
    }
  }
  v1::ConsolidatedReport* report = response.mutable_report();
  report->set_unit(unit.code);
  report->set_period(label);
  report->set_window(WindowOf(period).Text());
  report->set_revision(child.revision());
  if (child.has_updated_time())  // none when it has sent nothing
    *report->mutable_updated_time() = child.updated_time();
  if (child.has_finalized_time()) {
    *report->mutable_finalized_time() = child.finalized_time();
    report->set_finalized_by(child.finalized_by());
  }
  if (child.has_late_revision_time()) {
    *report->mutable_late_revision_time() = child.late_revision_time();
  }
  report->set_estimate(
      EstimateOf(period, has_report ? &submitted : nullptr, pushed));
  if (pushed != nullptr) {
    report->set_figures_revision(pushed->push().figures_revision());
    if (pushed->push().has_figures_time())
      *report->mutable_figures_time() = pushed->push().figures_time();
  }
  *report->mutable_values() = child.values();
  return response;
}

absl::StatusOr<v1::GetTemplateResponse> Engine::GetTemplate(
    const v1::GetTemplateRequest& request) const {
  const Topology& topo = *options_.topology;
  if (request.unit().empty())
    return absl::InvalidArgumentError("unit: required");
  const Unit* unit = topo.registry().Find(request.unit());
  if (unit == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unit: '", request.unit(), "' is not a known unit"));
  }
  RETURN_IF_ERROR(topo.AcceptsSubmitter(*unit));
  auto period = ParsePeriodField(request.period());
  if (!period.ok()) return period.status();
  std::vector<const v1::Indicator*> owed;
  for (const v1::Indicator& ind : topo.catalog().proto().indicators()) {
    if (ind.frequency() == period->frequency() &&
        topo.catalog().OwesDirectly(*unit, ind)) {
      owed.push_back(&ind);
    }
  }
  std::sort(owed.begin(), owed.end(),
            [](const v1::Indicator* a, const v1::Indicator* b) {
              return a->code() < b->code();
            });
  v1::GetTemplateResponse response;
  response.set_unit_name(unit->name);
  for (const v1::Indicator* ind : owed) {
    *response.add_indicators() = *ind;
    *response.add_targets() =
        Catalog::TargetFor(*ind, period->year, /*national=*/false);
  }
  return response;
}

}  // namespace tonghop
