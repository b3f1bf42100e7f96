// Engine: the chain — pushes from child nodes (idempotent by revision) and this
// node's own outbox for the uploader.
#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/decimal.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/zone.h"
#include "libs/engine/engine.h"
#include "libs/engine/engine_internal.h"
#include "libs/federation/validate_push.h"
#include "libs/rollup/rollup.h"
#include "tonghop/v1/store.pb.h"

namespace tonghop {

using engine_internal::Await;
using engine_internal::FromProto;
using engine_internal::SameTime;
using engine_internal::ToProto;
using google::protobuf::util::TimeUtil;

void Engine::Push(v1::PushRequest request, PushDone done) {
  const Topology& topo = *options_.topology;
  const Child* child = topo.FindChild(request.child());
  if (child == nullptr || child->kind != v1::ChildConfig::KIND_NODE) {
    done(absl::FailedPreconditionError(absl::StrCat(
        "child: '", request.child(), "' is not an expected child node of ",
        topo.self().code,
        child == nullptr ? "" : " (it is configured to submit as a unit)")));
    return;
  }
  auto period = ValidatePush(topo.catalog(), topo.registry(), *child->unit,
                             request, options_.max_pushed_value);
  if (!period.ok()) {
    done(period.status());
    return;
  }
  Pending op;
  op.kind = Pending::Kind::kPush;
  op.push = std::move(request);
  op.period = *period;
  op.push_done = std::move(done);
  Enqueue(std::move(op));
}

absl::StatusOr<v1::PushResponse> Engine::PushAndWait(v1::PushRequest request) {
  return Await<v1::PushResponse>(
      [&](PushDone done) { Push(std::move(request), std::move(done)); });
}

void Engine::EnqueueParentAnswer(Pending::Kind kind, const std::string& period,
                                 int64_t revision) {
  auto parsed = ParsePeriod(period);
  if (!parsed.ok()) return;
  Pending op;
  op.kind = kind;
  op.period = *parsed;
  op.delivered_revision = revision;
  Enqueue(std::move(op));
}

void Engine::Delivered(const std::string& period, int64_t revision) {
  EnqueueParentAnswer(Pending::Kind::kDelivered, period, revision);
}

void Engine::ParentAhead(const std::string& period, int64_t parent_revision) {
  EnqueueParentAnswer(Pending::Kind::kParentAhead, period, parent_revision);
}

absl::StatusOr<std::vector<OutboxSource::Item>> Engine::PendingOutbox() const {
  std::vector<Item> items;
  absl::MutexLock lock(&facts_mu_);
  for (const auto& [label, facts] : facts_) {
    if (facts.outbox > 0) items.push_back({label, facts.outbox});
  }
  return items;
}

absl::StatusOr<v1::PushRequest> Engine::BuildPush(
    const std::string& period) const {
  ASSIGN_OR_RETURN(Period p, ParsePeriod(period));
  // One read of the period, at one snapshot, for the values, the breakdown
  // and the leaves' rates alike.
  auto snapshot = options_.db->NewSnapshot();
  ASSIGN_OR_RETURN(
      engine_internal::PeriodView view,
      engine_internal::ReadPeriod(*options_.db, p.Label(), snapshot.get()));
  const v1::Rates leaves = LeafRates(p, view);
  ASSIGN_OR_RETURN(v1::GetRollupResponse rollup,
                   OwnRollup(p, /*breakdown=*/true, view, {}));
  v1::PushRequest push;
  push.set_child(options_.topology->self().code);
  push.set_period(period);
  push.set_revision(rollup.report().revision());
  *push.mutable_updated_time() = rollup.report().updated_time();
  *push.mutable_values() =
      std::move(*rollup.mutable_report()->mutable_values());
  *push.mutable_children() = std::move(*rollup.mutable_children());
  if (rollup.report().has_finalized_time()) {
    *push.mutable_finalized_time() = rollup.report().finalized_time();
    push.set_finalized_by(rollup.report().finalized_by());
  }
  if (rollup.report().has_late_revision_time()) {
    *push.mutable_late_revision_time() = rollup.report().late_revision_time();
  }
  push.set_estimate(rollup.report().estimate());
  push.set_figures_revision(rollup.report().figures_revision());
  if (rollup.report().has_figures_time())
    *push.mutable_figures_time() = rollup.report().figures_time();
  *push.mutable_leaves() = leaves;
  return push;
}

absl::StatusOr<v1::PushResponse> Engine::DoPush(Pending& op, absl::Time now,
                                                Batch& batch, Dirty& dirty,
                                                bool defer) {
  v1::PushRequest& push = op.push;
  const std::string label = op.period.Label();
  ASSIGN_OR_RETURN(PeriodState * state, LoadPeriod(op.period));
  RETURN_IF_ERROR(CheckUnlocked(*state));
  v1::ChildNodeReport& stored = state->pushes[push.child()];
  v1::PushResponse response;
  if (stored.push().revision() >= push.revision()) {
    // A re-delivered or out-of-order older push never overwrites a newer one.
    response.set_stored_revision(stored.push().revision());
    response.set_stale(true);
    if (stored.push().revision() == 0) state->pushes.erase(push.child());
    return response;
  }
  const auto& plans = options_.topology->Plans(op.period.frequency());
  std::vector<size_t> changed;  // the plans this child contributes to
  const Unit* unit = options_.topology->FindChild(push.child())->unit;
  for (size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].Has(unit)) changed.push_back(i);
  }
  if (defer) {
    const bool listed = dirty.count(label) > 0;
    absl::Status fits = StageSums(*state, *unit, push, changed, dirty[label]);
    if (!fits.ok()) {
      if (!listed) dirty.erase(label);
      if (stored.push().revision() == 0) state->pushes.erase(push.child());
      return fits;
    }
  }
  // The breakdown is stored apart from the values (see PushedBreakdown). A
  // replayed group finds it moved out and encoded already.
  if (push.children_size() > 0) {
    v1::PushedBreakdown breakdown;
    breakdown.mutable_children()->Swap(push.mutable_children());
    op.breakdown = breakdown.SerializeAsString();
  }
  // The child's figures changed unless it says this revision carries those of
  // the one stored (its finalisation, or a confirmation of its estimates):
  // then the period changes here too, but not late.
  const bool figures =
      stored.push().revision() == 0 || push.figures_revision() == 0 ||
      push.figures_revision() != stored.push().figures_revision();
  // A first push of this child for the period finds no breakdown stored.
  const bool breakdown_stored =
      stored.push().revision() > 0 && !stored.breakdown_absent();
  const v1::ChildNodeReport before = defer ? v1::ChildNodeReport() : stored;
  if (push.has_late_revision_time() &&
      !SameTime(stored.push().late_revision_time(),
                push.late_revision_time())) {
    *stored.mutable_late_revision_received_time() = ToProto(now);
  }
  const std::string child = push.child();
  if (defer) {
    // Moved rather than copied; should the group's end fail, CommitGroupOnce
    // swaps it back before the group is replayed.
    stored.mutable_push()->Swap(&push);
    op.moved_into = child;
  } else {
    *stored.mutable_push() = push;
  }
  const v1::PushRequest& pushed = stored.push();
  *stored.mutable_received_time() = ToProto(now);
  if (!stored.has_first_received_time()) {
    *stored.mutable_first_received_time() = ToProto(now);
  }
  SetPushContributions(*state, pushed);
  const v1::ConsolidatedReport consolidated_before =
      defer ? v1::ConsolidatedReport() : state->consolidated;
  for (size_t i : changed) {
    if (defer) break;
    absl::Status s = Recompute(*state, i);
    if (!s.ok()) {
      if (before.push().revision() == 0) {
        state->pushes.erase(child);
        state->contributions.erase(child);
      } else {
        stored = before;
        SetPushContributions(*state, before.push());
      }
      state->consolidated = consolidated_before;
      return s;
    }
  }
  // The breakdown replaces the stored one; a push without breakdown writes
  // an empty one only over one stored before.
  stored.set_breakdown_absent(op.breakdown.empty());
  if (!op.breakdown.empty() || breakdown_stored) {
    batch.Put(keys::PushBreakdown(label, child), op.breakdown);
  }
  batch.PutProto(keys::Push(label, child), stored);
  v1::AuditEntry audit;
  audit.set_actor(child);
  audit.set_action("push");
  audit.set_unit(child);
  audit.set_period(label);
  audit.set_revision(pushed.revision());
  AppendAudit(batch, now, std::move(audit));
  MarkDirty(dirty, state, figures, now);
  dirty[label].estimates = true;
  if (defer) {
    dirty[label].stale_plans.insert(changed.begin(), changed.end());
  }
  response.set_stored_revision(pushed.revision());
  return response;
}

