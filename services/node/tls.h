// gRPC's side of mutual TLS between nodes (docs/architecture.md "Mutual
// TLS"): credentials made from a node's TlsMaterial (libs/auth), and the
// check that the node calling is the child it says it is.
//
// A node with TLS serves only TLS. It asks every client for a certificate and
// verifies any it gets against the federation's CA, but does not require one:
// people and programs (the CLI) connect with the CA alone. A push or a
// reminder fetch requires one (CallerIs). A node with TLS reaches its parent
// with its own certificate and accepts the parent only if the parent's
// certificate names the parent's unit, whatever address it is reached at.
// With a revocation list (TlsMaterial::crl_directory), the handshake refuses
// a certificate it lists, at either end.
#ifndef TONGHOP_SERVICES_NODE_TLS_H_
#define TONGHOP_SERVICES_NODE_TLS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/auth/tls_material.h"

namespace tonghop {

// TLS credentials from `tls`; plain TCP when it is nullopt.
std::shared_ptr<grpc::ServerCredentials> NodeServerCredentials(
    const std::optional<TlsMaterial>& tls);
std::shared_ptr<grpc::ChannelCredentials> NodeChannelCredentials(
    const std::optional<TlsMaterial>& tls);

// Writes `crl_pem` into <data_dir>/tls-crl, alone, under its CrlHashedName,
// and returns that folder (for TlsMaterial::crl_directory: gRPC then refuses
// every certificate the list revokes, in both directions).
// FAILED_PRECONDITION naming the folder when it cannot be written.
absl::StatusOr<std::string> WriteCrlDirectory(const std::string& data_dir,
                                              const std::string& crl_pem);

// Makes a TLS channel accept only a server whose certificate names `unit`
// (DNS:<unit>), not the host of the address dialled.
void ExpectServerUnit(const std::string& unit, grpc::ChannelArguments* args);

// OK when the caller's verified certificate names `unit` (DNS:<unit>).
// UNAUTHENTICATED when it presented none, or one `tls`'s list revokes
// (IsRevoked: a second check beside OpenSSL's in the handshake);
// PERMISSION_DENIED, naming `field` and what the certificate names, when it
// names other units.
absl::Status CallerIs(const grpc::ServerContextBase& context,
                      absl::string_view unit, absl::string_view field,
                      const TlsMaterial& tls);

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_TLS_H_
