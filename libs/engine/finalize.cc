// Engine: finalisation of reports and locks of periods.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/log.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/zone.h"
#include "libs/catalog/validate.h"
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

void Engine::Finalize(v1::FinalizeRequest request, FinalizeDone done) {
  const Topology& topo = *options_.topology;
  auto period = ParsePeriodField(request.period());
  if (!period.ok()) {
    done(period.status());
    return;
  }
  if (absl::Status actor = CheckText("actor", request.actor(), kMaxActorBytes,
                                     /*lines=*/false);
      !actor.ok()) {
    done(actor);
    return;
  }
  Pending op;
  if (!request.unit().empty() && request.unit() != topo.self().code) {
    if (topo.registry().Find(request.unit()) == nullptr) {
      done(absl::NotFoundError(
          absl::StrCat("unit: '", request.unit(), "' is not a known unit")));
      return;
    }
    const Child* child = topo.FindChild(request.unit());
    if (child == nullptr) {
      done(absl::FailedPreconditionError(
          absl::StrCat("unit: ", request.unit(), " is not a child of ",
                       topo.self().code, "; it does not report here")));
      return;
    }
    if (child->kind != v1::ChildConfig::KIND_UNIT) {
      done(absl::FailedPreconditionError(absl::StrCat(
          "unit: ", request.unit(), " is a child node of ", topo.self().code,
          "; a child node finalises its own report")));
      return;
    }
    op.unit = request.unit();
  }
  op.kind = Pending::Kind::kFinalize;
  op.period = *period;
  op.actor = request.actor();
  op.finalize_done = std::move(done);
  Enqueue(std::move(op));
}

absl::StatusOr<v1::FinalizeResponse> Engine::FinalizeAndWait(
    v1::FinalizeRequest request) {
  return Await<v1::FinalizeResponse>([&](FinalizeDone done) {
    Finalize(std::move(request), std::move(done));
  });
}

void Engine::SetLock(v1::SetLockRequest request, LockDone done) {
  auto period = ParsePeriodField(request.period());
  if (!period.ok()) {
    done(period.status());
    return;
  }
  if (absl::Status actor = CheckText("actor", request.actor(), kMaxActorBytes,
                                     /*lines=*/false);
      !actor.ok()) {
    done(actor);
    return;
  }
  // Locking a period that has not begun locks nothing anyone could send (a
  // typo of the year); unlocking stays open, for a lock made before.
  if (request.locked()) {
    if (absl::Status begun = CheckBegun(*period); !begun.ok()) {
      done(begun);
      return;
    }
  }
  Pending op;
  op.kind = Pending::Kind::kLock;
  op.period = *period;
  op.locked = request.locked();
  op.actor = request.actor();
  op.lock_done = std::move(done);
  Enqueue(std::move(op));
}

absl::StatusOr<v1::LockRecord> Engine::SetLockAndWait(
    v1::SetLockRequest request) {
  return Await<v1::LockRecord>(
      [&](LockDone done) { SetLock(std::move(request), std::move(done)); });
}

absl::Status Engine::CheckUnlocked(const PeriodState& state) {
  if (!state.lock.locked()) return absl::OkStatus();
  const v1::LockEvent& last = *state.lock.events().rbegin();
  return absl::FailedPreconditionError(absl::StrCat(
      "period: ", state.period.Label(), " is locked (by ", last.actor(), " at ",
      FormatVietnamTime(
          absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(last.time()))),
      "); it must be unlocked first"));
}

