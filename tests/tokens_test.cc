// Tokens of people and programs at a real node (libs/auth/access.h,
// services/node/access.h), made by deploy/make-token.sh: without a known
// token nothing is served; a ward's token reaches its own report only and
// changes nothing else; writes record the token's actor; the CLI sends the
// token from --token_file or TONGHOP_TOKEN.
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/harness/node_process.h"

namespace tonghop::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Ward 10525's officer, with the quotes and backslash a textproto must escape.
constexpr char kLan[] = R"(Nguyễn Thị Lan "VP" \ phường)";
// The secretariat's webhook, whose URL holds its secret.
constexpr char kWebhook[] = "http://127.0.0.1:9/hook?secret=s3cr3t";

class TokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Hải Phòng with two wards submitting directly; the tokens of its
    // secretariat and of ward 10525.
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    for (const char* code : {"10525", "10532"}) {
      auto* child = config.add_children();
      child->set_code(code);
      child->set_kind(v1::ChildConfig::KIND_UNIT);
    }
    config.mutable_channels()->add_webhook_urls(kWebhook);
    for (const auto& [unit, actor, file] :
         {std::tuple<std::string, std::string, std::string*>{
              "31", "Văn phòng Sở KHCN", &secretariat_file_},
          {"10525", kLan, &ward_file_}}) {
      *file = absl::StrCat(dir_.path(), "/", unit, ".token");
      CommandResult made = RunCommand(absl::StrCat(
          TONGHOP_MAKE_TOKEN, " ", unit, " '", actor, "' ", *file));
      ASSERT_EQ(made.exit_code, 0) << made.output;
      v1::NodeConfig line;
      ASSERT_TRUE(
          google::protobuf::TextFormat::ParseFromString(made.output, &line))
          << made.output;
      config.MergeFrom(line);
    }
    auto node = NodeProcess::Start(dir_.path() + "/node", config);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
  }

  static std::string Token(const std::string& file) {
    std::ifstream in(file);
    std::string token;
    in >> token;
    return token;
  }
  std::unique_ptr<grpc::ClientContext> With(const std::string& token) {
    auto context = Context();
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    return context;
  }
  grpc::Status Submit(const std::string& token, const std::string& unit,
                      int64_t n, int64_t d) {
    v1::SubmitRequest submit;
    submit.set_unit(unit);
    submit.set_period("2026-03");
    submit.set_idempotency_key(absl::StrCat(unit, "-", n, "/", d));
    submit.set_actor("whoever the request says");
    auto* value = submit.add_values();
    value->set_indicator("QD11-01");
    value->mutable_ratio()->set_numerator(n);
    value->mutable_ratio()->set_denominator(d);
    v1::SubmitResponse receipt;
    return node_->Reporting()->Submit(With(token).get(), submit, &receipt);
  }
  // The city's roll-up of 2026-03 with breakdown, read by the secretariat.
  v1::GetRollupResponse Rollup() {
    v1::GetRollupRequest request;
    request.set_period("2026-03");
    request.set_breakdown(true);
    v1::GetRollupResponse response;
    grpc::Status s = node_->Reporting()->GetRollup(
        With(Token(secretariat_file_)).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }
  // The city's breakdown row of `unit` (unit empty when there is none).
  v1::ChildBreakdown Child(const std::string& unit) {
    const v1::GetRollupResponse rollup = Rollup();
    for (const auto& c : rollup.children()) {
      if (c.unit() == unit) return c;
    }
    return v1::ChildBreakdown();
  }

  TempDir dir_;
  std::string secretariat_file_, ward_file_;
  std::unique_ptr<NodeProcess> node_;
};

