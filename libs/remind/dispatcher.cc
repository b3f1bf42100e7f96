#include "libs/remind/dispatcher.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/log.h"
#include "libs/remind/compose.h"

namespace tonghop {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

}  // namespace

Dispatcher::Dispatcher(Db* db, const Clock* clock,
                       std::map<std::string, std::unique_ptr<Channel>> channels,
                       StillApplies still_applies, Options options)
    : db_(db),
      clock_(clock),
      still_applies_(std::move(still_applies)),
      options_(options),
      loop_({options.initial_backoff, options.max_backoff, options.poll}) {
  for (auto& [key, channel] : channels) {
    auto sender = std::make_unique<Sender>();
    sender->key = key;
    ChannelInfo info;
    info.key = key;
    info.name = channel->name();
    sender->channel = std::move(channel);
    absl::MutexLock lock(&mu_);
    info_[key] = info;
    senders_.push_back(std::move(sender));
  }
}

Dispatcher::~Dispatcher() {
  loop_.Stop();
  for (auto& s : senders_) {
    if (s->thread.joinable()) s->thread.join();
  }
}

void Dispatcher::Start() {
  for (auto& s : senders_) {
    Sender* raw = s.get();
    s->thread = std::thread(
        [this, raw] { loop_.Run([this, raw] { return Pass(raw); }); });
  }
}

void Dispatcher::Notify() { loop_.Notify(); }

std::vector<Dispatcher::ChannelInfo> Dispatcher::info() const {
  absl::MutexLock lock(&mu_);
  std::vector<ChannelInfo> out;
  for (const auto& [key, info] : info_) out.push_back(info);
  return out;
}

void Dispatcher::SetInfo(const std::string& key, int pending, bool sent,
                         const std::string& error) {
  absl::MutexLock lock(&mu_);
  ChannelInfo& info = info_[key];
  if (pending >= 0) info.pending = pending;
  if (sent) ++info.sent;
  info.last_error = error;
}

ReminderMessage Dispatcher::MessageOf(const v1::Reminder& r) {
  ReminderMessage m;
  m.id = r.id();
  m.node = r.node();
  m.period = r.period();
  m.unit = r.unit();
  m.unit_name = r.unit_name();
  m.step = r.step();
  m.kind = r.kind();
  m.deadline = FromProto(r.deadline());
  m.created = FromProto(r.due_time());
  m.missing.assign(r.missing().begin(), r.missing().end());
  m.subject = r.subject();
  m.body = r.body();
  m.emails.assign(r.emails().begin(), r.emails().end());
  m.json = ReminderJson(r);
  return m;
}

