// The commands against an in-process fake node (loopback, port 0): what they
// send, what they print, and which errors are usage errors (nothing sent) and
// which are the node's.
#include "tools/cli/commands.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tools/cli/idempotency.h"
#include "tools/cli/render.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Records every request; answers with the canned responses (or `fail`, when
// set).
class FakeNode : public v1::ReportingService::CallbackService,
                 public v1::AdminService::CallbackService {
 public:
  FakeNode() {
    auto* ratio = catalog.add_indicators();
    ratio->set_code("QD11-01");
    ratio->set_measure(v1::MEASURE_RATIO);
    auto* count = catalog.add_indicators();
    count->set_code("QD11-12");
    count->set_measure(v1::MEASURE_COUNT);
  }

  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext* context,
                                   const v1::SubmitRequest* request,
                                   v1::SubmitResponse* response) override {
    absl::MutexLock lock(&mu);
    submits.push_back(*request);
    *response = submit_response;
    return Finish(context);
  }
  grpc::ServerUnaryReactor* GetRollup(
      grpc::CallbackServerContext* context, const v1::GetRollupRequest* request,
      v1::GetRollupResponse* response) override {
    absl::MutexLock lock(&mu);
    rollups.push_back(*request);
    *response = rollup;
    return Finish(context);
  }
  grpc::ServerUnaryReactor* GetTemplate(
      grpc::CallbackServerContext* context,
      const v1::GetTemplateRequest* request,
      v1::GetTemplateResponse* response) override {
    absl::MutexLock lock(&mu);
    *response = template_response;
    return Finish(context);
  }
  grpc::ServerUnaryReactor* GetCatalog(grpc::CallbackServerContext* context,
                                       const v1::GetCatalogRequest* request,
                                       v1::Catalog* response) override {
    absl::MutexLock lock(&mu);
    ++catalog_calls;
    *response = catalog;
    return Finish(context);
  }
  grpc::ServerUnaryReactor* GetNodeInfo(grpc::CallbackServerContext* context,
                                        const v1::GetNodeInfoRequest* request,
                                        v1::NodeInfo* response) override {
    absl::MutexLock lock(&mu);
    *response = info;
    return Finish(context);
  }
  grpc::ServerUnaryReactor* SetClock(grpc::CallbackServerContext* context,
                                     const v1::SetClockRequest* request,
                                     v1::SetClockResponse* response) override {
    absl::MutexLock lock(&mu);
    clocks.push_back(*request);
    response->mutable_now()->set_seconds(1773104400);
    return Finish(context);
  }

  grpc::ServerUnaryReactor* Finalize(grpc::CallbackServerContext* context,
                                     const v1::FinalizeRequest* request,
                                     v1::FinalizeResponse* response) override {
    absl::MutexLock lock(&mu);
    finalizes.push_back(*request);
    *response = finalize_response;
    return Finish(context);
  }
  grpc::ServerUnaryReactor* SetLock(grpc::CallbackServerContext* context,
                                    const v1::SetLockRequest* request,
                                    v1::LockRecord* response) override {
    absl::MutexLock lock(&mu);
    locks.push_back(*request);
    response->set_locked(request->locked());
    v1::LockEvent* event = response->add_events();
    event->set_locked(request->locked());
    event->set_actor(request->actor());
    event->mutable_time()->set_seconds(1773104400);
    return Finish(context);
  }
  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const v1::GetStatusRequest* request,
                                      v1::StatusReport* response) override {
    absl::MutexLock lock(&mu);
    statuses.push_back(*request);
    *response = status;
    return Finish(context);
  }

  absl::Mutex mu;
  grpc::Status fail;  // returned by every call when not OK
  v1::Catalog catalog;
  v1::SubmitResponse submit_response;
  v1::GetRollupResponse rollup;
  v1::GetTemplateResponse template_response;
  v1::NodeInfo info;
  std::vector<v1::SubmitRequest> submits;
  std::vector<v1::GetRollupRequest> rollups;
  std::vector<v1::SetClockRequest> clocks;
  v1::FinalizeResponse finalize_response;
  std::vector<v1::FinalizeRequest> finalizes;
  std::vector<v1::SetLockRequest> locks;
  v1::StatusReport status;
  std::vector<v1::GetStatusRequest> statuses;
  int catalog_calls = 0;

 private:
  grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(fail);
    return reactor;
  }
};

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(
        static_cast<v1::ReportingService::CallbackService*>(&node_));
    builder.RegisterService(
        static_cast<v1::AdminService::CallbackService*>(&node_));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<NodeClient>("127.0.0.1:" + std::to_string(port));
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  std::string WriteTemp(const std::string& name, const std::string& bytes) {
    std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  FakeNode node_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<NodeClient> client_;
  std::ostringstream out_;
};

