// The CLI's gRPC edge: one channel to a tonghop-node and a call per RPC, each
// with a 10 s deadline, each returning the server's status as an absl::Status
// (same code, same message).
#ifndef TONGHOP_TOOLS_CLI_RPC_H_
#define TONGHOP_TOOLS_CLI_RPC_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop::cli {

// grpc::Status -> absl::Status: the canonical codes are the same numbers.
absl::Status FromGrpcStatus(const grpc::Status& status);

// A client of one node. Connects lazily (on the first call); a node that cannot
// be reached gives UNAVAILABLE or DEADLINE_EXCEEDED. Thread-safe, like the gRPC
// stubs it holds.
class NodeClient {
 public:
  // `target` is "HOST:PORT"; the channel is insecure (plain TCP).
  explicit NodeClient(const std::string& target);

  absl::StatusOr<v1::SubmitResponse> Submit(const v1::SubmitRequest& request);
  absl::StatusOr<v1::GetRollupResponse> GetRollup(
      const v1::GetRollupRequest& request);
  absl::StatusOr<v1::GetTemplateResponse> GetTemplate(
      const v1::GetTemplateRequest& request);
  absl::StatusOr<v1::Catalog> GetCatalog();
  absl::StatusOr<v1::NodeInfo> GetNodeInfo();
  absl::StatusOr<v1::SetClockResponse> SetClock(
      const v1::SetClockRequest& request);
  absl::StatusOr<v1::FinalizeResponse> Finalize(
      const v1::FinalizeRequest& request);
  absl::StatusOr<v1::LockRecord> SetLock(const v1::SetLockRequest& request);
  absl::StatusOr<v1::StatusReport> GetStatus(
      const v1::GetStatusRequest& request);
  absl::StatusOr<v1::ReminderList> ListReminders(
      const v1::ListRemindersRequest& request);

 private:
  std::unique_ptr<v1::ReportingService::Stub> reporting_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_RPC_H_
