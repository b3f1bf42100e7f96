#include "libs/engine/engine.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/catalog/validate.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::Hanoi;
using ::tonghop::testing::R;
using ::tonghop::testing::RatioPair;
using ::tonghop::testing::TestNode;
using ::tonghop::testing::ToTime;

// Who owes what, from the reference README, independently of the catalog's
// code.
bool InScope31(const v1::Indicator& ind) {
  return ind.scopes().empty() ||
         std::find(ind.scopes().begin(), ind.scopes().end(), "31") !=
             ind.scopes().end();
}
bool CommuneOwes(const v1::Indicator& ind) {
  return InScope31(ind) && (ind.reported_by() == v1::REPORTED_BY_COMMUNE ||
                            ind.reported_by() == v1::REPORTED_BY_BOTH);
}
bool DepartmentOwes(const v1::Indicator& ind, const std::string& short_code) {
  return InScope31(ind) &&
         (ind.reported_by() == v1::REPORTED_BY_DEPARTMENT ||
          ind.reported_by() == v1::REPORTED_BY_BOTH) &&
         ind.responsible_code() == short_code;
}

// A submission of one ratio for 2026-03.
v1::SubmitRequest RatioRequest(const std::string& unit, const std::string& key,
                               const std::string& ind, int64_t n, int64_t d) {
  v1::SubmitRequest r;
  r.set_unit(unit);
  r.set_period("2026-03");
  r.set_idempotency_key(key);
  r.set_actor("cán bộ thử nghiệm");
  v1::SubmittedValue* v = r.add_values();
  v->set_indicator(ind);
  v->mutable_ratio()->set_numerator(n);
  v->mutable_ratio()->set_denominator(d);
  return r;
}

// One city node (31, the default children), started at SetUp. Its ticker
// stays out of these tests (an hour between checks): a test that moves the
// clock past a period's automatic finalisation would otherwise see a revision
// appear at a random moment (the calendar tests cover the ticker).
class EngineTest : public EngineFixture {
 protected:
  EngineTest() : EngineFixture(absl::Hours(1)) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(EngineFixture::SetUp());
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    node_ = NewNode(config);
    ASSERT_NE(node_, nullptr);
  }

  absl::StatusOr<v1::GetRollupResponse> Rollup(const std::string& period,
                                               const std::string& unit = "",
                                               bool breakdown = false) {
    v1::GetRollupRequest r;
    r.set_period(period);
    r.set_unit(unit);
    r.set_breakdown(breakdown);
    return node_->engine->GetRollup(r);
  }
  // Closes the node and opens it again with `codes` as its (unit) children,
  // as after an operator changed its config.
  void ReopenWithChildren(const std::vector<const char*>& codes) {
    v1::NodeConfig config = node_->config;
    config.clear_children();
    for (const char* code : codes)
      *config.add_children() =
          ::tonghop::testing::ChildOf(code, v1::ChildConfig::KIND_UNIT);
    Close(node_);
    auto topology = Topology::Build(config, registry_.get(), catalog_.get());
    ASSERT_TRUE(topology.ok()) << topology.status();
    node_->topology = *std::move(topology);
    node_->options.topology = node_->topology.get();
    ASSERT_TRUE(Open(node_));
  }
  // The whole answer for 2026-03 with breakdown, as bytes, to compare states.
  std::string State() {
    auto r = Rollup("2026-03", "", true);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->SerializeAsString() : "";
  }
  // The audit sequences in key order, checking each key matches its entry.
  std::vector<int64_t> AuditSequences() {
    std::vector<int64_t> out;
    auto rows = node_->db->Scan(keys::kAuditPrefix);
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok()) return out;
    for (const auto& [key, bytes] : *rows) {
      v1::AuditEntry entry;
      EXPECT_TRUE(entry.ParseFromString(bytes)) << key;
      EXPECT_EQ(key, keys::Audit(entry.sequence()));
      out.push_back(entry.sequence());
    }
    return out;
  }
  static std::vector<int64_t> OneTo(int64_t n) {
    std::vector<int64_t> out;
    for (int64_t i = 1; i <= n; ++i) out.push_back(i);
    return out;
  }

  // This node's consolidated value of `code` (empty, with a failure, when
  // absent).
  v1::ConsolidatedValue Cons(const std::string& code,
                             const std::string& period = "2026-03") {
    auto r = Rollup(period);
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok()) {
      for (const v1::ConsolidatedValue& v : r->report().values()) {
        if (v.indicator() == code) return v;
      }
    }
    ADD_FAILURE() << "no consolidated value of " << code;
    return {};
  }
  int64_t Revision(const std::string& unit = "") {
    auto r = Rollup("2026-03", unit);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->report().revision() : -1;
  }
  absl::StatusOr<v1::SubmitResponse> Put(const std::string& unit,
                                         const std::string& key,
                                         const std::string& ind, int64_t n,
                                         int64_t d) {
    return node_->engine->SubmitAndWait(RatioRequest(unit, key, ind, n, d));
  }

  TestNode* node_ = nullptr;
};

