#include "tools/cli/render_audit.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace tonghop::cli {
namespace {

using ::testing::HasSubstr;

v1::AuditLog Log() {
  v1::AuditLog log;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        entries {
          sequence: 7
          time { seconds: 1773104400 }  # 10/03/2026 08:00 in Vietnam
          actor: "Nguyễn Thị Lan, \"VP\""
          action: "submit"
          unit: "10525"
          period: "2026-03"
          revision: 2
          idempotency_key: "k-2"
          changes {
            indicator: "QD11-01"
            old_value { ratio { numerator: 3 denominator: 4 } }
            new_value { ratio { numerator: 1 denominator: 2 } }
          }
          changes {
            indicator: "QD11-05"
            new_value { number: 12 }
          }
          changes {
            indicator: "QD11-06"
            old_value { number: 4 }
            new_value { number: 4 }
          }
        }
        entries { sequence: 8 action: "lock" period: "2026-03" }
      )pb",
      &log));
  return log;
}

TEST(RenderAuditTest, ChangesReadOldToNew) {
  EXPECT_EQ(
      ChangesText(Log().entries(0)),
      "QD11-01 3/4 (75.00%) → 1/2 (50.00%); QD11-05 — → 12; QD11-06 4 → 4 "
      "(chỉ đổi ghi chú)");
  EXPECT_EQ(ChangesText(Log().entries(1)), "");
}

TEST(RenderAuditTest, CsvHasOneRowPerEntry) {
  EXPECT_EQ(AuditCsv(Log()),
            "sequence,time,actor,action,unit,period,revision,idempotency_key,"
            "changes\n"
            "7,2026-03-10T08:00:00+07:00,\"Nguyễn Thị Lan, \"\"VP\"\"\",submit,"
            "10525,2026-03,2,k-2,QD11-01 3/4 (75.00%) → 1/2 (50.00%); QD11-05 "
            "— → 12; QD11-06 4 → 4 (chỉ đổi ghi chú)\n"
            "8,,,lock,,2026-03,,,\n");
}

TEST(RenderAuditTest, TableNamesWhatWasAskedAndCounts) {
  const std::string table = AuditTable(Log(), "2026-03", "");
  EXPECT_THAT(table, HasSubstr("Nhật ký thay đổi — kỳ 2026-03 — mọi đơn vị"));
  EXPECT_THAT(table, HasSubstr("10/03/2026 08:00"));
  EXPECT_THAT(table, HasSubstr("Nguyễn Thị Lan"));
  EXPECT_THAT(table, HasSubstr("2 mục\n"));
  EXPECT_EQ(AuditTable(v1::AuditLog(), "", "10525"),
            "Nhật ký thay đổi — mọi kỳ — đơn vị 10525\n\nNhật ký trống.\n");
}

}  // namespace
}  // namespace tonghop::cli
