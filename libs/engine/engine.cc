#include "libs/engine/engine.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/log.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/zone.h"
#include "libs/engine/engine_internal.h"
#include "libs/engine/history.h"
#include "libs/federation/validate_push.h"
#include "libs/rollup/rollup.h"
#include "tonghop/v1/store.pb.h"

namespace tonghop {

using engine_internal::Await;
using engine_internal::FromProto;
using engine_internal::SameTime;
using engine_internal::ToProto;
using google::protobuf::util::TimeUtil;

absl::StatusOr<std::optional<absl::Time>> Engine::LastRecordedTime(
    const Db& db) {
  ASSIGN_OR_RETURN(std::string last, db.LastKey(keys::kAuditPrefix));
  if (last.empty()) return std::nullopt;
  v1::AuditEntry entry;
  ASSIGN_OR_RETURN(bool found, db.GetProto(last, &entry));
  if (!found) return std::nullopt;
  return FromProto(entry.time());
}

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
  RETURN_IF_ERROR(engine->CheckDataIsThisUnits());
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
  engine->started_ = options.clock->Now();
  for (const Child& child : options.topology->children()) {
    engine->has_child_nodes_ |= child.kind == v1::ChildConfig::KIND_NODE;
  }
  RETURN_IF_ERROR(engine->IndexInbandReminders());
  {
    ASSIGN_OR_RETURN(auto fetched,
                     options.db->Scan(keys::kInbandFetchedPrefix));
    absl::MutexLock lock(&engine->fetched_mu_);
    for (const auto& [key, value] : fetched) {
      int64_t sequence = 0;
      if (!absl::SimpleAtoi(value, &sequence)) {
        return absl::DataLossError(absl::StrCat(key, " is malformed"));
      }
      engine->fetched_[key.substr(keys::kInbandFetchedPrefix.size())] =
          sequence;
    }
  }
  engine->calendar_ = options.calendar;
  if (engine->calendar_ == nullptr) {
    ASSIGN_OR_RETURN(
        engine->owned_calendar_,
        NodeCalendar::Build(v1::NodeConfig(), options.topology->registry(),
                            options.topology->self(), Holidays()));
    engine->calendar_ = engine->owned_calendar_.get();
  }
  RETURN_IF_ERROR(engine->LoadFacts());
  RETURN_IF_ERROR(engine->QueueRecomputeIfTopologyChanged());
  engine->completer_ = std::make_unique<SerialExecutor>();
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
  completer_.reset();  // runs the last group's finishes
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
    CommitGroup(std::move(group));
  }
}

void Engine::CommitGroup(std::deque<Pending> group) {
  // Outbox acknowledgements (the uploader's, between a city's bursts of
  // pushes) touch no consolidation: such a group still recomputes once.
  const bool pushes_only =
      std::all_of(group.begin(), group.end(), [](const Pending& op) {
        return op.kind == Pending::Kind::kPush ||
               op.kind == Pending::Kind::kDelivered;
      });
  std::vector<Finish> finishes;
  absl::Status written;
  if (!(pushes_only && CommitGroupOnce(group, true, finishes, written))) {
    finishes.clear();
    CommitGroupOnce(group, false, finishes, written);
  }
  // A period evicted (the first write of a new month drops the oldest: a
  // city's, with 170 pushes) is freed with the answers.
  std::vector<std::unique_ptr<PeriodState>> evicted = EvictPeriods();
  // With operations waiting, the answers go out on the completer's thread
  // while this one takes the next group; with none, here at once (a thread
  // handoff less for a lone client). The finishes refer to the operations in
  // `group`: it moves along with them (moving a deque keeps its elements
  // where they are).
  bool waiting = false;
  {
    absl::MutexLock lock(&mu_);
    waiting = !queue_.empty();
  }
  auto answer = [group = std::move(group), finishes = std::move(finishes),
                 written = std::move(written),
                 evicted = std::move(evicted)]() mutable {
    for (Finish& finish : finishes) finish(written);
  };
  if (waiting) {
    completer_->Post(std::move(answer));
  } else {
    answer();
  }
}

