// A real tonghop-node (Hải Phòng city) on loopback, driven through gRPC: exact
// roll-ups from several wards and departments, precise refusals that change
// nothing, idempotency, revisions.
#include <signal.h>

#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/harness/node_process.h"

namespace tonghop::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::NodeConfig HaiPhong() {
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  for (const char* code : {"10507", "10525", "10532", "10537", "10543"}) {
    auto* c = config.add_children();
    c->set_code(code);
    c->set_kind(v1::ChildConfig::KIND_UNIT);
  }
  for (const char* code : {"31.VP", "31.SKHCN", "31.STC"}) {
    auto* c = config.add_children();
    c->set_code(code);
    c->set_kind(v1::ChildConfig::KIND_UNIT);
  }
  return config;
}

v1::SubmittedValue Ratio(const std::string& indicator, int64_t n, int64_t d) {
  v1::SubmittedValue v;
  v.set_indicator(indicator);
  v.mutable_ratio()->set_numerator(n);
  v.mutable_ratio()->set_denominator(d);
  return v;
}

v1::SubmittedValue Number(const std::string& indicator, int64_t n) {
  v1::SubmittedValue v;
  v.set_indicator(indicator);
  v.set_number(n);
  return v;
}

v1::SubmitRequest Request(const std::string& unit, const std::string& period,
                          std::vector<v1::SubmittedValue> values,
                          const std::string& key) {
  v1::SubmitRequest r;
  r.set_unit(unit);
  r.set_period(period);
  r.set_idempotency_key(key);
  for (auto& v : values) *r.add_values() = std::move(v);
  return r;
}

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto node = NodeProcess::Start(dir_.path() + "/city", HaiPhong());
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    stub_ = node_->Reporting();
  }

  grpc::Status Submit(const v1::SubmitRequest& request,
                      v1::SubmitResponse* response) {
    return stub_->Submit(Context().get(), request, response);
  }
  v1::GetRollupResponse Rollup(const std::string& period,
                               bool breakdown = false,
                               const std::string& unit = "") {
    v1::GetRollupRequest request;
    request.set_period(period);
    request.set_breakdown(breakdown);
    request.set_unit(unit);
    v1::GetRollupResponse response;
    grpc::Status s = stub_->GetRollup(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }
  static const v1::ConsolidatedValue* Find(const v1::ConsolidatedReport& r,
                                           const std::string& indicator) {
    for (const auto& v : r.values()) {
      if (v.indicator() == indicator) return &v;
    }
    return nullptr;
  }

  TempDir dir_;
  std::unique_ptr<NodeProcess> node_;
  std::unique_ptr<v1::ReportingService::Stub> stub_;
};