TEST_F(EngineTest, APeriodBeforeTheUnitsExistedIsRefused) {
  for (const char* period : {"2019-03", "2016-12", "2025-06"}) {
    SCOPED_TRACE(period);
    v1::SubmitRequest r = RatioRequest("10525", period, "QD11-01", 1, 2);
    r.set_period(period);
    auto s = node_->engine->SubmitAndWait(r);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.status().message(),
                HasSubstr(absl::StrCat("period: ", period,
                                       " ended before 2025-07-01")));
  }
  EXPECT_TRUE(AuditSequences().empty());  // nothing was stored
  // The first month of the new units is taken (its data window ends on 14
  // July 2025).
  for (const char* period : {"2025-07"}) {
    SCOPED_TRACE(period);
    v1::SubmitRequest r = RatioRequest("10525", period, "QD11-01", 1, 2);
    r.set_period(period);
    auto s = node_->engine->SubmitAndWait(r);
    EXPECT_TRUE(s.ok()) << s.status();
  }
}

TEST_F(EngineTest, SubmitHappyPath) {
  v1::SubmitRequest req = RatioRequest("10507", "k1", "QD11-01", 45, 50);
  req.mutable_values(0)->set_note("thiếu 5 chữ ký số");
  auto resp = node_->engine->SubmitAndWait(req);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->revision(), 1);
  EXPECT_FALSE(resp->replayed());
  EXPECT_EQ(ToTime(resp->received_time()), clock_->Now());
  ASSERT_EQ(resp->changes_size(), 1);
  EXPECT_EQ(resp->changes(0).indicator(), "QD11-01");
  EXPECT_FALSE(resp->changes(0).has_old_value());
  EXPECT_EQ(R(resp->changes(0).new_value()), RatioPair(45, 50));

  auto rollup = Rollup("2026-03");
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  EXPECT_EQ(rollup->report().unit(), "31");
  EXPECT_EQ(rollup->report().revision(), 1);
  EXPECT_EQ(ToTime(rollup->report().updated_time()), clock_->Now());
  v1::ConsolidatedValue v = Cons("QD11-01");
  EXPECT_EQ(R(v.value()), RatioPair(45, 50));
  EXPECT_EQ(v.reported(), 1);
  EXPECT_EQ(v.expected(), 114);
  EXPECT_EQ(v.communes_reported(), 1);
  EXPECT_EQ(v.communes_expected(), 114);
  EXPECT_EQ(v.status(), v1::TARGET_STATUS_NOT_MET);

  // A correction: a new revision, the old value in the change.
  ASSERT_TRUE(clock_->Advance(absl::Hours(2)).ok());
  auto second = Put("10507", "k2", "QD11-01", 50, 50);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  EXPECT_EQ(ToTime(second->received_time()), clock_->Now());
  ASSERT_EQ(second->changes_size(), 1);
  EXPECT_EQ(R(second->changes(0).old_value()), RatioPair(45, 50));
  EXPECT_EQ(R(second->changes(0).new_value()), RatioPair(50, 50));
  EXPECT_EQ(Revision(), 2);
  v = Cons("QD11-01");
  EXPECT_EQ(R(v.value()), RatioPair(50, 50));
  EXPECT_EQ(v.status(), v1::TARGET_STATUS_MET);
  EXPECT_EQ(AuditSequences(), OneTo(2));
}

TEST_F(EngineTest, TheSameFiguresAgainMakeNoRevisionAndNoLateCorrection) {
  ASSERT_TRUE(Put("10507", "k1", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Finalize(node_, "10507").ok());
  // After the deadline, the same figures from another file (another key).
  At(Hanoi(2026, 3, 25, 9, 0));
  const std::string before = State();
  auto again = Put("10507", "k2", "QD11-01", 45, 50);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision(), 1);
  EXPECT_EQ(again->changes_size(), 0);
  EXPECT_EQ(State(), before);  // no revision, no late_revision_time
  // The key is kept (a retry answers alike), the audit says what happened.
  auto retry = Put("10507", "k2", "QD11-01", 45, 50);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed());
  EXPECT_EQ(retry->revision(), 1);
  EXPECT_EQ(AuditSequences(), OneTo(3));  // submit, finalise, no change
  // A real change after the deadline is a late revision.
  auto late = Put("10507", "k3", "QD11-01", 46, 50);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->revision(), 2);
  auto status = Status(node_);
  for (const v1::UnitStatus& u : status.children()) {
    if (u.unit() == "10507") {
      EXPECT_TRUE(u.has_late_revision_time());
    }
  }
}