TEST_F(TokensTest, WithoutAKnownTokenNothingIsServed) {
  v1::NodeInfo info;
  grpc::Status none = node_->Reporting()->GetNodeInfo(
      With("").get(), v1::GetNodeInfoRequest(), &info);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(none.error_message(), HasSubstr("asks for a token"));
  grpc::Status unknown = node_->Reporting()->GetNodeInfo(
      With(Token(ward_file_) + "0").get(), v1::GetNodeInfoRequest(), &info);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Submit("", "10525", 1, 2).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const v1::ChildBreakdown ward = Child("10525");
  ASSERT_EQ(ward.unit(), "10525");
  EXPECT_EQ(ward.revision(), 0);
  // Any known token reads the node's identity.
  grpc::Status known = node_->Reporting()->GetNodeInfo(
      With(Token(ward_file_)).get(), v1::GetNodeInfoRequest(), &info);
  EXPECT_TRUE(known.ok()) << known.error_message();
}

TEST_F(TokensTest, AWardsTokenReachesItsOwnReportOnly) {
  const std::string lan = Token(ward_file_);
  grpc::Status own = Submit(lan, "10525", 3, 4);
  ASSERT_TRUE(own.ok()) << own.error_message();
  grpc::Status other = Submit(lan, "10532", 1, 2);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(other.error_message(),
              HasSubstr(absl::StrCat("unit: 10532: the token of ", kLan,
                                     " acts for 10525 only")));
  const v1::ChildBreakdown neighbour = Child("10532");
  ASSERT_EQ(neighbour.unit(), "10532");
  EXPECT_EQ(neighbour.revision(), 0);

  v1::GetRollupRequest rollup;
  rollup.set_period("2026-03");
  rollup.set_unit("10525");
  v1::GetRollupResponse response;
  EXPECT_TRUE(
      node_->Reporting()->GetRollup(With(lan).get(), rollup, &response).ok());
  rollup.clear_unit();  // the city's own report: the secretariat's
  EXPECT_EQ(node_->Reporting()
                ->GetRollup(With(lan).get(), rollup, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Its own series, not the city's nor the neighbour's.
  v1::GetSeriesRequest series;
  series.set_first_period("2026-01");
  series.set_last_period("2026-03");
  series.set_unit("10525");
  v1::GetSeriesResponse trend;
  grpc::Status own_series =
      node_->Reporting()->GetSeries(With(lan).get(), series, &trend);
  ASSERT_TRUE(own_series.ok()) << own_series.error_message();
  EXPECT_EQ(trend.reports_size(), 3);
  for (const char* unit : {"", "10532"}) {
    series.set_unit(unit);
    EXPECT_EQ(node_->Reporting()
                  ->GetSeries(With(lan).get(), series, &trend)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << unit;
  }
  v1::GetStatusRequest status;
  status.set_period("2026-03");
  v1::StatusReport report;
  EXPECT_EQ(node_->Reporting()
                ->GetStatus(With(lan).get(), status, &report)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::SetLockRequest lock;
  lock.set_period("2026-03");
  lock.set_locked(true);
  v1::LockRecord record;
  EXPECT_EQ(
      node_->Reporting()->SetLock(With(lan).get(), lock, &record).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::SetClockRequest clock;
  clock.mutable_advance()->set_seconds(3600);
  v1::SetClockResponse moved;
  EXPECT_EQ(
      node_->Admin()->SetClock(With(lan).get(), clock, &moved).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // Nor the neighbour's roll-up, template or finalisation.
  rollup.set_unit("10532");
  EXPECT_EQ(node_->Reporting()
                ->GetRollup(With(lan).get(), rollup, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetTemplateRequest template_request;
  template_request.set_unit("10532");
  template_request.set_period("2026-03");
  v1::GetTemplateResponse template_response;
  EXPECT_EQ(
      node_->Reporting()
          ->GetTemplate(With(lan).get(), template_request, &template_response)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::FinalizeRequest finalize;
  finalize.set_unit("10532");
  finalize.set_period("2026-03");
  v1::FinalizeResponse finalized;
  EXPECT_EQ(node_->Reporting()
                ->Finalize(With(lan).get(), finalize, &finalized)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The secretariat may.
  EXPECT_TRUE(
      node_->Reporting()
          ->GetStatus(With(Token(secretariat_file_)).get(), status, &report)
          .ok());
}

TEST_F(TokensTest, AWriteRecordsTheTokensActor) {
  const std::string lan = Token(ward_file_);
  ASSERT_TRUE(Submit(lan, "10525", 3, 4).ok());
  v1::FinalizeRequest finalize;
  finalize.set_unit("10525");
  finalize.set_period("2026-03");
  finalize.set_actor("someone else");
  v1::FinalizeResponse finalized;
  grpc::Status s =
      node_->Reporting()->Finalize(With(lan).get(), finalize, &finalized);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v1::ChildBreakdown ward = Child("10525");
  ASSERT_EQ(ward.unit(), "10525");
  EXPECT_EQ(ward.finalized_by(), kLan);

  // The audit log: the ward reads its own entries, each naming the token's
  // holder; the whole log is the secretariat's.
  v1::ListAuditRequest audit;
  audit.set_unit("10525");
  v1::AuditLog log;
  s = node_->Reporting()->ListAudit(With(lan).get(), audit, &log);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(log.entries_size(), 2);  // the submission and the finalisation
  EXPECT_EQ(log.entries(0).action(), "submit");
  EXPECT_EQ(log.entries(1).action(), "finalize");
  for (const v1::AuditEntry& e : log.entries()) EXPECT_EQ(e.actor(), kLan);
  audit.clear_unit();
  EXPECT_EQ(
      node_->Reporting()->ListAudit(With(lan).get(), audit, &log).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  CommandResult cli =
      RunCommand(absl::StrCat(Cli(*node_), " --token_file=", secretariat_file_,
                              " audit --period=2026-03 --format=csv"),
                 /*merge_stderr=*/true);
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_THAT(cli.output, HasSubstr(",finalize,10525,2026-03,"));
}

TEST_F(TokensTest, TheDeliveryStateIsTheSecretariats) {
  v1::NodeInfo info;
  ASSERT_TRUE(node_->Reporting()
                  ->GetNodeInfo(With(Token(secretariat_file_)).get(),
                                v1::GetNodeInfoRequest(), &info)
                  .ok());
  EXPECT_THAT(info.DebugString(), HasSubstr("s3cr3t"));
  ASSERT_TRUE(node_->Reporting()
                  ->GetNodeInfo(With(Token(ward_file_)).get(),
                                v1::GetNodeInfoRequest(), &info)
                  .ok());
  EXPECT_EQ(info.unit(), "31");
  EXPECT_THAT(info.DebugString(), Not(HasSubstr("s3cr3t")));
  EXPECT_EQ(info.channels_size(), 0);
}

TEST_F(TokensTest, ANodeWithTokensAndChildNodesNeedsTls) {
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  auto* child = config.add_children();
  child->set_code("10525");
  child->set_kind(v1::ChildConfig::KIND_NODE);
  auto* token = config.add_tokens();
  token->set_sha256(std::string(64, 'a'));
  token->set_actor("A");
  token->set_unit("31");
  auto node = NodeProcess::Start(dir_.path() + "/open", config);
  ASSERT_FALSE(node.ok());
  EXPECT_THAT(node.status().message(),
              HasSubstr("config: tokens: child node 10525 pushes here without "
                        "a token, so a node with tokens needs a tls block"));
}

TEST_F(TokensTest, TheCliSendsTheTokenOfAFileOrTheEnvironment) {
  CommandResult none = RunCommand(Cli(*node_) + " status --period=2026-03",
                                  /*merge_stderr=*/true);
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_THAT(none.output, HasSubstr("UNAUTHENTICATED"));
  CommandResult secretariat =
      RunCommand(absl::StrCat(Cli(*node_), " --token_file=", secretariat_file_,
                              " status --period=2026-03"),
                 /*merge_stderr=*/true);
  EXPECT_EQ(secretariat.exit_code, 0) << secretariat.output;
  CommandResult ward =
      RunCommand(absl::StrCat("TONGHOP_TOKEN=", Token(ward_file_), " ",
                              Cli(*node_), " status --period=2026-03"),
                 /*merge_stderr=*/true);
  EXPECT_EQ(ward.exit_code, 1) << ward.output;
  EXPECT_THAT(ward.output, HasSubstr("PERMISSION_DENIED: the reporting "
                                     "status (status, laggards): the "
                                     "secretariat's"));
  // Not in clear text to an address other machines could see (0.0.0.0
  // reaches this machine too, were the CLI to call it).
  CommandResult exposed = RunCommand(
      absl::StrCat(TONGHOP_CLI_BINARY, " --target=0.0.0.0:", node_->port(),
                   " --token_file=", secretariat_file_,
                   " status --period=2026-03"),
      /*merge_stderr=*/true);
  EXPECT_EQ(exposed.exit_code, 2) << exposed.output;
  EXPECT_THAT(exposed.output, HasSubstr("in clear text: add --tls_ca"));
}

TEST_F(TokensTest, SighupTakesTheConfigsTokensWithoutARestart) {
  const std::string lan = Token(ward_file_);
  const std::string secretariat = Token(secretariat_file_);
  ASSERT_TRUE(Submit(lan, "10525", 1, 2).ok());
  // The secretariat revokes Lan's token and gives ward 10532 one.
  const std::string hung_file = dir_.path() + "/10532.token";
  CommandResult made = RunCommand(
      absl::StrCat(TONGHOP_MAKE_TOKEN, " 10532 'Trần Văn Hùng' ", hung_file));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  v1::NodeConfig config = node_->config();
  const v1::NodeConfig started = config;
  config.clear_tokens();
  for (const v1::AccessToken& t : started.tokens()) {
    if (t.unit() != "10525") *config.add_tokens() = t;
  }
  v1::NodeConfig line;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(made.output, &line));
  config.MergeFrom(line);
  node_->Reconfigure(config);
  grpc::Status revoked;
  for (int i = 0; i < 100; ++i) {  // at most 10 s
    revoked = Submit(lan, "10525", 2, 3);
    if (revoked.error_code() == grpc::StatusCode::UNAUTHENTICATED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(revoked.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << revoked.error_message();
  EXPECT_TRUE(Submit(Token(hung_file), "10532", 3, 4).ok());
  EXPECT_TRUE(Submit(secretariat, "10525", 4, 5).ok());

  // A config the node would refuse is not taken: the tokens stay.
  v1::NodeConfig broken = config;
  broken.mutable_tokens(0)->set_sha256("not hex");
  node_->Reconfigure(broken);
  std::string log = node_->WaitForLog("nothing was changed");
  EXPECT_THAT(log, HasSubstr("config: tokens[0].sha256"));
  EXPECT_THAT(log, HasSubstr("nothing was changed"));
  // Exactly the tokens in force: Hùng's and the secretariat's (the entry the
  // broken file spoilt), not Lan's revoked one.
  EXPECT_TRUE(Submit(Token(hung_file), "10532", 5, 6).ok());
  EXPECT_TRUE(Submit(secretariat, "10525", 6, 7).ok());
  EXPECT_EQ(Submit(lan, "10525", 7, 8).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(log, HasSubstr("SIGHUP: tokens reloaded: 2 (were 2)"));

  // Nor does an emptied list open the node by a signal.
  v1::NodeConfig emptied = config;
  emptied.clear_tokens();
  node_->Reconfigure(emptied);
  log = node_->WaitForLog("none left");
  EXPECT_THAT(log, HasSubstr("config: tokens: none left"));
  EXPECT_EQ(Submit("", "10525", 8, 9).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace tonghop::testing