TEST_F(NodeTest, ServesTheStandardHealthCheck) {
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(node_->target(), grpc::InsecureChannelCredentials()));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(Context().get(), request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // Each service by its name, as a probe configured for one asks.
  for (const std::string service :
       {"tonghop.v1.ReportingService", "tonghop.v1.FederationService",
        "tonghop.v1.AdminService"}) {
    request.set_service(service);
    ASSERT_TRUE(health->Check(Context().get(), request, &response).ok())
        << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << service;
  }
  request.set_service("tonghop.v1.NoSuchService");
  EXPECT_EQ(health->Check(Context().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(NodeHelpTest, HelpListsTheNodesOwnFlags) {
  CommandResult help =
      RunCommand(std::string(TONGHOP_NODE_BINARY) + " --help", true);
  EXPECT_THAT(help.output, HasSubstr("--config"));
  EXPECT_THAT(help.output, HasSubstr("--start_time"));
  EXPECT_THAT(help.output, Not(HasSubstr("No flags matched")));
}

// A drill moves a simulated clock ahead without any change being recorded;
// killed and restarted with its old --start_time, the node must not start the
// clock behind where it was set.
TEST_F(NodeTest, ASimulatedClockNeverRestartsBehindWhereItWasSet) {
  const absl::Time later = absl::FromUnixSeconds(1773104400) +  // 10/03 08:00
                           absl::Hours(24 * 30);
  v1::SetClockRequest set;
  *set.mutable_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(later));
  v1::SetClockResponse moved;
  // A settle time out of bounds is refused, naming the field, and the clock
  // stays where it was.
  // (18446744074 s would wrap to 0.29 s in nanoseconds.) Nor does a move
  // out of the years a timestamp holds.
  v1::SetClockRequest too_far;
  too_far.mutable_advance()->set_seconds(315576000000);  // 10,000 years
  for (const auto& [seconds, field] :
       std::vector<std::pair<int64_t, std::string>>{
           {-1, "settle: "},
           {61, "settle: "},
           {18446744074, "settle: "},
           {0, "advance: the clock would leave the years 0001 to 9999"}}) {
    v1::SetClockRequest bad = seconds == 0 ? too_far : set;
    bad.mutable_settle()->set_seconds(seconds);
    grpc::Status refused =
        node_->Admin()->SetClock(Context().get(), bad, &moved);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(refused.error_message(), HasSubstr(field));
    v1::NodeInfo info;
    // On a channel of its own: stub_'s is reconnected after the restart
    // below.
    ASSERT_TRUE(
        v1::ReportingService::NewStub(
            grpc::CreateChannel(node_->target(),
                                grpc::InsecureChannelCredentials()))
            ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
            .ok());
    EXPECT_LT(info.now().seconds(), absl::ToUnixSeconds(later));
  }
  set.mutable_settle()->set_seconds(4);
  ASSERT_TRUE(node_->Admin()->SetClock(Context().get(), set, &moved).ok());
  node_->Stop(SIGKILL);
  ASSERT_TRUE(node_->Restart().ok());
  v1::NodeInfo info;
  ASSERT_TRUE(
      stub_->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
          .ok());
  EXPECT_GE(info.now().seconds(), absl::ToUnixSeconds(later));
}

// A node whose clock nears a year the holiday list does not cover says so,
// at start and in its info, until it is given a list for that year.
TEST(NodeHolidaysTest, ANodeWarnsOfAYearWithoutHolidays) {
  TempDir dir;
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  auto info_of = [](const NodeProcess& node) {
    v1::NodeInfo info;
    EXPECT_TRUE(
        v1::ReportingService::NewStub(
            grpc::CreateChannel(node.target(),
                                grpc::InsecureChannelCredentials()))
            ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
            .ok());
    return info;
  };
  {
    auto june = NodeProcess::Start(dir.path() + "/june", config,
                                   "2026-06-01T08:00:00+07:00");
    ASSERT_TRUE(june.ok()) << june.status();
    EXPECT_EQ(info_of(**june).warnings_size(), 0);
  }
  auto december = NodeProcess::Start(dir.path() + "/december", config,
                                     "2026-12-03T08:00:00+07:00");
  ASSERT_TRUE(december.ok()) << december.status();
  const v1::NodeInfo info = info_of(**december);
  ASSERT_EQ(info.warnings_size(), 1);
  EXPECT_THAT(info.warnings(0),
              HasSubstr("holidays_file: no holidays listed for 2027"));
  EXPECT_THAT((*december)->WaitForLog("no holidays listed for 2027"),
              HasSubstr("no holidays listed for 2027"));
  // With a list that covers 2027 as well, nothing.
  const std::string list = dir.path() + "/holidays.csv";
  {
    std::ofstream out(list);
    out << "date,name_vi\n2026-01-01,a\n2027-01-01,b\n";
  }
  config.set_holidays_file(list);
  auto listed = NodeProcess::Start(dir.path() + "/listed", config,
                                   "2026-12-03T08:00:00+07:00");
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(info_of(**listed).warnings_size(), 0);
}

TEST_F(NodeTest, ASecondNodeCannotListenOnAnAddressInUse) {
  v1::NodeConfig other = HaiPhong();
  other.set_listen_address(node_->target());
  other.set_data_dir(dir_.path() + "/other");
  const std::string path = dir_.path() + "/other.textproto";
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(other, &text));
  {
    std::ofstream out(path);
    out << text;
  }
  CommandResult second = RunCommand(
      absl::StrCat("timeout 30 ", TONGHOP_NODE_BINARY, " --config=", path),
      /*merge_stderr=*/true);
  EXPECT_NE(second.exit_code, 0) << second.output;
  EXPECT_NE(second.exit_code, 124) << "still serving: " << second.output;
  EXPECT_THAT(second.output, HasSubstr("cannot listen on " + node_->target() +
                                       ": Address already in use"));
  // In one line of ours, not gRPC's own error dump before it.
  EXPECT_THAT(second.output, Not(HasSubstr("chttp2_server")));
  // The first node still answers alone.
  v1::NodeInfo info;
  ASSERT_TRUE(
      stub_->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
          .ok());
  EXPECT_EQ(info.unit(), "31");
}

// Starts tonghop-node on `config` written to `dir`/`name`.textproto; what it
// printed and its exit code (124: still serving after 30 s).
CommandResult StartWith(const v1::NodeConfig& config, const std::string& dir,
                        const std::string& name) {
  const std::string path = absl::StrCat(dir, "/", name, ".textproto");
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  {
    std::ofstream out(path);
    out << text;
  }
  return RunCommand(
      absl::StrCat("timeout 30 ", TONGHOP_NODE_BINARY, " --config=", path),
      /*merge_stderr=*/true);
}

TEST_F(NodeTest, AddressesTheMailCannotUseAndBadDataFilesAreNamedAtStart) {
  v1::NodeConfig base = HaiPhong();
  base.set_listen_address("127.0.0.1:0");
  base.set_data_dir(dir_.path() + "/other");
  base.mutable_channels()->set_smtp_url("smtp://127.0.0.1:2525");
  base.mutable_channels()->set_smtp_from("Sở KH&CN <tonghop@so.gov.vn>");

  v1::NodeConfig sender = base;
  sender.mutable_channels()->set_smtp_from("not-an-email");
  CommandResult r = StartWith(sender, dir_.path(), "sender");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.exit_code, 124) << "still serving: " << r.output;
  EXPECT_THAT(r.output, HasSubstr("channels.smtp_from: 'not-an-email'"));

  v1::NodeConfig contact = base;
  v1::Contact* c = contact.mutable_channels()->add_contacts();
  c->set_unit("10525");
  c->add_emails("vanthu@10525.gov.vn");
  c->add_emails("bogus");
  r = StartWith(contact, dir_.path(), "contact");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.exit_code, 124) << "still serving: " << r.output;
  EXPECT_THAT(r.output, HasSubstr("channels.contacts[0].emails[1]: 'bogus'"));
  // Named in its file, as a parse error is.
  EXPECT_THAT(r.output,
              HasSubstr(dir_.path() + "/contact.textproto: config: channels."));

  const std::string catalog = dir_.path() + "/my-indicators.csv";
  {
    std::ofstream out(catalog);
    out << "not,a,catalog\n";
  }
  v1::NodeConfig bad_catalog = base;
  bad_catalog.set_catalog_file(catalog);
  r = StartWith(bad_catalog, dir_.path(), "catalog");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.exit_code, 124) << "still serving: " << r.output;
  EXPECT_THAT(r.output, HasSubstr("catalog_file " + catalog + ": "));

  v1::NodeConfig no_holidays = base;
  no_holidays.set_holidays_file(dir_.path() + "/nowhere.csv");
  r = StartWith(no_holidays, dir_.path(), "holidays");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.exit_code, 124) << "still serving: " << r.output;
  EXPECT_THAT(r.output, HasSubstr("config: holidays_file: cannot read " +
                                  dir_.path() + "/nowhere.csv"));
}

