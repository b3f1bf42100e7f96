// gRPC calls of the tonghop CLI, with deadlines and the grpc::Status ->
// absl::Status edge.
#include "tools/cli/rpc.h"

#include <functional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/support/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_certificate_verifier.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "libs/auth/tls_material.h"
#include "libs/base/file.h"
#include "libs/base/status_macros.h"

namespace tonghop::cli {
namespace {

constexpr int64_t kDeadlineSeconds = 10;

// Calls `method` of `stub` with a fresh context whose deadline is
// kDeadlineSeconds away. The deadline is given to gRPC as a time span, which
// gRPC adds to its own clock: no clock is read here.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(const std::string& token, Stub* stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                           const Request&,
                                                           Response*),
                              const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(gpr_time_from_seconds(kDeadlineSeconds, GPR_TIMESPAN));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
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

namespace {

// After the CA verified the node's chain: refuses a certificate the list
// revokes, then checks its names as SslCredentials does (DNS or IP against
// the target, or --tls_server_name).
class RevocationVerifier
    : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit RevocationVerifier(TlsMaterial revoked)
      : revoked_(std::move(revoked)) {}
  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> callback,
              grpc::Status* sync_status) override {
    const grpc::string_ref pem = request->peer_cert();
    if (IsRevoked(revoked_, absl::string_view(pem.data(), pem.size()))) {
      *sync_status =
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                       "the node's certificate is revoked (--tls_crl)");
      return true;
    }
    return names_.Verify(request, std::move(callback), sync_status);
  }
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {
  }

 private:
  const TlsMaterial revoked_;
  grpc::experimental::HostNameCertificateVerifier names_;
};

// TLS credentials with `options`' CA and certificate that also refuse a node
// whose certificate has a serial in `revoked`.
std::shared_ptr<grpc::ChannelCredentials> CheckedCredentials(
    const grpc::SslCredentialsOptions& options, std::set<std::string> revoked) {
  std::vector<grpc::experimental::IdentityKeyCertPair> identity;
  if (!options.pem_cert_chain.empty()) {
    identity.push_back({options.pem_private_key, options.pem_cert_chain});
  }
  grpc::experimental::TlsChannelCredentialsOptions tls;
  tls.set_certificate_provider(
      std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
          options.pem_root_certs, identity));
  tls.watch_root_certs();
  if (!identity.empty()) tls.watch_identity_key_cert_pairs();
  tls.set_verify_server_certs(true);
  TlsMaterial material;
  material.revoked = std::make_shared<SerialSet>(std::move(revoked));
  tls.set_certificate_verifier(
      grpc::experimental::ExternalCertificateVerifier::Create<
          RevocationVerifier>(std::move(material)));
  return grpc::experimental::TlsCredentials(tls);
}

}  // namespace