// Clearing figures never sent stores nothing; a report with no figure is never
// finalised (it would count as reported on time).
TEST_F(EngineTest, AReportWithNoFigureIsNeitherStoredNorFinalised) {
  v1::SubmitRequest clear = RatioRequest("10507", "c1", "QD11-01", 0, 0);
  clear.mutable_values(0)->clear_ratio();
  clear.mutable_values(0)->set_clear(true);
  const std::string before = State();
  auto refused = node_->engine->SubmitAndWait(clear);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("values: nothing to store"));
  EXPECT_EQ(State(), before);
  EXPECT_TRUE(AuditSequences().empty());
  EXPECT_EQ(Finalize(node_, "10507").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Finalize(node_, "").status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Sent, then every figure cleared: a revision, but nothing to finalise.
  ASSERT_TRUE(Put("10507", "k1", "QD11-01", 45, 50).ok());
  clear.set_idempotency_key("c2");
  auto cleared = node_->engine->SubmitAndWait(clear);
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_EQ(cleared->revision(), 2);
  auto empty = Finalize(node_, "10507");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(empty.status().message(), HasSubstr("holds no figure"));
  const v1::StatusReport status = Status(node_);
  for (const v1::UnitStatus& u : status.children()) {
    if (u.unit() == "10507") {
      EXPECT_EQ(u.state(), v1::REPORT_STATE_PROVISIONAL);
    }
  }
}

// Who finalised a unit's report shows wherever the report does.
TEST_F(EngineTest, WhoFinalisedShowsInTheUnitsRollupAndTheBreakdown) {
  ASSERT_TRUE(Put("10507", "k1", "QD11-01", 45, 50).ok());
  ASSERT_TRUE(Finalize(node_, "10507", "2026-03", "chi.lan").ok());
  auto unit = Rollup("2026-03", "10507");
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(unit->report().finalized_by(), "chi.lan");
  auto city = Rollup("2026-03", "", true);
  ASSERT_TRUE(city.ok()) << city.status();
  bool found = false;
  for (const v1::ChildBreakdown& b : city->children()) {
    if (b.unit() != "10507") continue;
    found = true;
    EXPECT_EQ(b.finalized_by(), "chi.lan");
  }
  EXPECT_TRUE(found);
}

// A child that has sent nothing has no revision and no update time (never
// the epoch).
TEST_F(EngineTest, AChildWithNothingHasNoUpdateTime) {
  auto unit = Rollup("2026-03", "10532");
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(unit->report().revision(), 0);
  EXPECT_FALSE(unit->report().has_updated_time());
  ASSERT_TRUE(Put("10532", "k1", "QD11-01", 4, 5).ok());
  unit = Rollup("2026-03", "10532");
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_TRUE(unit->report().has_updated_time());
}

// A period whose data window has not opened is refused: a month ahead, or a
// typo of the year (2999 would be due in 2999 and auto-finalised late).
TEST_F(EngineTest, APeriodThatHasNotBegunIsRefused) {
  for (const std::string period : {"2026-04", "2027-03", "2999-12"}) {
    v1::SubmitRequest ahead =
        RatioRequest("10507", "ahead-" + period, "QD11-01", 3, 4);
    ahead.set_period(period);
    auto r = node_->engine->SubmitAndWait(ahead);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << period;
    EXPECT_THAT(std::string(r.status().message()),
                HasSubstr("period: " + period + " has not begun"))
        << r.status();
  }
  v1::GetStatusRequest april;
  april.set_period("2026-04");
  auto status = node_->engine->GetStatus(april);
  ASSERT_TRUE(status.ok()) << status.status();
  for (const auto& child : status->children())
    EXPECT_EQ(child.revision(), 0) << child.unit();
  // The open month and the year under way are taken.
  EXPECT_TRUE(node_->engine
                  ->SubmitAndWait(RatioRequest("10507", "now", "QD11-01", 3, 4))
                  .ok());
}

// The writer keeps only recent periods in memory; one it dropped is read back
// from the store whole when written to again.
TEST_F(EngineTest, APeriodDroppedFromMemoryContinuesFromTheStore) {
  // From July 2025, the first month of the units.
  auto month = [](int i) {
    return absl::StrFormat("%04d-%02d", 2025 + (i + 6) / 12, (i + 6) % 12 + 1);
  };
  constexpr int kMonths = 30;  // more than the writer keeps
  At(Hanoi(2028, 1, 10));      // every month's window is open
  for (int i = 0; i < kMonths; ++i) {
    v1::SubmitRequest a =
        RatioRequest("10507", "a" + month(i), "QD11-01", 3, 4);
    a.set_period(month(i));
    v1::SubmitRequest b =
        RatioRequest("10525", "b" + month(i), "QD11-01", 5, 6);
    b.set_period(month(i));
    ASSERT_TRUE(node_->engine->SubmitAndWait(a).ok()) << month(i);
    ASSERT_TRUE(node_->engine->SubmitAndWait(b).ok()) << month(i);
  }
  // The first month, long out of memory: a revision of one ward.
  v1::SubmitRequest again = RatioRequest("10507", "again", "QD11-01", 1, 4);
  again.set_period(month(0));
  auto revised = node_->engine->SubmitAndWait(again);
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->revision(), 2);
  auto first = Rollup(month(0));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->report().revision(), 3);  // two submissions, one revision
  bool found = false;
  for (const auto& v : first->report().values()) {
    if (v.indicator() != "QD11-01") continue;
    found = true;
    EXPECT_EQ(R(v.value()), RatioPair(1 + 5, 4 + 6));
    EXPECT_EQ(v.reported(), 2);
  }
  EXPECT_TRUE(found);
}

