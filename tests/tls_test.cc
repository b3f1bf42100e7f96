// Mutual TLS between real nodes on loopback (services/node/tls.h), with
// certificates made by deploy/make-certs.sh: a ward node pushes to its city
// over TLS; the city takes a push only from the node its certificate names;
// plain TCP, another federation's certificates and a parent whose certificate
// names another unit are refused; a node will not start with another unit's
// certificate; the CLI reaches a TLS node; with a revocation list made by
// deploy/revoke-cert.sh, a revoked certificate is refused at either end.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/harness/node_process.h"
#include "tonghop/v1/federation.grpc.pb.h"

namespace tonghop::testing {
namespace {

using ::testing::HasSubstr;

// Two federations: `one` (the CA; the central node, cities 31 and 92, wards
// 10525 and 10532)
// and `other` (its own CA; ward 10525).
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TempDir;
    const std::string rev = Pki("rev");
    for (const std::string& command :
         {Make("one", "VN 31 92 10525 10532"), Make("other", "10525"),
          // `rev`: 31 and 10525 revoked (their certificates kept as
          // old-*), then made anew.
          Make("rev", "31 10525"),
          absl::StrCat("for f in 31 10525; do cp ", rev, "/$f.pem ", rev,
                       "/old-$f.pem && cp ", rev, "/$f.key ", rev,
                       "/old-$f.key; done"),
          // A list that revokes nothing yet, kept as crl-empty.pem.
          absl::StrCat(TONGHOP_REVOKE_CERT, " ", rev, " >/dev/null && cp ", rev,
                       "/crl.pem ", rev, "/crl-empty.pem"),
          absl::StrCat(TONGHOP_REVOKE_CERT, " ", rev, " 31 10525 >/dev/null"),
          Make("rev", "31 10525") + " 2>/dev/null",
          absl::StrCat(TONGHOP_REVOKE_CERT, " ", Pki("other"),
                       " >/dev/null")}) {
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
  }
  static void TearDownTestSuite() { delete pki_; }
  static std::string Make(const std::string& pki, const std::string& units) {
    return absl::StrCat(TONGHOP_MAKE_CERTS, " ", pki_->path(), "/", pki, " ",
                        units, " >/dev/null");
  }
  static std::string Pki(const std::string& file) {
    return absl::StrCat(pki_->path(), "/", file);
  }
  static std::string Read(const std::string& file) {
    std::ifstream in(Pki(file));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // The config of `unit`'s node with the certificate of `cert_unit` in `pki`.
  static v1::NodeConfig Config(const std::string& unit, v1::Role role,
                               const std::string& cert_unit,
                               const std::string& pki = "one") {
    v1::NodeConfig config;
    config.set_unit(unit);
    config.set_role(role);
    config.mutable_tls()->set_cert_file(Pki(pki + "/" + cert_unit + ".pem"));
    config.mutable_tls()->set_key_file(Pki(pki + "/" + cert_unit + ".key"));
    config.mutable_tls()->set_ca_file(Pki(pki + "/ca.pem"));
    return config;
  }
  // The config of `unit`'s node in the `rev` federation with the certificate
  // `cert` ("31", or "old-31": revoked), and its revocation list unless
  // `crl` is false.
  static v1::NodeConfig RevConfig(const std::string& unit, v1::Role role,
                                  const std::string& cert, bool crl) {
    v1::NodeConfig config;
    config.set_unit(unit);
    config.set_role(role);
    config.mutable_tls()->set_cert_file(Pki("rev/" + cert + ".pem"));
    config.mutable_tls()->set_key_file(Pki("rev/" + cert + ".key"));
    config.mutable_tls()->set_ca_file(Pki("rev/ca.pem"));
    if (crl) config.mutable_tls()->set_crl_file(Pki("rev/crl.pem"));
    return config;
  }

  static v1::NodeConfig HaiPhong() {
    v1::NodeConfig config = Config("31", v1::ROLE_CITY, "31");
    for (const char* code : {"10525", "10532"}) {
      auto* child = config.add_children();
      child->set_code(code);
      child->set_kind(v1::ChildConfig::KIND_NODE);
    }
    return config;
  }

  void SetUp() override {
    auto city = NodeProcess::Start(dir_.path() + "/city", HaiPhong());
    ASSERT_TRUE(city.ok()) << city.status();
    city_ = *std::move(city);
  }

  // A TLS channel to `target` checking that the server's certificate names
  // `server_unit`, presenting `client_cert` of `pki` unless it is empty.
  static std::shared_ptr<grpc::Channel> Channel(
      const std::string& target, const std::string& server_unit,
      const std::string& client_cert = "", const std::string& pki = "one") {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read(pki + "/ca.pem");
    if (!client_cert.empty()) {
      options.pem_cert_chain = Read(pki + "/" + client_cert + ".pem");
      options.pem_private_key = Read(pki + "/" + client_cert + ".key");
    }
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(server_unit);
    return grpc::CreateCustomChannel(target, grpc::SslCredentials(options),
                                     args);
  }

  // The revision the city holds from `child` for 2026-03 (0: none).
  int64_t CityHolds(const std::string& child) {
    v1::GetRollupRequest request;
    request.set_period("2026-03");
    request.set_breakdown(true);
    v1::GetRollupResponse response;
    grpc::Status s =
        v1::ReportingService::NewStub(Channel(city_->target(), "31"))
            ->GetRollup(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const v1::ChildBreakdown& c : response.children()) {
      if (c.unit() == child) return c.revision();
    }
    return 0;
  }

  // Ward 10525's figure for QD11-01 in 2026-03, submitted to `ward` over TLS.
  static grpc::Status SubmitAtWard(const NodeProcess& ward, int64_t numerator,
                                   int64_t denominator) {
    v1::SubmitRequest submit;
    submit.set_unit("10525");
    submit.set_period("2026-03");
    submit.set_idempotency_key(
        absl::StrCat("tls-", numerator, "/", denominator));
    auto* value = submit.add_values();
    value->set_indicator("QD11-01");
    value->mutable_ratio()->set_numerator(numerator);
    value->mutable_ratio()->set_denominator(denominator);
    v1::SubmitResponse receipt;
    return v1::ReportingService::NewStub(Channel(ward.target(), "10525"))
        ->Submit(Context().get(), submit, &receipt);
  }

  static v1::PushRequest Push(const std::string& child) {
    v1::PushRequest push;
    push.set_child(child);
    push.set_period("2026-03");
    push.set_revision(1);
    *push.mutable_updated_time() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(1773104400);
    return push;
  }

  TempDir dir_;
  std::unique_ptr<NodeProcess> city_;
  static TempDir* pki_;
};
TempDir* TlsTest::pki_ = nullptr;

TEST_F(TlsTest, AWardNodePushesToItsCityOverMutualTls) {
  v1::NodeConfig config = Config("10525", v1::ROLE_WARD, "10525");
  config.set_parent_address(city_->target());
  auto ward = NodeProcess::Start(dir_.path() + "/ward", config);
  ASSERT_TRUE(ward.ok()) << ward.status();

  grpc::Status s = SubmitAtWard(**ward, 3, 4);
  ASSERT_TRUE(s.ok()) << s.error_message();

  int64_t held = 0;
  for (int i = 0; i < 100 && held == 0; ++i) {  // at most 10 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    held = CityHolds("10525");
  }
  EXPECT_GE(held, 1) << "the ward's push never reached the city";
}

TEST_F(TlsTest, AWardsFigureReachesTheCentralNodeThroughTwoTlsTiers) {
  auto central = NodeProcess::Start(dir_.path() + "/VN",
                                    Config("VN", v1::ROLE_CENTRAL, "VN"));
  ASSERT_TRUE(central.ok()) << central.status();
  v1::NodeConfig city = HaiPhong();
  city.set_parent_address((*central)->target());
  auto pushing_city = NodeProcess::Start(dir_.path() + "/31-up", city);
  ASSERT_TRUE(pushing_city.ok()) << pushing_city.status();
  v1::NodeConfig ward = Config("10525", v1::ROLE_WARD, "10525");
  ward.set_parent_address((*pushing_city)->target());
  auto ward_node = NodeProcess::Start(dir_.path() + "/ward", ward);
  ASSERT_TRUE(ward_node.ok()) << ward_node.status();
  grpc::Status s = SubmitAtWard(**ward_node, 3, 4);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The central node's Hải Phòng row carries the ward's 3/4.
  v1::GetRollupRequest request;
  request.set_period("2026-03");
  request.set_unit("31");
  int64_t numerator = 0;
  for (int i = 0; i < 100 && numerator == 0; ++i) {  // at most 10 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    v1::GetRollupResponse response;
    ASSERT_TRUE(
        v1::ReportingService::NewStub(Channel((*central)->target(), "VN"))
            ->GetRollup(Context().get(), request, &response)
            .ok());
    for (const v1::ConsolidatedValue& v : response.report().values()) {
      if (v.indicator() == "QD11-01") numerator = v.value().ratio().numerator();
    }
  }
  EXPECT_EQ(numerator, 3) << "the figure never reached the central node";
}

TEST_F(TlsTest, APushIsTakenOnlyFromTheNodeItsCertificateNames) {
  // Ward 10532's certificate, pushing as 10525.
  auto as_10532 = v1::FederationService::NewStub(
      Channel(city_->target(), "31", /*client_cert=*/"10532"));
  v1::PushResponse response;
  grpc::Status s = as_10532->Push(Context().get(), Push("10525"), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(),
              HasSubstr("child: 10525: the caller's certificate names 10532"));
  v1::FetchRemindersRequest fetch;
  fetch.set_child("10525");
  v1::ReminderList reminders;
  s = as_10532->FetchReminders(Context().get(), fetch, &reminders);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // No certificate at all: a TLS client of the city, but no node.
  s = v1::FederationService::NewStub(Channel(city_->target(), "31"))
          ->Push(Context().get(), Push("10525"), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("presented none"));
  EXPECT_EQ(CityHolds("10525"), 0);

  // The same certificate pushing as itself is taken.
  s = as_10532->Push(Context().get(), Push("10532"), &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.stored_revision(), 1);
  EXPECT_EQ(CityHolds("10532"), 1);
}

TEST_F(TlsTest, PlainTcpAndAnotherFederationsCertificatesAreRefused) {
  v1::NodeInfo info;
  grpc::Status plain =
      v1::ReportingService::NewStub(
          grpc::CreateChannel(city_->target(),
                              grpc::InsecureChannelCredentials()))
          ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info);
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE);
  // The city's certificate is not signed by the other federation's CA.
  grpc::Status other_ca =
      v1::ReportingService::NewStub(
          Channel(city_->target(), "31", "", /*pki=*/"other"))
          ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info);
  EXPECT_EQ(other_ca.error_code(), grpc::StatusCode::UNAVAILABLE);
  // A client certificate of the other federation is refused by the city.
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = Read("one/ca.pem");
  options.pem_cert_chain = Read("other/10525.pem");
  options.pem_private_key = Read("other/10525.key");
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("31");
  v1::PushResponse response;
  grpc::Status foreign =
      v1::FederationService::NewStub(
          grpc::CreateCustomChannel(city_->target(),
                                    grpc::SslCredentials(options), args))
          ->Push(Context().get(), Push("10525"), &response);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CityHolds("10525"), 0);
  // And the right CA and name are served.
  grpc::Status served =
      v1::ReportingService::NewStub(Channel(city_->target(), "31"))
          ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info);
  ASSERT_TRUE(served.ok()) << served.error_message();
  EXPECT_EQ(info.unit(), "31");
}

