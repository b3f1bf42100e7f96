// The only source of wall-clock time in tonghop's logic (as Envoy's
// TimeSource). Pass a Clock to whoever needs "now"; tests and demos use
// SimulatedClock to run a month in seconds.
#ifndef TONGHOP_LIBS_CLOCK_CLOCK_H_
#define TONGHOP_LIBS_CLOCK_CLOCK_H_

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tonghop {

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
  // True for a clock that SetTime/Advance may move.
  virtual bool IsSimulated() const { return false; }
  // Moves a simulated clock to `t`. FAILED_PRECONDITION on the real clock;
  // INVALID_ARGUMENT when `t` is before Now() (time never goes backwards).
  virtual absl::Status SetTime(absl::Time t);
  // Moves a simulated clock forward. FAILED_PRECONDITION on the real clock;
  // INVALID_ARGUMENT for a negative duration.
  absl::Status Advance(absl::Duration d);
};

// The host's clock.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override;
};

// A clock that stands still until moved.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override;
  bool IsSimulated() const override { return true; }
  absl::Status SetTime(absl::Time t) override;

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CLOCK_CLOCK_H_
