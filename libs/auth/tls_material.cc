#include "libs/auth/tls_material.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "libs/base/file.h"

namespace tonghop {
namespace {

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(X509_CRL* p) const { X509_CRL_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

Owned<BIO> Memory(absl::string_view pem) {
  return Owned<BIO>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Every certificate in `pem`, in order (none when it holds none).
std::vector<Owned<X509>> Certificates(absl::string_view pem) {
  std::vector<Owned<X509>> out;
  Owned<BIO> bio = Memory(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    out.emplace_back(cert);
  }
  ERR_clear_error();  // the end of the input is reported as an error
  return out;
}

// An ASN.1 time as an absl::Time (InfiniteFuture when absent or unreadable).
absl::Time TimeOf(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    ERR_clear_error();
    return absl::InfiniteFuture();
  }
  return absl::FromCivil(
      absl::CivilSecond(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec),
      absl::UTCTimeZone());
}

// Every CRL in `pem`, in order.
std::vector<Owned<X509_CRL>> Crls(absl::string_view pem) {
  std::vector<Owned<X509_CRL>> out;
  Owned<BIO> bio = Memory(pem);
  while (X509_CRL* crl =
             PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
    out.emplace_back(crl);
  }
  ERR_clear_error();
  return out;
}

// The first CRL in `pem`, or null.
Owned<X509_CRL> FirstCrl(absl::string_view pem) {
  std::vector<Owned<X509_CRL>> all = Crls(pem);
  return all.empty() ? nullptr : std::move(all.front());
}

// A serial number as upper-case hex ("0AA40E..."; "" when unreadable).
std::string SerialHex(const ASN1_INTEGER* serial) {
  std::string out;
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn != nullptr) {
    if (char* hex = BN_bn2hex(bn); hex != nullptr) {
      out = hex;
      OPENSSL_free(hex);
    }
    BN_free(bn);
  }
  ERR_clear_error();
  return out;
}

std::vector<std::string> DnsNames(X509* cert) {
  std::vector<std::string> names;
  Owned<GENERAL_NAMES> sans(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (sans == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = name->d.dNSName;
    names.emplace_back(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
        ASN1_STRING_length(dns));
  }
  return names;
}

}  // namespace

absl::StatusOr<std::set<std::string>> RevokedSerials(absl::string_view crl_pem,
                                                     absl::string_view ca_pem) {
  std::vector<Owned<X509_CRL>> crls = Crls(crl_pem);
  if (crls.size() != 1) {
    return absl::InvalidArgumentError(
        crls.empty() ? std::string("no PEM CRL in it")
                     : absl::StrCat(crls.size(), " lists in it; give one"));
  }
  X509_CRL* crl = crls.front().get();
  bool signed_by_ca = false;
  for (const Owned<X509>& ca : Certificates(ca_pem)) {
    EVP_PKEY* key = X509_get0_pubkey(ca.get());
    signed_by_ca |= key != nullptr && X509_CRL_verify(crl, key) == 1;
  }
  ERR_clear_error();
  if (!signed_by_ca) {
    return absl::InvalidArgumentError("not signed by the CA (is it the CA's?)");
  }
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl);
  if (next != nullptr && X509_cmp_current_time(next) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expired on ",
        absl::FormatTime("%Y-%m-%d", TimeOf(next), absl::UTCTimeZone()),
        " (make a new list: deploy/revoke-cert.sh DIR)"));
  }
  std::set<std::string> serials;
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    serials.insert(SerialHex(
        X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
  }
  return serials;
}

absl::Time CrlNextUpdate(absl::string_view crl_pem) {
  Owned<X509_CRL> crl = FirstCrl(crl_pem);
  if (crl == nullptr) return absl::InfiniteFuture();
  return TimeOf(X509_CRL_get0_nextUpdate(crl.get()));
}

bool IsRevoked(const TlsMaterial& tls, absl::string_view cert_pem) {
  if (tls.revoked == nullptr || tls.revoked->size() == 0) return false;
  std::vector<Owned<X509>> certs = Certificates(cert_pem);
  if (certs.empty()) return false;
  return tls.revoked->Contains(
      SerialHex(X509_get0_serialNumber(certs.front().get())));
}