TEST_F(TlsTest, AWardSendsNothingToANodeWhoseCertificateNamesAnotherUnit) {
  // Cần Thơ's node where Hải Phòng's should be.
  auto can_tho = NodeProcess::Start(dir_.path() + "/92",
                                    Config("92", v1::ROLE_CITY, "92"));
  ASSERT_TRUE(can_tho.ok()) << can_tho.status();
  v1::NodeConfig config = Config("10525", v1::ROLE_WARD, "10525");
  config.set_parent_address((*can_tho)->target());
  auto ward = NodeProcess::Start(dir_.path() + "/ward", config);
  ASSERT_TRUE(ward.ok()) << ward.status();
  grpc::Status s = SubmitAtWard(**ward, 1, 2);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto ward_stub =
      v1::ReportingService::NewStub(Channel((*ward)->target(), "10525"));
  v1::NodeInfo info;
  for (int i = 0; i < 100 && info.last_push_error().empty(); ++i) {  // 10 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(
        ward_stub->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
            .ok());
  }
  // The handshake failed on the name: 92's certificate does not name 31.
  EXPECT_THAT(info.last_push_error(),
              HasSubstr("the server's certificate names 92, not 31"));
  EXPECT_EQ(info.outbox_pending(), 1);
}

TEST_F(TlsTest, ANodeWillNotStartWithAnotherUnitsCertificate) {
  auto ward = NodeProcess::Start(dir_.path() + "/ward",
                                 Config("10525", v1::ROLE_WARD, "10532"));
  ASSERT_FALSE(ward.ok());
  EXPECT_THAT(ward.status().message(),
              HasSubstr("tls.cert_file " + Pki("one/10532.pem") +
                        " names 10532, not this node's unit 10525"));
}

