// The reporting calendar with real processes on the simulated clock
// (tools/cluster): a city with a punctual ward, a late ward, a ward that never
// reports and a ward whose link to the city is down over the deadline;
// statuses, rates, laggards, late flags, and a lock at the central node. Also:
// a node refuses to start without the Asia/Ho_Chi_Minh zone data.
#include <stdlib.h>

#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "libs/calendar/zone.h"
#include "tests/harness/node_process.h"
#include "tools/cluster/cluster.h"

namespace tonghop::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kSpec[] = R"pb(
  nodes { unit: "VN" }
  nodes { unit: "31" parent: "VN" }
  nodes { unit: "10525" parent: "31" }  # punctual
  nodes { unit: "10507" parent: "31" }  # late
  nodes { unit: "10537" parent: "31" }  # finalises while the city is down
  units { code: "10532" parent: "31" }  # never reports
)pb";

absl::Time At(const std::string& rfc3339) { return *ParseRfc3339(rfc3339); }

class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = cluster::Cluster::Up(kSpec, dir_.path() + "/cluster",
                                        TONGHOP_NODE_BINARY,
                                        At("2026-03-10T08:00:00+07:00"));
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    cluster_->set_down_on_destroy(true);
  }
  std::unique_ptr<v1::ReportingService::Stub> Stub(const std::string& node) {
    return v1::ReportingService::NewStub(grpc::CreateChannel(
        cluster_->Address(node), grpc::InsecureChannelCredentials()));
  }
  grpc::Status Submit(const std::string& node, const std::string& unit,
                      int64_t n, int64_t d, const std::string& key) {
    v1::SubmitRequest request;
    request.set_unit(unit);
    request.set_period("2026-03");
    request.set_idempotency_key(key);
    auto* v = request.add_values();
    v->set_indicator("QD11-01");
    v->mutable_ratio()->set_numerator(n);
    v->mutable_ratio()->set_denominator(d);
    v1::SubmitResponse response;
    return Stub(node)->Submit(Context().get(), request, &response);
  }
  absl::StatusOr<v1::FinalizeResponse> Finalize(const std::string& node,
                                                const std::string& unit = "") {
    v1::FinalizeRequest request;
    request.set_period("2026-03");
    request.set_unit(unit);
    request.set_actor("văn phòng");
    v1::FinalizeResponse response;
    grpc::Status s = Stub(node)->Finalize(Context().get(), request, &response);
    if (!s.ok())
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                          s.error_message());
    return response;
  }
  v1::StatusReport Status(const std::string& node) {
    v1::GetStatusRequest request;
    request.set_period("2026-03");
    v1::StatusReport report;
    grpc::Status s = Stub(node)->GetStatus(Context().get(), request, &report);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return report;
  }
  static const v1::UnitStatus* Child(const v1::StatusReport& r,
                                     const std::string& unit) {
    for (const auto& c : r.children()) {
      if (c.unit() == unit) return &c;
    }
    return nullptr;
  }
  // Waits (at most 20 s) until `node`'s status of `unit` is `state`.
  bool WaitState(const std::string& node, const std::string& unit,
                 v1::ReportState state) {
    for (int i = 0; i < 400; ++i) {
      v1::StatusReport r = Status(node);
      const v1::UnitStatus* c = Child(r, unit);
      if (c != nullptr && c->state() == state) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void SetClock(const std::string& t) {
    ASSERT_TRUE(cluster_->SetClock(At(t)).ok());
  }

  TempDir dir_;
  std::unique_ptr<cluster::Cluster> cluster_;
};

TEST_F(DeadlineTest, AMonthAtACityAndTheCentralNode) {
  // 12 March: the punctual ward submits and finalises; another ward submits
  // provisionally.
  SetClock("2026-03-12T09:00:00+07:00");
  ASSERT_TRUE(Submit("10525", "10525", 9, 10, "a").ok());
  auto punctual = Finalize("10525");
  ASSERT_TRUE(punctual.ok()) << punctual.status();
  EXPECT_TRUE(punctual->on_time());
  ASSERT_TRUE(Submit("10537", "10537", 7, 10, "b").ok());
  ASSERT_TRUE(WaitState("31", "10525", v1::REPORT_STATE_FINAL_ON_TIME));

  // 17 March, before the 20th: one final, one provisional, two without
  // anything.
  SetClock("2026-03-17T09:00:00+07:00");
  ASSERT_TRUE(WaitState("31", "10537", v1::REPORT_STATE_PROVISIONAL));
  v1::StatusReport before = Status("31");
  EXPECT_EQ(before.children_due().seconds(),
            absl::ToUnixSeconds(At("2026-03-20T00:00:00+07:00")));
  EXPECT_EQ(before.window(), "2026-02-15..2026-03-14");
  EXPECT_EQ(Child(before, "10507")->state(), v1::REPORT_STATE_NOT_SUBMITTED);
  EXPECT_EQ(Child(before, "10532")->state(), v1::REPORT_STATE_NOT_SUBMITTED);
  // The city reminded its laggards (Friday 13 March, the "5 days before" step
  // moved off the Sunday); a ward that runs a node receives it in-band from its
  // city.
  bool received = false;
  for (int i = 0; i < 200 && !received; ++i) {
    v1::ListRemindersRequest inbox_request;
    v1::ReminderList inbox;
    if (Stub("10507")
            ->ListReminders(Context().get(), inbox_request, &inbox)
            .ok()) {
      for (const auto& r : inbox.reminders()) {
        received |=
            r.node() == "31" && r.unit() == "10507" && r.step() == "before-5";
      }
    }
    if (!received) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(received);
  EXPECT_EQ(before.direct().expected(), 4);
  EXPECT_EQ(before.direct().final(), 1);
  EXPECT_EQ(before.direct().on_time(), 1);

  // The city goes down over the deadline. At 00:00 on the 19th (24 h before its
  // parent's deadline) ward 10537 finalises itself automatically, but cannot
  // deliver.
  ASSERT_TRUE(cluster_->Stop("31").ok());
  SetClock("2026-03-19T00:00:00+07:00");
  bool finalized = false;
  for (int i = 0; i < 400 && !finalized; ++i) {
    finalized =
        Status("10537").self().state() == v1::REPORT_STATE_FINAL_ON_TIME;
    if (!finalized) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(finalized) << Status("10537").self().ShortDebugString();
  SetClock("2026-03-21T10:00:00+07:00");
  ASSERT_TRUE(cluster_->Start("31").ok());

  // 21 March: the late ward reports for the first time and finalises.
  ASSERT_TRUE(Submit("10507", "10507", 3, 10, "c").ok());
  auto late = Finalize("10507");
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_FALSE(late->on_time());

  // The delayed ward is on time: judged on its own finalisation (the 19th), not
  // on arrival.
  ASSERT_TRUE(WaitState("31", "10537", v1::REPORT_STATE_FINAL_ON_TIME));
  ASSERT_TRUE(WaitState("31", "10507", v1::REPORT_STATE_FINAL_LATE));
  v1::StatusReport after = Status("31");
  const v1::UnitStatus* delayed = Child(after, "10537");
  EXPECT_EQ(delayed->finalized_time().seconds(),
            absl::ToUnixSeconds(At("2026-03-19T00:00:00+07:00")));
  EXPECT_GE(delayed->received_time().seconds(),
            absl::ToUnixSeconds(At("2026-03-21T10:00:00+07:00")));
  EXPECT_TRUE(Child(after, "10507")
                  ->has_late_revision_time());  // first figures after the 20th
  EXPECT_FALSE(Child(after, "10525")->has_late_revision_time());
  EXPECT_EQ(Child(after, "10532")->state(), v1::REPORT_STATE_NOT_SUBMITTED);
  EXPECT_EQ(after.direct().expected(), 4);
  EXPECT_EQ(after.direct().final(), 3);
  EXPECT_EQ(after.direct().on_time(), 2);
  // The laggards are the units still without a final report.
  int laggards = 0;
  for (const auto& c : after.children()) {
    laggards += c.state() == v1::REPORT_STATE_NOT_SUBMITTED ||
                c.state() == v1::REPORT_STATE_PROVISIONAL;
  }
  EXPECT_EQ(laggards, 1);
  // The CLI's laggards view of the same data: only the ward that never
  // reported, overdue.
  CommandResult cli = RunCommand(
      absl::StrCat(TONGHOP_CLI_BINARY, " --target=", cluster_->Address("31"),
                   " laggards --period=2026-03 --format=csv"));
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  std::vector<std::string> rows =
      absl::StrSplit(cli.output, '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 2u) << cli.output;  // header + 10532
  EXPECT_THAT(rows[1], ::testing::StartsWith("10532,"));
  EXPECT_THAT(rows[1], HasSubstr("not_submitted"));
  EXPECT_THAT(rows[1], HasSubstr("quá hạn"));

  // 24 March, 00:00: the city finalises itself 24 h before the central deadline
  // (the 25th); the central node sees it on time, with Hải Phòng's rates and
  // the national ones.
  SetClock("2026-03-24T00:00:00+07:00");
  ASSERT_TRUE(WaitState("VN", "31", v1::REPORT_STATE_FINAL_ON_TIME));
  v1::StatusReport central = Status("VN");
  const v1::UnitStatus* city = Child(central, "31");
  EXPECT_EQ(city->leaves().expected(), 4);
  EXPECT_EQ(city->leaves().final(), 3);
  EXPECT_EQ(city->leaves().on_time(), 2);
  EXPECT_EQ(central.leaves().final(), 3);  // only Hải Phòng in this cluster
  EXPECT_EQ(central.direct().final(), 1);

  // The central secretariat locks March; a late correction from the punctual
  // ward travels up to the city but the central node refuses it until the
  // unlock, then shows it as late.
  v1::SetLockRequest lock;
  lock.set_period("2026-03");
  lock.set_locked(true);
  lock.set_actor("Văn phòng BCĐ");
  v1::LockRecord record;
  ASSERT_TRUE(Stub("VN")->SetLock(Context().get(), lock, &record).ok());
  EXPECT_TRUE(record.locked());
  ASSERT_EQ(record.events_size(), 1);
  EXPECT_EQ(record.events(0).actor(), "Văn phòng BCĐ");
  SetClock("2026-03-26T09:00:00+07:00");
  ASSERT_TRUE(Submit("10525", "10525", 10, 10, "d").ok());
  for (int i = 0; i < 100;
       ++i) {  // the correction reaches the city, not the central node
    const v1::UnitStatus* w = Child(Status("31"), "10525");
    if (w != nullptr && w->has_late_revision_received_time()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(Child(Status("31"), "10525")->has_late_revision_received_time());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(Child(Status("VN"), "31")->has_late_revision_received_time());
  v1::GetNodeInfoRequest info_request;
  v1::NodeInfo info;
  ASSERT_TRUE(
      Stub("31")->GetNodeInfo(Context().get(), info_request, &info).ok());
  EXPECT_GT(info.outbox_pending(), 0);
  EXPECT_THAT(info.last_push_error(), HasSubstr("locked"));

  lock.set_locked(false);
  ASSERT_TRUE(Stub("VN")->SetLock(Context().get(), lock, &record).ok());
  EXPECT_FALSE(record.locked());
  EXPECT_EQ(record.events_size(), 2);
  bool arrived = false;
  for (int i = 0; i < 200 && !arrived;
       ++i) {  // the uploader backs off at most 5 s
    const v1::UnitStatus* c = Child(Status("VN"), "31");
    arrived = c != nullptr && c->has_late_revision_received_time();
    if (!arrived) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(arrived);
  EXPECT_EQ(Child(Status("VN"), "31")->state(), v1::REPORT_STATE_FINAL_ON_TIME);
}

// One long move of the cluster's clock, over the wards' automatic
// finalisation (19 March 00:00) and the city's "1 day before" step (08:00):
// the city holds the step until its wards' nodes, moved with it, have
// finalised and pushed, and reminds only the ward that has nothing.
TEST_F(DeadlineTest, AJumpOverTheWardsFinalisationRemindsOnlyTheLaggards) {
  SetClock("2026-03-18T09:00:00+07:00");
  ASSERT_TRUE(Submit("10525", "10525", 9, 10, "a").ok());
  ASSERT_TRUE(Submit("10537", "10537", 7, 10, "b").ok());
  ASSERT_TRUE(WaitState("31", "10525", v1::REPORT_STATE_PROVISIONAL));
  ASSERT_TRUE(WaitState("31", "10537", v1::REPORT_STATE_PROVISIONAL));

  SetClock("2026-03-19T09:00:00+07:00");
  // Who the city reminded at the step, once it has planned it (at most 20 s).
  std::set<std::string> reminded;
  for (int i = 0; i < 400 && reminded.count("10507") == 0; ++i) {
    v1::ListRemindersRequest request;
    request.set_sent(true);
    v1::ReminderList list;
    ASSERT_TRUE(
        Stub("31")->ListReminders(Context().get(), request, &list).ok());
    for (const v1::Reminder& r : list.reminders()) {
      if (r.step() == "before-1") reminded.insert(r.unit());
    }
    if (reminded.count("10507") == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  EXPECT_EQ(reminded.count("10507"), 1u) << "the step was never planned";
  EXPECT_EQ(reminded.count("10525"), 0u);
  EXPECT_EQ(reminded.count("10537"), 0u);
  const v1::StatusReport status = Status("31");
  for (const std::string unit : {"10525", "10537"}) {
    ASSERT_NE(Child(status, unit), nullptr) << unit;
    EXPECT_EQ(Child(status, unit)->state(), v1::REPORT_STATE_FINAL_ON_TIME)
        << unit;
    EXPECT_EQ(Child(status, unit)->finalized_time().seconds(),
              absl::ToUnixSeconds(At("2026-03-19T00:00:00+07:00")))
        << unit;
  }
}

TEST(ZoneDataTest, ANodeRefusesToStartWithoutTheVietnamZone) {
  TempDir dir;
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  setenv("TZDIR", (dir.path() + "/no-zones").c_str(),
         1);  // inherited by the node
  auto node = NodeProcess::Start(dir.path() + "/city", config);
  unsetenv("TZDIR");
  ASSERT_FALSE(node.ok());
  EXPECT_THAT(std::string(node.status().message()),
              HasSubstr("Asia/Ho_Chi_Minh"));
}

}  // namespace
}  // namespace tonghop::testing
