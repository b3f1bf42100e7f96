// The loop of a background sender: run a pass; after a pass that did all its
// work, sleep until notified of new work, stopped, or an idle period passes;
// with a gather time, linger that long after being woken, to take a burst of
// notifications in one pass; after a pass that failed, back off (doubling from
// the initial to the maximum wait) unless stopped. Waits are relative durations
// on real time (never a simulated clock). Thread-safe: several threads may Run
// one loop at once, each with its own backoff, sharing its notifications and
// its stop.
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
    // Woken by new work after a successful pass, wait this much longer for
    // more before the next pass, so that a burst of changes is handled in one
    // pass (a stop cuts it short). Zero: pass at once.
    absl::Duration gather = absl::ZeroDuration();
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
  const Options options_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t notifications_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_RETRY_LOOP_H_
