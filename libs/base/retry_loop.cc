#include "libs/base/retry_loop.h"

#include <algorithm>

namespace tonghop {

void RetryLoop::Run(const std::function<bool()>& pass) {
  absl::Duration backoff = options_.initial_backoff;
  while (true) {
    uint64_t seen;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      seen = notifications_;
    }
    const bool ok = pass();
    absl::MutexLock lock(&mu_);
    if (ok) {
      backoff = options_.initial_backoff;
      auto woken = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || notifications_ != seen;
      };
      const bool notified =
          mu_.AwaitWithTimeout(absl::Condition(&woken), options_.idle);
      if (notified && options_.gather > absl::ZeroDuration()) Gather();
    } else {
      // Only a stop cuts a backoff short: new work waits for the next attempt.
      auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopped), backoff);
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
}

void RetryLoop::Gather() {
  auto stopped = [this]()
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  // Steps are counted rather than timed: no clock is read here.
  for (absl::Duration waited; !stopping_; waited += options_.gather) {
    const uint64_t before = notifications_;
    mu_.AwaitWithTimeout(absl::Condition(&stopped), options_.gather);
    if (notifications_ == before ||
        waited + options_.gather >= options_.gather_max) {
      return;
    }
  }
}

void RetryLoop::Notify() {
  absl::MutexLock lock(&mu_);
  ++notifications_;
}

void RetryLoop::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
}

bool RetryLoop::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

}  // namespace tonghop
