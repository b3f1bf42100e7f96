#include "libs/auth/tls_material.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Two federations made by deploy/make-certs.sh: `one` with the CA and the
// certificates of wards 25747 and 25750 (25750 revoked in its list,
// one/crl.pem, by deploy/revoke-cert.sh), `other` with its own CA, 25747 and
// an empty list.
class TlsMaterialTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/tonghop-tls-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = new std::string(tmpl);
    for (const std::string& command :
         {Make("one", "25747 25750,localhost,127.0.0.1"),
          Make("other", "25747"), Revoke("one", "25750"),
          Revoke("other", "")}) {
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
  }
  static void TearDownTestSuite() {
    if (dir_ == nullptr) return;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Make(const std::string& pki, const std::string& units) {
    return std::string(TONGHOP_MAKE_CERTS) + " " + *dir_ + "/" + pki + " " +
           units + " >/dev/null";
  }
  static std::string Revoke(const std::string& pki, const std::string& units) {
    return std::string(TONGHOP_REVOKE_CERT) + " " + *dir_ + "/" + pki + " " +
           units + " >/dev/null";
  }
  static std::string At(const std::string& file) { return *dir_ + "/" + file; }
  static v1::TlsConfig Config(const std::string& cert, const std::string& key,
                              const std::string& ca) {
    v1::TlsConfig config;
    config.set_cert_file(At(cert));
    config.set_key_file(At(key));
    config.set_ca_file(At(ca));
    return config;
  }
  static std::string Read(const std::string& file) {
    std::ifstream in(At(file));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static std::string* dir_;
};
std::string* TlsMaterialTest::dir_ = nullptr;

TEST_F(TlsMaterialTest, NoFileMeansPlainTcp) {
  auto m = LoadTlsMaterial(v1::TlsConfig(), "25747");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE(m->has_value());
}

TEST_F(TlsMaterialTest, ReadsAndChecksTheThreeFiles) {
  auto m = LoadTlsMaterial(
      Config("one/25747.pem", "one/25747.key", "one/ca.pem"), "25747");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ((*m)->cert_chain_pem, Read("one/25747.pem"));
  EXPECT_EQ((*m)->key_pem, Read("one/25747.key"));
  EXPECT_EQ((*m)->ca_pem, Read("one/ca.pem"));
}

TEST_F(TlsMaterialTest, ARevocationListIsReadAndChecked) {
  v1::TlsConfig config = Config("one/25747.pem", "one/25747.key", "one/ca.pem");
  config.set_crl_file(At("one/crl.pem"));
  auto m = LoadTlsMaterial(config, "25747");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ((*m)->crl_pem, Read("one/crl.pem"));

  // The node's own certificate revoked.
  config = Config("one/25750.pem", "one/25750.key", "one/ca.pem");
  config.set_crl_file(At("one/crl.pem"));
  m = LoadTlsMaterial(config, "25750");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(),
              HasSubstr("tls.cert_file " + At("one/25750.pem") +
                        ": not verified by tls.ca_file " + At("one/ca.pem") +
                        " and tls.crl_file " + At("one/crl.pem")));
  EXPECT_THAT(m.status().message(), HasSubstr("certificate revoked"));

  // Another CA's list; a file that holds no list; one that is missing.
  config = Config("one/25747.pem", "one/25747.key", "one/ca.pem");
  config.set_crl_file(At("other/crl.pem"));
  m = LoadTlsMaterial(config, "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("is the list the CA's?"));
  config.set_crl_file(At("one/ca.pem"));
  m = LoadTlsMaterial(config, "25747");
  EXPECT_THAT(m.status().message(),
              HasSubstr("tls.crl_file " + At("one/ca.pem") + ": no PEM CRL"));
  config.set_crl_file(At("one/none.pem"));
  m = LoadTlsMaterial(config, "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(m.status().message(), HasSubstr("tls.crl_file"));
}

TEST_F(TlsMaterialTest, TheListsSerialsTellWhichPeersAreRevoked) {
  v1::TlsConfig config = Config("one/25747.pem", "one/25747.key", "one/ca.pem");
  config.set_crl_file(At("one/crl.pem"));
  auto m = LoadTlsMaterial(config, "25747");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->revoked->size(), 1u);
  EXPECT_TRUE(IsRevoked(**m, Read("one/25750.pem")));
  EXPECT_FALSE(IsRevoked(**m, Read("one/25747.pem")));
  EXPECT_FALSE(IsRevoked(**m, "not a certificate"));
  // Without a list nothing is.
  config.clear_crl_file();
  m = LoadTlsMaterial(config, "25747");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(IsRevoked(**m, Read("one/25750.pem")));
}

TEST_F(TlsMaterialTest, RevokedSerialsForAClientWithTheCaAlone) {
  auto serials = RevokedSerials(Read("one/crl.pem"), Read("one/ca.pem"));
  ASSERT_TRUE(serials.ok()) << serials.status();
  TlsMaterial client;
  client.revoked = std::make_shared<SerialSet>(*serials);
  EXPECT_TRUE(IsRevoked(client, Read("one/25750.pem")));
  EXPECT_FALSE(IsRevoked(client, Read("one/25747.pem")));
  EXPECT_THAT(RevokedSerials(Read("other/crl.pem"), Read("one/ca.pem"))
                  .status()
                  .message(),
              HasSubstr("not signed by the CA"));
  EXPECT_THAT(
      RevokedSerials(Read("one/ca.pem"), Read("one/ca.pem")).status().message(),
      HasSubstr("no PEM CRL"));
}

TEST_F(TlsMaterialTest, AFileOfSeveralListsIsRefused) {
  // An older list before the current one: OpenSSL would use the newest,
  // while a check of the first would pass what the newest revokes.
  std::ofstream(At("two-lists.pem"))
      << Read("other/crl.pem") << Read("one/crl.pem");
  v1::TlsConfig config = Config("one/25747.pem", "one/25747.key", "one/ca.pem");
  config.set_crl_file(At("two-lists.pem"));
  auto m = LoadTlsMaterial(config, "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("2 lists in it"));
}

TEST_F(TlsMaterialTest, RevokeCertRefusesTheCasOwnCertificate) {
  const std::string command = Revoke("one", At("one/ca.pem")) + " 2>/dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

TEST_F(TlsMaterialTest, ExpiryTimesAreReadAndWarnedOfAMonthAhead) {
  v1::TlsConfig config = Config("one/25747.pem", "one/25747.key", "one/ca.pem");
  config.set_crl_file(At("one/crl.pem"));
  auto m = LoadTlsMaterial(config, "25747");
  ASSERT_TRUE(m.ok()) << m.status();
  // make-certs.sh and revoke-cert.sh give both 825 days from now.
  for (absl::Time t : {(*m)->certificate_expiry, (*m)->crl_next_update}) {
    const absl::Duration left = t - absl::Now();
    EXPECT_GT(left, absl::Hours(24 * 824));
    EXPECT_LT(left, absl::Hours(24 * 826));
  }
  const TlsMaterial& tls = **m;
  const absl::Duration month = absl::Hours(24 * 30);
  EXPECT_TRUE(ExpiryWarnings(tls, "25747", absl::Now(), month).empty());
  // Seen from 20 days before the certificate expires: it is warned of, and
  // so is the list, due a day later.
  TlsMaterial soon = tls;
  soon.crl_next_update = soon.certificate_expiry + absl::Hours(24);
  const std::vector<std::string> warnings = ExpiryWarnings(
      soon, "25747", soon.certificate_expiry - absl::Hours(24 * 20), month);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_THAT(warnings[0], HasSubstr("the certificate of 25747 expires on "));
  EXPECT_THAT(warnings[0], HasSubstr("(in 20 days)"));
  EXPECT_THAT(warnings[0], HasSubstr("deploy/make-certs.sh DIR 25747"));
  EXPECT_THAT(warnings[1], HasSubstr("tls.crl_file"));
  EXPECT_THAT(warnings[1], HasSubstr("(in 21 days)"));
  // Without a list, nothing about one.
  TlsMaterial no_list = soon;
  no_list.crl_next_update = absl::InfiniteFuture();
  EXPECT_EQ(
      ExpiryWarnings(no_list, "25747",
                     soon.certificate_expiry - absl::Hours(24 * 20), month)
          .size(),
      1u);
}

TEST_F(TlsMaterialTest, TheCrlIsNamedAsOpenSslsHashedLookupFindsIt) {
  // What `openssl crl -hash` prints, independently of our code.
  const std::string command = "openssl crl -hash -noout -in " +
                              At("one/crl.pem") + " > " + At("hash.txt");
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::string hash = Read("hash.txt");
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) {
    hash.pop_back();
  }
  auto name = CrlHashedName(Read("one/crl.pem"));
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, hash + ".r0");
  EXPECT_FALSE(CrlHashedName(Read("one/ca.pem")).ok());
}

TEST_F(TlsMaterialTest, TheFilesGoTogether) {
  v1::TlsConfig config = Config("one/25747.pem", "one/25747.key", "one/ca.pem");
  config.clear_key_file();
  config.clear_ca_file();
  auto m = LoadTlsMaterial(config, "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("missing key_file, ca_file"));
}

TEST_F(TlsMaterialTest, AnUnreadableFileIsNamed) {
  auto m = LoadTlsMaterial(
      Config("one/25747.pem", "one/25747.key", "one/nothing.pem"), "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(m.status().message(),
              HasSubstr("tls.ca_file: cannot read " + At("one/nothing.pem")));
}

TEST_F(TlsMaterialTest, AKeyFileWithoutAKeyIsRefused) {
  auto m = LoadTlsMaterial(
      Config("one/25747.pem", "one/25747.pem", "one/ca.pem"), "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("tls.key_file"));
  EXPECT_THAT(m.status().message(), HasSubstr("no PEM private key"));
}

TEST_F(TlsMaterialTest, AnEncryptedKeyIsRefusedWithoutAskingForItsPassPhrase) {
  const std::string command = "openssl ec -in " + At("one/25747.key") +
                              " -aes256 -passout pass:x -out " +
                              At("one/25747.enc.key") +
                              " 2>/dev/null </dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  auto m = LoadTlsMaterial(
      Config("one/25747.pem", "one/25747.enc.key", "one/ca.pem"), "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("no PEM private key"));
}

TEST_F(TlsMaterialTest, AnotherCertificatesKeyIsRefused) {
  auto m = LoadTlsMaterial(
      Config("one/25747.pem", "one/25750.key", "one/ca.pem"), "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(),
              HasSubstr("tls.key_file " + At("one/25750.key") +
                        ": not the key of tls.cert_file"));
}

TEST_F(TlsMaterialTest, ACertificateOfAnotherCaIsRefused) {
  auto m = LoadTlsMaterial(
      Config("other/25747.pem", "other/25747.key", "one/ca.pem"), "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("not verified by tls.ca_file"));
  EXPECT_THAT(m.status().message(), HasSubstr("unable to get local issuer"));
}

TEST_F(TlsMaterialTest, ACertificateOfAnotherUnitIsRefused) {
  auto m = LoadTlsMaterial(
      Config("one/25750.pem", "one/25750.key", "one/ca.pem"), "25747");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(),
              HasSubstr("names 25750, localhost, not this node's unit 25747"));
}

TEST_F(TlsMaterialTest, TheDnsNamesOfACertificate) {
  auto names = CertificateDnsNames(Read("one/25750.pem"));
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ElementsAre("25750", "localhost"));  // not the IP
  EXPECT_EQ(CertificateDnsNames("not a certificate").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tonghop
