// The uploader between two real engines on real RocksDB: a ward node (the
// child, whose engine is the OutboxSource) and a city node (the parent). The
// only stand-in is the network: TestLink forwards to the parent engine, and can
// be switched "down".
#include "libs/federation/uploader.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::tonghop::testing::ChildOf;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::RatioPair;
using ::tonghop::testing::TestNode;
using ::tonghop::testing::WaitFor;

// The network between the child and the parent engine.
class TestLink final : public ParentLink {
 public:
  explicit TestLink(Engine* parent) : parent_(parent) {}
  absl::StatusOr<v1::PushResponse> Push(
      const v1::PushRequest& request) override {
    ++calls_;
    if (down_)
      return absl::UnavailableError("parent unreachable (test link down)");
    {
      absl::MutexLock lock(&mu_);
      if (request.period() == refused_period_) {
        return absl::FailedPreconditionError(
            "the parent refuses this period (test)");
      }
    }
    auto r = parent_->PushAndWait(request);
    if (r.ok()) {
      ++delivered_;
      if (r->stale()) ++stale_;
    }
    return r;
  }
  absl::StatusOr<v1::ReminderList> FetchReminders(
      const std::string& child, int64_t after_sequence) override {
    ++fetches_;
    return v1::ReminderList();
  }
  void set_down(bool down) { down_ = down; }
  // The parent answers FAILED_PRECONDITION for every push of `period`.
  void refuse_period(const std::string& period) {
    absl::MutexLock lock(&mu_);
    refused_period_ = period;
  }
  int calls() const { return calls_; }
  int delivered() const { return delivered_; }  // pushes the parent answered OK
  int stale() const { return stale_; }
  int fetches() const { return fetches_; }  // FetchReminders calls

 private:
  Engine* const parent_;
  std::atomic<bool> down_{false};
  std::atomic<int> calls_{0}, delivered_{0}, stale_{0}, fetches_{0};
  absl::Mutex mu_;
  std::string refused_period_ ABSL_GUARDED_BY(mu_);
};

// A ward node (10525, with a parent; its outbox hook wakes the uploader) and
// its city node (31, with the ward as its only child, a node).
class UploaderTest : public EngineFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(EngineFixture::SetUp());
    v1::NodeConfig city;
    city.set_unit("31");
    city.set_role(v1::ROLE_CITY);
    *city.add_children() = ChildOf("10525", v1::ChildConfig::KIND_NODE);
    parent_ = NewNode(city);
    ASSERT_NE(parent_, nullptr);
    v1::NodeConfig ward;
    ward.set_unit("10525");
    ward.set_role(v1::ROLE_WARD);
    child_ = NewNode(ward, Holidays(), [this](Engine::Options& options) {
      options.has_parent = true;
      options.on_outbox = [this] {
        absl::MutexLock lock(&uploader_mu_);
        if (uploader_ != nullptr) uploader_->Notify();
      };
    });
    ASSERT_NE(child_, nullptr);
    link_ = std::make_unique<TestLink>(parent_->engine.get());
  }
  void TearDown() override {
    StopUploader();
    link_.reset();
    EngineFixture::TearDown();  // the child's engine first
  }

  void StartUploader(int fetch_every = 25) {
    Uploader::Options options;
    options.fetch_every = fetch_every;
    options.initial_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    options.idle_poll = absl::Milliseconds(50);
    auto uploader =
        std::make_unique<Uploader>(child_->engine.get(), link_.get(), options);
    uploader->Start();
    absl::MutexLock lock(&uploader_mu_);
    uploader_ = std::move(uploader);
  }
  // Stops and destroys the uploader (before the child engine it reads).
  void StopUploader() {
    std::unique_ptr<Uploader> uploader;
    {
      absl::MutexLock lock(&uploader_mu_);
      uploader = std::move(uploader_);
    }
    uploader.reset();
  }
  Uploader::Info Info() {
    absl::MutexLock lock(&uploader_mu_);
    return uploader_ ? uploader_->info() : Uploader::Info();
  }

  absl::Status Submit(const std::string& key, int64_t n, int64_t d,
                      const std::string& period = "2026-03") {
    v1::SubmitRequest r;
    r.set_unit("10525");
    r.set_period(period);
    r.set_idempotency_key(key);
    r.set_actor("cán bộ phường");
    v1::SubmittedValue* v = r.add_values();
    v->set_indicator("QD11-01");
    v->mutable_ratio()->set_numerator(n);
    v->mutable_ratio()->set_denominator(d);
    return child_->engine->SubmitAndWait(r).status();
  }
  static absl::StatusOr<v1::GetRollupResponse> Rollup(
      Engine* e, const std::string& period, const std::string& unit = "") {
    v1::GetRollupRequest r;
    r.set_period(period);
    r.set_unit(unit);
    r.set_breakdown(true);
    return e->GetRollup(r);
  }
  // `e`'s consolidated QD11-01 for `period`, or 0/0 when absent.
  static v1::ConsolidatedValue Qd1101(Engine* e, const std::string& period,
                                      const std::string& unit = "") {
    auto r = Rollup(e, period, unit);
    if (r.ok()) {
      for (const v1::ConsolidatedValue& v : r->report().values()) {
        if (v.indicator() == "QD11-01") return v;
      }
    }
    return {};
  }
  static RatioPair R(const v1::ConsolidatedValue& v) {
    return {v.value().ratio().numerator(), v.value().ratio().denominator()};
  }
  // The revision of the ward's report the parent holds for `period` (0: none).
  int64_t ParentHolds(const std::string& period) {
    auto r = Rollup(parent_->engine.get(), period, "10525");
    return r.ok() ? r->report().revision() : -1;
  }
  int64_t ChildRevision(const std::string& period) {
    auto r = Rollup(child_->engine.get(), period);
    return r.ok() ? r->report().revision() : -1;
  }
  std::vector<std::pair<std::string, int64_t>> Outbox() {
    return EngineFixture::Outbox(child_);
  }
  // Waits until the parent holds the child's current state of `period` and the
  // outbox drained.
  void ExpectDelivered(const std::vector<std::string>& periods) {
    for (const std::string& period : periods) {
      const int64_t revision = ChildRevision(period);
      EXPECT_TRUE(WaitFor([&] { return ParentHolds(period) == revision; }))
          << period << ": parent holds " << ParentHolds(period)
          << ", child is at " << revision;
      // The parent's view of the ward is the ward's own report, exactly.
      auto mine = Rollup(child_->engine.get(), period);
      auto theirs = Rollup(parent_->engine.get(), period, "10525");
      ASSERT_TRUE(mine.ok() && theirs.ok());
      EXPECT_EQ(theirs->report().SerializeAsString(),
                mine->report().SerializeAsString())
          << period;
    }
    EXPECT_TRUE(WaitFor([&] { return Outbox().empty(); })) << Outbox().size();
    EXPECT_TRUE(WaitFor([&] { return Info().last_error.empty(); }))
        << Info().last_error;
  }

  TestNode* child_ = nullptr;   // the ward
  TestNode* parent_ = nullptr;  // the city
  std::unique_ptr<TestLink> link_;
  absl::Mutex uploader_mu_;
  std::unique_ptr<Uploader> uploader_ ABSL_GUARDED_BY(uploader_mu_);
};

