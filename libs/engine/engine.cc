#include "libs/engine/engine.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/log.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/zone.h"
#include "libs/federation/validate_push.h"
#include "libs/rollup/rollup.h"
#include "tonghop/v1/store.pb.h"

namespace tonghop {
namespace {

using google::protobuf::util::TimeUtil;

bool SameTime(const google::protobuf::Timestamp& a,
              const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

// What makes two submissions under one key "the same content": unit, period and
// values.
std::string Fingerprint(const v1::SubmitRequest& request) {
  v1::SubmitRequest content;
  content.set_unit(request.unit());
  content.set_period(request.period());
  *content.mutable_values() = request.values();
  std::string bytes;
  google::protobuf::io::StringOutputStream out(&bytes);
  google::protobuf::io::CodedOutputStream coded(&out);
  coded.SetSerializationDeterministic(true);
  content.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

// Starts an asynchronous operation with a completion callback and waits for its
// result.
template <typename T, typename StartFn>
absl::StatusOr<T> Await(StartFn start) {
  absl::Mutex mu;
  bool finished = false;
  absl::StatusOr<T> result;
  start([&](absl::StatusOr<T> r) {
    absl::MutexLock lock(&mu);
    result = std::move(r);
    finished = true;
  });
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(&finished));
  return result;
}

bool SameValue(const v1::ReportValue* a, const CheckedValue& b) {
  if (a == nullptr) return b.clear;
  if (b.clear) return false;
  return a->value().SerializeAsString() == b.value.SerializeAsString() &&
         a->note() == b.note;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Start(const Options& options) {
  std::unique_ptr<Engine> engine(new Engine(options));
  ASSIGN_OR_RETURN(std::string last, options.db->LastKey(keys::kAuditPrefix));
  if (!last.empty()) {
    uint64_t seq = 0;
    if (!absl::SimpleHexAtoi(
            absl::string_view(last).substr(keys::kAuditPrefix.size()), &seq)) {
      return absl::DataLossError(
          absl::StrCat("audit key '", last, "' is malformed"));
    }
    engine->audit_sequence_ = seq;
  }
  auto first = options.db->Get(keys::Meta("first_start"));
  int64_t first_seconds = 0;
  if (first.ok() && absl::SimpleAtoi(*first, &first_seconds)) {
    engine->first_start_ = absl::FromUnixSeconds(first_seconds);
  } else {
    engine->first_start_ = options.clock->Now();
    Batch batch;
    batch.Put(keys::Meta("first_start"),
              absl::StrCat(absl::ToUnixSeconds(engine->first_start_)));
    RETURN_IF_ERROR(options.db->Write(batch, /*sync=*/true));
  }
  engine->calendar_ = options.calendar;
  if (engine->calendar_ == nullptr) {
    ASSIGN_OR_RETURN(
        engine->owned_calendar_,
        NodeCalendar::Build(v1::NodeConfig(), options.topology->registry(),
                            options.topology->self(), Holidays()));
    engine->calendar_ = engine->owned_calendar_.get();
  }
  engine->writer_ = std::thread([e = engine.get()] { e->WriterLoop(); });
  engine->ticker_ = std::thread([e = engine.get()] { e->TickerLoop(); });
  return engine;
}

Engine::~Engine() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (ticker_.joinable()) ticker_.join();
  if (writer_.joinable()) writer_.join();
}

void Engine::Enqueue(Pending op) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(std::move(op));
      return;
    }
  }
  absl::Status down = absl::UnavailableError("the node is shutting down");
  if (op.submit_done) op.submit_done(down);
  if (op.push_done) op.push_done(down);
  if (op.finalize_done) op.finalize_done(down);
  if (op.lock_done) op.lock_done(down);
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
  Pending op;
  op.kind = Pending::Kind::kSubmit;
  op.request = std::move(request);
  op.checked = *std::move(checked);
  op.submit_done = std::move(done);
  Enqueue(std::move(op));
}

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
  auto period =
      ValidatePush(topo.catalog(), topo.registry(), *child->unit, request);
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

void Engine::Delivered(const std::string& period, int64_t revision) {
  auto parsed = ParsePeriod(period);
  if (!parsed.ok()) return;
  Pending op;
  op.kind = Pending::Kind::kDelivered;
  op.period = *parsed;
  op.delivered_revision = revision;
  Enqueue(std::move(op));
}