TEST_F(EngineTest, ConcurrentSubmittersForDifferentWards) {
  constexpr int kRounds = 30;
  const std::vector<std::string> wards = {"10507", "10525", "10532"};
  auto value = [](size_t w, int i) {
    int64_t d = 100 + 10 * static_cast<int64_t>(w) + i;
    return RatioPair(static_cast<int64_t>(i * (w + 1)) % d, d);
  };
  std::vector<std::thread> threads;
  for (size_t w = 0; w < wards.size(); ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kRounds; ++i) {
        auto [n, d] = value(w, i);
        auto r = Put(wards[w], absl::StrCat("t", w, "-", i), "QD11-01", n, d);
        EXPECT_TRUE(r.ok()) << r.status();
        EXPECT_EQ(r.ok() ? r->revision() : -1, i + 1);
      }
    });
  }
  for (std::thread& t : threads) t.join();

  RatioPair sum(0, 0);
  for (size_t w = 0; w < wards.size(); ++w) {
    RatioPair last = value(w, kRounds - 1);
    sum.first += last.first;
    sum.second += last.second;
  }
  v1::ConsolidatedValue v = Cons("QD11-01");
  EXPECT_EQ(R(v.value()), sum);
  EXPECT_EQ(v.reported(), 3);
  EXPECT_GE(Revision(), 1);
  EXPECT_LE(Revision(), 3 * kRounds);
  for (const std::string& w : wards) EXPECT_EQ(Revision(w), kRounds) << w;
  EXPECT_EQ(AuditSequences(), OneTo(3 * kRounds));
}

TEST_F(EngineTest, ReusedIdempotencyKey) {
  auto first = Put("10507", "key-1", "QD11-01", 3, 4);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string before = State();
  ASSERT_TRUE(clock_->Advance(absl::Minutes(5)).ok());

  auto again = Put("10507", "key-1", "QD11-01", 3, 4);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed());
  EXPECT_EQ(again->revision(), first->revision());
  EXPECT_EQ(ToTime(again->received_time()), ToTime(first->received_time()));
  ASSERT_EQ(again->changes_size(), first->changes_size());
  EXPECT_EQ(again->changes(0).SerializeAsString(),
            first->changes(0).SerializeAsString());
  EXPECT_EQ(State(), before);

  auto other = Put("10507", "key-1", "QD11-01", 4, 4);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists)
      << other.status();
  EXPECT_THAT(other.status().message(), HasSubstr("idempotency_key"));
  EXPECT_EQ(State(), before);
  EXPECT_EQ(AuditSequences(), OneTo(1));
}

TEST_F(EngineTest, RefusedSubmissionChangesNothing) {
  ASSERT_TRUE(Put("10507", "ok", "QD11-01", 3, 4).ok());
  const std::string before = State();
  const std::string can_tho = registry_->CommunesOf("92").at(0)->code;
  using Code = absl::StatusCode;
  std::vector<std::pair<v1::SubmitRequest, Code>> cases = {
      {RatioRequest("10507", "a", "QD11-01", 5, 4), Code::kInvalidArgument},
      {RatioRequest("10507", "", "QD11-01", 1, 4), Code::kInvalidArgument},
      {RatioRequest("10507", "b", "NO-SUCH", 1, 4), Code::kNotFound},
      {RatioRequest("10507", "c", "QD11-02", 1, 4), Code::kFailedPrecondition},
      {RatioRequest(can_tho, "d", "QD11-01", 1, 4), Code::kFailedPrecondition},
      {RatioRequest("31.STC", "e", "HP-DIGEC", 1, 4),
       Code::kFailedPrecondition},
      {RatioRequest("99999", "f", "QD11-01", 1, 4), Code::kNotFound},
  };
  cases.push_back(cases[0]);
  cases.back().first.set_period("2026-13");
  cases.back().first.mutable_values(0)->mutable_ratio()->set_numerator(1);
  for (const auto& [request, code] : cases) {
    auto r = node_->engine->SubmitAndWait(request);
    EXPECT_EQ(r.status().code(), code)
        << request.ShortDebugString() << ": " << r.status();
    EXPECT_EQ(State(), before) << request.ShortDebugString();
  }
  EXPECT_EQ(AuditSequences(), OneTo(1));
  auto next = Put("10507", "next", "QD11-01", 4, 4);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->revision(), 2);
}