absl::Status Engine::DoDelivered(const Pending& op, Batch& batch,
                                 const Dirty& dirty,
                                 std::vector<std::string>& cleared) {
  const std::string label = op.period.Label();
  // A change in this same group will write a newer outbox entry after this
  // delete.
  if (dirty.count(label)) return absl::OkStatus();
  int64_t pending = 0;
  {
    absl::MutexLock lock(&facts_mu_);
    auto it = facts_.find(label);
    if (it != facts_.end()) pending = it->second.outbox;
  }
  // The parent has the pending revision or a newer one. (The stored entry may
  // be absent: a period offered again at start was pending in memory only.)
  if (pending > 0 && pending <= op.delivered_revision) {
    batch.Delete(keys::Outbox(label));
    cleared.push_back(label);
  }
  return absl::OkStatus();
}

absl::Status Engine::DoParentAhead(const Pending& op, absl::Time now,
                                   Batch& batch, Dirty& dirty) {
  if (!options_.has_parent) return absl::OkStatus();
  ASSIGN_OR_RETURN(PeriodState * state, LoadPeriod(op.period));
  v1::ConsolidatedReport& cons = state->consolidated;
  const int64_t parent = op.delivered_revision;
  if (cons.revision() > parent) return absl::OkStatus();  // caught up before
  // Not a change of figures: a locked period moves on too, or the parent
  // would keep figures this node no longer has. (The uploader logged it.)
  v1::AuditEntry audit;
  audit.set_actor("auto");
  audit.set_action(absl::StrCat("revision after the parent's ", parent,
                                " (was ", cons.revision(), ")"));
  audit.set_unit(options_.topology->self().code);
  audit.set_period(op.period.Label());
  audit.set_revision(parent + 1);
  cons.set_revision(parent);
  AppendAudit(batch, now, std::move(audit));
  MarkDirty(dirty, state, /*figures=*/false, now);
  return absl::OkStatus();
}

