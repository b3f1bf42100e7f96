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
  switch (request->change_case()) {
    case v1::SetClockRequest::kTime:
      status = clock_->SetTime(absl::FromUnixNanos(
          TimeUtil::TimestampToNanoseconds(request->time())));
      break;
    case v1::SetClockRequest::kAdvance:
      status = clock_->Advance(absl::Nanoseconds(
          TimeUtil::DurationToNanoseconds(request->advance())));
      break;
    default:
      status = absl::InvalidArgumentError("change: set time or advance");
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
