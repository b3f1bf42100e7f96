#include "services/node/grpc_parent_link.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpc/support/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "services/node/tls.h"

namespace tonghop {
namespace {

// The call's status as an absl::Status. With mutual TLS, a connection the
// parent closed during the handshake says what the operator should look at:
// gRPC only says the socket closed.
absl::Status FromCall(const grpc::Status& status, bool tls) {
  std::string message = status.error_message();
  if (tls && status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      (absl::StrContains(message, "Socket closed") ||
       absl::StrContains(message, "andshake"))) {
    absl::StrAppend(&message,
                    " (with mutual TLS: the parent may have refused this "
                    "node's certificate: revoked, expired or another CA's; "
                    "'tonghop info' shows until when it is valid)");
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      message);
}

}  // namespace

GrpcParentLink::GrpcParentLink(const std::string& address,
                               const std::string& parent_unit,
                               const std::optional<TlsMaterial>& tls,
                               absl::Duration deadline)
    : deadline_(deadline), tls_(tls.has_value()) {
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
  if (!status.ok()) return FromCall(status, tls_);
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
  if (!status.ok()) return FromCall(status, tls_);
  return response;
}

}  // namespace tonghop