absl::Status Engine::StageSums(PeriodState& state, const Unit& unit,
                               const v1::PushRequest& push,
                               const std::vector<size_t>& changed,
                               DirtyPeriod& group) const {
  const Topology& topo = *options_.topology;
  group.state = &state;
  const auto& plans = topo.Plans(state.period.frequency());
  const auto old_it = state.contributions.find(push.child());
  auto value_of =
      [](const v1::ConsolidatedValue* v) -> std::pair<int64_t, int64_t> {
    if (v == nullptr) return {0, 0};
    if (v->value().has_ratio()) {
      return {v->value().ratio().numerator(), v->value().ratio().denominator()};
    }
    return {v->value().number(), 0};
  };
  // Committed to `group` once every plan fits (`changed` lists each plan
  // once).
  absl::InlinedVector<std::pair<size_t, DirtyPeriod::Staged>, 16> staged;
  for (size_t i : changed) {
    const v1::Indicator& ind = *plans[i].indicator;
    if (ind.rollup() != v1::ROLLUP_RATIO_OF_SUMS &&
        ind.rollup() != v1::ROLLUP_SUM) {
      continue;
    }
    auto it = group.staged.find(i);
    std::pair<int64_t, int64_t> sums =
        it != group.staged.end()
            ? it->second.sums
            : value_of(&state.consolidated.values(static_cast<int>(i)));
    const v1::ConsolidatedValue* old = nullptr;
    if (old_it != state.contributions.end()) {
      auto jt = old_it->second.find(ind.code());
      if (jt != old_it->second.end()) old = &jt->second;
    }
    const v1::ConsolidatedValue* now = nullptr;
    for (const v1::ConsolidatedValue& v : push.values()) {
      if (v.indicator() == ind.code()) now = &v;
    }
    // Values are never negative, so the sum without the old part is in range
    // and only the new part can make it overflow (as Recompute would find).
    const auto [old_a, old_b] = value_of(old);
    const auto [new_a, new_b] = value_of(now);
    auto a = CheckedAdd(sums.first - old_a, new_a);
    auto b = CheckedAdd(sums.second - old_b, new_b);
    if (!a || !b) {
      return absl::OutOfRangeError(
          absl::StrCat(ind.code(), ": the sum of ",
                       ind.rollup() == v1::ROLLUP_SUM ? "values"
                       : !a                           ? "numerators"
                                                      : "denominators",
                       " would exceed the int64 range"));
    }
    CoveragePart moved =
        CoverageOf(topo.catalog(), topo.registry(), unit, ind, now);
    moved -= CoverageOf(topo.catalog(), topo.registry(), unit, ind, old);
    staged.push_back({i, {{*a, *b}, moved}});
  }
  for (const auto& [i, s] : staged) {
    DirtyPeriod::Staged& kept = group.staged[i];
    kept.sums = s.sums;
    kept.moved += s.moved;
  }
  return absl::OkStatus();
}

absl::Status Engine::UpdateStalePlan(DirtyPeriod& changed, size_t i) const {
  const Topology& topo = *options_.topology;
  PeriodState& state = *changed.state;
  const v1::Indicator& ind = *topo.Plans(state.period.frequency())[i].indicator;
  auto staged = changed.staged.find(i);
  if (staged == changed.staged.end() || !CanApplyChange(topo.self(), ind)) {
    return Recompute(state, i);
  }
  const DirtyPeriod::Staged& s = staged->second;
  ApplyChange(topo.catalog(), topo.self(), state.period, ind, s.moved,
              s.sums.first, s.sums.second,
              state.consolidated.mutable_values(static_cast<int>(i)));
  return absl::OkStatus();
}

void Engine::SetPushContributions(PeriodState& state,
                                  const v1::PushRequest& push) const {
  auto& mine = state.contributions[push.child()];
  mine.clear();
  for (const v1::ConsolidatedValue& v : push.values()) mine[v.indicator()] = v;
}

}  // namespace tonghop
