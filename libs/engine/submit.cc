// Engine: submissions from units — validation, then on the writer: idempotency,
// the new revision, the recomputed consolidation.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/log.h"
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
using engine_internal::Fingerprint;
using engine_internal::FromProto;
using engine_internal::SameTime;
using engine_internal::SameValue;
using engine_internal::ToProto;
using google::protobuf::util::TimeUtil;

namespace {
// From when the registry's units (the 2025 reorganisation) exist.
constexpr absl::CivilDay kUnitsSince(2025, 7, 1);
}  // namespace

absl::Status Engine::CheckBegun(const Period& period) const {
  // A period whose data window has not opened yet (a typo of the year, a
  // month ahead) has no figure to report yet: stored, it would wait for a
  // deadline months or centuries away (past 2262, beyond absl::Time's range,
  // the status showed a garbage deadline).
  const DataWindow window = WindowOf(period);
  const absl::CivilDay today =
      absl::ToCivilDay(options_.clock->Now(), calendar_->zone());
  if (window.first <= today) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("period: ", period.Label(),
                   " has not begun: its data window ", window.Text(),
                   " opens after today (", absl::FormatCivilTime(today), ")"));
}

void Engine::Submit(v1::SubmitRequest request, SubmitDone done) {
  const Topology& topo = *options_.topology;
  auto checked = ValidateSubmission(
      topo.catalog(), topo.registry(), request,
      [&](const Unit& u) { return topo.AcceptsSubmitter(u); });
  if (!checked.ok()) {
    done(checked.status());
    return;
  }
  if (absl::Status begun = CheckBegun(checked->period); !begun.ok()) {
    done(begun);
    return;
  }
  const DataWindow window = WindowOf(checked->period);
  // Nor one that ended before the units it is reported by existed (a typo of
  // the year: 2016 for 2026): the registry's communes and cities are those of
  // the reorganisation in force from 1 July 2025.
  if (window.last < kUnitsSince) {
    done(absl::InvalidArgumentError(absl::StrCat(
        "period: ", checked->period.Label(), " ended before ",
        absl::FormatCivilTime(kUnitsSince),
        ", when the communes and cities of the 2025 reorganisation came into "
        "being (its data window is ",
        window.Text(), ")")));
    return;
  }
  Pending op;
  op.kind = Pending::Kind::kSubmit;
  op.request = std::move(request);
  op.checked = *std::move(checked);
  op.submit_done = std::move(done);
  Enqueue(std::move(op));
}

absl::StatusOr<v1::SubmitResponse> Engine::SubmitAndWait(
    v1::SubmitRequest request) {
  return Await<v1::SubmitResponse>(
      [&](SubmitDone done) { Submit(std::move(request), std::move(done)); });
}

Engine::Finish Engine::ApplySubmit(
    Pending& op, absl::Time now, Batch& batch,
    std::map<std::string, std::string>& group_keys, Dirty& dirty) {
  auto result = DoSubmit(op, now, batch, group_keys, dirty);
  return
      [done = std::move(op.submit_done), result](const absl::Status& written) {
        // A replay stored nothing, so it stands whatever happened to the batch.
        done(!result.ok() || result->replayed() || written.ok()
                 ? result
                 : absl::StatusOr<v1::SubmitResponse>(written));
      };
}

