// The receiving side of federation at the engine level: a parent node's engine
// on a real RocksDB takes pushes from its child nodes, built by hand or by a
// real child engine.
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"
#include "libs/federation/validate_push.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;
using ::tonghop::testing::ChildOf;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::R;
using ::tonghop::testing::RatioPair;
using Node = ::tonghop::testing::TestNode;

v1::ConsolidatedValue RatioValue(const std::string& indicator, int64_t n,
                                 int64_t d, int communes_reported,
                                 int communes_expected,
                                 v1::TargetStatus status) {
  v1::ConsolidatedValue v;
  v.set_indicator(indicator);
  v.mutable_value()->mutable_ratio()->set_numerator(n);
  v.mutable_value()->mutable_ratio()->set_denominator(d);
  v.set_reported(1);
  v.set_expected(1);
  v.set_communes_reported(communes_reported);
  v.set_communes_expected(communes_expected);
  v.set_status(status);
  return v;
}

v1::PushRequest MakePush(const std::string& child, int64_t revision,
                         std::vector<v1::ConsolidatedValue> values,
                         const std::string& period = "2026-03") {
  v1::PushRequest p;
  p.set_child(child);
  p.set_period(period);
  p.set_revision(revision);
  for (auto& v : values) *p.add_values() = std::move(v);
  return p;
}

// A ward's push of QD11-01 (a commune indicator: the ward is one commune).
v1::PushRequest WardPush(int64_t revision, int64_t n, int64_t d) {
  v1::PushRequest p = MakePush(
      "10525", revision,
      {RatioValue("QD11-01", n, d, 1, 1,
                  n == d ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET)});
  v1::ChildBreakdown* own = p.add_children();
  own->set_unit("10525");
  own->set_name("Phường Hải Dương");
  own->set_revision(revision);
  *own->add_values() = p.values(0);
  return p;
}

class PushTest : public EngineFixture {
 protected:
  // Builds and starts a node for `unit` with `children` (none: the defaults).
  Node* NewNode(const std::string& unit, v1::Role role,
                std::vector<v1::ChildConfig> children,
                bool has_parent = false) {
    v1::NodeConfig config;
    config.set_unit(unit);
    config.set_role(role);
    for (auto& c : children) *config.add_children() = std::move(c);
    return EngineFixture::NewNode(
        std::move(config), Holidays(),
        [has_parent](Engine::Options& o) { o.has_parent = has_parent; });
  }
  // City 31 with ward 10525 as a node, ward 10507 and 31.VP as units.
  Node* City(bool has_parent = false) {
    return NewNode("31", v1::ROLE_CITY,
                   {ChildOf("10525", v1::ChildConfig::KIND_NODE),
                    ChildOf("10507", v1::ChildConfig::KIND_UNIT),
                    ChildOf("31.VP", v1::ChildConfig::KIND_UNIT)},
                   has_parent);
  }