void Engine::Finalize(v1::FinalizeRequest request, FinalizeDone done) {
  const Topology& topo = *options_.topology;
  auto period = ParsePeriod(request.period());
  if (!period.ok()) {
    done(absl::InvalidArgumentError(
        absl::StrCat("period: ", period.status().message())));
    return;
  }
  Pending op;
  if (!request.unit().empty() && request.unit() != topo.self().code) {
    const Child* child = topo.FindChild(request.unit());
    if (child == nullptr || child->kind != v1::ChildConfig::KIND_UNIT) {
      done(absl::FailedPreconditionError(absl::StrCat(
          "unit: ", request.unit(), " is not a unit that submits to ",
          topo.self().code, " (a child node finalises its own report)")));
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
  auto period = ParsePeriod(request.period());
  if (!period.ok()) {
    done(absl::InvalidArgumentError(
        absl::StrCat("period: ", period.status().message())));
    return;
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

absl::StatusOr<std::vector<OutboxSource::Item>> Engine::PendingOutbox() const {
  ASSIGN_OR_RETURN(auto rows, options_.db->Scan(keys::kOutboxPrefix));
  std::vector<Item> items;
  for (auto& [key, value] : rows) {
    Item item;
    item.period = key.substr(keys::kOutboxPrefix.size());
    if (!absl::SimpleAtoi(value, &item.revision)) {
      return absl::DataLossError(
          absl::StrCat("outbox entry ", key, " is malformed"));
    }
    items.push_back(std::move(item));
  }
  return items;
}

absl::StatusOr<v1::PushRequest> Engine::BuildPush(
    const std::string& period) const {
  v1::GetRollupRequest request;
  request.set_period(period);
  request.set_breakdown(true);
  ASSIGN_OR_RETURN(v1::GetRollupResponse rollup, GetRollup(request));
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
  }
  if (rollup.report().has_late_revision_time()) {
    *push.mutable_late_revision_time() = rollup.report().late_revision_time();
  }
  push.set_estimate(rollup.report().estimate());
  ASSIGN_OR_RETURN(Period p, ParsePeriod(period));
  *push.mutable_leaves() = LeafRates(p, nullptr);
  return push;
}

absl::StatusOr<v1::SubmitResponse> Engine::SubmitAndWait(
    v1::SubmitRequest request) {
  return Await<v1::SubmitResponse>(
      [&](SubmitDone done) { Submit(std::move(request), std::move(done)); });
}

void Engine::WriterLoop() {
  while (true) {
    std::deque<Pending> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Engine* e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(e->mu_) {
            return !e->queue_.empty() || e->stopping_;
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to write
      size_t n = std::min<size_t>(queue_.size(), options_.max_group);
      for (size_t i = 0; i < n; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
  }
}

void Engine::CommitGroup(std::deque<Pending>& group) {
  const absl::Time now = options_.clock->Now();
  Batch batch;
  std::map<std::string, std::string>
      group_keys;  // idempotency keys written in this group
  Dirty dirty;
  std::vector<Finish> finishes;
  finishes.reserve(group.size());
  const uint64_t audit_before = audit_sequence_;
  bool planned_reminders = false;
  for (Pending& op : group) {
    switch (op.kind) {
      case Pending::Kind::kSubmit:
        finishes.push_back(ApplySubmit(op, now, batch, group_keys, dirty));
        break;
      case Pending::Kind::kPush: {
        auto result = DoPush(op, now, batch, dirty);
        finishes.push_back(
            [done = std::move(op.push_done), result](const absl::Status& w) {
              done(!result.ok() || result->stale() || w.ok()
                       ? result
                       : absl::StatusOr<v1::PushResponse>(w));
            });
        break;
      }
      case Pending::Kind::kFinalize: {
        auto result = DoFinalize(op, now, batch, dirty);
        finishes.push_back([done = std::move(op.finalize_done),
                            result](const absl::Status& w) {
          done(!result.ok() || result->already_final() || w.ok()
                   ? result
                   : absl::StatusOr<v1::FinalizeResponse>(w));
        });
        break;
      }
      case Pending::Kind::kLock: {
        auto result = DoLock(op, now, batch);
        finishes.push_back(
            [done = std::move(op.lock_done), result](const absl::Status& w) {
              done(!result.ok() || w.ok() ? result
                                          : absl::StatusOr<v1::LockRecord>(w));
            });
        break;
      }
      case Pending::Kind::kPlanReminders:
        DoPlanReminders(op, now, batch);
        planned_reminders = true;
        break;
      case Pending::Kind::kInbox:
        DoInbox(op, batch);
        break;
      case Pending::Kind::kDelivered: {
        absl::Status s = DoDelivered(op, batch, dirty);
        if (!s.ok())
          LogWarning("outbox acknowledgement of ", op.period.Label(), ": ",
                     s.ToString());
        break;
      }
    }
  }
  for (auto& [label, changed] : dirty) {
    PeriodState* state = changed.state;
    v1::ConsolidatedReport& cons = state->consolidated;
    if (changed.late) *cons.mutable_late_revision_time() = ToProto(now);
    cons.set_window(WindowOf(state->period).Text());
    // Figures changed before the data window closed are estimates; a
    // finalisation alone changes no figure and keeps the flag.
    if (changed.figures) {
      cons.set_estimate(calendar_->BeforeWindowCloses(state->period, now));
    }
    state->consolidated.set_revision(state->consolidated.revision() + 1);
    *state->consolidated.mutable_updated_time() = ToProto(now);
    batch.PutProto(keys::Consolidated(label), state->consolidated);
    if (options_.has_parent) {
      batch.Put(keys::Outbox(label),
                absl::StrCat(state->consolidated.revision()));
    }
  }
  absl::Status written;
  if (batch.count() > 0) {
    written = options_.db->Write(batch, /*sync=*/true);
    if (!written.ok()) {
      LogError("write of ", group.size(),
               " operations failed: ", written.ToString());
      // Nothing of the group is stored: forget the in-memory state it changed.
      for (auto& [label, changed] : dirty) periods_.erase(label);
      audit_sequence_ = audit_before;
    }
  }
  for (Finish& finish : finishes) finish(written);
  if (written.ok() && planned_reminders && options_.on_reminders)
    options_.on_reminders();
  if (!written.ok() && planned_reminders)
    reminder_sequence_ = 0;  // re-read when next planned
  if (written.ok() && batch.count() > 0 && options_.has_parent &&
      options_.on_outbox) {
    options_.on_outbox();
  }
}

void Engine::AppendAudit(Batch& batch, absl::Time now, v1::AuditEntry entry) {
  entry.set_sequence(++audit_sequence_);
  *entry.mutable_time() = ToProto(now);
  batch.PutProto(keys::Audit(entry.sequence()), entry);
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

  ASSIGN_OR_RETURN(PeriodState * state, LoadPeriod(op.checked.period));
  RETURN_IF_ERROR(CheckUnlocked(*state));
  v1::UnitReport& report = state->reports[req.unit()];
  const v1::UnitReport before = report;
  // A revision after finalisation or after the deadline is accepted, marked
  // late.
  if (report.has_finalized_time() ||
      now >= calendar_->ChildrenDue(op.checked.period)) {
    *report.mutable_late_revision_time() = ToProto(now);
  }
  report.set_unit(req.unit());
  report.set_period(label);
  report.set_revision(report.revision() + 1);
  *report.mutable_updated_time() = ToProto(now);

  v1::SubmitResponse response;
  response.set_revision(report.revision());
  *response.mutable_received_time() = ToProto(now);
  std::map<std::string, v1::ReportValue> values;
  for (const v1::ReportValue& v : report.values()) values[v.indicator()] = v;
  for (const CheckedValue& cv : op.checked.values) {
    const std::string& code = cv.indicator->code();
    auto it = values.find(code);
    const v1::ReportValue* old = it == values.end() ? nullptr : &it->second;
    if (SameValue(old, cv)) continue;
    v1::ValueChange* change = response.add_changes();
    change->set_indicator(code);
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
    *nv.mutable_updated_time() = ToProto(now);
  }
  report.clear_values();
  for (auto& [code, v] : values) *report.add_values() = std::move(v);

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
  record.set_fingerprint(fingerprint);
  *record.mutable_response() = response;
  std::string record_bytes = record.SerializeAsString();
  batch.Put(idem_key, record_bytes);
  group_keys[idem_key] = std::move(record_bytes);
  v1::AuditEntry audit;
  audit.set_actor(req.actor());
  audit.set_action("submit");
  audit.set_unit(req.unit());
  audit.set_period(label);
  audit.set_revision(report.revision());
  *audit.mutable_changes() = response.changes();
  audit.set_idempotency_key(req.idempotency_key());
  AppendAudit(batch, now, std::move(audit));
  MarkDirty(dirty, state, /*figures=*/true, now);
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

absl::StatusOr<v1::PushResponse> Engine::DoPush(Pending& op, absl::Time now,
                                                Batch& batch, Dirty& dirty) {
  const v1::PushRequest& push = op.push;
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
  const v1::ChildNodeReport before = stored;
  if (push.has_late_revision_time() &&
      !SameTime(before.push().late_revision_time(),
                push.late_revision_time())) {
    *stored.mutable_late_revision_received_time() = ToProto(now);
  }
  *stored.mutable_push() = push;
  *stored.mutable_received_time() = ToProto(now);
  if (!stored.has_first_received_time()) {
    *stored.mutable_first_received_time() = ToProto(now);
  }
  const v1::ConsolidatedReport consolidated_before = state->consolidated;
  SetPushContributions(*state, push);
  const auto& plans = options_.topology->Plans(op.period.frequency());
  for (size_t i = 0; i < plans.size(); ++i) {
    const auto& children = plans[i].children;
    if (std::find_if(children.begin(), children.end(), [&](const Unit* u) {
          return u->code == push.child();
        }) == children.end()) {
      continue;
    }
    absl::Status s = Recompute(*state, i);
    if (!s.ok()) {
      if (before.push().revision() == 0) {
        state->pushes.erase(push.child());
        state->contributions.erase(push.child());
      } else {
        stored = before;
        SetPushContributions(*state, before.push());
      }
      state->consolidated = consolidated_before;
      return s;
    }
  }
  batch.PutProto(keys::Push(label, push.child()), stored);
  v1::AuditEntry audit;
  audit.set_actor(push.child());
  audit.set_action("push");
  audit.set_unit(push.child());
  audit.set_period(label);
  audit.set_revision(push.revision());
  AppendAudit(batch, now, std::move(audit));
  MarkDirty(dirty, state, /*figures=*/true, now);
  response.set_stored_revision(push.revision());
  return response;
}

absl::Status Engine::DoDelivered(const Pending& op, Batch& batch,
                                 Dirty& dirty) {
  const std::string label = op.period.Label();
  // A change in this same group will write a newer outbox entry after this
  // delete.
  if (dirty.count(label)) return absl::OkStatus();
  auto stored = options_.db->Get(keys::Outbox(label));
  if (absl::IsNotFound(stored.status())) return absl::OkStatus();
  RETURN_IF_ERROR(stored.status());
  int64_t revision = 0;
  if (!absl::SimpleAtoi(*stored, &revision)) {
    return absl::DataLossError(
        absl::StrCat("outbox entry of ", label, " is malformed"));
  }
  if (revision <= op.delivered_revision) batch.Delete(keys::Outbox(label));
  return absl::OkStatus();
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
  RETURN_IF_ERROR(CheckUnlocked(*state));
  v1::FinalizeResponse response;
  const google::protobuf::Timestamp* finalized;
  absl::Time due;
  if (op.unit.empty()) {
    v1::ConsolidatedReport& cons = state->consolidated;
    due = calendar_->ParentDue(op.period).value_or(absl::InfiniteFuture());
    if (!cons.has_finalized_time()) {
      bool any_value = false;
      for (const auto& v : cons.values()) any_value |= v.has_value();
      if (op.automatic && !any_value) {
        return absl::FailedPreconditionError(
            "a report with no value is never finalised automatically");
      }
      *cons.mutable_finalized_time() = ToProto(now);
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

absl::StatusOr<Engine::PeriodState*> Engine::LoadPeriod(const Period& period) {
  const std::string label = period.Label();
  auto it = periods_.find(label);
  if (it != periods_.end()) return it->second.get();
  auto state = std::make_unique<PeriodState>();
  state->period = period;
  ASSIGN_OR_RETURN(auto rows, options_.db->Scan(keys::ReportPrefix(label)));
  for (auto& [key, bytes] : rows) {
    v1::UnitReport report;
    if (!report.ParseFromString(bytes)) {
      return absl::DataLossError(
          absl::StrCat("stored report ", key, " does not parse"));
    }
    SetContributions(*state, report);
    std::string unit = report.unit();
    state->reports[unit] = std::move(report);
  }
  ASSIGN_OR_RETURN(auto pushed, options_.db->Scan(keys::PushPrefix(label)));
  for (auto& [key, bytes] : pushed) {
    v1::ChildNodeReport report;
    if (!report.ParseFromString(bytes)) {
      return absl::DataLossError(
          absl::StrCat("stored push ", key, " does not parse"));
    }
    SetPushContributions(*state, report.push());
    std::string child = report.push().child();
    state->pushes[child] = std::move(report);
  }
  ASSIGN_OR_RETURN(bool locked_found,
                   options_.db->GetProto(keys::Lock(label), &state->lock));
  (void)locked_found;
  ASSIGN_OR_RETURN(bool found, options_.db->GetProto(keys::Consolidated(label),
                                                     &state->consolidated));
  const auto& plans = options_.topology->Plans(period.frequency());
  // A new period, or one stored under another catalog or child list: recompute
  // it whole.
  bool matches = found && state->consolidated.values_size() ==
                              static_cast<int>(plans.size());
  for (size_t i = 0; matches && i < plans.size(); ++i) {
    matches =
        state->consolidated.values(i).indicator() == plans[i].indicator->code();
  }
  if (!matches) {
    state->consolidated.clear_values();
    state->consolidated.set_unit(options_.topology->self().code);
    state->consolidated.set_period(label);
    for (size_t i = 0; i < plans.size(); ++i) {
      state->consolidated.add_values();
      RETURN_IF_ERROR(Recompute(*state, i));
    }
  }
  PeriodState* raw = state.get();
  periods_[label] = std::move(state);
  return raw;
}

void Engine::SetContributions(PeriodState& state,
                              const v1::UnitReport& report) const {
  const Topology& topo = *options_.topology;
  const Unit* unit = topo.registry().Find(report.unit());
  auto& mine = state.contributions[report.unit()];
  mine.clear();
  if (unit == nullptr) return;
  for (const v1::ReportValue& v : report.values()) {
    const v1::Indicator* ind = topo.catalog().Find(v.indicator());
    if (ind == nullptr)
      continue;  // an indicator since removed from the catalog
    mine[v.indicator()] = UnitValue(topo.catalog(), *unit, state.period, *ind,
                                    v.value(), v.note());
  }
}

void Engine::SetPushContributions(PeriodState& state,
                                  const v1::PushRequest& push) const {
  auto& mine = state.contributions[push.child()];
  mine.clear();
  for (const v1::ConsolidatedValue& v : push.values()) mine[v.indicator()] = v;
}

absl::Status Engine::Recompute(PeriodState& state, size_t i) const {
  const Topology& topo = *options_.topology;
  const IndicatorPlan& plan = topo.Plans(state.period.frequency())[i];
  const std::string& code = plan.indicator->code();
  auto lookup = [&](const Unit* u) -> const v1::ConsolidatedValue* {
    auto it = state.contributions.find(u->code);
    if (it == state.contributions.end()) return nullptr;
    auto jt = it->second.find(code);
    return jt == it->second.end() ? nullptr : &jt->second;
  };
  std::vector<Contribution> contributions;
  if (plan.own)
    contributions.push_back({&topo.self(), lookup(&topo.self()), true});
  for (const Unit* c : plan.children)
    contributions.push_back({c, lookup(c), false});
  ASSIGN_OR_RETURN(
      v1::ConsolidatedValue value,
      ConsolidateIndicator(topo.catalog(), topo.registry(), topo.self(),
                           state.period, *plan.indicator, contributions));
  *state.consolidated.mutable_values(static_cast<int>(i)) = std::move(value);
  return absl::OkStatus();
}

}  // namespace tonghop
