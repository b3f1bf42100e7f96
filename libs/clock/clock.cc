#include "libs/clock/clock.h"

#include "absl/strings/str_cat.h"

namespace tonghop {

absl::Status Clock::SetTime(absl::Time) {
  return absl::FailedPreconditionError(
      "this node runs on the real clock; it cannot be moved");
}

absl::Status Clock::Advance(absl::Duration d) {
  if (d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "advance: the duration must not be negative");
  }
  return SetTime(Now() + d);
}

absl::Time RealClock::Now() const { return absl::Now(); }

absl::Time SimulatedClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

absl::Status SimulatedClock::SetTime(absl::Time t) {
  absl::MutexLock lock(&mu_);
  if (t < now_) {
    // In Vietnam time (UTC+07:00 all year), as everything else is shown.
    const absl::TimeZone vietnam = absl::FixedTimeZone(7 * 3600);
    auto show = [&](absl::Time x) {
      return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", x, vietnam);
    };
    return absl::InvalidArgumentError(
        absl::StrCat("time: ", show(t), " is before the clock's ", show(now_),
                     "; a clock never goes backwards"));
  }
  now_ = t;
  return absl::OkStatus();
}

}  // namespace tonghop