TEST_F(UploaderTest, SubmissionReachesTheParentAndTheOutboxDrains) {
  StartUploader();
  ASSERT_TRUE(Submit("a", 45, 50).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));

  // The city consolidates the ward's value (its only child).
  v1::ConsolidatedValue city = Qd1101(parent_->engine.get(), "2026-03");
  EXPECT_EQ(R(city), RatioPair(45, 50));
  EXPECT_EQ(city.reported(), 1);
  EXPECT_EQ(city.expected(), 1);
  EXPECT_EQ(city.communes_reported(), 1);
  EXPECT_EQ(city.communes_expected(), 1);
  EXPECT_EQ(city.status(), v1::TARGET_STATUS_NOT_MET);
  auto rollup = Rollup(parent_->engine.get(), "2026-03");
  ASSERT_TRUE(rollup.ok());
  ASSERT_EQ(rollup->children_size(), 1);
  EXPECT_EQ(rollup->children(0).unit(), "10525");
  EXPECT_EQ(rollup->children(0).revision(), ChildRevision("2026-03"));

  // A correction follows.
  ASSERT_TRUE(Submit("b", 50, 50).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")), RatioPair(50, 50));
  EXPECT_EQ(Qd1101(parent_->engine.get(), "2026-03").status(),
            v1::TARGET_STATUS_MET);
  EXPECT_TRUE(WaitFor([&] { return Info().pending == 0; }))  // the next pass
      << Info().pending;

  // Idle: nothing is pushed again.
  const int delivered = link_->delivered();
  EXPECT_EQ(delivered, 2);
  absl::SleepFor(absl::Milliseconds(300));  // several idle polls
  EXPECT_EQ(link_->delivered(), delivered);
  EXPECT_EQ(link_->stale(), 0);
  EXPECT_EQ(Info().pushes, delivered);
}

