// The CLI's gRPC edge: one channel to a tonghop-node and a call per RPC, each
// with a 10 s deadline, each returning the server's status as an absl::Status
// (same code, same message).
#ifndef TONGHOP_TOOLS_CLI_RPC_H_
#define TONGHOP_TOOLS_CLI_RPC_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/status.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop::cli {

// grpc::Status -> absl::Status: the canonical codes are the same numbers.
absl::Status FromGrpcStatus(const grpc::Status& status);

// How the CLI reaches a node: plain TCP, or TLS when `ca_file` is set (the
// federation's CA, deploy/make-certs.sh), checking that the node's
// certificate names `server_name` (default: the host of the target; a node's
// unit code, such as "31", works whatever the address), and presenting
// `cert_file`/`key_file` when given; with `crl_file` (the CA's revocation
// list, deploy/revoke-cert.sh), refusing a node whose certificate it revokes.
struct TlsOptions {
  std::string ca_file, cert_file, key_file, server_name, crl_file;
};

// The channel credentials and arguments of `tls`. INVALID_ARGUMENT naming the
// flag (--tls_cert, --tls_key, --tls_server_name, --tls_crl) for a
// certificate without its key or TLS options without --tls_ca, and naming
// the flag and file for a CA file without a certificate, a key that is not
// the certificate's, or a list RevokedSerials refuses;
// NOT_FOUND naming the flag for a file that cannot be read.
struct ChannelSetup {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  grpc::ChannelArguments args;
  std::string token;  // sent with every call as "authorization: Bearer ..."
};
absl::StatusOr<ChannelSetup> SetUpChannel(const TlsOptions& tls);

// A client of one node. Connects lazily (on the first call); a node that cannot
// be reached gives UNAVAILABLE or DEADLINE_EXCEEDED. Thread-safe, like the gRPC
// stubs it holds.
class NodeClient {
 public:
  // `target` is "HOST:PORT"; plain TCP.
  explicit NodeClient(const std::string& target);
  NodeClient(const std::string& target, const ChannelSetup& setup);

  absl::StatusOr<v1::SubmitResponse> Submit(const v1::SubmitRequest& request);
  absl::StatusOr<v1::GetRollupResponse> GetRollup(
      const v1::GetRollupRequest& request);
  absl::StatusOr<v1::GetSeriesResponse> GetSeries(
      const v1::GetSeriesRequest& request);
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
  absl::StatusOr<v1::AuditLog> ListAudit(const v1::ListAuditRequest& request);

 private:
  std::unique_ptr<v1::ReportingService::Stub> reporting_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::string token_;
};

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_RPC_H_