  static absl::StatusOr<v1::GetRollupResponse> Rollup(
      Node* n, const std::string& unit = "", bool breakdown = false,
      const std::string& period = "2026-03") {
    v1::GetRollupRequest r;
    r.set_period(period);
    r.set_unit(unit);
    r.set_breakdown(breakdown);
    return n->engine->GetRollup(r);
  }
  // Everything a query can see for 2026-03 (with each child node's drill-down)
  // and the audit length, as bytes, to compare states.
  static std::string State(Node* n) {
    std::string out;
    std::vector<std::string> units = {""};
    for (const Child& c : n->topology->children()) {
      if (c.kind == v1::ChildConfig::KIND_NODE) units.push_back(c.unit->code);
    }
    for (const std::string& unit : units) {
      auto r = Rollup(n, unit, true);
      EXPECT_TRUE(r.ok()) << r.status();
      if (r.ok()) out += r->SerializeAsString();
    }
    auto audit = n->db->Scan(keys::kAuditPrefix);
    EXPECT_TRUE(audit.ok()) << audit.status();
    if (audit.ok()) out += absl::StrCat(audit->size());
    return out;
  }
  static v1::ConsolidatedValue Cons(Node* n, const std::string& code,
                                    const std::string& period = "2026-03") {
    auto r = Rollup(n, "", false, period);
    EXPECT_TRUE(r.ok()) << r.status();
    const v1::ConsolidatedValue* v =
        r.ok() ? Find(r->report().values(), &v1::ConsolidatedValue::indicator,
                      code)
               : nullptr;
    if (v != nullptr) return *v;
    ADD_FAILURE() << "no consolidated value of " << code;
    return {};
  }
  static int64_t Revision(Node* n, const std::string& period = "2026-03") {
    auto r = Rollup(n, "", false, period);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->report().revision() : -1;
  }
  // The element of `xs` whose `key` is `k` (nullptr when none).
  template <typename T, typename Key>
  static const T* Find(const google::protobuf::RepeatedPtrField<T>& xs, Key key,
                       const std::string& k) {
    for (const T& x : xs) {
      if ((x.*key)() == k) return &x;
    }
    return nullptr;
  }
  static absl::Status Put(Node* n, const std::string& unit,
                          const std::string& key, const std::string& ind,
                          int64_t num, int64_t den) {
    v1::SubmitRequest r;
    r.set_unit(unit);
    r.set_period("2026-03");
    r.set_idempotency_key(key);
    v1::SubmittedValue* v = r.add_values();
    v->set_indicator(ind);
    v->mutable_ratio()->set_numerator(num);
    v->mutable_ratio()->set_denominator(den);
    return n->engine->SubmitAndWait(r).status();
  }
  // Expects `push` to be answered stale with `stored` as the parent's revision.
  // Also a barrier: a stale push goes through the writer queue like any other
  // operation, so every operation queued before it has been written.
  static void ExpectStale(Node* n, const v1::PushRequest& push,
                          int64_t stored) {
    auto r = n->engine->PushAndWait(push);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->stale()) << push.revision();
    EXPECT_EQ(r->stored_revision(), stored);
  }
};

TEST_F(PushTest, PushIsStoredAndConsolidatedWithUnitChildren) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "a", "QD11-01", 3, 4).ok());
  const int64_t before = Revision(city);

  v1::PushRequest push = WardPush(4, 45, 50);
  auto r = city->engine->PushAndWait(push);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->stale());
  EXPECT_EQ(r->stored_revision(), 4);
  EXPECT_EQ(Revision(city), before + 1);

  // Ratio of sums over the unit child and the child node: 48/54, not a mean.
  v1::ConsolidatedValue v = Cons(city, "QD11-01");
  EXPECT_EQ(R(v.value()), RatioPair(3 + 45, 4 + 50));
  EXPECT_EQ(v.reported(), 2);
  EXPECT_EQ(v.expected(), 2);
  EXPECT_EQ(v.communes_reported(), 2);
  EXPECT_EQ(v.communes_expected(), 2);
  EXPECT_EQ(v.status(), v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(v.children_met(), 0);
  EXPECT_EQ(v.children_judged(), 2);

  // QD11-06 (both): the node has not given it, so the ward counts its registry
  // commune.
  v1::ConsolidatedValue both = Cons(city, "QD11-06");
  EXPECT_FALSE(both.has_value());
  EXPECT_EQ(both.reported(), 0);
  EXPECT_EQ(both.expected(), 3);
  EXPECT_EQ(both.communes_expected(), 2);

  // The breakdown shows the node's pushed values and revision next to the
  // unit's.
  auto rollup = Rollup(city, "", true);
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  constexpr auto kUnit = &v1::ChildBreakdown::unit;
  constexpr auto kCode = &v1::ConsolidatedValue::indicator;
  const auto* ward = Find(rollup->children(), kUnit, "10525");
  ASSERT_NE(ward, nullptr);
  EXPECT_EQ(ward->revision(), 4);
  const auto* pushed = Find(ward->values(), kCode, "QD11-01");
  ASSERT_NE(pushed, nullptr);
  EXPECT_EQ(pushed->SerializeAsString(), push.values(0).SerializeAsString());
  const auto* unit = Find(rollup->children(), kUnit, "10507");
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(R(Find(unit->values(), kCode, "QD11-01")->value()),
            RatioPair(3, 4));
  ASSERT_NE(Find(rollup->children(), kUnit, "31.VP"), nullptr);
  EXPECT_EQ(Find(rollup->children(), kUnit, "31.VP")->revision(), 0);

  // Drill-down: the child node's report and its own breakdown, as pushed.
  auto drill = Rollup(city, "10525", true);
  ASSERT_TRUE(drill.ok()) << drill.status();
  EXPECT_EQ(drill->report().unit(), "10525");
  EXPECT_EQ(drill->report().revision(), 4);
  ASSERT_EQ(drill->children_size(), 1);
  EXPECT_EQ(drill->children(0).SerializeAsString(),
            push.children(0).SerializeAsString());
}

