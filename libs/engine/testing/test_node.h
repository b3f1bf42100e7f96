// Test fixture: in-process tonghop nodes for unit tests. Each node is a
// Topology, a NodeCalendar and an Engine on a real RocksDB in its own temporary
// folder; every node shares the fixture's embedded Registry and Catalog and one
// SimulatedClock. Nodes can be closed and reopened on the same folder to test
// restarts. Hermetic: no ports, no real clock in the engines, folders removed.
//
// Thread-safety: the fixture and the TestNode fields are used from the test
// thread only (the engines themselves are thread-safe, and `outbox_calls` may
// be read from any thread).
#ifndef TONGHOP_LIBS_ENGINE_TESTING_TEST_NODE_H_
#define TONGHOP_LIBS_ENGINE_TESTING_TEST_NODE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"

namespace tonghop::testing {

// 2026-03-10 07:00 in Hà Nội: where every test's simulated clock starts unless
// it says otherwise.
inline constexpr int64_t kStartSeconds = 1773100800;

// One node. Owned by the fixture that made it; the pointer stays valid until
// the fixture's TearDown.
struct TestNode {
  v1::NodeConfig config;  // as built (listen address and data dir filled in)
  std::unique_ptr<Topology> topology;
  std::unique_ptr<NodeCalendar> calendar;
  std::string dir;                   // the RocksDB folder; removed at TearDown
  std::unique_ptr<Db> db;            // null while closed
  std::unique_ptr<Engine> engine;    // null while closed; uses db, topology
  Engine::Options options;           // what Open starts the engine with
  std::atomic<int> outbox_calls{0};  // runs of the default on_outbox hook
};

class EngineFixture : public ::testing::Test {
 protected:
  using Adjust = std::function<void(Engine::Options&)>;

  // Every node's engine checks its ticker every `tick` of real time (the
  // Engine's default unless given); the simulated clock starts at `start`.
  explicit EngineFixture(
      absl::Duration tick = Engine::Options().tick,
      absl::Time start = absl::FromUnixSeconds(kStartSeconds));

  // Loads the embedded Registry and Catalog (a fatal failure when it cannot).
  // A derived fixture's SetUp calls this first.
  void SetUp() override;
  // Stops the engines and closes the databases, newest node first, then
  // removes the folders. A derived fixture stops whatever uses the engines
  // first, then calls this.
  void TearDown() override;

  // Builds the node for `config` (its listen address and data dir are filled
  // in) with `holidays`, in a fresh temporary folder, and starts its engine.
  // The engine's options: this fixture's clock and tick, the node's topology,
  // calendar and database, no parent, and an on_outbox hook counting into
  // `outbox_calls`; `adjust`, when given, may change them (has_parent,
  // on_outbox, tick...) before the start, and they are kept for Open.
  // nullptr, with a fatal test failure, when any step fails.
  TestNode* NewNode(v1::NodeConfig config, Holidays holidays = Holidays(),
                    Adjust adjust = {});
  // Stops the node's engine (after its queued operations) and closes its
  // database; keeps the folder. A no-op on a closed node.
  static void Close(TestNode* node);
  // Opens the node's database again and starts its engine with the same
  // options. False, with a fatal test failure, when it cannot.
  static bool Open(TestNode* node);
  // Close, then Open.
  static bool Restart(TestNode* node);

  // Moves the simulated clock to `t` (a fatal failure when `t` is in the past).
  void At(absl::Time t);

  // Engine calls the tests share, on the engine of an open node.
  // Finalises `unit`'s report ("" or the node's own code: the node's own).
  static absl::StatusOr<v1::FinalizeResponse> Finalize(
      TestNode* n, const std::string& unit,
      const std::string& period = "2026-03",
      const std::string& actor = "thư ký");
  // The status view of `period` (empty, with a failure, on an error).
  static v1::StatusReport Status(TestNode* n,
                                 const std::string& period = "2026-03");
  // The pending outbox entries as (period, revision), in the engine's order.
  static std::vector<std::pair<std::string, int64_t>> Outbox(TestNode* n);

  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<SimulatedClock> clock_;
  std::vector<std::unique_ptr<TestNode>> nodes_;  // in creation order

 private:
  const absl::Duration tick_;
};

// An instant in Vietnam local time (UTC+07:00), independent of the zone data.
absl::Time Hanoi(int y, int mo, int d, int h = 0, int mi = 0, int s = 0);
absl::Time ToTime(const google::protobuf::Timestamp& ts);

// A ratio value as (numerator, denominator).
using RatioPair = std::pair<int64_t, int64_t>;
RatioPair R(const v1::Value& v);
// Rates as (expected, final, on time).
using RateTuple = std::tuple<int, int, int>;
RateTuple Rt(const v1::Rates& r);

v1::ChildConfig ChildOf(const std::string& code, v1::ChildConfig::Kind kind,
                        const std::string& name = "");
// Hải Phòng as in deploy/: wards 10507 and 10532 and three departments submit
// as units (31.STC owes only annual indicators), ward 10525 runs a node.
v1::NodeConfig CityConfig();

// Polls `done` every 5 ms for up to `timeout` of real time (sleeps counted,
// no clock read). True when it held.
bool WaitFor(const std::function<bool()>& done,
             absl::Duration timeout = absl::Seconds(10));

}  // namespace tonghop::testing

#endif  // TONGHOP_LIBS_ENGINE_TESTING_TEST_NODE_H_