absl::StatusOr<ChannelSetup> SetUpChannel(const TlsOptions& tls) {
  ChannelSetup setup;
  if (tls.ca_file.empty()) {
    for (const auto& [flag, value] :
         {std::pair<const char*, const std::string*>{"tls_cert",
                                                     &tls.cert_file},
          {"tls_key", &tls.key_file},
          {"tls_server_name", &tls.server_name},
          {"tls_crl", &tls.crl_file}}) {
      if (!value->empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--", flag, " needs --tls_ca (the federation's CA certificate)"));
      }
    }
    setup.credentials = grpc::InsecureChannelCredentials();
    return setup;
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        tls.cert_file.empty() ? "--tls_key needs --tls_cert (its certificate)"
                              : "--tls_cert needs --tls_key (its key)");
  }
  grpc::SslCredentialsOptions options;
  ASSIGN_OR_RETURN(options.pem_root_certs,
                   ReadWholeFile(tls.ca_file, "--tls_ca"));
  if (!CertificateDnsNames(options.pem_root_certs).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_ca: ", tls.ca_file,
                     ": no PEM certificate in it (the federation's ca.pem)"));
  }
  if (!tls.cert_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_cert_chain,
                     ReadWholeFile(tls.cert_file, "--tls_cert"));
    ASSIGN_OR_RETURN(options.pem_private_key,
                     ReadWholeFile(tls.key_file, "--tls_key"));
    if (absl::Status pair =
            CheckKeyPair(options.pem_cert_chain, options.pem_private_key);
        !pair.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls_key ", tls.key_file, ": ", pair.message(),
                       " --tls_cert ", tls.cert_file));
    }
  }
  if (tls.crl_file.empty()) {
    setup.credentials = grpc::SslCredentials(options);
  } else {
    ASSIGN_OR_RETURN(const std::string crl,
                     ReadWholeFile(tls.crl_file, "--tls_crl"));
    absl::StatusOr<std::set<std::string>> revoked =
        RevokedSerials(crl, options.pem_root_certs);
    if (!revoked.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_crl: ", tls.crl_file, ": ", revoked.status().message()));
    }
    setup.credentials = CheckedCredentials(options, *std::move(revoked));
  }
  if (!tls.server_name.empty()) {
    setup.args.SetSslTargetNameOverride(tls.server_name);
  }
  return setup;
}

NodeClient::NodeClient(const std::string& target)
    : NodeClient(target,
                 ChannelSetup{grpc::InsecureChannelCredentials(), {}, {}}) {}

NodeClient::NodeClient(const std::string& target, const ChannelSetup& setup)
    : token_(setup.token) {
  auto channel =
      grpc::CreateCustomChannel(target, setup.credentials, setup.args);
  reporting_ = v1::ReportingService::NewStub(channel);
  admin_ = v1::AdminService::NewStub(channel);
}

absl::StatusOr<v1::SubmitResponse> NodeClient::Submit(
    const v1::SubmitRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::Submit,
              request);
}

absl::StatusOr<v1::GetRollupResponse> NodeClient::GetRollup(
    const v1::GetRollupRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::GetRollup,
              request);
}

absl::StatusOr<v1::GetSeriesResponse> NodeClient::GetSeries(
    const v1::GetSeriesRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::GetSeries,
              request);
}

absl::StatusOr<v1::GetTemplateResponse> NodeClient::GetTemplate(
    const v1::GetTemplateRequest& request) {
  return Call(token_, reporting_.get(),
              &v1::ReportingService::Stub::GetTemplate, request);
}

absl::StatusOr<v1::Catalog> NodeClient::GetCatalog() {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::GetCatalog,
              v1::GetCatalogRequest());
}

absl::StatusOr<v1::NodeInfo> NodeClient::GetNodeInfo() {
  return Call(token_, reporting_.get(),
              &v1::ReportingService::Stub::GetNodeInfo,
              v1::GetNodeInfoRequest());
}

absl::StatusOr<v1::SetClockResponse> NodeClient::SetClock(
    const v1::SetClockRequest& request) {
  return Call(token_, admin_.get(), &v1::AdminService::Stub::SetClock, request);
}

absl::StatusOr<v1::FinalizeResponse> NodeClient::Finalize(
    const v1::FinalizeRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::Finalize,
              request);
}

absl::StatusOr<v1::LockRecord> NodeClient::SetLock(
    const v1::SetLockRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::SetLock,
              request);
}

absl::StatusOr<v1::StatusReport> NodeClient::GetStatus(
    const v1::GetStatusRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::GetStatus,
              request);
}

absl::StatusOr<v1::ReminderList> NodeClient::ListReminders(
    const v1::ListRemindersRequest& request) {
  return Call(token_, reporting_.get(),
              &v1::ReportingService::Stub::ListReminders, request);
}

absl::StatusOr<v1::AuditLog> NodeClient::ListAudit(
    const v1::ListAuditRequest& request) {
  return Call(token_, reporting_.get(), &v1::ReportingService::Stub::ListAudit,
              request);
}

}  // namespace tonghop::cli