// A push without breakdown (a ward without offices) stores none, and one that
// follows a breakdown empties it: the drill-down always shows the newest
// push's, before and after a restart.
TEST_F(PushTest, ABreakdownIsStoredOnlyWhenThereIsOneOrWasOne) {
  Node* city = NewNode("31", v1::ROLE_CITY,
                       {ChildOf("10525", v1::ChildConfig::KIND_NODE),
                        ChildOf("10507", v1::ChildConfig::KIND_NODE)});
  ASSERT_NE(city, nullptr);
  auto drill_size = [&](const std::string& ward) {
    auto drill = Rollup(city, ward, true);
    EXPECT_TRUE(drill.ok()) << drill.status();
    return drill.ok() ? drill->children_size() : -1;
  };
  auto stored = [&](const std::string& ward) {
    return city->db->Get(keys::PushBreakdown("2026-03", ward)).status().code();
  };
  v1::PushRequest plain = WardPush(1, 4, 5);
  plain.set_child("10507");
  plain.clear_children();
  ASSERT_TRUE(city->engine->PushAndWait(plain).ok());
  EXPECT_EQ(stored("10507"), absl::StatusCode::kNotFound);
  EXPECT_EQ(drill_size("10507"), 0);

  ASSERT_TRUE(city->engine->PushAndWait(WardPush(1, 45, 50)).ok());
  EXPECT_EQ(drill_size("10525"), 1);
  v1::PushRequest without = WardPush(2, 46, 50);
  without.clear_children();
  ASSERT_TRUE(city->engine->PushAndWait(without).ok());
  EXPECT_EQ(stored("10525"), absl::StatusCode::kOk);  // emptied
  EXPECT_EQ(drill_size("10525"), 0);
  ASSERT_NO_FATAL_FAILURE(Restart(city));
  EXPECT_EQ(drill_size("10525"), 0);
  ASSERT_TRUE(city->engine->PushAndWait(WardPush(3, 47, 50)).ok());
  EXPECT_EQ(drill_size("10525"), 1);
  ASSERT_NO_FATAL_FAILURE(Restart(city));
  EXPECT_EQ(drill_size("10525"), 1);
  EXPECT_EQ(drill_size("10507"), 0);
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(4 + 47, 5 + 50));
}

TEST_F(PushTest, RealChildEngineDrillDown) {
  Node* ward = NewNode("10525", v1::ROLE_WARD,
                       {ChildOf("10525.VHXH", v1::ChildConfig::KIND_UNIT,
                                "Phòng Văn hóa - Xã hội")});
  Node* city = City();
  ASSERT_NE(ward, nullptr);
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(ward, "10525.VHXH", "a", "QD11-01", 40, 45).ok());
  ASSERT_TRUE(Put(ward, "10525", "b", "QD11-01", 5, 5).ok());
  ASSERT_TRUE(Put(ward, "10525", "c", "QD11-03X", 7, 10).ok());
  ASSERT_TRUE(Finalize(ward, "10525.VHXH", "2026-03", "chi.lan").ok());
  ASSERT_TRUE(Finalize(ward, "", "2026-03", "ong.binh").ok());
  auto push = ward->engine->BuildPush("2026-03");
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->child(), "10525");
  EXPECT_EQ(push->revision(), 5);  // three submissions, two finalisations
  EXPECT_EQ(push->finalized_by(), "ong.binh");
  ASSERT_TRUE(city->engine->PushAndWait(*push).ok());

  // The parent shows the ward's report and breakdown exactly as the ward does
  // (only the indicator lists differ: the city's plans are wider).
  auto mine = Rollup(ward, "", true);
  auto drill = Rollup(city, "10525", true);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_TRUE(drill.ok()) << drill.status();
  EXPECT_EQ(drill->children_size(), 2);  // the ward's own unit and its office
  mine->clear_indicators();
  drill->clear_indicators();
  EXPECT_EQ(drill->SerializeAsString(), mine->SerializeAsString());
  EXPECT_EQ(drill->report().finalized_by(), "ong.binh");  // who, carried up
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(45, 50));
  EXPECT_EQ(R(Cons(city, "QD11-03X").value()), RatioPair(7, 10));
  EXPECT_EQ(Cons(city, "QD11-03X").status(), v1::TARGET_STATUS_MET);
}