TEST_F(CommandsTest, SubmitSendsTypedValuesAndTheDerivedKey) {
  std::string bytes =
      "\xEF\xBB\xBFindicator,numerator,denominator,value,note\r\n"
      "QD11-01,45,50,,ghi chú\r\nQD11-12,,,3,\r\nNEW-1,,,xoá,\r\n";
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.file = WriteTemp("values.csv", bytes);
  options.actor = "Nguyễn Văn A";
  node_.submit_response.set_revision(4);
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.submits.size(), 2u);
  const v1::SubmitRequest& sent = node_.submits[0];
  EXPECT_EQ(sent.unit(), "HP-W01");
  EXPECT_EQ(sent.period(), "2026-03");
  EXPECT_EQ(sent.actor(), "Nguyễn Văn A");
  EXPECT_EQ(sent.idempotency_key(),
            DefaultIdempotencyKey("HP-W01", "2026-03", bytes));
  EXPECT_EQ(node_.submits[1].idempotency_key(), sent.idempotency_key());
  ASSERT_EQ(sent.values_size(), 3);
  EXPECT_EQ(sent.values(0).ratio().numerator(), 45);
  EXPECT_EQ(sent.values(0).note(), "ghi chú");
  EXPECT_EQ(sent.values(1).number(), 3);
  EXPECT_TRUE(sent.values(2).clear());
  EXPECT_THAT(out_.str(), HasSubstr("revision: 4\n"));
}

TEST_F(CommandsTest, SubmitWithAGivenKey) {
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.file = WriteTemp(
      "key.csv", "indicator,numerator,denominator,value,note\nQD11-12,,,3,\n");
  options.idempotency_key = "mine-1";
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  absl::MutexLock lock(&node_.mu);
  EXPECT_EQ(node_.submits.at(0).idempotency_key(), "mine-1");
}

TEST_F(CommandsTest, InvalidFilesAreUsageErrorsAndNothingIsSubmitted) {
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  // Found before any call.
  options.file = WriteTemp(
      "bad.csv", "indicator,numerator,denominator,value,note\nQD11-01,45,,,\n");
  absl::Status status = RunSubmit(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status)) << status;
  EXPECT_THAT(std::string(status.message()),
              StartsWith(options.file + ": line 2 (QD11-01): denominator"));
  // Found with the catalog's measures.
  options.file =
      WriteTemp("ratio.csv",
                "indicator,numerator,denominator,value,note\nQD11-01,,,90,\n");
  status = RunSubmit(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("is a ratio"));
  options.file = ::testing::TempDir() + "/missing.csv";
  EXPECT_TRUE(IsUsageError(RunSubmit(*client_, options, out_)));
  options.period = "2026-3";
  EXPECT_TRUE(IsUsageError(RunSubmit(*client_, options, out_)));
  absl::MutexLock lock(&node_.mu);
  EXPECT_EQ(node_.catalog_calls, 1);
  EXPECT_TRUE(node_.submits.empty());
}

TEST_F(CommandsTest, TheNodesErrorIsReturnedAsIs) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.fail = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                              "period 2026-03 is locked");
  }
  Options options;
  options.period = "2026-03";
  absl::Status status = RunRollup(*client_, options, out_);
  EXPECT_FALSE(IsUsageError(status));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "period 2026-03 is locked");
}

TEST_F(CommandsTest, RollupSendsTheRequestAndPrintsTheFormat) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.rollup.mutable_report()->set_unit("HP-W01");
    node_.rollup.mutable_report()->set_period("2026-03");
  }
  Options options;
  options.period = "2026-03";
  options.unit = "HP-W01";
  options.breakdown = true;
  options.format = "csv";
  ASSERT_TRUE(RunRollup(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), CsvLine(RollupCsvColumns()));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.rollups.size(), 1u);
  EXPECT_EQ(node_.rollups[0].unit(), "HP-W01");
  EXPECT_TRUE(node_.rollups[0].breakdown());
}

TEST_F(CommandsTest, TemplateToAFile) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.template_response.add_indicators()->set_code("QD11-12");
    node_.template_response.add_targets();
  }
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.out = ::testing::TempDir() + "/template.csv";
  ASSERT_TRUE(RunTemplate(*client_, options, out_).ok());
  std::ifstream in(options.out, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_THAT(bytes.str(), StartsWith("\xEF\xBB\xBFindicator,numerator,"));
  EXPECT_THAT(bytes.str(), HasSubstr("\r\nQD11-12,,,,,,,,\r\n"));
  EXPECT_THAT(out_.str(), HasSubstr("1 indicators"));
}

TEST_F(CommandsTest, ClockSetAndAdvance) {
  Options options;
  options.args = {"advance"};
  options.by = "24h";
  ASSERT_TRUE(RunClock(*client_, options, out_).ok());
  options.args = {"set"};
  options.by.clear();
  options.time = "2026-03-10T08:00:00+07:00";
  ASSERT_TRUE(RunClock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("now: 2026-03-10T08:00:00+07:00"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.clocks.size(), 2u);
  EXPECT_EQ(node_.clocks[0].advance().seconds(), 86400);
  EXPECT_EQ(node_.clocks[1].time().seconds(), 1773104400);
}

TEST_F(CommandsTest, InfoAndClock) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.info.set_unit("HP");
    node_.info.mutable_now()->set_seconds(1773104400);
  }
  Options options;
  ASSERT_TRUE(RunInfo(*client_, options, out_).ok());
  ASSERT_TRUE(RunClock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("unit: HP\n"));
  EXPECT_THAT(out_.str(),
              HasSubstr("2026-03-10T08:00:00+07:00 (real clock)\n"));
}