TEST_F(UploaderTest, ParentDownCoalescesThenDeliversTheNewestState) {
  link_->set_down(true);
  StartUploader();
  constexpr int kSubmissions = 20;
  for (int i = 1; i <= kSubmissions; ++i) {
    ASSERT_TRUE(Submit(absl::StrCat("k", i), i, 2 * kSubmissions).ok());
  }
  EXPECT_TRUE(WaitFor([&] { return !Info().last_error.empty(); }));
  EXPECT_THAT(Info().last_error, ::testing::HasSubstr("UNAVAILABLE"));
  EXPECT_TRUE(WaitFor([&] { return link_->calls() >= 2; }));  // it retries
  using Entries = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Outbox(), Entries({{"2026-03", ChildRevision("2026-03")}}));
  EXPECT_EQ(ChildRevision("2026-03"), kSubmissions);
  EXPECT_EQ(ParentHolds("2026-03"), 0);
  EXPECT_EQ(link_->delivered(), 0);

  link_->set_down(false);
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(ParentHolds("2026-03"), kSubmissions);
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")),
            RatioPair(kSubmissions, 2 * kSubmissions));
  EXPECT_GE(link_->delivered(), 1);
  EXPECT_LE(link_->delivered(),
            2);  // coalesced: the newest state, not 20 pushes
  EXPECT_EQ(link_->stale(), 0);
}

TEST_F(UploaderTest, RestartDeliversWhatTheOutboxKept) {
  link_->set_down(true);
  StartUploader();
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(Submit(absl::StrCat("k", i), i, 10).ok());
  EXPECT_TRUE(WaitFor([&] { return !Info().last_error.empty(); }));
  const int64_t revision = ChildRevision("2026-03");
  using Entries = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Outbox(), Entries({{"2026-03", revision}}));

  // The child node stops while its parent is unreachable.
  StopUploader();
  ASSERT_TRUE(Restart(child_));
  EXPECT_EQ(Outbox(), Entries({{"2026-03", revision}}));
  EXPECT_EQ(ParentHolds("2026-03"), 0);

  const int calls = link_->calls();
  StartUploader();
  EXPECT_TRUE(WaitFor(
      [&] { return link_->calls() > calls; }));  // still down: it retries
  link_->set_down(false);
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(ParentHolds("2026-03"), revision);
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")), RatioPair(3, 10));
  EXPECT_EQ(link_->delivered(), 1);
}

TEST_F(UploaderTest, LostAcknowledgementIsNotCountedTwice) {
  // The parent took revision 2 but the child never recorded the delivery (e.g.
  // it crashed before the acknowledgement): the next push is stale and clears
  // the outbox entry.
  ASSERT_TRUE(Submit("a", 1, 10).ok());
  ASSERT_TRUE(Submit("b", 2, 10).ok());
  auto push = child_->engine->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  ASSERT_TRUE(parent_->engine->PushAndWait(*push).ok());
  const int64_t parent_revision =
      Rollup(parent_->engine.get(), "2026-03")->report().revision();
  ASSERT_EQ(Outbox().size(), 1u);

  StartUploader();
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(link_->delivered(), 1);
  EXPECT_EQ(link_->stale(), 1);
  EXPECT_EQ(Rollup(parent_->engine.get(), "2026-03")->report().revision(),
            parent_revision);
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")), RatioPair(2, 10));
}