TEST_F(PushTest, IdempotentByRevision) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(city->engine->PushAndWait(WardPush(2, 20, 50)).ok());
  const int64_t revision = Revision(city);
  const std::string state = State(city);

  // The same revision again, even with other values: stale, nothing changes.
  for (const v1::PushRequest& same :
       {WardPush(2, 20, 50), WardPush(2, 30, 50)}) {
    ExpectStale(city, same, 2);
    EXPECT_EQ(Revision(city), revision);
    EXPECT_EQ(State(city), state);
  }

  // A newer revision replaces.
  auto newer = city->engine->PushAndWait(WardPush(5, 40, 50));
  ASSERT_TRUE(newer.ok()) << newer.status();
  EXPECT_FALSE(newer->stale());
  EXPECT_EQ(newer->stored_revision(), 5);
  EXPECT_EQ(Revision(city), revision + 1);
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(40, 50));

  // An older one arriving late (out of order): stale, the newer values stay.
  const std::string newest = State(city);
  for (int64_t old : {4, 3, 1}) ExpectStale(city, WardPush(old, 10, 50), 5);
  EXPECT_EQ(State(city), newest);
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(40, 50));
  EXPECT_EQ(Revision(city), revision + 1);
}

TEST_F(PushTest, RefusedPushChangesNothing) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "a", "QD11-01", 3, 4).ok());
  const std::string state = State(city);
  using Code = absl::StatusCode;

  // Not an expected child node: a unit child, a stranger ward, another city,
  // unknown.
  for (const char* child : {"10507", "10532", "92", "VN", "99999", ""}) {
    v1::PushRequest p = WardPush(1, 1, 2);
    p.set_child(child);
    auto r = city->engine->PushAndWait(p);
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition)
        << child << ": " << r.status();
    EXPECT_THAT(std::string(r.status().message()), HasSubstr("child"));
    EXPECT_EQ(State(city), state) << child;
  }

  // Malformed, from the right child.
  std::vector<v1::PushRequest> bad(5, WardPush(1, 1, 2));
  bad[0].set_period("2026-13");
  bad[1].set_revision(0);
  *bad[2].mutable_values(0) = RatioValue("QD11-01", 3, 2, 1, 1, {});
  *bad[3].add_values() = RatioValue("QD11-02", 1, 2, 0, 0, {});
  *bad[4].add_values() = RatioValue("HP-DIGEC", 1, 2, 0, 0, {});
  for (const v1::PushRequest& p : bad) {
    auto r = city->engine->PushAndWait(p);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument)
        << p.ShortDebugString() << ": " << r.status();
    EXPECT_EQ(State(city), state) << p.ShortDebugString();
  }

  // Nothing was kept of them: revision 1 is still new.
  auto first = city->engine->PushAndWait(WardPush(1, 1, 2));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->stale());
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(4, 6));
}

