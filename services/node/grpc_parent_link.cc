#include "services/node/grpc_parent_link.h"

#include "grpc/grpc.h"
#include "grpc/support/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "services/node/tls.h"

namespace tonghop {

GrpcParentLink::GrpcParentLink(const std::string& address,
                               const std::string& parent_unit,
                               const std::optional<TlsMaterial>& tls,
                               absl::Duration deadline)
    : deadline_(deadline) {
  grpc::ChannelArguments args;
  // gRPC's default reconnect backoff grows to 120 s; a parent back from an
  // outage must be reached within seconds.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  if (tls.has_value()) ExpectServerUnit(parent_unit, &args);
  stub_ = v1::FederationService::NewStub(
      grpc::CreateCustomChannel(address, NodeChannelCredentials(tls), args));
}

absl::StatusOr<v1::PushResponse> GrpcParentLink::Push(
    const v1::PushRequest& request) {
  grpc::ClientContext context;
  // A relative deadline: the RPC's timing uses real monotonic time, never the
  // node's clock.
  context.set_deadline(
      gpr_time_from_millis(absl::ToInt64Milliseconds(deadline_), GPR_TIMESPAN));
  v1::PushResponse response;
  grpc::Status status = stub_->Push(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response;
}

absl::StatusOr<v1::ReminderList> GrpcParentLink::FetchReminders(
    const std::string& child, int64_t after_sequence) {
  grpc::ClientContext context;
  context.set_deadline(
      gpr_time_from_millis(absl::ToInt64Milliseconds(deadline_), GPR_TIMESPAN));
  v1::FetchRemindersRequest request;
  request.set_child(child);
  request.set_after_sequence(after_sequence);
  v1::ReminderList response;
  grpc::Status status = stub_->FetchReminders(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response;
}

}  // namespace tonghop
