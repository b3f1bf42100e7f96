#include "services/node/admin_service.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/log.h"
#include "libs/calendar/zone.h"
#include "services/node/access.h"
#include "services/node/grpc_status.h"

namespace tonghop {

using google::protobuf::util::TimeUtil;

grpc::ServerUnaryReactor* AdminService::SetClock(
    grpc::CallbackServerContext* context, const v1::SetClockRequest* request,
    v1::SetClockResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->Secretariat(g, "clock");
  });
  if (!status.ok()) {
    reactor->Finish(ToGrpcStatus(status));
    return reactor;
  }
  // Converted without overflow (absl saturates), then checked.
  auto duration = [](const google::protobuf::Duration& d) {
    return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  };
  const absl::Duration settle = duration(request->settle());
  if (settle < absl::ZeroDuration() || settle > kMaxSettle) {
    reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "settle: ", absl::FormatDuration(settle), " is not within 0 to ",
        absl::FormatDuration(kMaxSettle)))));
    return reactor;
  }
  {
    // One move at a time: the time read, the hold and the move belong
    // together.
    absl::MutexLock lock(&mu_);
    const absl::Time before = clock_->Now();
    absl::Time target;
    switch (request->change_case()) {
      case v1::SetClockRequest::kTime:
        target = absl::FromUnixSeconds(request->time().seconds()) +
                 absl::Nanoseconds(request->time().nanos());
        break;
      case v1::SetClockRequest::kAdvance: {
        const absl::Duration by = duration(request->advance());
        if (by < absl::ZeroDuration()) {
          status = absl::InvalidArgumentError(
              "advance: the duration must not be negative");
        }
        target = before + by;
        break;
      }
      default:
        status = absl::InvalidArgumentError("change: set time or advance");
    }
    if (status.ok() &&
        (target < absl::FromUnixSeconds(TimeUtil::kTimestampMinSeconds) ||
         target > absl::FromUnixSeconds(TimeUtil::kTimestampMaxSeconds))) {
      status = absl::InvalidArgumentError(
          absl::StrCat(request->has_advance() ? "advance" : "time",
                       ": the clock would leave the years 0001 to 9999"));
    }
    // The hold only for a move the clock takes (a real clock refuses any, a
    // simulated one a move back), and before it moves: a tick that sees the
    // new time sees the hold.
    if (status.ok() && engine_ != nullptr && settle > absl::ZeroDuration() &&
        clock_->IsSimulated() && target > before) {
      engine_->HoldSteps(before, settle);
    }
    if (status.ok()) status = clock_->SetTime(target);
  }
  if (status.ok() && db_ != nullptr) {
    Batch batch;
    batch.Put(SimulatedClockKey(),
              absl::StrCat(absl::ToUnixNanos(clock_->Now())));
    absl::Status kept = db_->Write(batch, /*sync=*/true);
    if (!kept.ok()) {
      LogWarning(
          "simulated clock: not recorded (a restart may start it "
          "earlier): ",
          kept.ToString());
    }
  }
  if (status.ok()) {
    LogInfo("clock set to ", FormatVietnamTime(clock_->Now()));
    *response->mutable_now() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(clock_->Now()));
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace tonghop