TEST_F(PushTest, ParentOwnOutbox) {
  // Without a parent, no outbox is written.
  Node* lone = City();
  ASSERT_NE(lone, nullptr);
  ASSERT_TRUE(lone->engine->PushAndWait(WardPush(1, 1, 2)).ok());
  EXPECT_TRUE(Outbox(lone).empty());
  EXPECT_EQ(lone->outbox_calls, 0);

  Node* city = City(/*has_parent=*/true);
  ASSERT_NE(city, nullptr);
  EXPECT_TRUE(Outbox(city).empty());
  ASSERT_TRUE(city->engine->PushAndWait(WardPush(1, 1, 2)).ok());
  using Entries = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Outbox(city), Entries({{"2026-03", Revision(city)}}));
  ExpectStale(city, WardPush(1, 1, 2),
              1);  // on_outbox runs after the push's answer
  EXPECT_EQ(city->outbox_calls, 1);

  ASSERT_TRUE(city->engine->PushAndWait(WardPush(2, 2, 2)).ok());
  const int64_t revision = Revision(city);
  EXPECT_EQ(Outbox(city), Entries({{"2026-03", revision}}));  // one per period
  ExpectStale(city, WardPush(2, 2, 2), 2);
  EXPECT_EQ(city->outbox_calls, 2);

  // What the uploader would send: the whole consolidation at that revision,
  // valid upward.
  auto up = city->engine->BuildPush("2026-03");
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(up->child(), "31");
  EXPECT_EQ(up->revision(), revision);
  auto valid = ValidatePush(*catalog_, *registry_, *registry_->Find("31"), *up);
  EXPECT_TRUE(valid.ok()) << valid.status();
  auto report = Rollup(city);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(up->values_size(), report->report().values_size());

  // Stale pushes changed no consolidation and wrote no entry.
  EXPECT_EQ(Revision(city), revision);
  EXPECT_EQ(city->outbox_calls, 2);

  // An acknowledgement of an older revision keeps the entry.
  city->engine->Delivered("2026-03", revision - 1);
  ExpectStale(city, WardPush(2, 2, 2), 2);
  EXPECT_EQ(Outbox(city), Entries({{"2026-03", revision}}));
  // A bad label is ignored.
  city->engine->Delivered("2026-13", revision);
  // The revision itself removes it.
  city->engine->Delivered("2026-03", revision);
  ExpectStale(city, WardPush(2, 2, 2), 2);
  EXPECT_TRUE(Outbox(city).empty());
  EXPECT_EQ(Revision(city), revision);  // no consolidation changed

  // Survives a restart: a new change writes a new entry, kept across the
  // restart.
  ASSERT_TRUE(city->engine->PushAndWait(WardPush(3, 1, 2)).ok());
  ASSERT_NO_FATAL_FAILURE(Restart(city));
  EXPECT_EQ(Outbox(city), Entries({{"2026-03", revision + 1}}));
}

TEST_F(PushTest, RestartReloadsStoredPushes) {
  Node* city = City();
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(Put(city, "10507", "a", "QD11-01", 3, 4).ok());
  ASSERT_TRUE(city->engine->PushAndWait(WardPush(3, 45, 50)).ok());
  const std::string state = State(city);
  const int64_t revision = Revision(city);

  ASSERT_NO_FATAL_FAILURE(Restart(city));
  EXPECT_EQ(State(city), state);
  for (int64_t old : {3, 2}) ExpectStale(city, WardPush(old, 1, 50), 3);
  EXPECT_EQ(State(city), state);

  // A unit's submission after the restart consolidates with the reloaded push.
  ASSERT_TRUE(Put(city, "10507", "b", "QD11-01", 4, 4).ok());
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(4 + 45, 4 + 50));
  EXPECT_EQ(Revision(city), revision + 1);
  ASSERT_NO_FATAL_FAILURE(Restart(city));
  auto newer = city->engine->PushAndWait(WardPush(4, 50, 50));
  ASSERT_TRUE(newer.ok()) << newer.status();
  EXPECT_FALSE(newer->stale());
  EXPECT_EQ(R(Cons(city, "QD11-01").value()), RatioPair(4 + 50, 4 + 50));
  EXPECT_EQ(Revision(city), revision + 2);
}