bool Engine::CommitGroupOnce(std::deque<Pending>& group, bool defer,
                             std::vector<Finish>& finishes,
                             absl::Status& written) {
  const absl::Time now = options_.clock->Now();
  Batch batch;
  std::map<std::string, std::string>
      group_keys;  // idempotency keys written in this group
  Dirty dirty;
  std::vector<std::string> outbox_cleared;
  finishes.reserve(group.size());
  const uint64_t audit_before = audit_sequence_;
  bool planned_reminders = false;
  for (Pending& op : group) {
    switch (op.kind) {
      case Pending::Kind::kSubmit:
        finishes.push_back(ApplySubmit(op, now, batch, group_keys, dirty));
        break;
      case Pending::Kind::kPush: {
        auto result = DoPush(op, now, batch, dirty, defer);
        // `op` outlives the finishes (CommitGroup keeps the group with
        // them); its callback stays in place for a replay.
        finishes.push_back([&op, result](const absl::Status& w) {
          op.push_done(!result.ok() || result->stale() || w.ok()
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
        absl::Status s = DoDelivered(op, batch, dirty, outbox_cleared);
        if (!s.ok())
          LogWarning("outbox acknowledgement of ", op.period.Label(), ": ",
                     s.ToString());
        break;
      }
      case Pending::Kind::kRecompute:
        DoRecompute(op, now, batch, dirty);
        break;
      case Pending::Kind::kFetched:
        batch.Put(keys::InbandFetched(op.unit), absl::StrCat(op.fetched));
        break;
      case Pending::Kind::kParentAhead: {
        absl::Status s = DoParentAhead(op, now, batch, dirty);
        if (!s.ok())
          LogWarning("revision catch-up of ", op.period.Label(), ": ",
                     s.ToString());
        break;
      }
    }
  }
  for (auto& [label, changed] : dirty) {
    for (size_t plan : changed.stale_plans) {
      absl::Status s = UpdateStalePlan(changed, plan);
      if (s.ok()) continue;
      // Undo the group in memory (nothing is written yet) and let the caller
      // replay it push by push, so that only the offending push is refused.
      // The pushes moved into their records go back to their operations,
      // newest first (a child that pushed twice passed the first push on).
      for (auto op = group.rbegin(); op != group.rend(); ++op) {
        if (op->moved_into.empty()) continue;
        periods_.at(op->period.Label())
            ->pushes[op->moved_into]
            .mutable_push()
            ->Swap(&op->push);
        op->moved_into.clear();
      }
      for (auto& [l, c] : dirty) periods_.erase(l);
      audit_sequence_ = audit_before;
      return false;
    }
  }
  for (auto& [label, changed] : dirty) {
    PeriodState* state = changed.state;
    v1::ConsolidatedReport& cons = state->consolidated;
    if (changed.late) *cons.mutable_late_revision_time() = ToProto(now);
    cons.set_window(WindowOf(state->period).Text());
    // The report includes estimates while any figure it holds was set
    // before the data window closed (a unit's value, or a child node's report
    // that says so); a finalisation alone changes no figure and keeps the
    // flag.
    if (changed.figures || changed.estimates)
      cons.set_estimate(HoldsEstimates(*state));
    state->consolidated.set_revision(state->consolidated.revision() + 1);
    if (changed.figures) {
      cons.set_figures_revision(cons.revision());
      *cons.mutable_figures_time() = ToProto(now);
    }
    *state->consolidated.mutable_updated_time() = ToProto(now);
    batch.PutProto(keys::Consolidated(label), state->consolidated);
    if (options_.has_parent) {
      batch.Put(keys::Outbox(label),
                absl::StrCat(state->consolidated.revision()));
    }
  }
  if (batch.count() > 0) {
    written = options_.db->Write(batch, /*sync=*/true);
    if (written.ok()) {
      write_epoch_.fetch_add(1, std::memory_order_acq_rel);
      absl::MutexLock lock(&facts_mu_);
      // In the batch's order: a change after a delivery wrote the outbox anew.
      for (const std::string& label : outbox_cleared) facts_[label].outbox = 0;
      for (auto& [label, changed] : dirty) {
        PeriodFacts facts = FactsOf(changed.state->consolidated);
        facts.outbox = options_.has_parent ? facts.revision : 0;
        facts_[label] = facts;
      }
    }
    if (!written.ok()) {
      LogError("write of ", group.size(),
               " operations failed: ", written.ToString());
      // Nothing of the group is stored: forget the in-memory state it changed.
      for (auto& [label, changed] : dirty) periods_.erase(label);
      audit_sequence_ = audit_before;
    }
  }
  if (written.ok() && planned_reminders && options_.on_reminders)
    options_.on_reminders();
  if (!written.ok() && planned_reminders)
    reminder_sequence_ = 0;  // re-read when next planned
  if (written.ok() && batch.count() > 0 && options_.has_parent &&
      options_.on_outbox) {
    options_.on_outbox();
  }
  return true;
}

Engine::PeriodFacts Engine::FactsOf(const v1::ConsolidatedReport& cons) {
  PeriodFacts facts;
  facts.revision = cons.revision();
  facts.finalized = cons.has_finalized_time();
  for (const auto& v : cons.values()) facts.any_value |= v.has_value();
  return facts;
}

absl::Status Engine::LoadFacts() {
  ASSIGN_OR_RETURN(auto reports, options_.db->Scan(keys::kConsolidatedPrefix));
  ASSIGN_OR_RETURN(auto outbox, options_.db->Scan(keys::kOutboxPrefix));
  absl::MutexLock lock(&facts_mu_);
  for (const auto& [key, bytes] : reports) {
    v1::ConsolidatedReport cons;
    if (!cons.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(key, " does not parse"));
    }
    facts_[key.substr(keys::kConsolidatedPrefix.size())] = FactsOf(cons);
  }
  for (const auto& [key, value] : outbox) {
    int64_t revision = 0;
    if (!absl::SimpleAtoi(value, &revision)) {
      return absl::DataLossError(
          absl::StrCat("outbox entry ", key, " is malformed"));
    }
    facts_[key.substr(keys::kOutboxPrefix.size())].outbox = revision;
  }
  if (options_.has_parent) {
    // Each recent period is offered to the parent once per start, delivered
    // or not: a node restored from an older copy of its folder learns from
    // the parent's `stale` answer that the parent holds a newer revision, and
    // continues above it (ParentAhead) instead of disagreeing silently until
    // its next change. An up-to-date parent answers `stale` with the same
    // revision, which changes nothing.
    for (const Period& period :
         engine_internal::CandidatePeriods(started_, calendar_->zone())) {
      auto it = facts_.find(period.Label());
      if (it != facts_.end() && it->second.revision > 0 &&
          it->second.outbox == 0) {
        it->second.outbox = it->second.revision;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Engine::IndexInbandReminders() {
  if (options_.db->Get(keys::Meta("remindin")).ok()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto rows, options_.db->Scan(keys::kReminderPrefix));
  Batch batch;
  for (const auto& [key, bytes] : rows) {
    v1::Reminder r;
    if (!r.ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat(key, " does not parse"));
    }
    if (r.channel() == "inband" && r.sequence() > 0) {
      batch.Put(keys::InbandReminder(r.unit(), r.sequence()), r.id());
    }
  }
  batch.Put(keys::Meta("remindin"), "1");
  return options_.db->Write(batch, /*sync=*/true);
}

void Engine::AppendAudit(Batch& batch, absl::Time now, v1::AuditEntry entry) {
  entry.set_sequence(++audit_sequence_);
  *entry.mutable_time() = ToProto(now);
  batch.PutProto(keys::Audit(entry.sequence()), entry);
}

std::vector<std::unique_ptr<Engine::PeriodState>> Engine::EvictPeriods() {
  std::vector<std::unique_ptr<PeriodState>> evicted;
  if (periods_.size() <= kPeriodsInMemory) return evicted;
  std::vector<std::pair<uint64_t, std::string>> by_use;
  by_use.reserve(periods_.size());
  for (const auto& [label, state] : periods_)
    by_use.emplace_back(state->last_used, label);
  std::sort(by_use.begin(), by_use.end());
  for (size_t i = 0; i + kPeriodsInMemory < by_use.size(); ++i) {
    auto it = periods_.find(by_use[i].second);
    evicted.push_back(std::move(it->second));
    periods_.erase(it);
  }
  return evicted;
}

absl::StatusOr<Engine::PeriodState*> Engine::LoadPeriod(const Period& period) {
  const std::string label = period.Label();
  auto it = periods_.find(label);
  if (it != periods_.end()) {
    it->second->last_used = ++period_uses_;
    return it->second.get();
  }
  auto state = std::make_unique<PeriodState>();
  state->period = period;
  state->last_used = ++period_uses_;
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
    report.mutable_push()->clear_children();  // read from the store when asked
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

bool Engine::HoldsEstimates(const PeriodState& state) const {
  for (const auto& [unit, report] : state.reports) {
    if (EstimateOf(state.period, &report, nullptr)) return true;
  }
  for (const auto& [child, pushed] : state.pushes) {
    if (EstimateOf(state.period, nullptr, &pushed)) return true;
  }
  return false;
}

absl::Status Engine::CheckDataIsThisUnits() {
  const std::string& unit = options_.topology->self().code;
  absl::StatusOr<std::string> stored = options_.db->Get(keys::Meta("unit"));
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  std::string holder = stored.ok() ? *stored : "";
  if (holder.empty()) {
    // A folder from before the unit was recorded: its newest consolidation
    // names its unit.
    ASSIGN_OR_RETURN(std::string last,
                     options_.db->LastKey(keys::kConsolidatedPrefix));
    v1::ConsolidatedReport cons;
    if (!last.empty()) {
      ASSIGN_OR_RETURN(bool found, options_.db->GetProto(last, &cons));
      if (found) holder = cons.unit();
    }
  }
  if (!holder.empty() && holder != unit) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data_dir: the folder holds the data of unit ", holder,
        ", not of unit ", unit,
        " (a copied config or folder?); give this node a folder of its own"));
  }
  if (stored.ok()) return absl::OkStatus();
  Batch batch;
  batch.Put(keys::Meta("unit"), unit);
  return options_.db->Write(batch, /*sync=*/true);
}

absl::Status Engine::QueueRecomputeIfTopologyChanged() {
  std::string fingerprint = options_.topology->Fingerprint();
  absl::StatusOr<std::string> stored = options_.db->Get(keys::Meta("topology"));
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  if (stored.ok() && *stored == fingerprint) return absl::OkStatus();
  std::vector<Period> periods;
  {
    absl::MutexLock lock(&facts_mu_);
    for (const auto& [label, facts] : facts_) {
      auto period = ParsePeriod(label);
      if (period.ok()) periods.push_back(*period);
    }
  }
  if (periods.empty()) {
    Batch batch;
    batch.Put(keys::Meta("topology"), fingerprint);
    return options_.db->Write(batch, /*sync=*/true);
  }
  LogInfo(stored.ok() ? "the children or the catalog changed since the last "
                        "start: recomputing "
                      : "recomputing ",
          periods.size(), " stored periods over the configured ones");
  for (size_t i = 0; i < periods.size(); ++i) {
    Pending op;
    op.kind = Pending::Kind::kRecompute;
    op.period = periods[i];
    if (i + 1 == periods.size()) op.fingerprint = std::move(fingerprint);
    Enqueue(std::move(op));
  }
  return absl::OkStatus();
}

void Engine::DoRecompute(Pending& op, absl::Time now, Batch& batch,
                         Dirty& dirty) {
  const std::string label = op.period.Label();
  // What the store (or this group, when it changed the period already) holds.
  google::protobuf::RepeatedPtrField<v1::ConsolidatedValue> before;
  bool known = false;
  if (auto it = periods_.find(label); it != periods_.end()) {
    before = it->second->consolidated.values();
    known = true;
  } else {
    v1::ConsolidatedReport stored;
    absl::StatusOr<bool> found =
        options_.db->GetProto(keys::Consolidated(label), &stored);
    if (!found.ok()) {
      LogWarning("recomputing ", label, ": ", found.status().ToString());
      return;
    }
    known = *found;
    before.Swap(stored.mutable_values());
  }
  absl::StatusOr<PeriodState*> state = LoadPeriod(op.period);
  if (!state.ok()) {
    LogWarning("recomputing ", label, ": ", state.status().ToString());
    return;
  }
  const Topology& topo = *options_.topology;
  google::protobuf::RepeatedPtrField<v1::ConsolidatedValue> after;
  for (const IndicatorPlan& plan : topo.Plans(op.period.frequency())) {
    absl::StatusOr<v1::ConsolidatedValue> value =
        ConsolidatePlan(topo, op.period, plan, (*state)->contributions);
    if (!value.ok()) {
      LogWarning("recomputing ", label, ": ", value.status().ToString());
      return;
    }
    *after.Add() = *std::move(value);
  }
  // `same`: nothing to store; `same_figures`: the values themselves are those
  // stored (only the counts of who owes and reported moved), which is no
  // change of figures, so no late one.
  bool same = before.size() == after.size();
  for (int i = 0; same && i < after.size(); ++i) {
    same =
        google::protobuf::util::MessageDifferencer::Equals(before[i], after[i]);
  }
  // An indicator in one list only (no one owes it any more, or newly) counts
  // as an empty value there.
  std::map<std::string, std::pair<v1::Value, v1::Value>> values;
  for (const v1::ConsolidatedValue& v : before)
    values[v.indicator()].first = v.value();
  for (const v1::ConsolidatedValue& v : after)
    values[v.indicator()].second = v.value();
  bool same_figures = true;
  for (const auto& [indicator, pair] : values) {
    same_figures =
        same_figures && google::protobuf::util::MessageDifferencer::Equals(
                            pair.first, pair.second);
  }
  (*state)->consolidated.mutable_values()->Swap(&after);
  if (!op.fingerprint.empty()) {
    batch.Put(keys::Meta("topology"), op.fingerprint);
  }
  if (known && !same) {
    LogInfo("period ", label,
            ": consolidation recomputed over the configured children and "
            "catalog (a new revision)");
    MarkDirty(dirty, *state, /*figures=*/!same_figures, now);
  }
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

absl::Status Engine::Recompute(PeriodState& state, size_t i) const {
  const Topology& topo = *options_.topology;
  ASSIGN_OR_RETURN(*state.consolidated.mutable_values(static_cast<int>(i)),
                   ConsolidatePlan(topo, state.period,
                                   topo.Plans(state.period.frequency())[i],
                                   state.contributions));
  return absl::OkStatus();
}

}  // namespace tonghop