TEST_F(EngineTest, RestartKeepsReportsAndContinuesRevisionsAndAudit) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 3, 4).ok());
  ASSERT_TRUE(Put("10525", "b", "QD11-01", 5, 6).ok());
  ASSERT_TRUE(Put("31.VP", "c", "QD11-02", 7, 8).ok());
  const std::string before = State();
  const int64_t revision = Revision();
  EXPECT_EQ(revision, 3);

  ASSERT_NO_FATAL_FAILURE(Restart(node_));
  EXPECT_EQ(State(), before);
  EXPECT_EQ(AuditSequences(), OneTo(3));
  auto replay = Put("10525", "b", "QD11-01", 5, 6);  // keys survive too
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_TRUE(replay->replayed());
  EXPECT_EQ(State(), before);

  ASSERT_TRUE(clock_->Advance(absl::Hours(1)).ok());
  auto again = Put("10507", "d", "QD11-01", 4, 4);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision(), 2);  // the unit report's revision continues
  EXPECT_EQ(Revision(), revision + 1);
  EXPECT_EQ(R(Cons("QD11-01").value()), RatioPair(4 + 5, 4 + 6));
  EXPECT_EQ(R(Cons("QD11-02").value()), RatioPair(7, 8));

  ASSERT_NO_FATAL_FAILURE(Restart(node_));
  auto third = Put("10525", "e", "QD11-01", 6, 6);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->revision(), 2);
  EXPECT_EQ(Revision(), revision + 2);
  EXPECT_EQ(R(Cons("QD11-01").value()), RatioPair(4 + 6, 4 + 6));
  EXPECT_EQ(AuditSequences(), OneTo(5));
}

// The operator changes the children (a ward merged away, another added): the
// next start recomputes the stored periods over the configured children, as
// a new revision that the parent receives; a start with an unchanged config
// changes nothing.
TEST_F(EngineTest, AChangedChildListIsConsolidatedAnewAtTheNextStart) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 3, 4).ok());
  ASSERT_TRUE(Put("10525", "b", "QD11-01", 5, 6).ok());
  EXPECT_EQ(R(Cons("QD11-01").value()), RatioPair(3 + 5, 4 + 6));
  const int64_t revision = Revision();
  const std::string unchanged = State();
  ASSERT_NO_FATAL_FAILURE(Restart(node_));
  EXPECT_EQ(State(), unchanged);

  ASSERT_NO_FATAL_FAILURE(ReopenWithChildren({"10507", "10532"}));
  ASSERT_TRUE(
      ::tonghop::testing::WaitFor([&] { return Revision() == revision + 1; }));
  v1::ConsolidatedValue q1 = Cons("QD11-01");
  EXPECT_EQ(R(q1.value()), RatioPair(3, 4));  // 10525 is no longer a child
  EXPECT_EQ(q1.reported(), 1);
  EXPECT_EQ(q1.expected(), 2);  // 10507 and the new 10532
  // The figures that come next add to the recomputed total.
  ASSERT_TRUE(Put("10532", "c", "QD11-01", 1, 2).ok());
  EXPECT_EQ(R(Cons("QD11-01").value()), RatioPair(3 + 1, 4 + 2));

  // Started again on the same config: nothing to recompute, no revision.
  const std::string now = State();
  ASSERT_NO_FATAL_FAILURE(Restart(node_));
  EXPECT_EQ(State(), now);
  EXPECT_EQ(Revision(), revision + 2);
}

// A child that never reported, dropped from (or added to) the config after
// the node finalised: the counts of who owes move, the figures do not, so
// the new revision is no late change (its parent sees the same
// figures_revision and agrees).
TEST_F(EngineTest, AChangedChildListWithTheSameFiguresIsNoLateChange) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 3, 4).ok());
  ASSERT_TRUE(Finalize(node_, "", "2026-03").ok());
  auto before = Rollup("2026-03");
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_TRUE(before->report().has_finalized_time());

  ASSERT_NO_FATAL_FAILURE(ReopenWithChildren({"10507"}));
  const int64_t revision = before->report().revision();
  ASSERT_TRUE(
      ::tonghop::testing::WaitFor([&] { return Revision() == revision + 1; }));
  auto after = Rollup("2026-03");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(Cons("QD11-01").expected(), 1);
  EXPECT_EQ(R(Cons("QD11-01").value()), RatioPair(3, 4));
  EXPECT_EQ(after->report().figures_revision(),
            before->report().figures_revision());
  EXPECT_FALSE(after->report().has_late_revision_time());
}

