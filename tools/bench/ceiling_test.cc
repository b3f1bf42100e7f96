// The ceiling server (tonghop-bench-ceiling), started as the benchmark starts
// it: in group mode a push is acknowledged only once it is in RocksDB, under
// tonghop's key; in answer mode GetRollup returns the saved answer's bytes,
// untouched, over the callback API and the async one alike, and a file that
// holds no answer stops it at start.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "libs/base/file.h"
#include "rocksdb/db.h"
#include "tonghop/v1/federation.grpc.pb.h"
#include "tonghop/v1/node.grpc.pb.h"
#include "tools/bench/nodes.h"

namespace tonghop::bench {
namespace {

using ::testing::HasSubstr;

class CeilingTest : public ::testing::Test {
 protected:
  CeilingTest()
      : dir_(std::string(::testing::TempDir()) + "/ceiling-" +
             std::to_string(getpid())) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~CeilingTest() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<grpc::Channel> Channel(const Process& p) {
    return grpc::CreateChannel(p.target(), grpc::InsecureChannelCredentials());
  }

  const std::string dir_;
};

TEST_F(CeilingTest, GroupModeAcknowledgesWhatIsInTheDatabase) {
  const std::string db = dir_ + "/db";
  auto ceiling = Process::Start(
      TONGHOP_CEILING_BINARY, {"--mode=group", "--db=" + db}, dir_ + "/group");
  ASSERT_TRUE(ceiling.ok()) << ceiling.status();
  v1::PushRequest push;
  push.set_child("26734");
  push.set_period("2026-03");
  push.set_revision(2);
  push.add_values()->set_indicator("QD11-01");
  {
    v1::PushResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(v1::FederationService::NewStub(Channel(**ceiling))
                    ->Push(&context, push, &response)
                    .ok());
    EXPECT_EQ(response.stored_revision(), 2);
  }
  ASSERT_TRUE((*ceiling)->Stop().ok());
  auto log = ReadWholeFile(dir_ + "/group/log", "log");
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_THAT(*log, HasSubstr("tonghop-bench-ceiling: stopped"));

  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), db, &raw).ok());
  std::unique_ptr<rocksdb::DB> opened(raw);
  std::string stored;
  ASSERT_TRUE(
      opened->Get(rocksdb::ReadOptions(), "push/2026-03/26734", &stored).ok());
  EXPECT_EQ(stored, push.SerializeAsString());
}

TEST_F(CeilingTest, AnswerModeReturnsTheSavedAnswerAsItIs) {
  v1::GetRollupResponse answer;
  answer.mutable_report()->set_unit("79");
  answer.mutable_report()->set_period("2026-03");
  answer.add_children()->set_unit("26734");
  const std::string file = dir_ + "/answer.bin";
  ASSERT_TRUE(WriteWholeFile(file, "answer", answer.SerializeAsString()).ok());
  for (const std::string api : {"callback", "async"}) {
    SCOPED_TRACE(api);
    auto ceiling = Process::Start(
        TONGHOP_CEILING_BINARY,
        {"--mode=answer", "--answer_file=" + file, "--api=" + api},
        dir_ + "/answer-" + api);
    ASSERT_TRUE(ceiling.ok()) << ceiling.status();
    {  // (an open connection would hold the server's stop for 5 s)
      auto stub = v1::ReportingService::NewStub(Channel(**ceiling));
      for (const char* period : {"2026-03", "1999-01"}) {  // whatever is asked
        v1::GetRollupRequest request;
        request.set_period(period);
        request.set_breakdown(true);
        v1::GetRollupResponse got;
        grpc::ClientContext context;
        ASSERT_TRUE(stub->GetRollup(&context, request, &got).ok());
        EXPECT_EQ(got.SerializeAsString(), answer.SerializeAsString());
      }
      v1::NodeInfo info;
      grpc::ClientContext context;
      EXPECT_EQ(stub->GetNodeInfo(&context, v1::GetNodeInfoRequest(), &info)
                    .error_code(),
                grpc::StatusCode::UNIMPLEMENTED);
      // Several calls in flight at once are each answered.
      std::vector<std::thread> clients;
      std::atomic<int> answered{0};
      for (int i = 0; i < 8; ++i) {
        clients.emplace_back([&] {
          for (int j = 0; j < 20; ++j) {
            v1::GetRollupResponse got;
            grpc::ClientContext context;
            if (stub->GetRollup(&context, v1::GetRollupRequest(), &got).ok() &&
                got.report().unit() == "79") {
              ++answered;
            }
          }
        });
      }
      for (std::thread& t : clients) t.join();
      EXPECT_EQ(answered.load(), 160);
    }
    EXPECT_TRUE((*ceiling)->Stop().ok());
    // It stopped by itself, not killed after the grace time.
    auto log = ReadWholeFile(dir_ + "/answer-" + api + "/log", "log");
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_THAT(*log, HasSubstr("tonghop-bench-ceiling: stopped"));
  }

  // The async API serves the answer only; an unknown API is refused.
  for (const std::vector<std::string>& flags :
       std::vector<std::vector<std::string>>{
           {"--mode=echo", "--api=async"},
           {"--mode=answer", "--answer_file=" + file, "--api=reactor"}}) {
    auto refused =
        Process::Start(TONGHOP_CEILING_BINARY, flags, dir_ + "/refused-api");
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("--api"));
  }

  // Bytes that are no answer, or no file at all: it does not start.
  ASSERT_TRUE(WriteWholeFile(file, "answer", "\xff\xff\xff").ok());
  for (const std::string& flag :
       {"--answer_file=" + file, "--answer_file=" + dir_ + "/missing"}) {
    auto refused = Process::Start(TONGHOP_CEILING_BINARY,
                                  {"--mode=answer", flag}, dir_ + "/refused");
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(std::string(refused.status().message()),
                HasSubstr("--answer_file"));
  }
}

}  // namespace
}  // namespace tonghop::bench
