// The loop of a background sender: run a pass; after a pass that did all its
// work, sleep until notified of new work, stopped, or an idle period passes;
// with a gather time, linger after being woken until a whole gather time has
// passed without a new notification (at most gather_max in all), to take a
// burst of notifications in one pass; after a pass that failed, back off
// (doubling from the initial to the maximum wait) unless stopped. Waits are
// relative durations on real time (never a simulated clock). Thread-safe:
// several threads may Run one loop at once, each with its own backoff, sharing
// its notifications and its stop.
#ifndef TONGHOP_LIBS_BASE_RETRY_LOOP_H_
#define TONGHOP_LIBS_BASE_RETRY_LOOP_H_

#include <cstdint>
#include <functional>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tonghop {

class RetryLoop {
 public:
  struct Options {
    absl::Duration initial_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(5);
    absl::Duration idle = absl::Seconds(2);  // run a pass at least this often
    // Woken by new work after a successful pass, wait in steps of `gather`
    // until a step passes without new work, so that a burst of changes is
    // handled in one pass once it quietens (a stop cuts it short). Zero: pass
    // at once.
    absl::Duration gather = absl::ZeroDuration();
    // However long the burst, the pass comes at most this long after the
    // wake (rounded up to whole steps); at most `gather` (the default): one
    // step, whatever came during it.
    absl::Duration gather_max = absl::ZeroDuration();
  };
  explicit RetryLoop(Options options) : options_(options) {}

  // Calls `pass` (true: all done; false: failed, back off) until Stop().
  // Returns after Stop().
  void Run(const std::function<bool()>& pass);
  // Wakes the runners that are idle: new work.
  void Notify();
  // Makes every Run return after its current pass.
  void Stop();
  bool stopping() const;

 private:
  // After a wake: lingers in steps of options_.gather (see Options).
  void Gather() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t notifications_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_RETRY_LOOP_H_