bool Dispatcher::Pass(Sender* sender) {
  auto queue = db_->Scan(keys::ReminderQueuePrefix(sender->key));
  if (!queue.ok()) {
    SetInfo(sender->key, -1, false, std::string(queue.status().message()));
    return false;
  }
  int pending = static_cast<int>(queue->size());
  SetInfo(sender->key, pending, false, "");
  const std::string prefix = keys::ReminderQueuePrefix(sender->key);
  // Each queued reminder, read once (none: nothing left to send), and the
  // newest step queued for each (period, unit): a receiver that was down gets
  // that one, not every step that fell due meanwhile.
  std::vector<std::pair<std::string, std::optional<v1::Reminder>>> items;
  std::map<std::pair<std::string, std::string>, int64_t> newest;
  for (const auto& [queue_key, unused] : *queue) {
    std::optional<v1::Reminder> r(std::in_place);
    auto found =
        db_->GetProto(keys::Reminder(queue_key.substr(prefix.size())), &*r);
    if (!found.ok() || !*found || r->state() != v1::Reminder::STATE_PENDING) {
      r.reset();
    } else {
      int64_t& at = newest[{r->period(), r->unit()}];
      at = std::max(at, TimeUtil::TimestampToNanoseconds(r->due_time()));
    }
    items.emplace_back(queue_key, std::move(r));
  }
  for (auto& [queue_key, pending_reminder] : items) {
    if (loop_.stopping()) return true;
    const std::string id = queue_key.substr(prefix.size());
    Batch done;
    if (!pending_reminder.has_value()) {
      done.Delete(queue_key);  // nothing (left) to send
      db_->Write(done, /*sync=*/true).IgnoreError();
      --pending;
      continue;
    }
    v1::Reminder& reminder = *pending_reminder;
    // Ends the reminder unsent, in `state`, off the queue.
    auto end_unsent = [&](v1::Reminder::State state) {
      reminder.set_state(state);
      done.PutProto(keys::Reminder(id), reminder);
      done.Delete(queue_key);
      db_->Write(done, /*sync=*/true).IgnoreError();
      --pending;
    };
    if (TimeUtil::TimestampToNanoseconds(reminder.due_time()) <
        newest[{reminder.period(), reminder.unit()}]) {
      end_unsent(v1::Reminder::STATE_SUPERSEDED);
      continue;
    }
    if (still_applies_ && !still_applies_(reminder)) {
      end_unsent(v1::Reminder::STATE_SKIPPED);
      continue;
    }
    // Record the attempt before sending: after a crash the record shows it may
    // have gone.
    reminder.set_attempts(reminder.attempts() + 1);
    Batch attempt;
    attempt.PutProto(keys::Reminder(id), reminder);
    absl::Status recorded = db_->Write(attempt, /*sync=*/true);
    if (!recorded.ok()) {
      SetInfo(sender->key, pending, false, recorded.ToString());
      return false;
    }
    ReminderMessage message = MessageOf(reminder);
    // The e-mail's Date is when it goes, not when its step fell due: sent
    // late (the node was down), it would otherwise sort into the past.
    message.created = clock_->Now();
    std::vector<Refusal> refused;
    absl::Status sent = sender->channel->Send(message, &refused);
    reminder.clear_refused();
    for (const Refusal& r : refused) {
      const std::string address =
          r.recipient >= 0 && r.recipient < reminder.emails_size()
              ? reminder.emails(r.recipient)
              : absl::StrCat("#", r.recipient + 1);
      reminder.add_refused(absl::StrCat(address, ": ", r.reply));
    }
    if (!sent.ok()) {
      reminder.set_last_error(sent.ToString());
      // An unreachable receiver, or one that refuses for now, fails the rest
      // alike: the channel backs off and tries again. A refusal for good of
      // this one message ends it (retrying cannot change the answer) and must
      // not hold the others back.
      const bool retry =
          absl::IsUnavailable(sent) || absl::IsDeadlineExceeded(sent);
      Batch failure;
      if (!retry) {
        reminder.set_state(v1::Reminder::STATE_FAILED);
        failure.Delete(queue_key);
      }
      failure.PutProto(keys::Reminder(id), reminder);
      db_->Write(failure, /*sync=*/true).IgnoreError();
      LogWarning("reminder ", id, " via ", sender->channel->name(), ": ",
                 sent.ToString(),
                 retry ? "; retrying with backoff" : "; refused, not retried");
      SetInfo(sender->key, retry ? pending : --pending, false, sent.ToString());
      if (retry) return false;
      continue;
    }
    reminder.set_state(v1::Reminder::STATE_SENT);
    reminder.clear_last_error();
    if (!refused.empty()) {
      LogWarning("reminder ", id, " via ", sender->channel->name(), ": ",
                 refused.size(), " of ", reminder.emails_size(),
                 " recipients refused (", refused.front().reply,
                 "); sent to the others");
    }
    *reminder.mutable_sent_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(clock_->Now()));
    done.PutProto(keys::Reminder(id), reminder);
    done.Delete(queue_key);
    db_->Write(done, /*sync=*/true).IgnoreError();
    --pending;
    SetInfo(sender->key, pending, true, "");
  }
  return true;
}

}  // namespace tonghop
