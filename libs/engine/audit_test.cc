// Engine::ListAudit: the audit log read back, filtered, in pages.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::TestNode;

class AuditTest : public EngineFixture {
 protected:
  AuditTest() : EngineFixture(absl::Hours(1)) {}  // no ticker in these tests

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(EngineFixture::SetUp());
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    node_ = NewNode(config);
    ASSERT_NE(node_, nullptr);
  }

  // `unit` submits QD11-01 = n/d for `period` as `actor`.
  void Submit(const std::string& unit, const std::string& period, int64_t n,
              int64_t d, const std::string& actor) {
    v1::SubmitRequest r;
    r.set_unit(unit);
    r.set_period(period);
    r.set_idempotency_key(absl::StrCat(unit, period, n, d));
    r.set_actor(actor);
    v1::SubmittedValue* v = r.add_values();
    v->set_indicator("QD11-01");
    v->mutable_ratio()->set_numerator(n);
    v->mutable_ratio()->set_denominator(d);
    auto done = node_->engine->SubmitAndWait(r);
    ASSERT_TRUE(done.ok()) << done.status();
  }

  absl::StatusOr<v1::AuditLog> List(const std::string& period,
                                    const std::string& unit, int64_t after = 0,
                                    int limit = 0) {
    v1::ListAuditRequest r;
    r.set_period(period);
    r.set_unit(unit);
    r.set_after_sequence(after);
    r.set_limit(limit);
    return node_->engine->ListAudit(r);
  }

  static std::vector<std::string> Who(const v1::AuditLog& log) {
    std::vector<std::string> out;
    for (const auto& e : log.entries()) {
      out.push_back(absl::StrCat(e.unit(), " ", e.period(), " ", e.actor()));
    }
    return out;
  }

  TestNode* node_ = nullptr;
};

TEST_F(AuditTest, FiltersByPeriodAndUnitOldestFirst) {
  Submit("10525", "2026-03", 3, 4, "Lan");
  Submit("10532", "2026-03", 1, 2, "Minh");
  Submit("10525", "2026-02", 5, 6, "Lan");
  Submit("10525", "2026-03", 2, 4, "Hùng");  // a correction

  auto all = List("", "");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(Who(*all),
              ElementsAre("10525 2026-03 Lan", "10532 2026-03 Minh",
                          "10525 2026-02 Lan", "10525 2026-03 Hùng"));
  EXPECT_EQ(all->next_sequence(), 0);
  auto ward = List("2026-03", "10525");
  ASSERT_TRUE(ward.ok()) << ward.status();
  EXPECT_THAT(Who(*ward),
              ElementsAre("10525 2026-03 Lan", "10525 2026-03 Hùng"));
  // The correction says what it changed, old and new.
  const v1::AuditEntry& correction = ward->entries(1);
  EXPECT_EQ(correction.revision(), 2);
  ASSERT_EQ(correction.changes_size(), 1);
  EXPECT_EQ(correction.changes(0).old_value().ratio().numerator(), 3);
  EXPECT_EQ(correction.changes(0).new_value().ratio().numerator(), 2);
  EXPECT_LT(ward->entries(0).sequence(), correction.sequence());
  auto february = List("2026-02", "");
  ASSERT_TRUE(february.ok());
  EXPECT_THAT(Who(*february), ElementsAre("10525 2026-02 Lan"));
}

TEST_F(AuditTest, PagesContinueWhereTheLastOneStopped) {
  for (int i = 1; i <= 5; ++i) Submit("10525", "2026-03", i, 10, "Lan");
  std::vector<int64_t> seen;
  int64_t after = 0;
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto page = List("", "10525", after, 2);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->entries_size(), 2);
    for (const auto& e : page->entries()) seen.push_back(e.sequence());
    if (page->next_sequence() == 0) break;
    after = page->next_sequence();
  }
  EXPECT_EQ(pages, 2);  // 2 + 2 + 1
  auto all = List("", "10525");
  ASSERT_TRUE(all.ok());
  std::vector<int64_t> expected;
  for (const auto& e : all->entries()) expected.push_back(e.sequence());
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(AuditTest, BadRequestsNameTheField) {
  EXPECT_THAT(List("2026-13", "").status().message(), HasSubstr("period"));
  auto unknown = List("", "99999");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("unit: '99999' is neither this node's unit 31"));
  EXPECT_THAT(List("", "", -1).status().message(),
              HasSubstr("after_sequence: -1"));
  EXPECT_THAT(List("", "", 0, 1001).status().message(),
              HasSubstr("limit: 1001"));
  EXPECT_THAT(List("", "", 0, -1).status().message(), HasSubstr("limit: -1"));
}

}  // namespace
}  // namespace tonghop
