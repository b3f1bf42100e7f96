// A node's TLS material (the `tls` block of its config): its certificate, its
// key and the federation's CA, read from the files the config names and
// checked before the node starts, so that an operator learns of a wrong file
// from the node's first line of output and not from failed handshakes later.
//
// Pure OpenSSL (libcrypto); gRPC's credentials are made from it in
// services/node/tls.h.
#ifndef TONGHOP_LIBS_AUTH_TLS_MATERIAL_H_
#define TONGHOP_LIBS_AUTH_TLS_MATERIAL_H_

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

// A set of certificate serial numbers (upper-case hex, as OpenSSL prints
// them) that can be replaced while it is read. Thread-safe.
class SerialSet {
 public:
  SerialSet() = default;
  explicit SerialSet(std::set<std::string> serials)
      : serials_(std::move(serials)) {}
  void Replace(std::set<std::string> serials) {
    absl::MutexLock lock(&mu_);
    serials_ = std::move(serials);
  }
  std::set<std::string> serials() const {
    absl::ReaderMutexLock lock(&mu_);
    return serials_;
  }
  bool Contains(const std::string& serial) const {
    absl::ReaderMutexLock lock(&mu_);
    return serials_.count(serial) > 0;
  }
  size_t size() const {
    absl::ReaderMutexLock lock(&mu_);
    return serials_.size();
  }

 private:
  mutable absl::Mutex mu_;
  std::set<std::string> serials_ ABSL_GUARDED_BY(mu_);
};

struct TlsMaterial {
  std::string cert_chain_pem;  // the node's certificate, then any intermediates
  std::string key_pem;
  std::string ca_pem;   // the federation's CA certificate(s)
  std::string crl_pem;  // the CA's revocation list; empty: none
  // The serial numbers the list revokes, for the node's own check of every
  // peer (IsRevoked), which does not depend on the folder gRPC reads the
  // list from. Shared by every copy of this material, so that replacing its
  // contents (a list read again on SIGHUP) reaches every check at once.
  std::shared_ptr<SerialSet> revoked = std::make_shared<SerialSet>();
  // A folder holding crl_pem under CrlHashedName, as gRPC reads revocation
  // lists; set by whoever writes it (the node, in its data_dir).
  std::string crl_directory;
  // When the node's certificate expires (its notAfter), and the list's next
  // update (absl::InfiniteFuture() without a list or a next update).
  absl::Time certificate_expiry = absl::InfiniteFuture();
  absl::Time crl_next_update = absl::InfiniteFuture();
};

// Warnings for the node's log when `tls`'s certificate expires, or its list
// needs a new one, within `ahead` of `now` (the machine's real time: that is
// what handshakes judge by): "config: tls.cert_file: the certificate of 31
// expires on 2026-12-20 (in 17 days): make a new one ...". Empty when neither
// does.
std::vector<std::string> ExpiryWarnings(const TlsMaterial& tls,
                                        absl::string_view unit, absl::Time now,
                                        absl::Duration ahead);

// The material of `config` for the node of `unit`; nullopt when no file is
// named (the node runs on plain TCP). Errors, each naming the config field
// and the file:
// - INVALID_ARGUMENT: only some of the three files named; a file without a
//   PEM certificate or key; a key that is not the certificate's; a
//   certificate the CA does not verify (signed by another CA, expired or not
//   yet valid, by the machine's real time as the handshakes will judge it);
//   a certificate whose subjectAltName does not name `unit` (DNS:<unit>).
// - With a crl_file, INVALID_ARGUMENT also for a file without a PEM CRL or
//   with more than one (OpenSSL would use whichever is newest), a CRL the CA
//   did not sign, one past its next update (every handshake would fail),
//   and a certificate of this node's that it revokes.
// - NOT_FOUND: a file that cannot be read.
absl::StatusOr<std::optional<TlsMaterial>> LoadTlsMaterial(
    const v1::TlsConfig& config, absl::string_view unit);

// OK when `key_pem` holds an unencrypted private key that is the key of the
// first certificate in `cert_pem`. INVALID_ARGUMENT otherwise, whose message
// reads before the certificate's name: "not the key of", "no PEM private key
// in it (an unencrypted one) for", "no PEM certificate in".
absl::Status CheckKeyPair(absl::string_view cert_pem,
                          absl::string_view key_pem);

// The serial numbers the revocation list `crl_pem` revokes, for a client
// (the CLI) that has no certificate of its own to check it with: the file
// must hold exactly one list, signed by a CA of `ca_pem` and not past its
// next update. INVALID_ARGUMENT otherwise, its message reading after the
// file's name ("no PEM CRL in it", "not signed by ...", "expired on ...").
absl::StatusOr<std::set<std::string>> RevokedSerials(absl::string_view crl_pem,
                                                     absl::string_view ca_pem);

// The next update the first list of `crl_pem` promises;
// absl::InfiniteFuture() when it names none or holds no list.
absl::Time CrlNextUpdate(absl::string_view crl_pem);

// True when the first certificate of `cert_pem` (a peer's, as gRPC gives it)
// has a serial number in tls.revoked; false for one that does not
// parse (the handshake has verified it already).
bool IsRevoked(const TlsMaterial& tls, absl::string_view cert_pem);

// The name OpenSSL's hashed-directory lookup (and so gRPC's crl_directory)
// finds the CRL `crl_pem` under: the hash of its issuer's name in 8 hex
// digits, then ".r0" ("5d8f2c1a.r0", as `openssl rehash` names it).
// INVALID_ARGUMENT when `crl_pem` holds no PEM CRL.
absl::StatusOr<std::string> CrlHashedName(absl::string_view crl_pem);

// The DNS names in the subjectAltName of the first certificate of `pem`
// (INVALID_ARGUMENT when there is none).
absl::StatusOr<std::vector<std::string>> CertificateDnsNames(
    absl::string_view pem);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_AUTH_TLS_MATERIAL_H_
