#include "services/node/tls.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"

namespace tonghop {

std::shared_ptr<grpc::ServerCredentials> NodeServerCredentials(
    const std::optional<TlsMaterial>& tls) {
  if (!tls.has_value()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls->ca_pem;
  options.pem_key_cert_pairs.push_back({tls->key_pem, tls->cert_chain_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> NodeChannelCredentials(
    const std::optional<TlsMaterial>& tls) {
  if (!tls.has_value()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = tls->ca_pem;
  options.pem_private_key = tls->key_pem;
  options.pem_cert_chain = tls->cert_chain_pem;
  return grpc::SslCredentials(options);
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