absl::StatusOr<v1::SubmitResponse> Engine::DoSubmit(
    Pending& op, absl::Time now, Batch& batch,
    std::map<std::string, std::string>& group_keys, Dirty& dirty) {
  const v1::SubmitRequest& req = op.request;
  const std::string label = op.checked.period.Label();
  const std::string idem_key =
      keys::Idempotency(req.unit(), label, req.idempotency_key());
  const std::string fingerprint = Fingerprint(req);

  // A key seen before (in this group or on disk) answers with its first result.
  v1::IdempotencyRecord record;
  bool seen = false;
  if (auto it = group_keys.find(idem_key); it != group_keys.end()) {
    seen = record.ParseFromString(it->second);
  } else {
    ASSIGN_OR_RETURN(seen, options_.db->GetProto(idem_key, &record));
  }
  if (seen) {
    if (record.fingerprint() != fingerprint) {
      return absl::AlreadyExistsError(
          absl::StrCat("idempotency_key: '", req.idempotency_key(),
                       "' was already used for unit ", req.unit(), " period ",
                       label, " with different values"));
    }
    v1::SubmitResponse replay = record.response();
    replay.set_replayed(true);
    return replay;
  }

  // The key's record (so that a retry answers alike) and the audit entry of
  // an accepted submission.
  auto keep_and_audit = [&](const v1::SubmitResponse& response,
                            absl::string_view action) {
    record.set_fingerprint(fingerprint);
    *record.mutable_response() = response;
    std::string record_bytes = record.SerializeAsString();
    batch.Put(idem_key, record_bytes);
    group_keys[idem_key] = std::move(record_bytes);
    v1::AuditEntry audit;
    audit.set_actor(req.actor());
    audit.set_action(std::string(action));
    audit.set_unit(req.unit());
    audit.set_period(label);
    audit.set_revision(response.revision());
    *audit.mutable_changes() = response.changes();
    audit.set_idempotency_key(req.idempotency_key());
    AppendAudit(batch, now, std::move(audit));
  };
  ASSIGN_OR_RETURN(PeriodState * state, LoadPeriod(op.checked.period));
  RETURN_IF_ERROR(CheckUnlocked(*state));
  v1::UnitReport& report = state->reports[req.unit()];
  const v1::UnitReport before = report;
  // The unit's deadline: a child's is the children's; the node's own part
  // travels in the node's report, due to the parent.
  const bool own = req.unit() == options_.topology->self().code;
  const absl::Time due = calendar_->UnitDue(op.checked.period, req.unit());
  // Likewise the node's own part is finalised with the node's report.
  const bool finalised = own ? state->consolidated.has_finalized_time()
                             : before.has_finalized_time();
  report.set_unit(req.unit());
  report.set_period(label);
  report.set_revision(report.revision() + 1);
  *report.mutable_updated_time() = ToProto(now);

  v1::SubmitResponse response;
  response.set_revision(report.revision());
  *response.mutable_received_time() = ToProto(now);
  std::map<std::string, v1::ReportValue> values;
  for (const v1::ReportValue& v : report.values()) values[v.indicator()] = v;
  // More than confirmations of estimates and changes of notes.
  bool figures_changed = false;
  const bool window_closed =
      !calendar_->BeforeWindowCloses(op.checked.period, now);
  for (const CheckedValue& cv : op.checked.values) {
    const std::string& code = cv.indicator->code();
    auto it = values.find(code);
    const v1::ReportValue* old = it == values.end() ? nullptr : &it->second;
    // The same figure sent again after the data window closed, over an
    // estimate, confirms it as final (even once the unit's report is
    // finalised: "a later revision may replace" an annual report's
    // estimates): a revision, so that the estimate flag clears here and up
    // the chain, but no change of figures, so never a late one. Later, the
    // same figures again stay no change.
    const bool same_figure =
        old != nullptr && !cv.clear &&
        old->value().SerializeAsString() == cv.value.SerializeAsString();
    const bool confirms = same_figure && window_closed &&
                          calendar_->IsEstimate(op.checked.period, due,
                                                FromProto(old->updated_time()));
    if (SameValue(old, cv) && !confirms) continue;
    // Only the note beside an unchanged figure is no change of figures either
    // (never a late one), and the figure keeps the time it was set.
    figures_changed |= !same_figure;
    v1::ValueChange* change = response.add_changes();
    change->set_indicator(code);
    change->set_confirmed(confirms);
    if (old) *change->mutable_old_value() = old->value();
    if (cv.clear) {
      values.erase(code);
      continue;
    }
    *change->mutable_new_value() = cv.value;
    v1::ReportValue& nv = values[code];
    nv.set_indicator(code);
    *nv.mutable_value() = cv.value;
    nv.set_note(cv.note);
    nv.set_revision(report.revision());
    if (!same_figure || confirms) *nv.mutable_updated_time() = ToProto(now);
  }
  if (response.changes().empty() && before.revision() == 0) {
    // Only clears, of figures never sent: storing it would make a revision
    // with no figure, which could then be finalised as a report on time.
    state->reports.erase(req.unit());
    return absl::InvalidArgumentError(
        absl::StrCat("values: nothing to store: ", req.unit(),
                     " has no figure for ", label, " to clear"));
  }
  if (response.changes().empty()) {
    // The same figures again (another file, a second click): the report, its
    // revision and the consolidation stay as they are, and it is no late
    // revision. The key is kept, so a retry answers alike.
    report = before;
    response.set_revision(before.revision());
    keep_and_audit(response, "submit (no change)");
    return response;
  }
  report.clear_values();
  for (auto& [code, v] : values) *report.add_values() = std::move(v);
  // A change of figures after finalisation or after the deadline is
  // accepted, marked late.
  if (figures_changed && (finalised || now >= due)) {
    *report.mutable_late_revision_time() = ToProto(now);
  }

  // Recompute the consolidated values the submission touches; undo it all on
  // overflow.
  const v1::ConsolidatedReport consolidated_before = state->consolidated;
  SetContributions(*state, report);
  const auto& plans = options_.topology->Plans(op.checked.period.frequency());
  for (size_t i = 0; i < plans.size(); ++i) {
    bool touched = false;
    for (const CheckedValue& cv : op.checked.values)
      touched |= cv.indicator == plans[i].indicator;
    if (!touched) continue;
    absl::Status s = Recompute(*state, i);
    if (!s.ok()) {
      if (before.revision() == 0) {
        state->reports.erase(req.unit());
        state->contributions.erase(req.unit());
      } else {
        report = before;
        SetContributions(*state, before);
      }
      state->consolidated = consolidated_before;
      return s;
    }
  }

  batch.PutProto(keys::Report(label, req.unit()), report);
  keep_and_audit(response, "submit");
  MarkDirty(dirty, state, figures_changed, now);
  dirty[label].estimates = true;
  return response;
}

void Engine::MarkDirty(Dirty& dirty, PeriodState* state, bool figures,
                       absl::Time now) const {
  DirtyPeriod& changed = dirty[state->period.Label()];
  changed.state = state;
  if (!figures) return;
  changed.figures = true;
  // A change of figures after this node finalised, or after its parent's
  // deadline, is a late revision.
  const auto parent_due = calendar_->ParentDue(state->period);
  if (state->consolidated.has_finalized_time() ||
      (parent_due.has_value() && now >= *parent_due)) {
    changed.late = true;
  }
}

}  // namespace tonghop
