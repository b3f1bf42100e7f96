// Durability: a node killed with SIGKILL in the middle of a stream of
// submissions keeps every submission it acknowledged, and its roll-up equals an
// independent sum of what it holds.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "tests/harness/node_process.h"

namespace tonghop::testing {
namespace {

constexpr int kWards = 6;
const char* kWardCodes[kWards] = {"10507", "10525", "10532",
                                  "10537", "10543", "10546"};

// The value a ward sends in its k-th submission (k from 1): distinct per ward
// and revision.
int64_t Numerator(int ward, int k) { return (ward * 7 + k * 13) % 97; }
constexpr int64_t kDenominator = 100;

TEST(NodeCrashTest, EveryAcknowledgedSubmissionSurvivesSigkill) {
  TempDir dir;
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  for (const char* code : kWardCodes) {
    auto* c = config.add_children();
    c->set_code(code);
    c->set_kind(v1::ChildConfig::KIND_UNIT);
  }
  auto node = NodeProcess::Start(dir.path() + "/city", config);
  ASSERT_TRUE(node.ok()) << node.status();

  // One client thread per ward submits revisions one after another, recording
  // each ack.
  std::atomic<int> acks{0};
  std::vector<int> last_acked(kWards, 0);
  std::vector<std::thread> clients;
  for (int w = 0; w < kWards; ++w) {
    clients.emplace_back([&, w] {
      auto stub = (*node)->Reporting();
      for (int k = 1; k <= 500; ++k) {  // bounded; the kill ends it much sooner
        v1::SubmitRequest request;
        request.set_unit(kWardCodes[w]);
        request.set_period("2026-03");
        request.set_idempotency_key("crash-" + std::to_string(k));
        auto* v = request.add_values();
        v->set_indicator("QD11-01");
        v->mutable_ratio()->set_numerator(Numerator(w, k));
        v->mutable_ratio()->set_denominator(kDenominator);
        v1::SubmitResponse response;
        if (!stub->Submit(Context().get(), request, &response).ok()) return;
        if (response.revision() != k) return;  // would be a bug; checked below
        last_acked[w] = k;
        acks++;
      }
    });
  }
  for (int i = 0; i < 400 && acks.load() < 60; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  int status = (*node)->Stop(SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status));
  for (auto& t : clients) t.join();
  ASSERT_GE(acks.load(), 60) << "too few acknowledgements before the kill";

  ASSERT_TRUE((*node)->Restart().ok());
  auto stub = (*node)->Reporting();
  int64_t numerators = 0, denominators = 0;
  for (int w = 0; w < kWards; ++w) {
    v1::GetRollupRequest request;
    request.set_period("2026-03");
    request.set_unit(kWardCodes[w]);
    v1::GetRollupResponse response;
    ASSERT_TRUE(stub->GetRollup(Context().get(), request, &response).ok());
    // Every acknowledged revision is there; at most the one in flight at the
    // kill is newer.
    int64_t revision = response.report().revision();
    EXPECT_GE(revision, last_acked[w]) << kWardCodes[w];
    EXPECT_LE(revision, last_acked[w] + 1) << kWardCodes[w];
    if (revision == 0) continue;
    const v1::ConsolidatedValue* qd1101 = nullptr;
    for (const auto& v : response.report().values()) {
      if (v.indicator() == "QD11-01") qd1101 = &v;
    }
    ASSERT_NE(qd1101, nullptr);
    EXPECT_EQ(qd1101->value().ratio().numerator(), Numerator(w, revision));
    numerators += Numerator(w, revision);
    denominators += kDenominator;
  }
  v1::GetRollupRequest request;
  request.set_period("2026-03");
  v1::GetRollupResponse city;
  ASSERT_TRUE(stub->GetRollup(Context().get(), request, &city).ok());
  const v1::ConsolidatedValue* found = nullptr;
  for (const auto& value : city.report().values()) {
    if (value.indicator() == "QD11-01") found = &value;
  }
  ASSERT_NE(found, nullptr);
  const v1::ConsolidatedValue& v = *found;
  EXPECT_EQ(v.value().ratio().numerator(), numerators);
  EXPECT_EQ(v.value().ratio().denominator(), denominators);

  // A replayed key after the restart is recognised, not stored again.
  v1::SubmitRequest again;
  again.set_unit(kWardCodes[0]);
  again.set_period("2026-03");
  again.set_idempotency_key("crash-1");
  auto* value = again.add_values();
  value->set_indicator("QD11-01");
  value->mutable_ratio()->set_numerator(Numerator(0, 1));
  value->mutable_ratio()->set_denominator(kDenominator);
  v1::SubmitResponse replay;
  ASSERT_TRUE(stub->Submit(Context().get(), again, &replay).ok());
  EXPECT_TRUE(replay.replayed());
  EXPECT_EQ(replay.revision(), 1);
}

// A node on the simulated clock restarted with its first --start_time (as a
// demo script does) would otherwise go back behind the submissions it already
// holds: it starts from the last change it recorded, and says so in its log.
TEST(NodeCrashTest, ARestartedSimulatedClockNeverGoesBehindWhatItRecorded) {
  TempDir dir;
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  auto* child = config.add_children();
  child->set_code("10507");
  child->set_kind(v1::ChildConfig::KIND_UNIT);
  // Started at 2026-03-10T08:00:00+07:00 (the harness's default).
  auto node = NodeProcess::Start(dir.path() + "/city", config);
  ASSERT_TRUE(node.ok()) << node.status();

  v1::SetClockRequest move;
  move.mutable_advance()->set_seconds(10 * 86400);  // to 2026-03-20
  v1::SetClockResponse moved;
  ASSERT_TRUE((*node)->Admin()->SetClock(Context().get(), move, &moved).ok());
  v1::SubmitRequest request;
  request.set_unit("10507");
  request.set_period("2026-03");
  request.set_idempotency_key("clock-1");
  auto* v = request.add_values();
  v->set_indicator("QD11-01");
  v->mutable_ratio()->set_numerator(3);
  v->mutable_ratio()->set_denominator(4);
  v1::SubmitResponse submitted;
  grpc::Status s =
      (*node)->Reporting()->Submit(Context().get(), request, &submitted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const int64_t received = submitted.received_time().seconds();
  ASSERT_EQ(received, moved.now().seconds());

  ASSERT_TRUE(WIFEXITED((*node)->Stop(SIGTERM)));
  ASSERT_TRUE((*node)->Restart().ok());  // again with 2026-03-10T08:00

  v1::NodeInfo info;
  ASSERT_TRUE(
      (*node)
          ->Reporting()
          ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
          .ok());
  EXPECT_GE(info.now().seconds(), received);
  request.set_idempotency_key("clock-2");
  v->mutable_ratio()->set_numerator(4);
  v1::SubmitResponse again;
  s = (*node)->Reporting()->Submit(Context().get(), request, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.revision(), 2);
  EXPECT_GE(again.received_time().seconds(), received);
  CommandResult log = RunCommand("cat " + (*node)->log_path());
  EXPECT_NE(log.output.find("the clock starts there"), std::string::npos)
      << log.output;
}

}  // namespace
}  // namespace tonghop::testing
