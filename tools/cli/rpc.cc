// gRPC calls of the tonghop CLI, with deadlines and the grpc::Status ->
// absl::Status edge.
#include "tools/cli/rpc.h"

#include "grpc/support/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace tonghop::cli {
namespace {

constexpr int64_t kDeadlineSeconds = 10;

// Calls `method` of `stub` with a fresh context whose deadline is
// kDeadlineSeconds away. The deadline is given to gRPC as a time span, which
// gRPC adds to its own clock: no clock is read here.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(Stub* stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                           const Request&,
                                                           Response*),
                              const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(gpr_time_from_seconds(kDeadlineSeconds, GPR_TIMESPAN));
  Response response;
  grpc::Status status = (stub->*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

NodeClient::NodeClient(const std::string& target) {
  auto channel =
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  reporting_ = v1::ReportingService::NewStub(channel);
  admin_ = v1::AdminService::NewStub(channel);
}

absl::StatusOr<v1::SubmitResponse> NodeClient::Submit(
    const v1::SubmitRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::Submit, request);
}

absl::StatusOr<v1::GetRollupResponse> NodeClient::GetRollup(
    const v1::GetRollupRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::GetRollup,
              request);
}

absl::StatusOr<v1::GetTemplateResponse> NodeClient::GetTemplate(
    const v1::GetTemplateRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::GetTemplate,
              request);
}

absl::StatusOr<v1::Catalog> NodeClient::GetCatalog() {
  return Call(reporting_.get(), &v1::ReportingService::Stub::GetCatalog,
              v1::GetCatalogRequest());
}

absl::StatusOr<v1::NodeInfo> NodeClient::GetNodeInfo() {
  return Call(reporting_.get(), &v1::ReportingService::Stub::GetNodeInfo,
              v1::GetNodeInfoRequest());
}

absl::StatusOr<v1::SetClockResponse> NodeClient::SetClock(
    const v1::SetClockRequest& request) {
  return Call(admin_.get(), &v1::AdminService::Stub::SetClock, request);
}

absl::StatusOr<v1::FinalizeResponse> NodeClient::Finalize(
    const v1::FinalizeRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::Finalize, request);
}

absl::StatusOr<v1::LockRecord> NodeClient::SetLock(
    const v1::SetLockRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::SetLock, request);
}

absl::StatusOr<v1::StatusReport> NodeClient::GetStatus(
    const v1::GetStatusRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::GetStatus,
              request);
}

absl::StatusOr<v1::ReminderList> NodeClient::ListReminders(
    const v1::ListRemindersRequest& request) {
  return Call(reporting_.get(), &v1::ReportingService::Stub::ListReminders,
              request);
}

}  // namespace tonghop::cli