TEST_F(UploaderTest, ANodeWhoseFolderWasRecreatedContinuesAboveTheParent) {
  StartUploader();
  for (int i = 1; i <= 4; ++i)
    ASSERT_TRUE(Submit(absl::StrCat("k", i), i, 10).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  const int64_t before = ParentHolds("2026-03");
  ASSERT_GE(before, 4);

  // The ward's data folder is lost; the node starts afresh and is submitted
  // to: its revisions start again from 1, below what the parent holds.
  StopUploader();
  Close(child_);
  std::filesystem::remove_all(child_->dir);
  ASSERT_TRUE(Open(child_));
  ASSERT_TRUE(Submit("fresh", 7, 10).ok());
  ASSERT_LT(ChildRevision("2026-03"), before);

  // The parent answers `stale` with its newer revision; the ward continues
  // above it and its new figures replace the old ones.
  StartUploader();
  EXPECT_TRUE(WaitFor([&] { return ChildRevision("2026-03") > before; }))
      << ChildRevision("2026-03");
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_GT(ParentHolds("2026-03"), before);
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")), RatioPair(7, 10));
  EXPECT_GE(link_->stale(), 1);
}

TEST_F(UploaderTest, ANodeRestoredFromAnOlderCopyCatchesUpAtStart) {
  StartUploader();
  ASSERT_TRUE(Submit("k1", 1, 10).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  // A copy of the ward's folder, taken now.
  StopUploader();
  Close(child_);
  const std::string copy = child_->dir + ".copy";
  std::filesystem::copy(child_->dir, copy,
                        std::filesystem::copy_options::recursive);
  ASSERT_TRUE(Open(child_));
  StartUploader();
  ASSERT_TRUE(Submit("k2", 2, 10).ok());
  ASSERT_TRUE(Submit("k3", 3, 10).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  const int64_t parent_before = ParentHolds("2026-03");

  // The folder is restored from the copy: the ward holds 1/10 at an older
  // revision, with nothing in its outbox; nobody submits to it.
  StopUploader();
  Close(child_);
  std::filesystem::remove_all(child_->dir);
  std::filesystem::rename(copy, child_->dir);
  ASSERT_TRUE(Open(child_));
  ASSERT_LT(ChildRevision("2026-03"), parent_before);

  // At start it offers its recent periods to the parent, learns it is behind,
  // and continues above it: the parent ends with the ward's own figures.
  StartUploader();
  EXPECT_TRUE(WaitFor([&] { return ChildRevision("2026-03") > parent_before; }))
      << ChildRevision("2026-03");
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")), RatioPair(1, 10));
}

TEST_F(UploaderTest, AnUpToDateNodeRestartsWithoutANewRevision) {
  StartUploader();
  ASSERT_TRUE(Submit("k1", 1, 10).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  const int64_t revision = ChildRevision("2026-03");
  StopUploader();
  ASSERT_TRUE(Restart(child_));
  StartUploader();
  // Offered again at start, answered as already held: nothing changes.
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(ChildRevision("2026-03"), revision);
  EXPECT_EQ(ParentHolds("2026-03"), revision);
}

TEST_F(UploaderTest, SeveralPendingPeriodsAreAllDelivered) {
  At(testing::Hanoi(2026, 4, 10));  // April's window is open
  link_->set_down(true);
  StartUploader();
  ASSERT_TRUE(Submit("m3", 3, 10, "2026-03").ok());
  ASSERT_TRUE(Submit("m4", 4, 10, "2026-04").ok());
  ASSERT_TRUE(Submit("m4b", 5, 10, "2026-04").ok());
  EXPECT_TRUE(WaitFor([&] { return !Info().last_error.empty(); }));
  using Entries = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Outbox(), Entries({{"2026-03", 1}, {"2026-04", 2}}));

  link_->set_down(false);
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03", "2026-04"}));
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-03")), RatioPair(3, 10));
  EXPECT_EQ(R(Qd1101(parent_->engine.get(), "2026-04")), RatioPair(5, 10));
  EXPECT_EQ(link_->delivered(), 2);
  EXPECT_EQ(link_->stale(), 0);
}

}  // namespace
}  // namespace tonghop

namespace tonghop {
namespace {

TEST_F(UploaderTest, APeriodTheParentRefusesDoesNotHoldTheOthersBack) {
  At(testing::Hanoi(2026, 4, 10));  // April's window is open
  StartUploader();
  link_->refuse_period("2026-03");
  ASSERT_TRUE(Submit("march", 3, 4, "2026-03").ok());
  ASSERT_TRUE(Submit("april", 5, 6, "2026-04").ok());
  EXPECT_TRUE(WaitFor(
      [&] { return ParentHolds("2026-04") == ChildRevision("2026-04"); }));
  EXPECT_EQ(ParentHolds("2026-03"), 0);
  EXPECT_TRUE(WaitFor([&] { return !Info().last_error.empty(); }));
  EXPECT_THAT(Info().last_error, ::testing::HasSubstr("refuses"));
  // The refused period stays in the outbox, to be delivered once the parent
  // takes it.
  // (The delivered period's entry goes once the writer has taken the
  // acknowledgement.)
  EXPECT_TRUE(WaitFor([&] { return Outbox().size() == 1; })) << Outbox().size();
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].first, "2026-03");
  link_->refuse_period("");
  ExpectDelivered({"2026-03", "2026-04"});
}

// While a report waits to be delivered, passes fetch the parent's reminders
// only now and then; once everything is delivered, every (idle) pass does.
TEST_F(UploaderTest, RemindersAreFetchedRarelyWhileBusyAndOnEveryIdlePass) {
  link_->refuse_period("2026-03");  // keeps every pass busy, retrying
  ASSERT_TRUE(Submit("march", 3, 4, "2026-03").ok());
  StartUploader(/*fetch_every=*/5);
  ASSERT_TRUE(WaitFor([&] { return link_->calls() >= 16; }));
  StopUploader();
  const int busy_passes = link_->calls();
  const int busy_fetches = link_->fetches();
  // One fetch every fifth pass (the first pass fetches nothing).
  EXPECT_GE(busy_fetches, busy_passes / 5 - 1);
  EXPECT_LE(busy_fetches, busy_passes / 5 + 1);

  link_->refuse_period("");
  StartUploader(/*fetch_every=*/5);
  ExpectDelivered({"2026-03"});
  // Idle now: a pass every idle poll (50 ms), each fetching.
  const int idle_from = link_->fetches();
  const int pushes = link_->calls();
  EXPECT_TRUE(WaitFor([&] { return link_->fetches() >= idle_from + 4; }));
  EXPECT_EQ(link_->calls(), pushes);  // nothing more to deliver
}

}  // namespace
}  // namespace tonghop