absl::StatusOr<std::string> CrlHashedName(absl::string_view crl_pem) {
  Owned<X509_CRL> crl = FirstCrl(crl_pem);
  if (crl == nullptr) return absl::InvalidArgumentError("no PEM CRL in it");
  char name[16];
  std::snprintf(name, sizeof(name), "%08lx.r0",
                X509_NAME_hash_ex(X509_CRL_get_issuer(crl.get()), nullptr,
                                  nullptr, nullptr));
  return std::string(name);
}

absl::StatusOr<std::vector<std::string>> CertificateDnsNames(
    absl::string_view pem) {
  std::vector<Owned<X509>> certs = Certificates(pem);
  if (certs.empty()) {
    return absl::InvalidArgumentError("no PEM certificate in it");
  }
  return DnsNames(certs.front().get());
}

absl::Status CheckKeyPair(absl::string_view cert_pem,
                          absl::string_view key_pem) {
  std::vector<Owned<X509>> chain = Certificates(cert_pem);
  if (chain.empty()) {
    return absl::InvalidArgumentError("no PEM certificate in");
  }
  Owned<EVP_PKEY> key;
  {
    Owned<BIO> bio = Memory(key_pem);
    // A callback that gives no pass phrase: OpenSSL's default one would ask
    // the terminal for an encrypted key's.
    key.reset(PEM_read_bio_PrivateKey(
        bio.get(), nullptr, [](char*, int, int, void*) { return -1; },
        nullptr));
    ERR_clear_error();
  }
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "no PEM private key in it (an unencrypted one) for");
  }
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("not the key of");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TlsMaterial>> LoadTlsMaterial(
    const v1::TlsConfig& config, absl::string_view unit) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"cert_file", &config.cert_file()},
      {"key_file", &config.key_file()},
      {"ca_file", &config.ca_file()}};
  std::vector<std::string> missing;
  for (const auto& [name, path] : fields) {
    if (path->empty()) missing.push_back(name);
  }
  if (missing.size() == 3) return std::nullopt;
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: tls: cert_file, key_file and ca_file go together; missing ",
        absl::StrJoin(missing, ", ")));
  }
  TlsMaterial m;
  {
    auto cert = ReadWholeFile(config.cert_file(), "config: tls.cert_file");
    if (!cert.ok()) return cert.status();
    m.cert_chain_pem = *std::move(cert);
    auto key = ReadWholeFile(config.key_file(), "config: tls.key_file");
    if (!key.ok()) return key.status();
    m.key_pem = *std::move(key);
    auto ca = ReadWholeFile(config.ca_file(), "config: tls.ca_file");
    if (!ca.ok()) return ca.status();
    m.ca_pem = *std::move(ca);
    if (!config.crl_file().empty()) {
      auto crl = ReadWholeFile(config.crl_file(), "config: tls.crl_file");
      if (!crl.ok()) return crl.status();
      m.crl_pem = *std::move(crl);
    }
  }
  const std::string cert_at =
      absl::StrCat("config: tls.cert_file ", config.cert_file());
  std::vector<Owned<X509>> chain = Certificates(m.cert_chain_pem);
  if (chain.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(cert_at, ": no PEM certificate in it"));
  }
  std::vector<Owned<X509>> cas = Certificates(m.ca_pem);
  if (cas.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: tls.ca_file ", config.ca_file(),
                     ": no PEM certificate in it"));
  }
  if (absl::Status pair = CheckKeyPair(m.cert_chain_pem, m.key_pem);
      !pair.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: tls.key_file ", config.key_file(), ": ",
                     pair.message(), " tls.cert_file ", config.cert_file()));
  }
  X509* leaf = chain.front().get();
  m.certificate_expiry = TimeOf(X509_get0_notAfter(leaf));
  // Verified as a handshake will: against the CA, with the file's other
  // certificates as intermediates, for both ends of a TLS connection (a node
  // serves its children and is a client of its parent).
  Owned<X509_STORE> store(X509_STORE_new());
  for (const Owned<X509>& ca : cas) {
    if (X509_STORE_add_cert(store.get(), ca.get()) != 1) {
      ERR_clear_error();  // the same certificate twice: harmless
    }
  }
  if (!m.crl_pem.empty()) {
    // Checked as the handshakes will check every certificate: its signature
    // by the CA, its next update, and this node's own certificate.
    std::vector<Owned<X509_CRL>> crls = Crls(m.crl_pem);
    if (crls.size() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: tls.crl_file ", config.crl_file(),
          crls.empty() ? ": no PEM CRL in it (make one with "
                         "deploy/revoke-cert.sh)"
                       : absl::StrCat(": ", crls.size(),
                                      " lists in it; give the CA's newest "
                                      "one alone (DIR/crl.pem)")));
    }
    Owned<X509_CRL>& crl = crls.front();
    std::set<std::string> serials;
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
      serials.insert(SerialHex(
          X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
    }
    m.revoked->Replace(std::move(serials));
    if (X509_STORE_add_crl(store.get(), crl.get()) != 1) {
      ERR_clear_error();
      return absl::InternalError("OpenSSL: cannot add the CRL");
    }
    X509_STORE_set_flags(store.get(),
                         X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    m.crl_next_update = TimeOf(X509_CRL_get0_nextUpdate(crl.get()));
  }
  const std::string verified_by =
      absl::StrCat("tls.ca_file ", config.ca_file(),
                   m.crl_pem.empty()
                       ? ""
                       : absl::StrCat(" and tls.crl_file ", config.crl_file()));
  Owned<STACK_OF(X509)> intermediates(sk_X509_new_null());
  for (size_t i = 1; i < chain.size(); ++i) {
    X509_up_ref(chain[i].get());
    sk_X509_push(intermediates.get(), chain[i].get());
  }
  for (const auto& [purpose, end] :
       {std::pair{X509_PURPOSE_SSL_SERVER, "a TLS server"},
        std::pair{X509_PURPOSE_SSL_CLIENT, "a TLS client"}}) {
    Owned<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
    if (ctx == nullptr ||
        X509_STORE_CTX_init(ctx.get(), store.get(), leaf,
                            intermediates.get()) != 1 ||
        X509_STORE_CTX_set_purpose(ctx.get(), purpose) != 1) {
      ERR_clear_error();
      return absl::InternalError("OpenSSL: cannot set up a verification");
    }
    if (X509_verify_cert(ctx.get()) != 1) {
      const int error = X509_STORE_CTX_get_error(ctx.get());
      ERR_clear_error();
      const char* hint = "";
      if (error == X509_V_ERR_CERT_REVOKED) {
        hint = " (make a new one: deploy/make-certs.sh DIR UNIT)";
      } else if (error == X509_V_ERR_CRL_HAS_EXPIRED) {
        hint = " (make a new list: deploy/revoke-cert.sh DIR)";
      } else if (error == X509_V_ERR_UNABLE_TO_GET_CRL ||
                 error == X509_V_ERR_CRL_SIGNATURE_FAILURE) {
        hint = " (is the list the CA's?)";
      }
      return absl::InvalidArgumentError(
          absl::StrCat(cert_at, ": not verified by ", verified_by, " as ", end,
                       ": ", X509_verify_cert_error_string(error), hint));
    }
  }
  std::vector<std::string> names = DnsNames(leaf);
  if (std::find(names.begin(), names.end(), unit) == names.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        cert_at, " names ",
        names.empty() ? std::string("no unit (no DNS subjectAltName)")
                      : absl::StrJoin(names, ", "),
        ", not this node's unit ", unit,
        " (make one with deploy/make-certs.sh DIR ", unit, ")"));
  }
  return m;
}

std::vector<std::string> ExpiryWarnings(const TlsMaterial& tls,
                                        absl::string_view unit, absl::Time now,
                                        absl::Duration ahead) {
  std::vector<std::string> out;
  auto when = [&](absl::Time t) {
    const int64_t days = absl::ToInt64Hours(t - now) / 24;
    return absl::StrCat(
        absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()),
        t <= now ? " (already past)" : absl::StrCat(" (in ", days, " days)"));
  };
  if (tls.certificate_expiry - now < ahead) {
    out.push_back(absl::StrCat(
        "config: tls.cert_file: the certificate of ", unit, " expires on ",
        when(tls.certificate_expiry),
        ": make a new one (deploy/make-certs.sh DIR ", unit,
        ") and restart the node before then, or its parent and children "
        "will refuse it"));
  }
  if (tls.crl_next_update - now < ahead) {
    out.push_back(absl::StrCat(
        "config: tls.crl_file: the revocation list must be renewed by ",
        when(tls.crl_next_update),
        " (deploy/revoke-cert.sh DIR, then restart the nodes), or every "
        "handshake will fail"));
  }
  return out;
}

}  // namespace tonghop
