// Engine's reminders: which steps fell due (libs/remind/schedule.h), who still
// owes a final report, the words (libs/remind/compose.h), and durable planning:
// every reminder of a step is written, with the step's marker, in one synced
// batch before any channel sends it (libs/remind/dispatcher.h). Child nodes
// fetch their in-band reminders into their inbox.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/log.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/engine/engine.h"
#include "libs/engine/engine_internal.h"
#include "libs/remind/compose.h"
#include "libs/remind/schedule.h"

namespace tonghop {
namespace {

using engine_internal::FromProto;
using engine_internal::ToProto;
using google::protobuf::util::TimeUtil;

const char* KindName(ReminderStep::Kind kind) {
  switch (kind) {
    case ReminderStep::Kind::kReminder:
      return "reminder";
    case ReminderStep::Kind::kOverdue:
      return "overdue";
    case ReminderStep::Kind::kEscalation:
      return "escalation";
    default:
      return "digest";
  }
}

}  // namespace

namespace engine_internal {

std::vector<Period> CandidatePeriods(absl::Time now, absl::TimeZone zone) {
  const absl::CivilMonth month(absl::ToCivilSecond(now, zone));
  std::vector<Period> out;
  for (int back = 2; back >= 0; --back) {
    absl::CivilMonth m = month - back;
    out.push_back(
        Period{static_cast<int>(m.year()), PeriodType::kMonth, m.month()});
  }
  for (int back = 1; back >= 0; --back) {
    absl::CivilMonth m = month - 3 * back;
    out.push_back(Period{static_cast<int>(m.year()), PeriodType::kQuarter,
                         (m.month() - 1) / 3 + 1});
    absl::CivilMonth h = month - 6 * back;
    out.push_back(Period{static_cast<int>(h.year()), PeriodType::kHalfYear,
                         (h.month() - 1) / 6 + 1});
    out.push_back(
        Period{static_cast<int>(month.year()) - back, PeriodType::kYear, 1});
  }
  out.push_back(
      Period{static_cast<int>(month.year()), PeriodType::kNineMonths, 1});
  return out;
}

}  // namespace engine_internal

absl::StatusOr<std::vector<v1::Reminder>> Engine::BuildStep(
    const Period& period, absl::Time due, const std::string& step,
    const std::string& kind, absl::Time at, absl::Time as_of) const {
  const Topology& topo = *options_.topology;
  const std::string label = period.Label();
  v1::GetStatusRequest status_request;
  status_request.set_period(label);
  ASSIGN_OR_RETURN(v1::StatusReport status, GetStatus(status_request));
  std::vector<v1::Reminder> out;
  if (status.lock().locked())
    return out;  // a locked period takes no more reports
  std::vector<const v1::UnitStatus*> laggards;
  for (const v1::UnitStatus& c : status.children()) {
    if (c.state() == v1::REPORT_STATE_NOT_SUBMITTED ||
        c.state() == v1::REPORT_STATE_PROVISIONAL) {
      laggards.push_back(&c);
    }
  }
  if (laggards.empty()) return out;  // everyone is final: nothing to say
  ComposeInput in;
  in.node_name = topo.self().name;
  in.window = status.window();
  in.now = as_of;  // the laggards are as of now, however late the step
  in.zone = calendar_->zone();
  auto base = [&](const std::string& unit, const std::string& name) {
    v1::Reminder r;
    r.set_node(topo.self().code);
    r.set_period(label);
    r.set_step(step);
    r.set_kind(kind);
    r.set_unit(unit);
    r.set_unit_name(name);
    *r.mutable_deadline() = ToProto(due);
    *r.mutable_due_time() = ToProto(at);
    return r;
  };
  auto emit = [&](v1::Reminder r, bool inband, const ComposeInput& words) {
    auto contacts = options_.contacts.find(r.unit());
    std::vector<std::string> channels;
    if (inband) channels.push_back("inband");
    for (const std::string& c : options_.channels) {
      if (c == "email" &&
          (contacts == options_.contacts.end() || contacts->second.empty())) {
        continue;  // nobody to write to
      }
      channels.push_back(c);
    }
    for (const std::string& channel : channels) {
      v1::Reminder copy = r;
      copy.set_channel(channel);
      // The period's label first: SupersedeUntaken selects by it.
      copy.set_id(absl::StrCat(label, ".", step, ".", r.unit(), ".", channel));
      if (channel == "email") {
        for (const std::string& e : contacts->second) copy.add_emails(e);
      }
      Compose(words, copy);
      out.push_back(std::move(copy));
    }
  };
  if (kind == "escalation" || kind == "digest") {
    if (laggards.empty()) return out;
    v1::Reminder r = base(topo.self().code, topo.self().name);
    for (const v1::UnitStatus* c : laggards) {
      r.add_missing(absl::StrCat(c->unit(), " ", c->name(),
                                 c->state() == v1::REPORT_STATE_PROVISIONAL
                                     ? " (tạm thời, chưa chốt)"
                                     : " (chưa gửi)"));
    }
    emit(std::move(r), /*inband=*/true, in);
    return out;
  }
  // What each laggard still owes, from the breakdown.
  v1::GetRollupRequest rollup_request;
  rollup_request.set_period(label);
  rollup_request.set_breakdown(true);
  ASSIGN_OR_RETURN(v1::GetRollupResponse rollup, GetRollup(rollup_request));
  for (const v1::UnitStatus* c : laggards) {
    ComposeInput words = in;
    words.revision = c->revision();
    for (const v1::ChildBreakdown& b : rollup.children()) {
      if (b.unit() != c->unit()) continue;
      for (const v1::ConsolidatedValue& v : b.values()) {
        if (v.has_value()) continue;
        const v1::Indicator* ind = topo.catalog().Find(v.indicator());
        words.owed.push_back(
            absl::StrCat(v.indicator(), " ", ind ? ind->name_vi() : ""));
      }
    }
    emit(base(c->unit(), c->name()), c->node(), words);
  }
  return out;
}

void Engine::PlanReminders(absl::Time now) {
  if (options_.reminders == nullptr || options_.reminders->off()) return;
  // Nothing goes out on a weekend, a holiday or outside 07:00-20:00, not even
  // a step that fell due then (the node was down, or its clock jumped): the
  // latest step still due is planned at the next allowed instant.
  if (!MaySendAt(now, calendar_->holidays(), calendar_->zone())) return;
  const Topology& topo = *options_.topology;
  for (const Period& period :
       engine_internal::CandidatePeriods(now, calendar_->zone())) {
    bool owed = false;
    for (const IndicatorPlan& plan : topo.Plans(period.frequency()))
      owed |= !plan.children.empty();
    if (!owed) continue;
    const absl::Time due = calendar_->ChildrenDue(period);
    if (due <= first_start_) continue;  // due before this node existed
    const std::vector<ReminderStep> steps =
        StepsFor(*options_.reminders, due, now, calendar_->holidays(),
                 calendar_->zone());
    // Of the steps to the units, only the latest that fell due and still
    // applies is sent: a node that was down sends one current step, never a
    // burst of stale ones.
    const ReminderStep* to_units = nullptr;
    const ReminderStep* escalation = nullptr;
    const ReminderStep* digest = nullptr;
    for (const ReminderStep& s : steps) {
      if (s.at > now) break;
      if (s.at < first_start_) continue;
      switch (s.kind) {
        case ReminderStep::Kind::kReminder:
          to_units = now < due ? &s : to_units;
          break;
        case ReminderStep::Kind::kOverdue:
          to_units = &s;
          break;
        case ReminderStep::Kind::kEscalation:
          escalation = &s;
          break;
        case ReminderStep::Kind::kDigest:
          digest = &s;
          break;
      }
    }
    const std::string label = period.Label();
    // Whether a step was planned (by this process, or before: then
    // remembered).
    auto planned = [&](const ReminderStep& s) {
      const std::string marker = absl::StrCat(label, "/", s.id);
      if (steps_planned_.count(marker) > 0) return true;
      if (!options_.db->Get(keys::ReminderStep(label, s.id)).ok()) return false;
      steps_planned_.insert(marker);
      return true;
    };
    // The secretariat too gets one current message: an escalation that was
    // never planned gives way to a later digest, which names the same
    // missing units as they are now.
    const ReminderStep* superseded = nullptr;
    if (escalation != nullptr && digest != nullptr &&
        digest->at > escalation->at && !planned(*escalation) &&
        !planned(*digest)) {
      superseded = escalation;
      escalation = nullptr;
    }
    for (const ReminderStep* s : {to_units, escalation, digest}) {
      if (s == nullptr) continue;
      // Fell due while this node was down, or within a held jump of its
      // clock: the reports the units' nodes kept in their outboxes, or made
      // in the same jump, come first.
      if (Waits(s->at, /*catch_up=*/true)) continue;
      if (planned(*s)) continue;
      const std::string marker = absl::StrCat(label, "/", s->id);
      auto reminders =
          BuildStep(period, due, s->id, KindName(s->kind), s->at, now);
      if (!reminders.ok()) {
        LogWarning("reminders ", marker, ": ", reminders.status().ToString());
        continue;
      }
      steps_planned_.insert(marker);
      Pending op;
      op.kind = Pending::Kind::kPlanReminders;
      op.period = period;
      op.step = s->id;
      op.reminders = *std::move(reminders);
      if (s == digest && superseded != nullptr) {
        op.superseded_step = superseded->id;
        steps_planned_.insert(absl::StrCat(label, "/", superseded->id));
      }
      Enqueue(std::move(op));
    }
  }
}

void Engine::DoPlanReminders(Pending& op, absl::Time now, Batch& batch) {
  const std::string label = op.period.Label();
  if (options_.db->Get(keys::ReminderStep(label, op.step)).ok())
    return;  // planned before
  if (reminder_sequence_ == 0) {
    auto stored = options_.db->Get(keys::Meta("remind_seq"));
    if (stored.ok()) absl::SimpleAtoi(*stored, &reminder_sequence_);
  }
  for (v1::Reminder& r : op.reminders) {
    if (r.channel() == "inband" && r.unit() != options_.topology->self().code) {
      SupersedeUntaken(r.unit(), label, batch);
    }
    r.set_sequence(++reminder_sequence_);
    if (r.channel() == "inband") {
      // Stored is delivered: the child fetches it (and the node's own users
      // list it).
      r.set_state(v1::Reminder::STATE_SENT);
      *r.mutable_sent_time() = ToProto(now);
      batch.Put(keys::InbandReminder(r.unit(), r.sequence()), r.id());
    } else {
      r.set_state(v1::Reminder::STATE_PENDING);
      batch.Put(keys::ReminderQueue(r.channel(), r.id()), "");
    }
    batch.PutProto(keys::Reminder(r.id()), r);
    LogInfo("reminder ", r.id(), " planned: ", r.subject());
  }
  batch.Put(keys::Meta("remind_seq"), absl::StrCat(reminder_sequence_));
  batch.Put(keys::ReminderStep(label, op.step),
            absl::StrCat(op.reminders.size()));
  if (!op.superseded_step.empty()) {
    batch.Put(keys::ReminderStep(label, op.superseded_step), "0");
    LogInfo("reminders ", label, "/", op.superseded_step,
            " not sent: the later ", op.step, " replaces it");
  }
  v1::AuditEntry audit;
  audit.set_actor("auto");
  audit.set_action(absl::StrCat(
      "remind ", op.step, " (", op.reminders.size(), ")",
      op.superseded_step.empty()
          ? ""
          : absl::StrCat(", replacing ", op.superseded_step,
                         " (never sent: it fell due while the node was down "
                         "or its clock jumped)")));
  audit.set_unit(options_.topology->self().code);
  audit.set_period(label);
  AppendAudit(batch, now, std::move(audit));
}

void Engine::SupersedeUntaken(const std::string& unit,
                              const std::string& period, Batch& batch) {
  int64_t taken = 0;
  {
    absl::MutexLock lock(&fetched_mu_);
    taken = std::max(fetched_[unit], delivered_[unit]);
  }
  auto rows = options_.db->ScanFrom(
      keys::InbandReminderPrefix(unit),
      keys::InbandReminder(unit, static_cast<uint64_t>(taken) + 1));
  if (!rows.ok()) {
    LogWarning("reminders to ", unit, ": ", rows.status().ToString());
    return;
  }
  // An id starts with its period's label and a dot (BuildStep): the
  // reminders of other periods a child has not fetched yet (one per period
  // while its node is down) are passed over without reading them.
  const std::string id_prefix = absl::StrCat(period, ".");
  for (const auto& [key, id] : *rows) {
    if (!absl::StartsWith(id, id_prefix)) continue;
    v1::Reminder r;
    auto found = options_.db->GetProto(keys::Reminder(id), &r);
    if (!found.ok() || !*found || r.period() != period ||
        r.state() != v1::Reminder::STATE_SENT) {
      continue;
    }
    r.set_state(v1::Reminder::STATE_SUPERSEDED);
    r.clear_sent_time();
    batch.PutProto(keys::Reminder(id), r);
    batch.Delete(key);
    LogInfo("reminder ", id,
            " superseded: the child node has not taken it, and a later step "
            "replaces it");
  }
}

void Engine::DoInbox(Pending& op, Batch& batch) {
  for (const v1::Reminder& r : op.reminders) {
    if (options_.db->Get(keys::Inbox(r.sequence())).ok()) continue;
    batch.PutProto(keys::Inbox(r.sequence()), r);
    LogInfo("reminder from ", r.node(), ": ", r.subject());
  }
}

std::string Engine::self_unit() const { return options_.topology->self().code; }

int64_t Engine::InboxHighWater() const {
  auto last = options_.db->LastKey(keys::kInboxPrefix);
  uint64_t seq = 0;
  if (last.ok() && !last->empty()) {
    absl::SimpleHexAtoi(
        absl::string_view(*last).substr(keys::kInboxPrefix.size()), &seq);
  }
  return static_cast<int64_t>(seq);
}

void Engine::ReceivedReminders(const v1::ReminderList& reminders) {
  Pending op;
  op.kind = Pending::Kind::kInbox;
  op.reminders.assign(reminders.reminders().begin(),
                      reminders.reminders().end());
  Enqueue(std::move(op));
}

absl::StatusOr<v1::ReminderList> Engine::FetchReminders(
    const std::string& child, int64_t after) {
  const Child* c = options_.topology->FindChild(child);
  if (c == nullptr || c->kind != v1::ChildConfig::KIND_NODE) {
    return absl::FailedPreconditionError(
        absl::StrCat("child: '", child, "' is not an expected child node"));
  }
  bool raised = false;
  {
    absl::MutexLock lock(&fetched_mu_);
    int64_t& held = fetched_[child];
    if (after > held) {
      held = after;
      raised = true;
    }
  }
  if (raised) {
    // Rare: once per batch of new reminders the child took.
    Pending op;
    op.kind = Pending::Kind::kFetched;
    op.unit = child;
    op.fetched = after;
    Enqueue(std::move(op));
  }
  ASSIGN_OR_RETURN(v1::ReminderList out, InbandReminders(child, after));
  if (!out.reminders().empty()) {
    absl::MutexLock lock(&fetched_mu_);
    int64_t& given = delivered_[child];
    for (const v1::Reminder& r : out.reminders()) {
      given = std::max(given, r.sequence());
    }
  }
  return out;
}

absl::StatusOr<v1::ReminderList> Engine::InbandReminders(
    const std::string& unit, int64_t after) const {
  v1::ReminderList out;
  // The unit's index, from the first sequence after `after`: a fetch reads
  // only what is new, however many reminders the node has sent.
  const uint64_t from = after < 0 ? 0 : static_cast<uint64_t>(after) + 1;
  ASSIGN_OR_RETURN(auto rows,
                   options_.db->ScanFrom(keys::InbandReminderPrefix(unit),
                                         keys::InbandReminder(unit, from)));
  for (const auto& [key, id] : rows) {
    v1::Reminder r;
    ASSIGN_OR_RETURN(bool found, options_.db->GetProto(keys::Reminder(id), &r));
    if (found) *out.add_reminders() = std::move(r);
  }
  return out;
}

void Engine::ShowWhetherFetched(v1::Reminder& r) const {
  if (r.channel() != "inband" || r.state() != v1::Reminder::STATE_SENT ||
      r.unit() == options_.topology->self().code) {
    return;  // the node's own users read those here
  }
  absl::MutexLock lock(&fetched_mu_);
  auto it = fetched_.find(r.unit());
  if (it != fetched_.end() && r.sequence() <= it->second) return;
  r.set_state(v1::Reminder::STATE_PENDING);
  r.clear_sent_time();
  r.set_last_error(
      "stored for the child node, which has not fetched it yet (is its node "
      "running and its parent_address this node?)");
}

bool Engine::StillApplies(const v1::Reminder& r) const {
  auto period = ParsePeriod(r.period());
  if (!period.ok()) return false;
  v1::GetStatusRequest request;
  request.set_period(r.period());
  auto status = GetStatus(request);
  if (!status.ok()) return true;  // when in doubt, remind
  if (status->lock().locked()) return false;
  if (r.kind() == "escalation" || r.kind() == "digest") return true;
  for (const v1::UnitStatus& c : status->children()) {
    if (c.unit() == r.unit()) {
      return c.state() == v1::REPORT_STATE_NOT_SUBMITTED ||
             c.state() == v1::REPORT_STATE_PROVISIONAL;
    }
  }
  return false;
}

absl::StatusOr<v1::ReminderList> Engine::ListReminders(
    const v1::ListRemindersRequest& request) const {
  v1::ReminderList out;
  std::optional<Period> period;
  if (!request.period().empty()) {
    auto p = ParsePeriodField(request.period());
    if (!p.ok()) return p.status();
    period = *p;
  }
  if (request.preview()) {
    if (!period)
      return absl::InvalidArgumentError("period: required for a preview");
    if (options_.reminders == nullptr || options_.reminders->off()) return out;
    const absl::Time due = calendar_->ChildrenDue(*period);
    // Every step up to a week of digests, for the units that owe a final report
    // now.
    for (const ReminderStep& s :
         StepsFor(*options_.reminders, due, due + absl::Hours(24 * 7),
                  calendar_->holidays(), calendar_->zone())) {
      ASSIGN_OR_RETURN(auto reminders,
                       BuildStep(*period, due, s.id, KindName(s.kind), s.at,
                                 /*as_of=*/s.at));
      for (auto& r : reminders) *out.add_reminders() = std::move(r);
    }
    return out;
  }
  absl::string_view prefix =
      request.sent() ? keys::kReminderPrefix : keys::kInboxPrefix;
  ASSIGN_OR_RETURN(auto rows, options_.db->Scan(prefix));
  for (const auto& [key, bytes] : rows) {
    v1::Reminder r;
    if (!r.ParseFromString(bytes)) continue;
    if (period && r.period() != period->Label()) continue;
    if (request.sent()) ShowWhetherFetched(r);
    *out.add_reminders() = std::move(r);
  }
  if (!request.sent()) {
    // The escalations and digests this node addressed to its own unit (its
    // secretariat) are read here, beside what the parent sent.
    ASSIGN_OR_RETURN(v1::ReminderList own,
                     InbandReminders(options_.topology->self().code, 0));
    for (v1::Reminder& r : *own.mutable_reminders()) {
      if (period && r.period() != period->Label()) continue;
      *out.add_reminders() = std::move(r);
    }
  }
  std::sort(out.mutable_reminders()->begin(), out.mutable_reminders()->end(),
            [](const v1::Reminder& a, const v1::Reminder& b) {
              return std::make_pair(a.due_time().seconds(), a.sequence()) <
                     std::make_pair(b.due_time().seconds(), b.sequence());
            });
  return out;
}

}  // namespace tonghop