TEST_F(NodeTest, RollupEqualsAnIndependentSumOfTheSubmissions) {
  // (unit, indicator) -> (numerator, denominator) or count; ward sizes differ
  // on purpose so that the mean of percentages (95%) differs from the ratio of
  // sums (50/55 = 90.91%).
  std::vector<v1::SubmitRequest> submissions = {
      Request("10507", "2026-03",
              {Ratio("QD11-01", 45, 50), Ratio("QD11-03X", 70, 100),
               Ratio("QD11-06", 8, 10), Ratio("QD11-07", 12, 12),
               Ratio("HP-5G", 900, 1000)},
              "a"),
      Request("10525", "2026-03",
              {Ratio("QD11-01", 5, 5), Ratio("QD11-03X", 1, 3),
               Ratio("QD11-06", 0, 0), Ratio("QD11-07", 30, 30)},
              "b"),
      Request("10532", "2026-03",
              {Ratio("QD11-01", 19999, 25000), Ratio("QD11-07", 4, 4)}, "c"),
      Request("31.VP", "2026-03",
              {Ratio("QD11-02", 900, 1000), Ratio("QD11-06", 20, 30),
               Ratio("QD11-07", 50, 50)},
              "d"),
      Request("31.SKHCN", "2026-03",
              {Number("QD11-12", 3), Ratio("QD11-08", 70, 70)}, "e"),
  };
  std::map<std::string, std::pair<int64_t, int64_t>> ratio;  // independent sums
  std::map<std::string, int64_t> count;
  std::map<std::string, int> reporters;
  for (const auto& s : submissions) {
    v1::SubmitResponse response;
    grpc::Status status = Submit(s, &response);
    ASSERT_TRUE(status.ok()) << s.unit() << ": " << status.error_message();
    EXPECT_EQ(response.revision(), 1);
    EXPECT_EQ(response.changes_size(), s.values_size());
    for (const auto& v : s.values()) {
      reporters[v.indicator()]++;
      if (v.has_ratio()) {
        ratio[v.indicator()].first += v.ratio().numerator();
        ratio[v.indicator()].second += v.ratio().denominator();
      } else {
        count[v.indicator()] += v.number();
      }
    }
  }
  v1::GetRollupResponse rollup = Rollup("2026-03", /*breakdown=*/true);
  const v1::ConsolidatedReport& report = rollup.report();
  EXPECT_EQ(report.unit(), "31");
  for (const auto& [indicator, sums] : ratio) {
    const v1::ConsolidatedValue* v = Find(report, indicator);
    ASSERT_NE(v, nullptr) << indicator;
    EXPECT_EQ(v->value().ratio().numerator(), sums.first) << indicator;
    EXPECT_EQ(v->value().ratio().denominator(), sums.second) << indicator;
    EXPECT_EQ(v->reported(), reporters[indicator]) << indicator;
  }
  for (const auto& [indicator, sum] : count) {
    EXPECT_EQ(Find(report, indicator)->value().number(), sum) << indicator;
  }
  // Coverage counts the children that owe each indicator.
  EXPECT_EQ(Find(report, "QD11-01")->expected(), 5);  // the five wards
  EXPECT_EQ(Find(report, "QD11-01")->communes_expected(), 5);
  EXPECT_EQ(Find(report, "QD11-01")->communes_reported(), 3);
  EXPECT_EQ(Find(report, "QD11-07")->expected(), 6);  // wards + VP (both)
  EXPECT_EQ(Find(report, "QD11-07")->reported(), 4);
  EXPECT_EQ(Find(report, "QD11-02")->expected(), 1);  // VP alone
  EXPECT_EQ(Find(report, "QD11-02")->communes_expected(), 0);
  // Targets judged on the exact value.
  EXPECT_EQ(Find(report, "QD11-07")->status(),
            v1::TARGET_STATUS_MET);  // 96/96 vs =100
  EXPECT_EQ(Find(report, "QD11-01")->status(), v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(Find(report, "QD11-04")->status(),
            v1::TARGET_STATUS_NO_DATA);  // nobody reported
  // A year-to-date count is judged only in the period that closes the year.
  EXPECT_EQ(Find(report, "QD11-12")->status(), v1::TARGET_STATUS_IN_PROGRESS);

  // The breakdown lists every contributor of a monthly indicator (STC owes only
  // annual ones); a ward's own row carries its own value.
  ASSERT_EQ(rollup.children_size(), 7);
  for (const auto& c : rollup.children()) EXPECT_NE(c.unit(), "31.STC");
  const v1::ChildBreakdown* ward = nullptr;
  for (const auto& c : rollup.children()) {
    if (c.unit() == "10532") ward = &c;
  }
  ASSERT_NE(ward, nullptr);
  EXPECT_EQ(ward->name(), "Phường Lê Thanh Nghị");
  bool seen = false;
  for (const auto& v : ward->values()) {
    if (v.indicator() != "QD11-01") continue;
    seen = true;
    EXPECT_EQ(v.value().ratio().numerator(), 19999);
    EXPECT_EQ(v.status(),
              v1::TARGET_STATUS_NOT_MET);  // 79.996% shows 80.00 but is not 100
  }
  EXPECT_TRUE(seen);
  // A child's own report can be asked for by its code.
  const v1::GetRollupResponse one = Rollup("2026-03", false, "10525");
  EXPECT_EQ(Find(one.report(), "QD11-06")->status(),
            v1::TARGET_STATUS_NO_DATA);  // 0/0
}

TEST_F(NodeTest, BadInputGetsAPreciseStatusAndChangesNothing) {
  v1::SubmitResponse ok;
  ASSERT_TRUE(
      Submit(Request("10525", "2026-03", {Ratio("QD11-01", 1, 2)}, "first"),
             &ok)
          .ok());
  const std::string before = Rollup("2026-03", true).SerializeAsString();

  v1::SubmittedValue missing_part;
  missing_part.set_indicator("QD11-01");
  missing_part.mutable_ratio()->set_numerator(3);
  v1::SubmittedValue nan_index;
  nan_index.set_indicator("QD11-01");
  nan_index.set_index("NaN");
  struct Case {
    v1::SubmitRequest request;
    grpc::StatusCode code;
    std::string message;
  };
  std::vector<Case> cases = {
      {Request("10525", "2026-13", {Ratio("QD11-01", 1, 2)}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT, "period"},
      {Request("10525", "2026-03", {Ratio("QD11-01", -1, 2)}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT,
       "(QD11-01).numerator: -1 is negative"},
      {Request("10525", "2026-03", {Ratio("QD11-01", 3, 2)}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT,
       "(QD11-01).numerator: 3 is greater than"},
      {Request("10525", "2026-03", {Ratio("QD11-01", 3, 0)}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT,
       "(QD11-01).denominator: 0 with a positive"},
      {Request("10525", "2026-03", {missing_part}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT, "(QD11-01).denominator: missing"},
      {Request("10525", "2026-03", {nan_index}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT, "(QD11-01).ratio"},
      // A valid value followed by a bad one: the whole submission is refused.
      {Request("10525", "2026-03",
               {Ratio("QD11-03X", 1, 2), Ratio("QD11-01", 5, 4)}, "k"),
       grpc::StatusCode::INVALID_ARGUMENT, "values[1] (QD11-01)"},
      {Request("10525", "2026-03", {Ratio("QD11-99", 1, 2)}, "k"),
       grpc::StatusCode::NOT_FOUND, "QD11-99"},
      {Request("99999", "2026-03", {Ratio("QD11-01", 1, 2)}, "k"),
       grpc::StatusCode::NOT_FOUND, "unit"},
      {Request("10546", "2026-03", {Ratio("QD11-01", 1, 2)}, "k"),
       grpc::StatusCode::FAILED_PRECONDITION,
       "10546"},  // a Hải Phòng ward not expected here
      {Request("10525", "2026-03", {Ratio("QD11-02", 1, 2)}, "k"),
       grpc::StatusCode::FAILED_PRECONDITION,
       "(QD11-02)"},  // a department indicator
      {Request("10525", "2026-03", {Ratio("HUE-CASHLESS", 1, 2)}, "k"),
       grpc::StatusCode::FAILED_PRECONDITION,
       "(HUE-CASHLESS)"},  // Huế's, out of scope
      {Request("31.SKHCN", "2026-03", {Number("HP-SHARED-INFRA", 2)}, "k"),
       grpc::StatusCode::FAILED_PRECONDITION, "annual"},  // another frequency
      {Request("10525", "2026-03", {Ratio("QD11-01", 1, 2)}, ""),
       grpc::StatusCode::INVALID_ARGUMENT, "idempotency_key"},
  };
  for (const Case& c : cases) {
    v1::SubmitResponse response;
    grpc::Status s = Submit(c.request, &response);
    EXPECT_EQ(s.error_code(), c.code)
        << c.request.ShortDebugString() << " -> " << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(c.message))
        << c.request.ShortDebugString();
  }
  EXPECT_EQ(Rollup("2026-03", true).SerializeAsString(), before);
  // Nothing was stored under the key the refused submissions used.
  v1::SubmitResponse fresh;
  ASSERT_TRUE(
      Submit(Request("10525", "2026-03", {Ratio("QD11-01", 2, 2)}, "k"), &fresh)
          .ok());
  EXPECT_FALSE(fresh.replayed());
  EXPECT_EQ(fresh.revision(), 2);
}

TEST_F(NodeTest, SameKeyReturnsTheFirstResultAndOtherContentIsRefused) {
  auto request =
      Request("10525", "2026-03", {Ratio("QD11-01", 7, 10)}, "key-1");
  v1::SubmitResponse first, second, third;
  ASSERT_TRUE(Submit(request, &first).ok());
  ASSERT_TRUE(Submit(request, &second).ok());
  EXPECT_TRUE(second.replayed());
  EXPECT_EQ(second.revision(), first.revision());
  EXPECT_EQ(second.received_time().seconds(), first.received_time().seconds());
  auto changed =
      Request("10525", "2026-03", {Ratio("QD11-01", 8, 10)}, "key-1");
  EXPECT_EQ(Submit(changed, &third).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::GetRollupResponse rollup = Rollup("2026-03");
  EXPECT_EQ(Find(rollup.report(), "QD11-01")->value().ratio().numerator(), 7);
  EXPECT_EQ(rollup.report().revision(), 1);
}

TEST_F(NodeTest, ARevisionReplacesWhatItCarriesAndKeepsTheRest) {
  v1::SubmitResponse r;
  ASSERT_TRUE(
      Submit(Request("10525", "2026-03",
                     {Ratio("QD11-01", 7, 10), Ratio("QD11-03X", 1, 4)}, "r1"),
             &r)
          .ok());
  ASSERT_TRUE(
      Submit(Request("10525", "2026-03", {Ratio("QD11-01", 9, 10)}, "r2"), &r)
          .ok());
  EXPECT_EQ(r.revision(), 2);
  ASSERT_EQ(r.changes_size(), 1);
  EXPECT_EQ(r.changes(0).old_value().ratio().numerator(), 7);
  EXPECT_EQ(r.changes(0).new_value().ratio().numerator(), 9);
  auto report = Rollup("2026-03").report();
  EXPECT_EQ(Find(report, "QD11-01")->value().ratio().numerator(), 9);
  EXPECT_EQ(Find(report, "QD11-03X")->value().ratio().numerator(), 1);

  v1::SubmittedValue clear;
  clear.set_indicator("QD11-03X");
  clear.set_clear(true);
  ASSERT_TRUE(Submit(Request("10525", "2026-03", {clear}, "r3"), &r).ok());
  EXPECT_EQ(r.revision(), 3);
  report = Rollup("2026-03").report();
  EXPECT_EQ(Find(report, "QD11-03X")->status(), v1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(Find(report, "QD11-03X")->reported(), 0);
  EXPECT_EQ(Find(report, "QD11-01")->value().ratio().numerator(), 9);
}

TEST_F(NodeTest, AQuarterlyAndAnAnnualPeriodCarryOnlyTheirIndicators) {
  v1::SubmitResponse r;
  // Hải Phòng's annual indicators belong to STC and SKHCN.
  ASSERT_TRUE(
      Submit(Request("31.SKHCN", "2026", {Number("HP-SHARED-INFRA", 4)}, "y"),
             &r)
          .ok());
  auto annual = Rollup("2026").report();
  EXPECT_EQ(Find(annual, "HP-SHARED-INFRA")->value().number(), 4);
  EXPECT_EQ(Find(annual, "QD11-01"), nullptr);
  EXPECT_EQ(Find(annual, "HP-DIGEC")->status(), v1::TARGET_STATUS_NO_DATA);
  // Cần Thơ's quarterly indicators are not Hải Phòng's: its Q1 report is empty.
  EXPECT_EQ(Rollup("2026-Q1").report().values_size(), 0);
}

// A city listing its children without a department responsible for an
// indicator in its scope starts, and says who is missing.
TEST(NodeStartTest, ACityWithoutAResponsibleDepartmentIsWarnedOf) {
  TempDir dir;
  v1::NodeConfig config;
  config.set_unit("92");
  config.set_role(v1::ROLE_CITY);
  auto* child = config.add_children();
  child->set_code("31120");
  child->set_kind(v1::ChildConfig::KIND_UNIT);
  auto node = NodeProcess::Start(dir.path() + "/92", config);
  ASSERT_TRUE(node.ok()) << node.status();
  CommandResult log = RunCommand("cat " + (*node)->log_path());
  EXPECT_THAT(log.output, HasSubstr("92.SKHCN (Sở Khoa học và Công nghệ)"));
  EXPECT_THAT(log.output, HasSubstr("the central node expects them of this "
                                    "city"));
}

}  // namespace
}  // namespace tonghop::testing