// A node down over its automatic finalisation whose report changed since in
// state only (here a note; as well a child's finalisation arriving) finalises
// as of the scheduled instant: its figures stood as they were.
TEST_F(EngineTest, ACaughtUpFinalisationLooksAtTheFiguresOnly) {
  v1::SubmitRequest noted = RatioRequest("10507", "k1", "QD11-01", 45, 50);
  noted.mutable_values(0)->set_note("số liệu tháng 3");
  ASSERT_TRUE(node_->engine->SubmitAndWait(noted).ok());
  At(Hanoi(2026, 4, 1, 9, 0));  // past the automatic finalisation (24/03)
  noted.set_idempotency_key("k2");
  noted.mutable_values(0)->set_note("số liệu tháng 3, đã rà soát");
  ASSERT_TRUE(node_->engine->SubmitAndWait(noted).ok());
  auto before = Rollup("2026-03");
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_FALSE(before->report().has_finalized_time());
  // The ticker runs (this fixture's ticks an hour apart: reopened with short
  // ones).
  Close(node_);
  node_->options.tick = absl::Milliseconds(10);
  ASSERT_TRUE(Open(node_));
  ASSERT_TRUE(::tonghop::testing::WaitFor([&] {
    auto r = Rollup("2026-03");
    return r.ok() && r->report().has_finalized_time();
  }));
  auto after = Rollup("2026-03");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(ToTime(after->report().finalized_time()), Hanoi(2026, 3, 24));
  EXPECT_EQ(after->report().finalized_by(), "auto");
}

// A config copied from another node, or a folder copied from one, must not
// serve (and push up) that unit's figures as this unit's.
TEST_F(EngineTest, AFolderHoldingAnotherUnitsDataIsRefused) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 3, 4).ok());
  Close(node_);
  v1::NodeConfig other;
  other.set_unit("92");
  other.set_role(v1::ROLE_CITY);
  auto topology = Topology::Build(other, registry_.get(), catalog_.get());
  ASSERT_TRUE(topology.ok()) << topology.status();
  auto start_as_92 = [&]() -> absl::Status {
    auto db = Db::Open(node_->dir);
    if (!db.ok()) return db.status();
    Engine::Options options = node_->options;
    options.topology = topology->get();
    options.db = db->get();
    return Engine::Start(options).status();
  };
  absl::Status refused = start_as_92();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_THAT(refused.message(),
              HasSubstr("data_dir: the folder holds the data of unit 31, not "
                        "of unit 92"));
  // A folder from before the unit was recorded: its consolidations tell.
  {
    auto db = Db::Open(node_->dir);
    ASSERT_TRUE(db.ok()) << db.status();
    Batch batch;
    batch.Delete(keys::Meta("unit"));
    ASSERT_TRUE((*db)->Write(batch, /*sync=*/true).ok());
  }
  refused = start_as_92();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  // Its own unit still starts on it, with nothing changed.
  ASSERT_TRUE(Open(node_));
  EXPECT_EQ(R(Cons("QD11-01").value()), RatioPair(3, 4));
}

TEST_F(EngineTest, ValuesAboveTheLargestReportableAreRefusedAndChangeNothing) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 1, 2).ok());
  const std::string before = State();
  auto big = Put("10525", "b", "QD11-01", 0, kMaxSubmittedValue + 1);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kInvalidArgument)
      << big.status();
  EXPECT_THAT(big.status().message(), HasSubstr("(QD11-01).denominator"));
  EXPECT_EQ(State(), before);
  EXPECT_EQ(AuditSequences(), OneTo(1));
  // The refused submission left no trace: the ward's next report is revision 1.
  auto other = Put("10525", "c", "QD11-03X", 1, 2);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->revision(), 1);
}

TEST_F(EngineTest, EveryCommuneAtTheLargestValueSumsExactly) {
  const std::vector<const Unit*> communes = registry_->CommunesOf("31");
  for (size_t i = 0; i < communes.size(); ++i) {
    ASSERT_TRUE(Put(communes[i]->code, absl::StrCat("max", i), "QD11-01",
                    kMaxSubmittedValue - 1, kMaxSubmittedValue)
                    .ok());
  }
  const int64_t n = static_cast<int64_t>(communes.size());
  EXPECT_EQ(R(Cons("QD11-01").value()),
            RatioPair(n * (kMaxSubmittedValue - 1), n * kMaxSubmittedValue));
  EXPECT_EQ(Cons("QD11-01").reported(), n);
}

TEST_F(EngineTest, GetRollupErrors) {
  using Code = absl::StatusCode;
  EXPECT_EQ(Rollup("2026-13").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Rollup("").status().code(), Code::kInvalidArgument);
  auto unknown = Rollup("2026-03", "99999");
  EXPECT_EQ(unknown.status().code(), Code::kNotFound) << unknown.status();
  EXPECT_THAT(unknown.status().message(), HasSubstr("unit"));
  const std::string can_tho = registry_->CommunesOf("92").at(0)->code;
  for (const std::string& outside :
       {can_tho, std::string("92"), std::string("VN")}) {
    auto r = Rollup("2026-03", outside);
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition)
        << outside << ": " << r.status();
  }
}