absl::StatusOr<v1::FinalizeResponse> Engine::DoFinalize(Pending& op,
                                                        absl::Time now,
                                                        Batch& batch,
                                                        Dirty& dirty) {
  const std::string label = op.period.Label();
  ASSIGN_OR_RETURN(PeriodState * state, LoadPeriod(op.period));
  // A lock freezes what the node received; finalising the node's own report
  // changes no figure, and must go on (automatically too) for the parent's
  // deadline: a lock on the 23rd would otherwise keep a city's report
  // provisional past the 25th.
  if (!op.unit.empty()) RETURN_IF_ERROR(CheckUnlocked(*state));
  v1::FinalizeResponse response;
  const google::protobuf::Timestamp* finalized;
  absl::Time due;
  if (op.unit.empty()) {
    v1::ConsolidatedReport& cons = state->consolidated;
    due = calendar_->ParentDue(op.period).value_or(absl::InfiniteFuture());
    if (!cons.has_finalized_time()) {
      bool any_value = false;
      for (const auto& v : cons.values()) any_value |= v.has_value();
      if (!any_value) {
        return absl::FailedPreconditionError(
            absl::StrCat("period: this node's report for ", label,
                         " holds no figure yet; there is nothing to finalise"));
      }
      // The automatic finalisation of a report whose figures have not changed
      // since it fell due (the node was down then, or its simulated clock
      // jumped over it) finalises the report as it stood at that instant: at
      // that instant. A change of state only since (a child's finalisation
      // arriving, a note) leaves the figures as they stood.
      absl::Time at = now;
      const auto scheduled = calendar_->AutoFinalizeAt(op.period);
      const absl::Time figures_changed = FromProto(
          cons.has_figures_time() ? cons.figures_time() : cons.updated_time());
      if (op.automatic && scheduled.has_value() && *scheduled < now &&
          figures_changed <= *scheduled) {
        at = *scheduled;
      }
      *cons.mutable_finalized_time() = ToProto(at);
      cons.set_finalized_by(op.automatic ? "auto" : op.actor);
      MarkDirty(dirty, state, /*figures=*/false, now);  // carried upward
    } else {
      response.set_already_final(true);
    }
    finalized = &cons.finalized_time();
  } else {
    auto it = state->reports.find(op.unit);
    if (it == state->reports.end() || it->second.revision() == 0) {
      return absl::NotFoundError(
          absl::StrCat("unit: ", op.unit, " has submitted nothing for ", label,
                       "; there is nothing to finalise"));
    }
    v1::UnitReport& report = it->second;
    if (report.values().empty() && !report.has_finalized_time()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "unit: ", op.unit, "'s report for ", label,
          " holds no figure (every value was cleared); there is nothing to "
          "finalise"));
    }
    due = calendar_->ChildrenDue(op.period);
    if (!report.has_finalized_time()) {
      *report.mutable_finalized_time() = ToProto(now);
      report.set_finalized_by(op.actor);
      batch.PutProto(keys::Report(label, op.unit), report);
      // No figure changes, but the node's rates do: its parent hears of it.
      MarkDirty(dirty, state, /*figures=*/false, now);
    } else {
      response.set_already_final(true);
    }
    finalized = &report.finalized_time();
  }
  *response.mutable_finalized_time() = *finalized;
  if (due != absl::InfiniteFuture()) *response.mutable_due() = ToProto(due);
  response.set_on_time(
      absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(*finalized)) < due);
  if (!response.already_final()) {
    v1::AuditEntry audit;
    audit.set_actor(op.automatic ? "auto" : op.actor);
    audit.set_action("finalize");
    audit.set_unit(op.unit.empty() ? options_.topology->self().code : op.unit);
    audit.set_period(label);
    AppendAudit(batch, now, std::move(audit));
  }
  return response;
}

absl::StatusOr<v1::LockRecord> Engine::DoLock(Pending& op, absl::Time now,
                                              Batch& batch) {
  const std::string label = op.period.Label();
  ASSIGN_OR_RETURN(PeriodState * state, LoadPeriod(op.period));
  v1::LockRecord& lock = state->lock;
  if (op.automatic && lock.auto_lock_done())
    return lock;                                // an explicit unlock sticks
  if (lock.locked() == op.locked) return lock;  // nothing to change
  lock.set_locked(op.locked);
  if (op.automatic) lock.set_auto_lock_done(true);
  v1::LockEvent* event = lock.add_events();
  event->set_locked(op.locked);
  event->set_actor(op.automatic ? "auto" : op.actor);
  *event->mutable_time() = ToProto(now);
  batch.PutProto(keys::Lock(label), lock);
  v1::AuditEntry audit;
  audit.set_actor(event->actor());
  audit.set_action(op.locked ? "lock" : "unlock");
  audit.set_unit(options_.topology->self().code);
  audit.set_period(label);
  AppendAudit(batch, now, std::move(audit));
  return lock;
}

}  // namespace tonghop
