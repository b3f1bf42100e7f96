// A fake tonghop-node for the CLI's command tests: an in-process gRPC server
// (loopback, port 0) that records every request and answers with canned
// responses, and the test fixture that starts it. Test-only.
#ifndef TONGHOP_TOOLS_CLI_FAKE_NODE_H_
#define TONGHOP_TOOLS_CLI_FAKE_NODE_H_

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tools/cli/rpc.h"

namespace tonghop::cli::fake {

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
  grpc::ServerUnaryReactor* GetSeries(
      grpc::CallbackServerContext* context, const v1::GetSeriesRequest* request,
      v1::GetSeriesResponse* response) override {
    absl::MutexLock lock(&mu);
    series_requests.push_back(*request);
    *response = series;
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

  grpc::ServerUnaryReactor* ListReminders(
      grpc::CallbackServerContext* context,
      const v1::ListRemindersRequest* request,
      v1::ReminderList* response) override {
    absl::MutexLock lock(&mu);
    reminder_requests.push_back(*request);
    *response = reminders;
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
  v1::GetSeriesResponse series;
  std::vector<v1::GetSeriesRequest> series_requests;
  std::vector<v1::SetClockRequest> clocks;
  v1::FinalizeResponse finalize_response;
  std::vector<v1::FinalizeRequest> finalizes;
  std::vector<v1::SetLockRequest> locks;
  v1::StatusReport status;
  std::vector<v1::GetStatusRequest> statuses;
  v1::ReminderList reminders;
  std::vector<v1::ListRemindersRequest> reminder_requests;
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

}  // namespace tonghop::cli::fake

#endif  // TONGHOP_TOOLS_CLI_FAKE_NODE_H_