TEST_F(EngineTest, SeriesGivesEachPeriodsReportOldestFirst) {
  At(Hanoi(2026, 6, 10));  // January to May are open
  // QD11-01 from two wards in January, February and April (not March).
  for (int month : {1, 2, 4}) {
    const std::string period = absl::StrFormat("2026-%02d", month);
    v1::SubmitRequest a =
        RatioRequest("10507", "a" + period, "QD11-01", month, 10);
    a.set_period(period);
    v1::SubmitRequest b = RatioRequest("10525", "b" + period, "QD11-01", 3, 5);
    b.set_period(period);
    ASSERT_TRUE(node_->engine->SubmitAndWait(a).ok()) << period;
    ASSERT_TRUE(node_->engine->SubmitAndWait(b).ok()) << period;
  }
  v1::GetSeriesRequest request;
  request.set_first_period("2026-01");
  request.set_last_period("2026-05");
  auto series = node_->engine->GetSeries(request);
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->reports_size(), 5);
  EXPECT_FALSE(series->indicators().empty());
  for (int i = 0; i < 5; ++i) {
    const v1::ConsolidatedReport& report = series->reports(i);
    const std::string period = absl::StrFormat("2026-%02d", i + 1);
    EXPECT_EQ(report.period(), period);
    EXPECT_EQ(report.unit(), "31");
    // Each is the period's GetRollup report, to the byte.
    auto one = Rollup(period);
    ASSERT_TRUE(one.ok()) << one.status();
    EXPECT_EQ(report.SerializeAsString(), one->report().SerializeAsString())
        << period;
    for (const v1::ConsolidatedValue& v : report.values()) {
      if (v.indicator() != "QD11-01") continue;
      const int month = i + 1;
      if (month == 1 || month == 2 || month == 4) {
        EXPECT_EQ(R(v.value()), RatioPair(month + 3, 15)) << period;
        EXPECT_EQ(v.reported(), 2) << period;
      } else {
        EXPECT_FALSE(v.value().has_ratio()) << period;
        EXPECT_EQ(v.reported(), 0) << period;
      }
    }
  }
  // A child's series: its own reports.
  request.set_unit("10507");
  auto child = node_->engine->GetSeries(request);
  ASSERT_TRUE(child.ok()) << child.status();
  ASSERT_EQ(child->reports_size(), 5);
  EXPECT_EQ(child->reports(3).unit(), "10507");
  EXPECT_EQ(child->reports(3).period(), "2026-04");
}

TEST_F(EngineTest, SeriesErrorsNameTheField) {
  auto series = [&](const std::string& first, const std::string& last,
                    const std::string& unit = "") {
    v1::GetSeriesRequest r;
    r.set_first_period(first);
    r.set_last_period(last);
    r.set_unit(unit);
    return node_->engine->GetSeries(r).status();
  };
  using Code = absl::StatusCode;
  for (const auto& [first, last, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "2026-03", "first_period: required"},
           {"2026-03", "", "last_period: required"},
           {"2026-13", "2026-03", "first_period: period '2026-13'"},
           {"2026-01", "2026-Q1", "last_period: 2026-Q1 is not of the kind"},
           {"2026-03", "2026-01",
            "last_period: 2026-01 is before first_period"},
           {"2025-12", "2025-11",
            "last_period: 2025-11 is before first_period"},
           {"2016-01", "2026-01",
            "last_period: 2026-01: 2016-01..2026-01 holds more than 120 "
            "periods"}}) {
    absl::Status s = series(first, last);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << first << ".." << last;
    EXPECT_THAT(s.message(), HasSubstr(message)) << s;
  }
  // Ten years of months, exactly 120, are one series.
  v1::GetSeriesRequest ten;
  ten.set_first_period("2016-01");
  ten.set_last_period("2025-12");
  auto answer = node_->engine->GetSeries(ten);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->reports_size(), 120);
  EXPECT_EQ(series("2026-01", "2026-03", "99999").code(), Code::kNotFound);
  EXPECT_EQ(series("2026-01", "2026-03", "VN").code(),
            Code::kFailedPrecondition);
}

TEST_F(EngineTest, BreakdownListsTheContributors) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 3, 4).ok());
  ASSERT_TRUE(Put("31.VP", "b", "QD11-02", 7, 8).ok());
  auto r = Rollup("2026-03", "", true);
  ASSERT_TRUE(r.ok()) << r.status();
  auto owes = [](const Unit& u, const v1::Indicator& ind) {
    return u.level == Level::kCommune ? CommuneOwes(ind)
                                      : DepartmentOwes(ind, u.department);
  };
  // Every child owing a monthly indicator, with exactly those indicators.
  std::vector<std::string> expected_units, got_units;
  for (const Child& c : node_->topology->children()) {
    for (const v1::Indicator& ind : catalog_->proto().indicators()) {
      if (ind.frequency() == v1::FREQUENCY_MONTHLY && owes(*c.unit, ind)) {
        expected_units.push_back(c.unit->code);
        break;
      }
    }
  }
  RatioPair sum(0, 0);
  for (const v1::ChildBreakdown& b : r->children()) {
    got_units.push_back(b.unit());
    const Unit* u = registry_->Find(b.unit());
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(b.name(), u->name);
    const bool submitted = b.unit() == "10507" || b.unit() == "31.VP";
    EXPECT_EQ(b.revision(), submitted ? 1 : 0) << b.unit();
    for (const v1::ConsolidatedValue& v : b.values()) {
      const v1::Indicator* ind = catalog_->Find(v.indicator());
      ASSERT_NE(ind, nullptr);
      EXPECT_TRUE(owes(*u, *ind)) << b.unit() << " " << v.indicator();
      if (v.indicator() == "QD11-01" && v.value().has_ratio()) {
        sum.first += v.value().ratio().numerator();
        sum.second += v.value().ratio().denominator();
      }
      if (b.revision() == 0) {
        EXPECT_EQ(v.status(), v1::TARGET_STATUS_NO_DATA) << v.indicator();
        EXPECT_EQ(v.communes_expected(), u->level == Level::kCommune ? 1 : 0);
      }
    }
  }
  EXPECT_EQ(got_units, expected_units);
  EXPECT_EQ(std::count(got_units.begin(), got_units.end(), "31.STC"), 0);
  EXPECT_EQ(R(Cons("QD11-01").value()), sum);

  auto child = Rollup("2026-03", "10507");
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(child->report().unit(), "10507");
  EXPECT_EQ(child->report().revision(), 1);
}

