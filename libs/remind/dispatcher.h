// Delivers planned reminders through their channels, effectively once: every
// reminder is planned durably (remind/<id> + its channel's queue entry, by the
// engine's writer) before any send; a sender thread per channel records the
// attempt, sends, and records the result (synced). A crash between sending and
// recording leads to one resend with the same id, which the receiver recognises
// (Message-ID, Idempotency-Key). A channel whose receiver cannot be reached
// or refuses for now backs off (real time) without holding the others back; a
// message its receiver refuses for good (SMTP 5xx, HTTP 4xx) is recorded as
// failed, with the reason, and not tried again; an e-mail sent records the
// recipients the server refused. Thread-safe.
#ifndef TONGHOP_LIBS_REMIND_DISPATCHER_H_
#define TONGHOP_LIBS_REMIND_DISPATCHER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/base/retry_loop.h"
#include "libs/clock/clock.h"
#include "libs/remind/message.h"
#include "libs/store/db.h"
#include "tonghop/v1/remind.pb.h"

namespace tonghop {

class Dispatcher {
 public:
  struct Options {
    absl::Duration initial_backoff = absl::Seconds(1);
    absl::Duration max_backoff = absl::Seconds(300);
    absl::Duration poll =
        absl::Milliseconds(500);  // re-read the queue at least this often
  };
  struct ChannelInfo {
    std::string key;   // "email", "webhook1"
    std::string name;  // Channel::name()
    int pending = 0;
    int64_t sent = 0;
    std::string last_error;  // empty after a success
  };
  // False when the reminder no longer applies (it is then recorded as skipped,
  // unsent).
  using StillApplies = std::function<bool(const v1::Reminder&)>;

  // `channels` maps a channel key ("email", "webhook1") to its channel. `db`
  // and `clock` are not owned.
  Dispatcher(Db* db, const Clock* clock,
             std::map<std::string, std::unique_ptr<Channel>> channels,
             StillApplies still_applies, Options options);
  ~Dispatcher();  // stops the senders (a send in progress ends at its timeout)

  void Start();
  void Notify();  // new reminders were planned
  std::vector<ChannelInfo> info() const;

  // The message a channel sends for `reminder`.
  static ReminderMessage MessageOf(const v1::Reminder& reminder);

 private:
  struct Sender {
    std::string key;
    std::unique_ptr<Channel> channel;
    std::thread thread;
  };
  // One pass over `sender`'s queue; false when the channel must back off.
  bool Pass(Sender* sender);
  void SetInfo(const std::string& key, int pending, bool sent,
               const std::string& error);

  Db* const db_;
  const Clock* const clock_;
  StillApplies still_applies_;
  const Options options_;
  std::vector<std::unique_ptr<Sender>> senders_;

  RetryLoop loop_;  // shared by the senders: one stop, one notification
  mutable absl::Mutex mu_;
  std::map<std::string, ChannelInfo> info_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_DISPATCHER_H_
