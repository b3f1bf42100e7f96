#include "services/node/tls.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_certificate_verifier.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "libs/base/file.h"
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

// UNAUTHENTICATED when the peer's certificate is one the list revokes: the
// node's own check, beside OpenSSL's (which reads the list from a folder and
// lets a certificate through when the folder lost it).
grpc::Status NotRevoked(
    const TlsMaterial& tls,
    const grpc::experimental::TlsCustomVerificationCheckRequest& request,
    absl::string_view whose) {
  const grpc::string_ref pem = request.peer_cert();
  if (!IsRevoked(tls, absl::string_view(pem.data(), pem.size()))) {
    return grpc::Status::OK;
  }
  return grpc::Status(
      grpc::StatusCode::UNAUTHENTICATED,
      absl::StrCat(whose, " certificate is revoked (tls.crl_file)"));
}

// On the channel to the parent: the server's certificate must not be revoked
// and must name the unit the channel expects (ExpectServerUnit), as
// DNS:<unit>.
class ServerUnitVerifier
    : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit ServerUnitVerifier(std::shared_ptr<const TlsMaterial> tls)
      : tls_(std::move(tls)) {}
  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)>,
              grpc::Status* sync_status) override {
    *sync_status = NotRevoked(*tls_, *request, "the server's");
    if (!sync_status->ok()) return true;
    const grpc::string_ref target = request->target_name();
    std::vector<std::string> names;
    for (const grpc::string_ref& name : request->dns_names()) {
      if (name == target) return true;  // OK
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

 private:
  const std::shared_ptr<const TlsMaterial> tls_;
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
          ServerUnitVerifier>(std::make_shared<const TlsMaterial>(*tls)));
  if (!tls->crl_directory.empty()) {
    options.set_crl_directory(tls->crl_directory);
  }
  return grpc::experimental::TlsCredentials(options);
}

absl::StatusOr<std::string> WriteCrlDirectory(const std::string& data_dir,
                                              const std::string& crl_pem) {
  ASSIGN_OR_RETURN(const std::string name, CrlHashedName(crl_pem));
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(data_dir) / "tls-crl";
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(dir, ec))) fs::remove(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data_dir: cannot make ", dir.string(), ": ", ec.message()));
  }
  // Whole or not at all: a handshake may read it meanwhile; and first, so
  // that a failure leaves the list in force in place.
  RETURN_IF_ERROR(WriteWholeFile((dir / name).string(),
                                 "data_dir: the revocation list", crl_pem));
  // Then the list alone: an older one, under its own name, would be read too.
  std::vector<fs::path> others;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename() != name) others.push_back(e.path());
  }
  for (const fs::path& other : others) {
    if (!ec) fs::remove_all(other, ec);
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir: cannot clear ", dir.string(),
                     " of older revocation lists: ", ec.message()));
  }
  return dir.string();
}

void ExpectServerUnit(const std::string& unit, grpc::ChannelArguments* args) {
  args->SetSslTargetNameOverride(unit);
}

absl::Status CallerIs(const grpc::ServerContextBase& context,
                      absl::string_view unit, absl::string_view field,
                      const TlsMaterial& tls) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  std::vector<std::string> names;
  bool revoked = false;
  if (auth != nullptr) {
    // The certificate's DNS names only (never its CN, IPs or URIs).
    for (const grpc::string_ref& v :
         auth->FindPropertyValues(GRPC_PEER_DNS_PROPERTY_NAME)) {
      names.emplace_back(v.data(), v.size());
    }
    // gRPC 1.51 runs no verifier of ours on a server's handshake: the
    // node's own check of the list is here, for the calls a certificate
    // authorises.
    for (const grpc::string_ref& pem :
         auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME)) {
      revoked |= IsRevoked(tls, absl::string_view(pem.data(), pem.size()));
    }
  }
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError(absl::StrCat(
        field, ": ", unit,
        ": this node takes pushes and reminder fetches only from child nodes "
        "that present their certificate (mutual TLS); the caller presented "
        "none"));
  }
  if (revoked) {
    return absl::UnauthenticatedError(
        absl::StrCat(field, ": ", unit,
                     ": the caller's certificate is revoked (tls.crl_file)"));
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