TEST_F(CommandsTest, FinalizeSendsUnitPeriodAndActor) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.finalize_response.mutable_finalized_time()->set_seconds(1773104400);
    node_.finalize_response.mutable_due()->set_seconds(1773939600);
    node_.finalize_response.set_on_time(true);
  }
  Options options;
  options.period = "2026-03";
  options.actor = "Nguyễn Văn A";
  ASSERT_TRUE(RunFinalize(*client_, options, out_).ok());
  options.unit = "10525";
  ASSERT_TRUE(RunFinalize(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("đã chốt báo cáo tổng hợp của nút"));
  EXPECT_THAT(out_.str(), HasSubstr("đã chốt báo cáo của đơn vị 10525"));
  EXPECT_THAT(out_.str(), HasSubstr("Chốt lúc: 2026-03-10T08:00:00+07:00\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Đánh giá: đúng hạn\n"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.finalizes.size(), 2u);
  EXPECT_EQ(node_.finalizes[0].unit(), "");
  EXPECT_EQ(node_.finalizes[0].period(), "2026-03");
  EXPECT_EQ(node_.finalizes[0].actor(), "Nguyễn Văn A");
  EXPECT_EQ(node_.finalizes[1].unit(), "10525");
}

TEST_F(CommandsTest, LockAndUnlock) {
  Options options;
  options.period = "2026-03";
  options.actor = "Trần Thị B";
  ASSERT_TRUE(RunLock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith("Kỳ 2026-03: đang khoá"));
  EXPECT_THAT(out_.str(),
              HasSubstr("2026-03-10T08:00:00+07:00  khoá      Trần Thị B\n"));
  out_.str("");
  ASSERT_TRUE(RunUnlock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith("Kỳ 2026-03: không khoá\n"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.locks.size(), 2u);
  EXPECT_TRUE(node_.locks[0].locked());
  EXPECT_FALSE(node_.locks[1].locked());
  EXPECT_EQ(node_.locks[1].actor(), "Trần Thị B");
  EXPECT_EQ(node_.locks[1].period(), "2026-03");
}

TEST_F(CommandsTest, StatusAndLaggardsFormats) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.status.set_unit("31");
    node_.status.set_period("2026-03");
    node_.status.mutable_self()->set_unit("31");
  }
  Options options;
  options.period = "2026-03";
  options.format = "csv";
  ASSERT_TRUE(RunStatus(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith(CsvLine(StatusCsvColumns())));
  EXPECT_THAT(out_.str(), HasSubstr("\n31,,unspecified,0,,,,,,,\n"));
  out_.str("");
  options.format = "json";
  ASSERT_TRUE(RunStatus(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("\"state\": \"REPORT_STATE_UNSPECIFIED\""));
  out_.str("");
  options.format = "table";
  ASSERT_TRUE(RunLaggards(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("Không có đơn vị nào chậm báo cáo.\n"));
  out_.str("");
  options.format = "csv";
  ASSERT_TRUE(RunLaggards(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), CsvLine(LaggardsCsvColumns()));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.statuses.size(), 4u);
  EXPECT_EQ(node_.statuses[0].period(), "2026-03");
}

TEST_F(CommandsTest, NewCommandsCheckTheirFlagsBeforeCalling) {
  Options options;
  EXPECT_TRUE(IsUsageError(RunFinalize(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunLock(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunUnlock(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunStatus(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunLaggards(*client_, options, out_)));
  options.period = "2026-13";
  EXPECT_TRUE(IsUsageError(RunStatus(*client_, options, out_)));
  options.period = "2026-03";
  options.format = "json";
  absl::Status status = RunLaggards(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_EQ(status.message(), "--format: 'json' is not table or csv");
  options.format = "xml";
  EXPECT_TRUE(IsUsageError(RunStatus(*client_, options, out_)));
  options.format = "table";
  options.args = {"extra"};
  EXPECT_TRUE(IsUsageError(RunLock(*client_, options, out_)));
  absl::MutexLock lock(&node_.mu);
  EXPECT_TRUE(node_.finalizes.empty());
  EXPECT_TRUE(node_.locks.empty());
  EXPECT_TRUE(node_.statuses.empty());
}

TEST_F(CommandsTest, FinalizeRefusedByTheNode) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.fail = grpc::Status(grpc::StatusCode::NOT_FOUND,
                              "unit: 10525 has submitted nothing");
  }
  Options options;
  options.period = "2026-03";
  options.unit = "10525";
  absl::Status status = RunFinalize(*client_, options, out_);
  EXPECT_FALSE(IsUsageError(status));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace tonghop::cli