TEST_F(TlsTest, ARevokedCertificateIsRefusedInTheHandshakeAtEitherEnd) {
  // Hải Phòng with its new certificate and the list; a ward node that pushes
  // to it, and what it holds of the ward.
  v1::NodeConfig city = RevConfig("31", v1::ROLE_CITY, "31", true);
  auto* child = city.add_children();
  child->set_code("10525");
  child->set_kind(v1::ChildConfig::KIND_NODE);
  auto listed = NodeProcess::Start(dir_.path() + "/rev-31", city);
  ASSERT_TRUE(listed.ok()) << listed.status();
  // Another process started on the same folder with an older list is
  // refused on the database's lock before it can replace the node's list.
  const std::string crl_folder = dir_.path() + "/rev-31/data/tls-crl";
  v1::NodeConfig stale = city;
  stale.mutable_tls()->set_crl_file(Pki("rev/crl-empty.pem"));
  ASSERT_FALSE(NodeProcess::Start(dir_.path() + "/rev-31", stale).ok());
  int lists = 0;
  for (const auto& e : std::filesystem::directory_iterator(crl_folder)) {
    ++lists;
    std::ifstream in(e.path());
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}),
              Read("rev/crl.pem"))
        << e.path();
  }
  EXPECT_EQ(lists, 1);
  // And the node checks the list it read at start itself: even with the
  // folder OpenSSL reads it from gone, a revoked certificate is refused.
  std::filesystem::remove_all(crl_folder);
  auto ward_pushing_to = [&](const std::string& name, const std::string& parent,
                             const std::string& cert, bool crl) {
    v1::NodeConfig ward = RevConfig("10525", v1::ROLE_WARD, cert, crl);
    ward.set_parent_address(parent);
    return NodeProcess::Start(dir_.path() + "/" + name, ward);
  };
  // A stub for `node` over TLS with the `rev` CA, expecting `unit`'s name.
  auto rev_stub = [&](const NodeProcess& node, const std::string& unit) {
    return Channel(node.target(), unit, /*client_cert=*/"", "rev");
  };
  auto held_by = [&](const NodeProcess& node) -> int64_t {
    v1::GetRollupRequest request;
    request.set_period("2026-03");
    request.set_unit("10525");
    v1::GetRollupResponse response;
    grpc::Status s = v1::ReportingService::NewStub(rev_stub(node, "31"))
                         ->GetRollup(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.report().revision();
  };
  auto last_error = [&](const NodeProcess& ward) {
    auto stub = v1::ReportingService::NewStub(rev_stub(ward, "10525"));
    v1::NodeInfo info;
    for (int i = 0; i < 100 && info.last_push_error().empty(); ++i) {  // 10 s
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      EXPECT_TRUE(
          stub->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
              .ok());
    }
    return info;
  };
  // Ward 10525's QD11-01 for 2026-03, submitted to `ward`.
  auto submit = [&](const NodeProcess& ward, const std::string& key = "rev",
                    int64_t numerator = 3) {
    v1::SubmitRequest request;
    request.set_unit("10525");
    request.set_period("2026-03");
    request.set_idempotency_key(key);
    auto* value = request.add_values();
    value->set_indicator("QD11-01");
    value->mutable_ratio()->set_numerator(numerator);
    value->mutable_ratio()->set_denominator(4);
    v1::SubmitResponse receipt;
    return v1::ReportingService::NewStub(rev_stub(ward, "10525"))
        ->Submit(Context().get(), request, &receipt);
  };

  // Its info tells when its certificate and its list run out; a node
  // without a list tells only the first.
  for (const auto& [node, has_list] :
       {std::pair{listed->get(), true}, std::pair{city_.get(), false}}) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read(has_list ? "rev/ca.pem" : "one/ca.pem");
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("31");
    v1::NodeInfo info;
    ASSERT_TRUE(
        v1::ReportingService::NewStub(
            grpc::CreateCustomChannel(node->target(),
                                      grpc::SslCredentials(options), args))
            ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
            .ok());
    EXPECT_TRUE(info.has_tls_certificate_expiry());
    EXPECT_EQ(info.has_tls_crl_next_update(), has_list);
    // make-certs.sh gives a certificate 825 days.
    EXPECT_GT(info.tls_certificate_expiry().seconds(),
              absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 824)));
  }

  // A ward node with the revoked certificate (and no list of its own, as
  // whoever stole its key would run it): with the folder gone, the city's
  // own check refuses its push, saying why.
  {
    auto thief =
        ward_pushing_to("thief", (*listed)->target(), "old-10525", false);
    ASSERT_TRUE(thief.ok()) << thief.status();
    ASSERT_TRUE(submit(**thief).ok());
    const v1::NodeInfo info = last_error(**thief);
    EXPECT_THAT(info.last_push_error(),
                HasSubstr("the caller's certificate is revoked"));
    EXPECT_EQ(info.outbox_pending(), 1);
    EXPECT_EQ(held_by(**listed), 0);
  }
  // With the folder in place, OpenSSL refuses it already in the handshake.
  {
    auto intact = NodeProcess::Start(dir_.path() + "/rev-31b", city);
    ASSERT_TRUE(intact.ok()) << intact.status();
    auto thief =
        ward_pushing_to("thief-2", (*intact)->target(), "old-10525", false);
    ASSERT_TRUE(thief.ok()) << thief.status();
    ASSERT_TRUE(submit(**thief).ok());
    const v1::NodeInfo info = last_error(**thief);
    EXPECT_FALSE(info.last_push_error().empty());
    EXPECT_THAT(info.last_push_error(),
                ::testing::Not(HasSubstr("the caller's certificate")));
    // gRPC says only that the socket closed; the node says what to check.
    EXPECT_THAT(info.last_push_error(),
                HasSubstr("the parent may have refused this node's "
                          "certificate"));
    EXPECT_EQ(info.outbox_pending(), 1);
    EXPECT_EQ(held_by(**intact), 0);
  }
  // With its new certificate the same ward gets through.
  {
    auto ward = ward_pushing_to("ward", (*listed)->target(), "10525", true);
    ASSERT_TRUE(ward.ok()) << ward.status();
    ASSERT_TRUE(submit(**ward).ok());
    int64_t held = 0;
    for (int i = 0; i < 100 && held == 0; ++i) {  // at most 10 s
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      held = held_by(**listed);
    }
    EXPECT_GE(held, 1) << "the ward's push never reached the city";
  }
  // The other way round: a node serving 31's revoked certificate is not
  // taken as the parent by a ward that has the list.
  {
    v1::NodeConfig impostor = RevConfig("31", v1::ROLE_CITY, "old-31", false);
    auto* c = impostor.add_children();
    c->set_code("10525");
    c->set_kind(v1::ChildConfig::KIND_NODE);
    auto fake = NodeProcess::Start(dir_.path() + "/impostor", impostor);
    ASSERT_TRUE(fake.ok()) << fake.status();
    auto ward = ward_pushing_to("ward-2", (*fake)->target(), "10525", true);
    ASSERT_TRUE(ward.ok()) << ward.status();
    ASSERT_TRUE(submit(**ward).ok());
    const v1::NodeInfo info = last_error(**ward);
    EXPECT_FALSE(info.last_push_error().empty());
    EXPECT_EQ(info.outbox_pending(), 1);
    EXPECT_EQ(held_by(**fake), 0);
    // The CLI with the list refuses it too, and reaches the real city.
    const std::string cli_tls =
        absl::StrCat(" --tls_ca=", Pki("rev/ca.pem"),
                     " --tls_server_name=31 --tls_crl=", Pki("rev/crl.pem"));
    CommandResult refused = RunCommand(
        absl::StrCat(Cli(**fake), cli_tls, " info"), /*merge_stderr=*/true);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_THAT(refused.output, HasSubstr("UNAVAILABLE"));
    CommandResult real = RunCommand(
        absl::StrCat(Cli(**listed), cli_tls, " info"), /*merge_stderr=*/true);
    EXPECT_EQ(real.exit_code, 0) << real.output;
    EXPECT_THAT(real.output, HasSubstr("unit: 31"));
    // A list the CA did not sign is a usage error, before any call.
    CommandResult foreign = RunCommand(
        absl::StrCat(Cli(**listed), " --tls_ca=", Pki("rev/ca.pem"),
                     " --tls_server_name=31 --tls_crl=", Pki("other/crl.pem"),
                     " info"),
        /*merge_stderr=*/true);
    EXPECT_EQ(foreign.exit_code, 2);
    EXPECT_THAT(foreign.output, HasSubstr("--tls_crl: " + Pki("other/crl.pem") +
                                          ": not signed by the CA"));
  }
  // A list given on SIGHUP: a city started with the list that revoked
  // nothing yet takes the thief's pushes, then, its config pointing at the
  // new list and SIGHUP sent, refuses them without a restart.
  {
    v1::NodeConfig before = city;
    before.mutable_tls()->set_crl_file(Pki("rev/crl-empty.pem"));
    auto reloading = NodeProcess::Start(dir_.path() + "/rev-31c", before);
    ASSERT_TRUE(reloading.ok()) << reloading.status();
    auto thief =
        ward_pushing_to("thief-3", (*reloading)->target(), "old-10525", false);
    ASSERT_TRUE(thief.ok()) << thief.status();
    ASSERT_TRUE(submit(**thief).ok());
    int64_t held = 0;
    for (int i = 0; i < 100 && held == 0; ++i) {  // at most 10 s
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      held = held_by(**reloading);
    }
    ASSERT_EQ(held, 1) << "not revoked yet, the push should get through";

    v1::NodeConfig after = (*reloading)->config();
    after.mutable_tls()->set_crl_file(Pki("rev/crl.pem"));
    (*reloading)->Reconfigure(after);
    ASSERT_THAT((*reloading)->WaitForLog("revocation list: 2 revoked"),
                HasSubstr("revocation list: 2 revoked (were 0)"));
    // The folder OpenSSL reads holds the new list alone.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(
             dir_.path() + "/rev-31c/data/tls-crl")) {
      ++files;
      std::ifstream in(e.path());
      EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}),
                Read("rev/crl.pem"));
    }
    EXPECT_EQ(files, 1);
    // A new figure from the thief: refused, and the city keeps the first.
    ASSERT_TRUE(submit(**thief, "rev-again", 1).ok());
    const v1::NodeInfo info = last_error(**thief);
    EXPECT_THAT(info.last_push_error(),
                HasSubstr("the caller's certificate is revoked"));
    EXPECT_EQ(held_by(**reloading), 1);

    // Nor can a signal drop the list: a config without it is refused.
    after.mutable_tls()->clear_crl_file();
    (*reloading)->Reconfigure(after);
    const std::string log =
        (*reloading)->WaitForLog("does not drop the revocation list");
    EXPECT_THAT(log, HasSubstr("config: tls.crl_file: gone; a reload does not "
                               "drop the revocation list"));
    EXPECT_THAT(log, HasSubstr("(nothing was changed)"));
  }
  // A node will not start with its own certificate revoked, nor with another
  // CA's list.
  auto revoked = NodeProcess::Start(
      dir_.path() + "/revoked", RevConfig("31", v1::ROLE_CITY, "old-31", true));
  ASSERT_FALSE(revoked.ok());
  EXPECT_THAT(revoked.status().message(), HasSubstr("certificate revoked"));
  EXPECT_THAT(revoked.status().message(), HasSubstr("tls.crl_file"));
  v1::NodeConfig foreign_list = RevConfig("31", v1::ROLE_CITY, "31", false);
  foreign_list.mutable_tls()->set_crl_file(Pki("other/crl.pem"));
  auto foreign = NodeProcess::Start(dir_.path() + "/foreign", foreign_list);
  ASSERT_FALSE(foreign.ok());
  EXPECT_THAT(foreign.status().message(), HasSubstr("is the list the CA's?"));
}

TEST_F(TlsTest, TheCliReachesATlsNodeWithTheCa) {
  CommandResult ok =
      RunCommand(absl::StrCat(Cli(*city_), " --tls_ca=", Pki("one/ca.pem"),
                              " --tls_server_name=31 info"),
                 /*merge_stderr=*/true);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_THAT(ok.output, HasSubstr("Hải Phòng"));
  CommandResult plain = RunCommand(absl::StrCat(Cli(*city_), " info"),
                                   /*merge_stderr=*/true);
  EXPECT_EQ(plain.exit_code, 1) << plain.output;
  EXPECT_THAT(plain.output, HasSubstr("--tls_ca"));
  CommandResult half = RunCommand(
      absl::StrCat(Cli(*city_), " --tls_cert=", Pki("one/31.pem"), " info"),
      /*merge_stderr=*/true);
  EXPECT_EQ(half.exit_code, 2) << half.output;
  EXPECT_THAT(half.output, HasSubstr("--tls_cert needs --tls_ca"));
}

}  // namespace
}  // namespace tonghop::testing