TEST_F(PushTest, CentralNodeConsolidatesCities) {
  Node* vn = NewNode("VN", v1::ROLE_CENTRAL,
                     {ChildOf("31", v1::ChildConfig::KIND_NODE),
                      ChildOf("92", v1::ChildConfig::KIND_NODE)});
  ASSERT_NE(vn, nullptr);
  const int communes_31 = static_cast<int>(registry_->CommunesOf("31").size());
  const int communes_92 = static_cast<int>(registry_->CommunesOf("92").size());
  ASSERT_GT(communes_31, 3);
  ASSERT_GT(communes_92, 0);

  // Nothing pushed: every city counts its registry communes.
  v1::ConsolidatedValue none = Cons(vn, "QD11-03X");
  EXPECT_EQ(none.communes_expected(), communes_31 + communes_92);
  EXPECT_EQ(none.expected(), 2);

  // Hải Phòng (configured with only 3 of its wards) pushes first: Cần Thơ,
  // which has not, still counts its registry communes.
  v1::ConsolidatedValue hp_5g =
      RatioValue("HP-5G", 90, 100, 3, 3, v1::TARGET_STATUS_MET);
  auto r = vn->engine->PushAndWait(MakePush(
      "31", 6,
      {RatioValue("QD11-03X", 9, 10, 2, 3, v1::TARGET_STATUS_MET), hp_5g}));
  ASSERT_TRUE(r.ok()) << r.status();
  v1::ConsolidatedValue v = Cons(vn, "QD11-03X");
  EXPECT_EQ(R(v.value()), RatioPair(9, 10));
  EXPECT_EQ(v.reported(), 1);
  EXPECT_EQ(v.expected(), 2);
  EXPECT_EQ(v.communes_reported(), 2);
  EXPECT_EQ(v.communes_expected(), 3 + communes_92);

  // Cần Thơ pushes. 9/10 and 61/100 give 70/110 = 63.64 % (not met), not the
  // mean 75.5 %; children_met counts the cities that met their own target.
  r = vn->engine->PushAndWait(
      MakePush("92", 2,
               {RatioValue("QD11-03X", 61, 100, 40, communes_92,
                           v1::TARGET_STATUS_NOT_MET)}));
  ASSERT_TRUE(r.ok()) << r.status();
  v = Cons(vn, "QD11-03X");
  EXPECT_EQ(R(v.value()), RatioPair(70, 110));
  EXPECT_EQ(v.status(), v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(v.reported(), 2);
  EXPECT_EQ(v.expected(), 2);
  EXPECT_EQ(v.children_met(), 1);
  EXPECT_EQ(v.children_judged(), 2);
  EXPECT_EQ(v.communes_reported(), 2 + 40);
  EXPECT_EQ(v.communes_expected(), 3 + communes_92);

  // A correction from Cần Thơ: 9/10 + 68/100 = 77/110 = 70 % exactly, met.
  r = vn->engine->PushAndWait(
      MakePush("92", 3,
               {RatioValue("QD11-03X", 68, 100, 41, communes_92,
                           v1::TARGET_STATUS_MET)}));
  ASSERT_TRUE(r.ok()) << r.status();
  v = Cons(vn, "QD11-03X");
  EXPECT_EQ(R(v.value()), RatioPair(77, 110));
  EXPECT_EQ(v.status(), v1::TARGET_STATUS_MET);
  EXPECT_EQ(v.children_met(), 2);
  EXPECT_EQ(v.communes_reported(), 2 + 41);

  // HP-5G is Hải Phòng's own: one city owes it, and it has no national target.
  v1::ConsolidatedValue five_g = Cons(vn, "HP-5G");
  EXPECT_EQ(R(five_g.value()), RatioPair(90, 100));
  EXPECT_EQ(five_g.expected(), 1);
  EXPECT_EQ(five_g.reported(), 1);
  EXPECT_EQ(five_g.status(), v1::TARGET_STATUS_NO_TARGET);
  EXPECT_EQ(five_g.children_met(), 1);
  EXPECT_EQ(five_g.children_judged(), 1);

  // Cần Thơ may not push Hải Phòng's indicator.
  const std::string state = State(vn);
  auto refused = vn->engine->PushAndWait(MakePush("92", 9, {hp_5g}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();
  EXPECT_EQ(State(vn), state);
}

// Pushes that arrive together are taken as one group, whose consolidated
// values are brought up to date in place (ApplyChange) rather than recomputed
// over every child. After rounds of pushes sent all at once (first reports,
// corrections, the same revision twice, older revisions late, 0/0, a figure
// left out), every consolidated value equals the full computation
// (ConsolidatePlan) over the newest push of each ward.
TEST_F(PushTest, PushesTakenTogetherConsolidateAsAFullRecompute) {
  const std::vector<const Unit*> communes = registry_->CommunesOf("31");
  ASSERT_GE(communes.size(), 40u);
  std::vector<v1::ChildConfig> children;
  for (size_t i = 0; i < 40; ++i)
    children.push_back(ChildOf(communes[i]->code, v1::ChildConfig::KIND_NODE));
  Node* city = NewNode("31", v1::ROLE_CITY, children);
  ASSERT_NE(city, nullptr);
  std::mt19937 rng(2026);
  std::map<std::string, v1::PushRequest> newest;  // accepted, by ward
  std::map<std::string, int64_t> revision;
  auto value = [&](const std::string& indicator) {
    const int64_t d = rng() % 30;  // 0/0 sometimes
    const int64_t n = d == 0 ? 0 : d - static_cast<int64_t>(rng() % (d + 1));
    return RatioValue(
        indicator, n, d, 1, 1,
        d == 0 ? v1::TARGET_STATUS_NO_DATA
               : (n == d ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET));
  };
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE(round);
    std::vector<v1::PushRequest> pushes;
    for (int i = 0; i < 60; ++i) {
      const std::string ward = children[rng() % children.size()].code();
      if (rng() % 8 == 0 && newest.count(ward)) {  // a re-delivery
        pushes.push_back(newest[ward]);
        continue;
      }
      std::vector<v1::ConsolidatedValue> values = {value("QD11-01")};
      if (rng() % 4 != 0) values.push_back(value("QD11-03X"));
      pushes.push_back(MakePush(ward, ++revision[ward], std::move(values)));
    }
    // An older revision arriving after a newer one changes nothing.
    std::shuffle(pushes.begin(), pushes.end(), rng);
    absl::BlockingCounter done(static_cast<int>(pushes.size()));
    std::vector<absl::StatusOr<v1::PushResponse>> results(pushes.size());
    for (size_t i = 0; i < pushes.size(); ++i) {
      city->engine->Push(pushes[i], [&, i](absl::StatusOr<v1::PushResponse> r) {
        results[i] = std::move(r);
        done.DecrementCount();
      });
    }
    done.Wait();
    for (size_t i = 0; i < pushes.size(); ++i) {
      ASSERT_TRUE(results[i].ok()) << results[i].status();
      const v1::PushRequest& p = pushes[i];
      if (!results[i]->stale() &&
          (!newest.count(p.child()) ||
           newest[p.child()].revision() < p.revision())) {
        newest[p.child()] = p;
      }
    }
    ContributionMap contributions;
    for (const auto& [ward, p] : newest) {
      for (const v1::ConsolidatedValue& v : p.values())
        contributions[ward][v.indicator()] = v;
    }
    auto rollup = Rollup(city);
    ASSERT_TRUE(rollup.ok()) << rollup.status();
    const Period period = *ParsePeriod("2026-03");
    for (const IndicatorPlan& plan :
         city->topology->Plans(period.frequency())) {
      auto full = ConsolidatePlan(*city->topology, period, plan, contributions);
      ASSERT_TRUE(full.ok()) << full.status();
      const v1::ConsolidatedValue* kept =
          Find(rollup->report().values(), &v1::ConsolidatedValue::indicator,
               plan.indicator->code());
      ASSERT_NE(kept, nullptr) << plan.indicator->code();
      EXPECT_TRUE(
          google::protobuf::util::MessageDifferencer::Equals(*kept, *full))
          << "kept: " << kept->ShortDebugString()
          << "\nfull: " << full->ShortDebugString();
    }
  }
}

}  // namespace
}  // namespace tonghop
