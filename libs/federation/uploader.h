// The store-and-forward sender of a node: delivers each period's newest
// consolidated report to the parent, retrying with capped exponential backoff
// while the parent is unreachable; a pass also fetches the parent's in-band
// reminders for this node — every pass with nothing to deliver (so at least
// every idle poll), and every `fetch_every` passes while there is (a steady
// stream of writes makes a pass every `gather_max`; reminders are planned
// days apart). Pending deliveries are the engine's durable
// outbox, so they survive restarts. One push at a time, always of the newest
// state (an unsent older state is simply superseded). Waits use relative
// durations only (real monotonic time, never the simulated clock). Thread-safe;
// the sender runs on its own thread between Start() and destruction.
#ifndef TONGHOP_LIBS_FEDERATION_UPLOADER_H_
#define TONGHOP_LIBS_FEDERATION_UPLOADER_H_

#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/base/retry_loop.h"
#include "libs/federation/parent_link.h"

namespace tonghop {

class Uploader {
 public:
  struct Options {
    absl::Duration initial_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(5);
    absl::Duration idle_poll =
        absl::Seconds(2);  // re-read the outbox at least this often
    // After the outbox changes, push once `gather` has passed without a
    // further change, and at most `gather_max` after the first (RetryLoop's
    // steps): a month-end burst of a city's 170 wards goes up as one whole
    // report once it ends, not one per write or one every few writes (each
    // carries the full breakdown, which the parent parses and stores), and
    // under a steady stream of writes at most one whole report per
    // `gather_max`.
    absl::Duration gather = absl::Milliseconds(10);
    absl::Duration gather_max = absl::Milliseconds(100);
    // While passes keep finding reports to deliver, fetch reminders on one
    // pass in this many.
    int fetch_every = 25;
  };
  struct Info {
    int pending = 0;         // outbox entries seen at the last pass
    std::string last_error;  // empty after a successful pass
    int64_t pushes = 0;      // successful deliveries since start
  };

  // `source` and `link` are not owned and must outlive the uploader.
  Uploader(OutboxSource* source, ParentLink* link, Options options);
  ~Uploader();  // stops the sender (an in-flight push ends at its deadline)

  void Start();
  // Wakes the sender: the outbox changed.
  void Notify();
  Info info() const;

 private:
  // One pass over the outbox. False when a delivery failed.
  bool Pass();
  // Fetches the parent's new in-band reminders for this node (failures are
  // retried next pass).
  void FetchReminders();

  OutboxSource* const source_;
  ParentLink* const link_;
  const Options options_;
  std::thread thread_;

  RetryLoop loop_;
  mutable absl::Mutex mu_;
  Info info_ ABSL_GUARDED_BY(mu_);
  // Sender thread only: the newest revision delivered per period, so that an
  // entry whose acknowledgement is still on its way is not pushed again.
  std::map<std::string, int64_t> delivered_;
  int passes_since_fetch_ = 0;  // sender thread only
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_FEDERATION_UPLOADER_H_
