#include "services/node/tls.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_certificate_verifier.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "libs/base/status_macros.h"

namespace tonghop {

namespace {

// The node's certificate and key and the federation's CA, for gRPC.
std::shared_ptr<grpc::experimental::StaticDataCertificateProvider> Provider(
    const TlsMaterial& tls) {
  return std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
      tls.ca_pem, std::vector<grpc::experimental::IdentityKeyCertPair>{
                      {tls.key_pem, tls.cert_chain_pem}});
}

// After the CA (and the revocation list) verified the server's certificate:
// it must name the unit the channel expects (ExpectServerUnit), as DNS:<unit>.
class ServerUnitVerifier
    : public grpc::experimental::ExternalCertificateVerifier {
 public:
  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)>,
              grpc::Status* sync_status) override {
    const grpc::string_ref target = request->target_name();
    std::vector<std::string> names;
    for (const grpc::string_ref& name : request->dns_names()) {
      if (name == target) {
        *sync_status = grpc::Status::OK;
        return true;
      }
      names.emplace_back(name.data(), name.size());
    }
    *sync_status = grpc::Status(
        grpc::StatusCode::UNAUTHENTICATED,
        absl::StrCat(
            "the server's certificate names ",
            names.empty() ? std::string("no unit") : absl::StrJoin(names, ", "),
            ", not ", absl::string_view(target.data(), target.size())));
    return true;  // decided synchronously
  }
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {
  }
};

}  // namespace

std::shared_ptr<grpc::ServerCredentials> NodeServerCredentials(
    const std::optional<TlsMaterial>& tls) {
  if (!tls.has_value()) return grpc::InsecureServerCredentials();
  grpc::experimental::TlsServerCredentialsOptions options(Provider(*tls));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!tls->crl_directory.empty()) {
    options.set_crl_directory(tls->crl_directory);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> NodeChannelCredentials(
    const std::optional<TlsMaterial>& tls) {
  if (!tls.has_value()) return grpc::InsecureChannelCredentials();
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(Provider(*tls));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  options.set_certificate_verifier(
      grpc::experimental::ExternalCertificateVerifier::Create<
          ServerUnitVerifier>());
  if (!tls->crl_directory.empty()) {
    options.set_crl_directory(tls->crl_directory);
  }
  return grpc::experimental::TlsCredentials(options);
}

absl::StatusOr<std::string> WriteCrlDirectory(const std::string& data_dir,
                                              const std::string& crl_pem) {
  ASSIGN_OR_RETURN(const std::string name, CrlHashedName(crl_pem));
  const std::filesystem::path dir = std::filesystem::path(data_dir) / "tls-crl";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // an older list, under its own name
  std::filesystem::create_directories(dir, ec);
  std::ofstream file(dir / name, std::ios::binary | std::ios::trunc);
  file << crl_pem;
  file.close();
  if (ec || !file) {
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir: cannot write the revocation list into ",
                     dir.string(), ec ? ": " + ec.message() : ""));
  }
  return dir.string();
}

void ExpectServerUnit(const std::string& unit, grpc::ChannelArguments* args) {
  args->SetSslTargetNameOverride(unit);
}

absl::Status CallerIs(const grpc::ServerContextBase& context,
                      absl::string_view unit, absl::string_view field) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  std::vector<std::string> names;
  if (auth != nullptr) {
    // The certificate's DNS names only (never its CN, IPs or URIs).
    for (const grpc::string_ref& v :
         auth->FindPropertyValues(GRPC_PEER_DNS_PROPERTY_NAME)) {
      names.emplace_back(v.data(), v.size());
    }
  }
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError(absl::StrCat(
        field, ": ", unit,
        ": this node takes pushes and reminder fetches only from child nodes "
        "that present their certificate (mutual TLS); the caller presented "
        "none"));
  }
  if (std::find(names.begin(), names.end(), unit) != names.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": ", unit, ": the caller's certificate names ",
      names.empty() ? std::string("no unit") : absl::StrJoin(names, ", "),
      ", not ", unit));
}

}  // namespace tonghop