TEST_F(EngineTest, PeriodWithoutSubmissionsIsAllNoData) {
  ASSERT_TRUE(Put("10507", "a", "QD11-01", 3, 4).ok());
  auto r = Rollup("2026-05");
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<const v1::Indicator*> owed;
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    if (ind.frequency() == v1::FREQUENCY_MONTHLY && InScope31(ind)) {
      owed.push_back(&ind);
    }
  }
  std::sort(owed.begin(), owed.end(),
            [](auto* a, auto* b) { return a->code() < b->code(); });
  EXPECT_EQ(r->report().period(), "2026-05");
  EXPECT_EQ(r->report().revision(), 0);
  ASSERT_EQ(r->report().values_size(), static_cast<int>(owed.size()));
  ASSERT_EQ(r->indicators_size(), static_cast<int>(owed.size()));
  for (int i = 0; i < r->report().values_size(); ++i) {
    const v1::ConsolidatedValue& v = r->report().values(i);
    const v1::Indicator& ind = *owed[i];
    SCOPED_TRACE(ind.code());
    EXPECT_EQ(v.indicator(), ind.code());
    EXPECT_EQ(r->indicators(i).code(), ind.code());
    EXPECT_FALSE(v.has_value());
    EXPECT_EQ(v.status(), v1::TARGET_STATUS_NO_DATA);
    EXPECT_EQ(v.reported(), 0);
    int communes = CommuneOwes(ind) ? 114 : 0;
    EXPECT_EQ(v.expected(),
              communes + DepartmentOwes(ind, ind.responsible_code()));
    EXPECT_EQ(v.communes_reported(), 0);
    EXPECT_EQ(v.communes_expected(), communes);
    EXPECT_EQ(v.target().text(), ind.target().text());
  }
}

TEST_F(EngineTest, TemplateListsWhatTheUnitOwes) {
  auto check = [&](const std::string& unit, const std::string& period,
                   v1::Frequency freq) {
    SCOPED_TRACE(unit + " " + period);
    const Unit* u = registry_->Find(unit);
    ASSERT_NE(u, nullptr);
    std::vector<std::string> expected;
    for (const v1::Indicator& ind : catalog_->proto().indicators()) {
      bool owes = u->level == Level::kCommune
                      ? CommuneOwes(ind)
                      : DepartmentOwes(ind, u->department);
      if (owes && ind.frequency() == freq) expected.push_back(ind.code());
    }
    std::sort(expected.begin(), expected.end());  // the proto: sorted by code
    v1::GetTemplateRequest req;
    req.set_unit(unit);
    req.set_period(period);
    auto t = node_->engine->GetTemplate(req);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->unit_name(), u->name);
    std::vector<std::string> got;
    for (const v1::Indicator& ind : t->indicators()) got.push_back(ind.code());
    EXPECT_EQ(got, expected);
    ASSERT_EQ(t->targets_size(), t->indicators_size());
    for (int i = 0; i < t->indicators_size(); ++i) {
      EXPECT_EQ(t->targets(i).text(), t->indicators(i).target().text());
    }
  };
  check("10525", "2026-03", v1::FREQUENCY_MONTHLY);
  check("31.VP", "2026-03", v1::FREQUENCY_MONTHLY);
  check("31.SKHCN", "2026-03", v1::FREQUENCY_MONTHLY);
  check("31.STC", "2026", v1::FREQUENCY_ANNUAL);

  v1::GetTemplateRequest req;
  req.set_unit("99999");
  req.set_period("2026-03");
  EXPECT_EQ(node_->engine->GetTemplate(req).status().code(),
            absl::StatusCode::kNotFound);
  req.set_unit(registry_->CommunesOf("92").at(0)->code);
  EXPECT_EQ(node_->engine->GetTemplate(req).status().code(),
            absl::StatusCode::kFailedPrecondition);
  req.set_unit("10525");
  req.set_period("2026-3");
  EXPECT_EQ(node_->engine->GetTemplate(req).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tonghop
