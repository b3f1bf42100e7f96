#include "libs/engine/testing/test_node.h"

#include <cstdlib>
#include <filesystem>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"

namespace tonghop::testing {
namespace {

// Records a fatal failure in a function that returns a value (ASSERT_* and
// FAIL() need a void function).
void FailFatally(const std::string& what) { FAIL() << what; }

}  // namespace

EngineFixture::EngineFixture(absl::Duration tick, absl::Time start)
    : clock_(std::make_unique<SimulatedClock>(start)), tick_(tick) {}

void EngineFixture::SetUp() {
  auto registry = Registry::LoadEmbedded();
  ASSERT_TRUE(registry.ok()) << registry.status();
  registry_ = *std::move(registry);
  auto catalog = Catalog::LoadEmbedded(*registry_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  catalog_ = *std::move(catalog);
}

void EngineFixture::TearDown() {
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) Close(it->get());
  for (const auto& node : nodes_) {
    if (!node->dir.empty()) std::filesystem::remove_all(node->dir);
  }
  nodes_.clear();
}

TestNode* EngineFixture::NewNode(v1::NodeConfig config, Holidays holidays,
                                 Adjust adjust) {
  if (registry_ == nullptr || catalog_ == nullptr) {
    FailFatally("NewNode before EngineFixture::SetUp");
    return nullptr;
  }
  config.set_listen_address("127.0.0.1:0");
  config.set_data_dir("/unused");
  auto topology = Topology::Build(config, registry_.get(), catalog_.get());
  if (!topology.ok()) {
    FailFatally(topology.status().ToString());
    return nullptr;
  }
  auto calendar = NodeCalendar::Build(config, *registry_, (*topology)->self(),
                                      std::move(holidays));
  if (!calendar.ok()) {
    FailFatally(calendar.status().ToString());
    return nullptr;
  }
  char tmpl[] = "/tmp/tonghop-test-node-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    FailFatally("mkdtemp failed");
    return nullptr;
  }
  nodes_.push_back(std::make_unique<TestNode>());
  TestNode* node = nodes_.back().get();
  node->config = std::move(config);
  node->topology = *std::move(topology);
  node->calendar = *std::move(calendar);
  node->dir = tmpl;
  Engine::Options& options = node->options;
  options.topology = node->topology.get();
  options.clock = clock_.get();
  options.calendar = node->calendar.get();
  options.tick = tick_;
  options.on_outbox = [node] { ++node->outbox_calls; };
  if (adjust) adjust(options);
  return Open(node) ? node : nullptr;
}

void EngineFixture::Close(TestNode* node) {
  node->engine.reset();
  node->db.reset();
  node->options.db = nullptr;
}

bool EngineFixture::Open(TestNode* node) {
  auto db = Db::Open(node->dir);
  if (!db.ok()) {
    FailFatally(db.status().ToString());
    return false;
  }
  node->db = *std::move(db);
  node->options.db = node->db.get();
  auto engine = Engine::Start(node->options);
  if (!engine.ok()) {
    FailFatally(engine.status().ToString());
    return false;
  }
  node->engine = *std::move(engine);
  return true;
}

bool EngineFixture::Restart(TestNode* node) {
  Close(node);
  return Open(node);
}

void EngineFixture::At(absl::Time t) {
  ASSERT_TRUE(clock_->SetTime(t).ok()) << t;
}

absl::StatusOr<v1::FinalizeResponse> EngineFixture::Finalize(
    TestNode* n, const std::string& unit, const std::string& period,
    const std::string& actor) {
  v1::FinalizeRequest r;
  r.set_unit(unit);
  r.set_period(period);
  r.set_actor(actor);
  return n->engine->FinalizeAndWait(r);
}

v1::StatusReport EngineFixture::Status(TestNode* n, const std::string& period) {
  v1::GetStatusRequest r;
  r.set_period(period);
  auto s = n->engine->GetStatus(r);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : v1::StatusReport();
}

std::vector<std::pair<std::string, int64_t>> EngineFixture::Outbox(
    TestNode* n) {
  std::vector<std::pair<std::string, int64_t>> out;
  auto items = n->engine->PendingOutbox();
  EXPECT_TRUE(items.ok()) << items.status();
  if (items.ok()) {
    for (const auto& item : *items)
      out.emplace_back(item.period, item.revision);
  }
  return out;
}

absl::Time Hanoi(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::FixedTimeZone(7 * 60 * 60));
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(ts));
}

RatioPair R(const v1::Value& v) {
  return {v.ratio().numerator(), v.ratio().denominator()};
}

RateTuple Rt(const v1::Rates& r) {
  return {r.expected(), r.final(), r.on_time()};
}

v1::ChildConfig ChildOf(const std::string& code, v1::ChildConfig::Kind kind,
                        const std::string& name) {
  v1::ChildConfig c;
  c.set_code(code);
  c.set_kind(kind);
  c.set_name(name);
  return c;
}

v1::NodeConfig CityConfig() {
  v1::NodeConfig c;
  c.set_unit("31");
  c.set_role(v1::ROLE_CITY);
  for (const char* code : {"10507", "10532", "31.VP", "31.SKHCN", "31.STC"}) {
    *c.add_children() = ChildOf(code, v1::ChildConfig::KIND_UNIT);
  }
  *c.add_children() = ChildOf("10525", v1::ChildConfig::KIND_NODE);
  return c;
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Duration step = absl::Milliseconds(5);
  for (int64_t i = 0; i < timeout / step; ++i) {
    if (done()) return true;
    absl::SleepFor(step);
  }
  return done();
}

}  // namespace tonghop::testing
