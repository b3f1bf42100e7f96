// The uploader between two real engines on real RocksDB: a ward node (the
// child, whose engine is the OutboxSource) and a city node (the parent). The
// only stand-in is the network: TestLink forwards to the parent engine, and can
// be switched "down".
#include "libs/federation/uploader.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"

namespace tonghop {
namespace {

constexpr int64_t kStartSeconds = 1773100800;  // 2026-03-10 07:00 in Hà Nội
constexpr absl::Duration kWait = absl::Seconds(10);

using RatioPair = std::pair<int64_t, int64_t>;

// Polls `done` every few milliseconds for up to kWait (real time). True when it
// held.
bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < absl::ToInt64Milliseconds(kWait) / 5; ++i) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return done();
}

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
  void set_down(bool down) { down_ = down; }
  // The parent answers FAILED_PRECONDITION for every push of `period`.
  void refuse_period(const std::string& period) {
    absl::MutexLock lock(&mu_);
    refused_period_ = period;
  }
  int calls() const { return calls_; }
  int delivered() const { return delivered_; }  // pushes the parent answered OK
  int stale() const { return stale_; }

 private:
  Engine* const parent_;
  std::atomic<bool> down_{false};
  std::atomic<int> calls_{0}, delivered_{0}, stale_{0};
  absl::Mutex mu_;
  std::string refused_period_ ABSL_GUARDED_BY(mu_);
};

class UploaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
    auto catalog = Catalog::LoadEmbedded(*registry_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
    clock_ =
        std::make_unique<SimulatedClock>(absl::FromUnixSeconds(kStartSeconds));

    v1::NodeConfig ward;
    ward.set_unit("10525");
    ward.set_role(v1::ROLE_WARD);
    auto child_topology =
        Topology::Build(ward, registry_.get(), catalog_.get());
    ASSERT_TRUE(child_topology.ok()) << child_topology.status();
    child_topology_ = *std::move(child_topology);
    v1::NodeConfig city;
    city.set_unit("31");
    city.set_role(v1::ROLE_CITY);
    v1::ChildConfig* c = city.add_children();
    c->set_code("10525");
    c->set_kind(v1::ChildConfig::KIND_NODE);
    auto parent_topology =
        Topology::Build(city, registry_.get(), catalog_.get());
    ASSERT_TRUE(parent_topology.ok()) << parent_topology.status();
    parent_topology_ = *std::move(parent_topology);

    child_dir_ = TempDir();
    parent_dir_ = TempDir();
    ASSERT_NO_FATAL_FAILURE(OpenParent());
    ASSERT_NO_FATAL_FAILURE(OpenChild());
    link_ = std::make_unique<TestLink>(parent_.get());
  }
  void TearDown() override {
    StopUploader();
    child_.reset();
    child_db_.reset();
    link_.reset();
    parent_.reset();
    parent_db_.reset();
    for (const std::string& dir : {child_dir_, parent_dir_}) {
      if (!dir.empty()) std::filesystem::remove_all(dir);
    }
  }

  static std::string TempDir() {
    char tmpl[] = "/tmp/tonghop-uploader-test-XXXXXX";
    EXPECT_NE(mkdtemp(tmpl), nullptr);
    return tmpl;
  }
  void OpenParent() {
    auto db = Db::Open(parent_dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    parent_db_ = *std::move(db);
    Engine::Options options;
    options.topology = parent_topology_.get();
    options.clock = clock_.get();
    options.db = parent_db_.get();
    auto engine = Engine::Start(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    parent_ = *std::move(engine);
  }
  void OpenChild() {
    auto db = Db::Open(child_dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    child_db_ = *std::move(db);
    Engine::Options options;
    options.topology = child_topology_.get();
    options.clock = clock_.get();
    options.db = child_db_.get();
    options.has_parent = true;
    options.on_outbox = [this] {
      absl::MutexLock lock(&uploader_mu_);
      if (uploader_ != nullptr) uploader_->Notify();
    };
    auto engine = Engine::Start(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    child_ = *std::move(engine);
  }
  void StartUploader() {
    Uploader::Options options;
    options.initial_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    options.idle_poll = absl::Milliseconds(50);
    auto uploader =
        std::make_unique<Uploader>(child_.get(), link_.get(), options);
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
    return child_->SubmitAndWait(r).status();
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
    auto r = Rollup(parent_.get(), period, "10525");
    return r.ok() ? r->report().revision() : -1;
  }
  int64_t ChildRevision(const std::string& period) {
    auto r = Rollup(child_.get(), period);
    return r.ok() ? r->report().revision() : -1;
  }
  std::vector<std::pair<std::string, int64_t>> Outbox() {
    std::vector<std::pair<std::string, int64_t>> out;
    auto items = child_->PendingOutbox();
    EXPECT_TRUE(items.ok()) << items.status();
    if (items.ok()) {
      for (const auto& item : *items)
        out.emplace_back(item.period, item.revision);
    }
    return out;
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
      auto mine = Rollup(child_.get(), period);
      auto theirs = Rollup(parent_.get(), period, "10525");
      ASSERT_TRUE(mine.ok() && theirs.ok());
      EXPECT_EQ(theirs->report().SerializeAsString(),
                mine->report().SerializeAsString())
          << period;
    }
    EXPECT_TRUE(WaitFor([&] { return Outbox().empty(); })) << Outbox().size();
    EXPECT_TRUE(WaitFor([&] { return Info().last_error.empty(); }))
        << Info().last_error;
  }

  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<SimulatedClock> clock_;
  std::unique_ptr<Topology> child_topology_, parent_topology_;
  std::string child_dir_, parent_dir_;
  std::unique_ptr<Db> child_db_, parent_db_;
  std::unique_ptr<Engine> child_, parent_;
  std::unique_ptr<TestLink> link_;
  absl::Mutex uploader_mu_;
  std::unique_ptr<Uploader> uploader_ ABSL_GUARDED_BY(uploader_mu_);
};

TEST_F(UploaderTest, SubmissionReachesTheParentAndTheOutboxDrains) {
  StartUploader();
  ASSERT_TRUE(Submit("a", 45, 50).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));

  // The city consolidates the ward's value (its only child).
  v1::ConsolidatedValue city = Qd1101(parent_.get(), "2026-03");
  EXPECT_EQ(R(city), RatioPair(45, 50));
  EXPECT_EQ(city.reported(), 1);
  EXPECT_EQ(city.expected(), 1);
  EXPECT_EQ(city.communes_reported(), 1);
  EXPECT_EQ(city.communes_expected(), 1);
  EXPECT_EQ(city.status(), v1::TARGET_STATUS_NOT_MET);
  auto rollup = Rollup(parent_.get(), "2026-03");
  ASSERT_TRUE(rollup.ok());
  ASSERT_EQ(rollup->children_size(), 1);
  EXPECT_EQ(rollup->children(0).unit(), "10525");
  EXPECT_EQ(rollup->children(0).revision(), ChildRevision("2026-03"));

  // A correction follows.
  ASSERT_TRUE(Submit("b", 50, 50).ok());
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(R(Qd1101(parent_.get(), "2026-03")), RatioPair(50, 50));
  EXPECT_EQ(Qd1101(parent_.get(), "2026-03").status(), v1::TARGET_STATUS_MET);
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
  EXPECT_EQ(R(Qd1101(parent_.get(), "2026-03")),
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
  child_.reset();
  child_db_.reset();
  ASSERT_NO_FATAL_FAILURE(OpenChild());
  EXPECT_EQ(Outbox(), Entries({{"2026-03", revision}}));
  EXPECT_EQ(ParentHolds("2026-03"), 0);

  const int calls = link_->calls();
  StartUploader();
  EXPECT_TRUE(WaitFor(
      [&] { return link_->calls() > calls; }));  // still down: it retries
  link_->set_down(false);
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(ParentHolds("2026-03"), revision);
  EXPECT_EQ(R(Qd1101(parent_.get(), "2026-03")), RatioPair(3, 10));
  EXPECT_EQ(link_->delivered(), 1);
}

TEST_F(UploaderTest, LostAcknowledgementIsNotCountedTwice) {
  // The parent took revision 2 but the child never recorded the delivery (e.g.
  // it crashed before the acknowledgement): the next push is stale and clears
  // the outbox entry.
  ASSERT_TRUE(Submit("a", 1, 10).ok());
  ASSERT_TRUE(Submit("b", 2, 10).ok());
  auto push = child_->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  ASSERT_TRUE(parent_->PushAndWait(*push).ok());
  const int64_t parent_revision =
      Rollup(parent_.get(), "2026-03")->report().revision();
  ASSERT_EQ(Outbox().size(), 1u);

  StartUploader();
  ASSERT_NO_FATAL_FAILURE(ExpectDelivered({"2026-03"}));
  EXPECT_EQ(link_->delivered(), 1);
  EXPECT_EQ(link_->stale(), 1);
  EXPECT_EQ(Rollup(parent_.get(), "2026-03")->report().revision(),
            parent_revision);
  EXPECT_EQ(R(Qd1101(parent_.get(), "2026-03")), RatioPair(2, 10));
}

TEST_F(UploaderTest, SeveralPendingPeriodsAreAllDelivered) {
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
  EXPECT_EQ(R(Qd1101(parent_.get(), "2026-03")), RatioPair(3, 10));
  EXPECT_EQ(R(Qd1101(parent_.get(), "2026-04")), RatioPair(5, 10));
  EXPECT_EQ(link_->delivered(), 2);
  EXPECT_EQ(link_->stale(), 0);
}

}  // namespace
}  // namespace tonghop

namespace tonghop {
namespace {

TEST_F(UploaderTest, APeriodTheParentRefusesDoesNotHoldTheOthersBack) {
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

}  // namespace
}  // namespace tonghop
