// The chain, with real processes on loopback (tools/cluster): a figure
// submitted at a ward reaches the central node exactly once, through
// corrections, replays, crashes and outages.
#include <signal.h>

#include <atomic>
#include <map>
#include <thread>

#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/harness/node_process.h"
#include "tonghop/v1/federation.grpc.pb.h"
#include "tools/cluster/cluster.h"

namespace tonghop::testing {
namespace {

// Central; Hải Phòng with two ward nodes (one with an internal office), a
// direct ward, a department node and a direct department; Cần Thơ with a ward
// node and a direct ward.
constexpr char kSpec[] = R"pb(
  nodes { unit: "VN" }
  nodes { unit: "31" parent: "VN" }
  nodes { unit: "92" parent: "VN" }
  nodes { unit: "10525" parent: "31" }
  nodes { unit: "10532" parent: "31" }
  nodes { unit: "31.SKHCN" parent: "31" }
  nodes { unit: "31120" parent: "92" }
  units { code: "10507" parent: "31" }
  units { code: "31.VP" parent: "31" }
  units { code: "10525.VHXH" parent: "10525" name: "Phòng Văn hóa - Xã hội" }
  units { code: "31135" parent: "92" }
)pb";

// Where each submitting unit sends its figures.
const std::map<std::string, std::string> kSubmitTo = {
    {"10525", "10525"}, {"10525.VHXH", "10525"}, {"10532", "10532"},
    {"10507", "31"},    {"31120", "31120"},      {"31135", "92"}};

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto start =
        absl::FromUnixSeconds(1773104400);  // 2026-03-10T08:00:00+07:00
    auto cluster = cluster::Cluster::Up(kSpec, dir_.path() + "/cluster",
                                        TONGHOP_NODE_BINARY, start);
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    cluster_->set_down_on_destroy(true);
  }

  std::unique_ptr<v1::ReportingService::Stub> Stub(const std::string& node) {
    return v1::ReportingService::NewStub(grpc::CreateChannel(
        cluster_->Address(node), grpc::InsecureChannelCredentials()));
  }
  grpc::Status Submit(const std::string& unit, int64_t n, int64_t d,
                      const std::string& key, v1::SubmitResponse* response,
                      const std::string& period = "2026-03") {
    v1::SubmitRequest request;
    request.set_unit(unit);
    request.set_period(period);
    request.set_idempotency_key(key);
    auto* v = request.add_values();
    v->set_indicator("QD11-01");
    v->mutable_ratio()->set_numerator(n);
    v->mutable_ratio()->set_denominator(d);
    return Stub(kSubmitTo.at(unit))->Submit(Context().get(), request, response);
  }
  // The node's QD11-01 for 2026-03 (no value: an empty message).
  v1::ConsolidatedValue Value(const std::string& node,
                              const std::string& unit = "",
                              const std::string& indicator = "QD11-01",
                              const std::string& period = "2026-03") {
    v1::GetRollupRequest request;
    request.set_period(period);
    request.set_unit(unit);
    v1::GetRollupResponse response;
    if (!Stub(node)->GetRollup(Context().get(), request, &response).ok())
      return {};
    for (const auto& v : response.report().values()) {
      if (v.indicator() == indicator) return v;
    }
    return {};
  }
  // Waits (at most 30 s) until the central QD11-01 is n/d.
  bool CentralReaches(int64_t n, int64_t d) {
    for (int i = 0; i < 600; ++i) {
      v1::ConsolidatedValue v = Value("VN");
      if (v.value().ratio().numerator() == n &&
          v.value().ratio().denominator() == d)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  int OutboxPending(const std::string& node) {
    v1::NodeInfo info;
    if (!Stub(node)
             ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
             .ok())
      return -1;
    return info.outbox_pending();
  }
  bool OutboxesDrain() {
    for (int i = 0; i < 600; ++i) {
      int pending = 0;
      for (const auto& node : cluster_->Nodes())
        pending += OutboxPending(node.unit) != 0;
      if (pending == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  TempDir dir_;
  std::unique_ptr<cluster::Cluster> cluster_;
};

TEST_F(ChainTest, WardFiguresReachTheCentralRollupWithBothCoverages) {
  struct Sub {
    std::string unit;
    int64_t n, d;
  };
  std::vector<Sub> subs = {{"10525.VHXH", 4, 5}, {"10525", 40, 45},
                           {"10532", 19, 25},    {"10507", 45, 50},
                           {"31120", 7, 7},      {"31135", 90, 120}};
  int64_t n = 0, d = 0;
  for (const Sub& s : subs) {
    v1::SubmitResponse r;
    ASSERT_TRUE(Submit(s.unit, s.n, s.d, "k-" + s.unit, &r).ok()) << s.unit;
    n += s.n;
    d += s.d;
  }
  ASSERT_TRUE(CentralReaches(n, d)) << Value("VN").ShortDebugString();
  v1::ConsolidatedValue vn = Value("VN");
  EXPECT_EQ(vn.reported(), 2);
  EXPECT_EQ(vn.expected(), 2);  // two cities
  EXPECT_EQ(vn.communes_reported(),
            5);  // 10525 (and its office), 10532, 10507, 31120, 31135
  EXPECT_EQ(vn.communes_expected(), 5);  // the communes the cities expect
  EXPECT_EQ(vn.status(), v1::TARGET_STATUS_NOT_MET);  // national target =100
  v1::ConsolidatedValue hp = Value("VN", "31");  // Hải Phòng as central sees it
  EXPECT_EQ(hp.value().ratio().numerator(), 4 + 40 + 19 + 45);
  EXPECT_EQ(hp.communes_reported(), 3);
  EXPECT_TRUE(OutboxesDrain());
  // Each node names its role as its config does.
  for (const auto& [node, role] :
       std::vector<std::pair<std::string, std::string>>{
           {"VN", "central"},
           {"31", "city"},
           {"10525", "ward"},
           {"31.SKHCN", "department"}}) {
    v1::NodeInfo info;
    ASSERT_TRUE(
        Stub(node)
            ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
            .ok())
        << node;
    EXPECT_EQ(info.role(), role) << node;
  }
}

TEST_F(ChainTest, ACorrectionAtAWardReplacesTheOldValueAllTheWayUp) {
  v1::SubmitResponse r;
  ASSERT_TRUE(Submit("10532", 10, 20, "first", &r).ok());
  ASSERT_TRUE(Submit("31135", 1, 2, "first", &r).ok());
  ASSERT_TRUE(CentralReaches(11, 22));
  ASSERT_TRUE(Submit("10532", 19, 20, "second", &r).ok());
  EXPECT_EQ(r.revision(), 2);
  EXPECT_TRUE(CentralReaches(20, 22)) << Value("VN").ShortDebugString();
  EXPECT_EQ(Value("31").value().ratio().numerator(), 19);
}

TEST_F(ChainTest, TheSameKeyTwiceChangesNothingAnywhere) {
  v1::SubmitResponse first, second;
  ASSERT_TRUE(Submit("10525", 3, 4, "once", &first).ok());
  ASSERT_TRUE(CentralReaches(3, 4));
  ASSERT_TRUE(OutboxesDrain());
  v1::GetRollupRequest request;
  request.set_period("2026-03");
  v1::GetRollupResponse before, after;
  ASSERT_TRUE(Stub("VN")->GetRollup(Context().get(), request, &before).ok());
  ASSERT_TRUE(Submit("10525", 3, 4, "once", &second).ok());
  EXPECT_TRUE(second.replayed());
  EXPECT_EQ(second.revision(), first.revision());
  std::this_thread::sleep_for(
      std::chrono::milliseconds(500));  // room for a wrong push
  ASSERT_TRUE(Stub("VN")->GetRollup(Context().get(), request, &after).ok());
  EXPECT_EQ(after.report().revision(), before.report().revision());
  v1::GetRollupResponse ward;
  ASSERT_TRUE(Stub("10525")->GetRollup(Context().get(), request, &ward).ok());
  EXPECT_EQ(ward.report().revision(), 1);
}

// The value unit u sends in its k-th submission of the stream.
int64_t StreamNumerator(int u, int k) { return (u * 11 + k * 7) % 50; }

TEST_F(ChainTest, ACityKilledMidStreamLosesNothingAndCountsNothingTwice) {
  // Direct submitters at the city and a ward node that pushes to it, all at
  // once.
  const std::vector<std::string> units = {"10507", "10525", "10532"};
  std::vector<int> last_acked(units.size(), 0);
  std::atomic<int> acks{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (size_t u = 0; u < units.size(); ++u) {
    clients.emplace_back([&, u] {
      for (int k = 1; k <= 400 && !stop; ++k) {
        v1::SubmitResponse r;
        if (!Submit(units[u], StreamNumerator(u, k), 50,
                    "s" + std::to_string(k), &r)
                 .ok()) {
          // The city is down: a direct submitter retries the same key later.
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          --k;
          continue;
        }
        last_acked[u] = static_cast<int>(r.revision());
        acks++;
      }
    });
  }
  for (int i = 0; i < 500 && acks < 60; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(cluster_->Kill("31").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(cluster_->Start("31").ok());
  for (int i = 0; i < 500 && acks < 150; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  for (auto& t : clients) t.join();

  // Every acknowledged revision is where it was sent, and the central value is
  // the sum of exactly what is stored: nothing lost, nothing twice.
  int64_t n = 0;
  for (size_t u = 0; u < units.size(); ++u) {
    v1::GetRollupRequest request;
    request.set_period("2026-03");
    request.set_breakdown(true);
    v1::GetRollupResponse response;
    ASSERT_TRUE(Stub(kSubmitTo.at(units[u]))
                    ->GetRollup(Context().get(), request, &response)
                    .ok());
    const v1::ChildBreakdown* mine = nullptr;
    for (const auto& c : response.children()) {
      if (c.unit() == units[u]) mine = &c;
    }
    ASSERT_NE(mine, nullptr) << units[u];
    EXPECT_GE(mine->revision(), last_acked[u]) << units[u];
    EXPECT_LE(mine->revision(), last_acked[u] + 1)
        << units[u];  // at most the one in flight
    const v1::ConsolidatedValue* v = nullptr;
    for (const auto& value : mine->values()) {
      if (value.indicator() == "QD11-01") v = &value;
    }
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->value().ratio().numerator(),
              StreamNumerator(u, mine->revision()))
        << units[u];
    n += v->value().ratio().numerator();
  }
  EXPECT_TRUE(CentralReaches(n, 150))
      << Value("VN").ShortDebugString() << " expected " << n;
  EXPECT_TRUE(OutboxesDrain());
}

TEST_F(ChainTest, TheCentralNodeDownWhileCitiesPushReceivesEverythingOnce) {
  ASSERT_TRUE(cluster_->Stop("VN").ok());
  v1::SubmitResponse r;
  int64_t n = 0, d = 0;
  for (int k = 1; k <= 5; ++k) {
    ASSERT_TRUE(Submit("10525", k, 10, "a" + std::to_string(k), &r).ok());
    ASSERT_TRUE(Submit("31120", k + 1, 10, "b" + std::to_string(k), &r).ok());
  }
  n = 5 + 6;
  d = 20;
  // The cities hold their newest state in their outboxes while the central node
  // is down.
  for (int i = 0;
       i < 200 && (OutboxPending("31") == 0 || OutboxPending("92") == 0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_GT(OutboxPending("31"), 0);
  EXPECT_GT(OutboxPending("92"), 0);
  ASSERT_TRUE(cluster_->Start("VN").ok());
  EXPECT_TRUE(CentralReaches(n, d)) << Value("VN").ShortDebugString();
  EXPECT_TRUE(OutboxesDrain());
  EXPECT_EQ(Value("VN").reported(), 2);
}

TEST_F(ChainTest, AnOlderPushReplayedAfterANewerOneLeavesTheNewerInPlace) {
  auto federation = v1::FederationService::NewStub(grpc::CreateChannel(
      cluster_->Address("VN"), grpc::InsecureChannelCredentials()));
  auto push = [&](int64_t revision, int64_t n) {
    v1::PushRequest request;
    request.set_child("31");
    request.set_period(
        "2026-04");  // a period the cities do not touch in this test
    request.set_revision(revision);
    auto* v = request.add_values();
    v->set_indicator("QD11-01");
    v->mutable_value()->mutable_ratio()->set_numerator(n);
    v->mutable_value()->mutable_ratio()->set_denominator(100);
    v->set_reported(1);
    v->set_expected(3);
    v->set_communes_reported(1);
    v->set_communes_expected(3);
    v1::PushResponse response;
    grpc::Status s = federation->Push(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  };
  EXPECT_FALSE(push(7, 70).stale());
  v1::PushResponse older = push(5, 50);
  EXPECT_TRUE(older.stale());
  EXPECT_EQ(older.stored_revision(), 7);
  EXPECT_TRUE(push(7, 99).stale());  // the same revision again changes nothing
  EXPECT_EQ(Value("VN", "", "QD11-01", "2026-04").value().ratio().numerator(),
            70);

  // A unit that is not a child node, and a malformed report, are refused
  // precisely.
  v1::PushRequest stranger;
  stranger.set_child("10525");
  stranger.set_period("2026-04");
  stranger.set_revision(1);
  v1::PushResponse response;
  EXPECT_EQ(federation->Push(Context().get(), stranger, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::PushRequest malformed = stranger;
  malformed.set_child("92");
  malformed.set_period("2026-13");
  grpc::Status s = federation->Push(Context().get(), malformed, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("period"));
}

}  // namespace
}  // namespace tonghop::testing
