#include "tools/cli/render.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/csv_values.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t k20260310T01Z = 1773104400;  // 2026-03-10T08:00:00+07:00

v1::ConsolidatedValue Ratio(const std::string& code, int64_t n, int64_t d,
                            const std::string& target,
                            v1::TargetStatus status) {
  v1::ConsolidatedValue v;
  v.set_indicator(code);
  v.mutable_value()->mutable_ratio()->set_numerator(n);
  v.mutable_value()->mutable_ratio()->set_denominator(d);
  if (!target.empty()) v.mutable_target()->set_text(target);
  v.set_status(status);
  return v;
}

v1::ConsolidatedValue Coverage(v1::ConsolidatedValue v, int reported,
                               int expected, int communes_reported = 0,
                               int communes_expected = 0) {
  v.set_reported(reported);
  v.set_expected(expected);
  v.set_communes_reported(communes_reported);
  v.set_communes_expected(communes_expected);
  return v;
}

v1::GetRollupResponse Rollup(bool breakdown) {
  v1::GetRollupResponse r;
  v1::ConsolidatedReport* report = r.mutable_report();
  report->set_unit("HP");
  report->set_period("2026-03");
  report->set_revision(12);
  report->mutable_updated_time()->set_seconds(k20260310T01Z);
  *report->add_values() = Coverage(
      Ratio("QD11-01", 19999, 25000, ">=80", v1::TARGET_STATUS_NOT_MET), 3, 5,
      12, 20);
  *report->add_values() =
      Coverage(Ratio("QD11-07", 0, 0, "=100", v1::TARGET_STATUS_NO_DATA), 0, 5);
  v1::ConsolidatedValue count;
  count.set_indicator("QD11-12");
  count.mutable_value()->set_number(7);
  count.mutable_target()->set_text(">=5");
  count.set_status(v1::TARGET_STATUS_MET);
  *report->add_values() = Coverage(count, 1, 1);
  v1::ConsolidatedValue index;
  index.set_indicator("IDX-01");
  index.mutable_value()->set_hundredths(8725);
  index.set_status(v1::TARGET_STATUS_NO_TARGET);
  *report->add_values() = Coverage(index, 1, 1);
  v1::ConsolidatedValue none;
  none.set_indicator("QD11-03X");
  none.mutable_target()->set_text(">=70");
  none.set_status(v1::TARGET_STATUS_NO_DATA);
  *report->add_values() = Coverage(none, 0, 5, 0, 20);
  if (!breakdown) return r;
  v1::ChildBreakdown* ward = r.add_children();
  ward->set_unit("HP-W01");
  ward->set_name("Phường Hồng Bàng");
  ward->set_revision(3);
  ward->mutable_updated_time()->set_seconds(k20260310T01Z);
  *ward->add_values() = Coverage(
      Ratio("QD11-01", 9, 10, ">=80", v1::TARGET_STATUS_MET), 1, 1, 1, 1);
  v1::ChildBreakdown* island = r.add_children();
  island->set_unit("HP-W02");
  island->set_name("Đặc khu Bạch Long Vĩ");
  v1::ConsolidatedValue empty;
  empty.set_indicator("QD11-01");
  empty.mutable_target()->set_text(">=80");
  empty.set_status(v1::TARGET_STATUS_NO_DATA);
  *island->add_values() = Coverage(empty, 0, 1, 0, 1);
  return r;
}

// The display column (code points from the line start) at which `needle` starts
// in `line`.
int ColumnOf(absl::string_view line, absl::string_view needle) {
  size_t at = line.find(needle);
  if (at == absl::string_view::npos) return -1;
  return DisplayWidth(line.substr(0, at));
}

TEST(RenderTest, ValueText) {
  v1::Value ratio;
  ratio.mutable_ratio()->set_numerator(45);
  ratio.mutable_ratio()->set_denominator(50);
  EXPECT_EQ(ValueText(&ratio), "45/50 (90.00%)");
  ratio.mutable_ratio()->set_numerator(19999);
  ratio.mutable_ratio()->set_denominator(25000);
  EXPECT_EQ(ValueText(&ratio), "19999/25000 (80.00%)");
  ratio.mutable_ratio()->set_numerator(0);
  ratio.mutable_ratio()->set_denominator(0);
  EXPECT_EQ(ValueText(&ratio), "0/0");
  v1::Value number;
  number.set_number(5);
  EXPECT_EQ(ValueText(&number), "5");
  v1::Value index;
  index.set_hundredths(8725);
  EXPECT_EQ(ValueText(&index), "87.25");
  EXPECT_EQ(ValueText(nullptr), "—");
  EXPECT_EQ(ValueText(&v1::Value::default_instance()), "—");
}

TEST(RenderTest, RollupCsvColumnsValuesAndRounding) {
  EXPECT_EQ(
      RollupCsv(Rollup(false)),
      "indicator,unit,period,numerator,denominator,value,target,status,"
      "reported,expected,"
      "communes_reported,communes_expected,children_met,children_judged,row,"
      "note\n"
      "QD11-01,HP,2026-03,19999,25000,80.00,>=80,not_met,3,5,12,20,,,total,\n"
      "QD11-07,HP,2026-03,0,0,,'=100,no_data,0,5,,,,,total,\n"
      "QD11-12,HP,2026-03,,,7,>=5,met,1,1,,,,,total,\n"
      "IDX-01,HP,2026-03,,,87.25,,no_target,1,1,,,,,total,\n"
      "QD11-03X,HP,2026-03,,,,>=70,no_data,0,5,0,20,,,total,\n");
}

TEST(RenderTest, RollupCsvAndTableShowHowManyChildrenMetTheirTarget) {
  v1::GetRollupResponse r;
  r.mutable_report()->set_unit("VN");
  r.mutable_report()->set_period("2026-03");
  v1::ConsolidatedValue v =
      Ratio("QD11-01", 80, 100, ">=80", v1::TARGET_STATUS_MET);
  v.set_children_met(21);
  v.set_children_judged(34);
  *r.mutable_report()->add_values() = v;
  std::vector<std::string> lines = absl::StrSplit(RollupCsv(r), '\n');
  EXPECT_THAT(lines[1], ::testing::EndsWith(",21,34,total,"));
  EXPECT_THAT(RollupTable(r), HasSubstr("21/34"));
}

TEST(RenderTest, RollupCsvHalfUp) {
  v1::GetRollupResponse r;
  r.mutable_report()->set_unit("HP");
  r.mutable_report()->set_period("2026-03");
  *r.mutable_report()->add_values() =
      Ratio("A", 1, 8, "", v1::TARGET_STATUS_NO_TARGET);  // 12.5
  *r.mutable_report()->add_values() =
      Ratio("B", 2, 3, "", v1::TARGET_STATUS_NO_TARGET);
  *r.mutable_report()->add_values() =
      Ratio("C", 1, 80000, "", v1::TARGET_STATUS_NO_TARGET);
  std::vector<std::string> lines = absl::StrSplit(RollupCsv(r), '\n');
  EXPECT_EQ(lines[1], "A,HP,2026-03,1,8,12.50,,no_target,0,0,,,,,total,");
  EXPECT_EQ(lines[2], "B,HP,2026-03,2,3,66.67,,no_target,0,0,,,,,total,");
  EXPECT_EQ(lines[3],
            "C,HP,2026-03,1,80000,0.00,,no_target,0,0,,,,,total,");  // 0.00125%
                                                                     // -> 0.00
}

TEST(RenderTest, RollupCsvBreakdownRowsComeAfterTheUnitsRows) {
  std::vector<std::string> lines =
      absl::StrSplit(RollupCsv(Rollup(true)), '\n');
  ASSERT_EQ(lines.size(),
            9u);  // header, 5 unit rows, 2 child rows, "" after the last "\n"
  for (int i = 1; i <= 5; ++i)
    EXPECT_THAT(lines[i], HasSubstr(",HP,2026-03,")) << i;
  EXPECT_EQ(lines[6],
            "QD11-01,HP-W01,2026-03,9,10,90.00,>=80,met,1,1,1,1,,,child,");
  EXPECT_EQ(lines[7],
            "QD11-01,HP-W02,2026-03,,,,>=80,no_data,0,1,0,1,,,child,");
  EXPECT_EQ(lines[8], "");
}

TEST(RenderTest, RollupCsvTellsAWardsOwnPartFromItsTotal) {
  v1::GetRollupResponse r;
  r.mutable_report()->set_unit("10525");
  r.mutable_report()->set_period("2026-03");
  *r.mutable_report()->add_values() =
      Ratio("QD11-01", 18, 21, "", v1::TARGET_STATUS_NO_TARGET);
  v1::ChildBreakdown* own = r.add_children();
  own->set_unit("10525");
  *own->add_values() = Ratio("QD11-01", 3, 4, "", v1::TARGET_STATUS_NO_TARGET);
  v1::ChildBreakdown* office = r.add_children();
  office->set_unit("10525.VHXH");
  *office->add_values() =
      Ratio("QD11-01", 15, 17, "", v1::TARGET_STATUS_NO_TARGET);
  std::vector<std::string> lines = absl::StrSplit(RollupCsv(r), '\n');
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_THAT(lines[1], ::testing::StartsWith("QD11-01,10525,2026-03,18,21,"));
  EXPECT_THAT(lines[1], ::testing::EndsWith(",total,"));
  EXPECT_THAT(lines[2], ::testing::StartsWith("QD11-01,10525,2026-03,3,4,"));
  EXPECT_THAT(lines[2], ::testing::EndsWith(",own,"));
  EXPECT_THAT(lines[3], ::testing::EndsWith(",child,"));
}

TEST(RenderTest, RollupTableMarksAChildsEstimate) {
  v1::GetRollupResponse r = Rollup(true);
  r.mutable_children(0)->set_estimate(true);
  EXPECT_THAT(RollupTable(r), HasSubstr("HP-W01 — Phường Hồng Bàng (phiên bản "
                                        "3, cập nhật 10/03/2026 08:00; tạm "
                                        "thời (chưa chốt); số ước tính)\n"));
}

TEST(RenderTest, RollupShowsTheNotesUnitsWroteBesideTheirFigures) {
  v1::GetRollupResponse r = Rollup(true);
  r.mutable_children(0)->mutable_values(0)->set_note(
      "Số liệu ước tính,\nchờ xác nhận");
  // Quoted, since the note holds a comma and a line break.
  EXPECT_THAT(RollupCsv(r),
              HasSubstr("QD11-01,HP-W01,2026-03,9,10,90.00,>=80,met,1,1,1,1,,,"
                        "child,\"Số liệu ước tính,\nchờ xác nhận\"\n"));
  const std::string table = RollupTable(r);
  EXPECT_THAT(table, HasSubstr("Ghi chú:\n  QD11-01: Số liệu ước tính, chờ "
                               "xác nhận\n"));
  // Only under the ward that wrote it.
  EXPECT_LT(table.find("HP-W01"), table.find("Ghi chú:"));
  EXPECT_GT(table.find("HP-W02"), table.find("Ghi chú:"));
  EXPECT_THAT(RollupTable(Rollup(true)), Not(HasSubstr("Ghi chú")));
}

TEST(RenderTest, RollupTableAlignsVietnameseColumns) {
  std::string table = RollupTable(Rollup(true));
  std::vector<std::string> lines = absl::StrSplit(table, '\n');
  EXPECT_THAT(lines[0], HasSubstr("HP"));
  EXPECT_THAT(lines[0], HasSubstr("2026-03"));
  EXPECT_THAT(lines[1], HasSubstr("phiên bản 12, cập nhật 10/03/2026 08:00"));
  EXPECT_EQ(lines[2], "Trạng thái: tạm thời (chưa chốt)");
  // The unit's table: header, rule, then one row per value.
  int header = 4;
  ASSERT_THAT(lines[header], StartsWith("Chỉ tiêu"));
  int status_column = ColumnOf(lines[header], "Đánh giá");
  int report_column = ColumnOf(lines[header], "Báo cáo");
  EXPECT_GT(status_column, 0);
  const char* labels[] = {"chưa đạt", "chưa có số liệu", "đạt",
                          "không có chỉ tiêu", "chưa có số liệu"};
  for (int i = 0; i < 5; ++i) {
    const std::string& row = lines[header + 2 + i];
    EXPECT_EQ(ColumnOf(row, labels[i]), status_column) << row;
    EXPECT_EQ(DisplayWidth(row.substr(0, row.rfind("  ") + 2)), report_column)
        << row;
    EXPECT_NE(row.back(), ' ');
  }
  EXPECT_THAT(lines[header + 2], HasSubstr("80.00%"));
  EXPECT_THAT(lines[header + 2], HasSubstr("19999/25000"));
  EXPECT_THAT(lines[header + 2], HasSubstr("3/5, 12/20 xã"));
  EXPECT_THAT(lines[header + 3], HasSubstr("—"));
  EXPECT_THAT(lines[header + 4], HasSubstr(" 7 "));
  EXPECT_THAT(lines[header + 5], HasSubstr("87.25"));
  // Right-aligned values end in the same display column.
  int value_end = ColumnOf(lines[header], "Giá trị") + DisplayWidth("Giá trị");
  EXPECT_EQ(ColumnOf(lines[header + 2], "80.00%") + 6, value_end);
  EXPECT_EQ(ColumnOf(lines[header + 5], "87.25") + 5, value_end);
  // The breakdown, after the unit's table.
  EXPECT_THAT(table, HasSubstr("Chi tiết theo đơn vị (2)"));
  EXPECT_THAT(table,
              HasSubstr("HP-W01 — Phường Hồng Bàng (phiên bản 3, cập nhật "
                        "10/03/2026 08:00; tạm thời (chưa chốt))\n"));
  EXPECT_THAT(table,
              HasSubstr("HP-W02 — Đặc khu Bạch Long Vĩ (chưa gửi báo cáo)\n"));
  EXPECT_LT(table.find("QD11-03X"), table.find("HP-W01"));
  EXPECT_THAT(table, HasSubstr("90.00%"));
  // The children's tables share the unit's column widths.
  int headers = 0, child_rows = 0;
  for (size_t i = header + 7; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (absl::StartsWith(line, "Chỉ tiêu")) {
      EXPECT_EQ(line, lines[header]);
      ++headers;
    } else if (absl::StartsWith(line, "QD11-01")) {
      EXPECT_EQ(DisplayWidth(line.substr(0, line.rfind("  ") + 2)),
                report_column)
          << line;
      ++child_rows;
    }
  }
  EXPECT_EQ(headers, 2);
  EXPECT_EQ(child_rows, 2);
  EXPECT_THAT(table, HasSubstr("0/1, 0/1 xã"));
}

TEST(RenderTest, RollupTableTitleShowsWindowEstimateStateAndLateRevision) {
  v1::GetRollupResponse r = Rollup(true);
  v1::ConsolidatedReport* report = r.mutable_report();
  report->set_window("2026-02-15..2026-03-14");
  report->set_estimate(true);
  report->mutable_finalized_time()->set_seconds(k20260310T01Z + 3600);
  report->set_finalized_by("Nguyễn Văn A");
  report->mutable_late_revision_time()->set_seconds(k20260310T01Z + 7200);
  v1::ChildBreakdown* ward = r.mutable_children(0);
  ward->mutable_finalized_time()->set_seconds(k20260310T01Z);
  ward->mutable_late_revision_time()->set_seconds(k20260310T01Z + 60);
  std::vector<std::string> lines = absl::StrSplit(RollupTable(r), '\n');
  EXPECT_EQ(lines[0],
            "Báo cáo tổng hợp — đơn vị HP — kỳ 2026-03 — kỳ số liệu "
            "15/02/2026–14/03/2026 (số ước tính)");
  EXPECT_EQ(lines[2],
            "Trạng thái: đã chốt lúc 10/03/2026 09:00 bởi Nguyễn Văn "
            "A; nộp/sửa muộn lúc 10/03/2026 10:00");
  EXPECT_THAT(RollupTable(r),
              HasSubstr("HP-W01 — Phường Hồng Bàng (phiên bản 3, cập nhật "
                        "10/03/2026 08:00; đã chốt lúc "
                        "10/03/2026 08:00; nộp/sửa muộn lúc "
                        "10/03/2026 08:01)\n"));
  report->set_finalized_by("auto");
  report->clear_late_revision_time();
  report->set_estimate(false);
  lines = absl::StrSplit(RollupTable(r), '\n');
  EXPECT_EQ(lines[0],
            "Báo cáo tổng hợp — đơn vị HP — kỳ 2026-03 — kỳ số liệu "
            "15/02/2026–14/03/2026");
  EXPECT_EQ(lines[2], "Trạng thái: đã chốt lúc 10/03/2026 09:00 (tự động)");
}

TEST(RenderTest, RollupTableShowsInProgress) {
  v1::GetRollupResponse r;
  r.mutable_report()->set_unit("HP");
  r.mutable_report()->set_period("2026-03");
  v1::ConsolidatedValue v;
  v.set_indicator("QD11-12");
  v.mutable_value()->set_number(3);
  v.mutable_target()->set_text(">=5");
  v.set_status(v1::TARGET_STATUS_IN_PROGRESS);
  *r.mutable_report()->add_values() = v;
  EXPECT_THAT(RollupTable(r), HasSubstr("đang thực hiện"));
  EXPECT_THAT(RollupCsv(r), HasSubstr(",>=5,in_progress,"));
}

TEST(RenderTest, RollupTableWithoutValues) {
  v1::GetRollupResponse r;
  r.mutable_report()->set_unit("HP");
  r.mutable_report()->set_period("2026-03");
  std::string table = RollupTable(r);
  EXPECT_THAT(table, HasSubstr("(chưa gửi báo cáo)"));
  EXPECT_THAT(table, Not(HasSubstr("1970")));
  EXPECT_THAT(table, HasSubstr("(không có chỉ tiêu nào)"));
}

TEST(RenderTest, JsonKeepsProtoNamesAndZeroFields) {
  auto json = ToJson(Rollup(false));
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"communes_expected\": 20"));
  EXPECT_THAT(*json, HasSubstr("\"communes_reported\": 0"));
  EXPECT_THAT(*json, HasSubstr("\"status\": \"TARGET_STATUS_NOT_MET\""));
  EXPECT_THAT(*json, HasSubstr("\"children\": []"));
  EXPECT_EQ(json->back(), '\n');
}

v1::GetTemplateResponse Template() {
  v1::GetTemplateResponse t;
  t.set_unit_name("Phường Hồng Bàng");
  v1::Indicator* ratio = t.add_indicators();
  ratio->set_code("QD11-01");
  ratio->set_name_vi("Tỉ lệ cán bộ, công chức có chữ ký số \"cá nhân\"");
  ratio->set_unit("%");
  ratio->set_measure(v1::MEASURE_RATIO);
  t.add_targets()->set_text("=100");
  v1::Indicator* count = t.add_indicators();
  count->set_code("QD11-12");
  count->set_name_vi("Sản phẩm");
  count->set_unit("sản phẩm");
  count->set_measure(v1::MEASURE_COUNT);
  t.add_targets();  // no target in force
  return t;
}

TEST(RenderTest, AnEmptyTemplateSaysTheUnitOwesNothing) {
  const std::string csv = TemplateCsv(v1::GetTemplateResponse());
  EXPECT_THAT(csv, HasSubstr("\r\n# Đơn vị không có chỉ tiêu nào phải báo cáo "
                             "cho kỳ này,,,,,,,,\r\n"));
}

TEST(RenderTest, TemplateCsvHasBomQuotingAndTargets) {
  EXPECT_EQ(TemplateCsv(Template()),
            "\xEF\xBB\xBF"
            "indicator,numerator,denominator,value,note,name_vi,unit,measure,"
            "target\r\n"
            "QD11-01,,,,,\"Tỉ lệ cán bộ, công chức có chữ ký số \"\"cá "
            "nhân\"\"\",%,ratio,'=100\r\n"
            "QD11-12,,,,,Sản phẩm,sản phẩm,count,\r\n");
}

TEST(RenderTest, TemplateRoundTripsThroughSubmitParsing) {
  std::string csv = TemplateCsv(Template());
  MeasureMap measures = {{"QD11-01", v1::MEASURE_RATIO},
                         {"QD11-12", v1::MEASURE_COUNT}};
  // Unfilled: nothing to submit.
  EXPECT_THAT(ParseValuesCsv(csv, "t.csv", measures).status().message(),
              HasSubstr("no values to submit"));
  // Filled in as a spreadsheet would.
  size_t at = csv.find("QD11-12,,,,,");
  csv.replace(at, 12, "QD11-12,,,4,,");
  auto values = ParseValuesCsv(csv, "t.csv", measures);
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0].number(), 4);
}

TEST(RenderTest, Receipt) {
  v1::SubmitRequest request;
  request.set_unit("HP-W01");
  request.set_period("2026-03");
  v1::SubmitResponse response;
  response.set_revision(3);
  response.mutable_received_time()->set_seconds(k20260310T01Z);
  v1::ValueChange* added = response.add_changes();
  added->set_indicator("QD11-01");
  added->mutable_new_value()->mutable_ratio()->set_numerator(45);
  added->mutable_new_value()->mutable_ratio()->set_denominator(50);
  v1::ValueChange* cleared = response.add_changes();
  cleared->set_indicator("QD11-12X");
  cleared->mutable_old_value()->set_number(3);
  EXPECT_EQ(Receipt(request, response),
            "Đơn vị: HP-W01\n"
            "Kỳ: 2026-03\n"
            "Phiên bản: 3\n"
            "Nhận lúc: 10/03/2026 08:00 (giờ Việt Nam)\n"
            "Thay đổi: 2\n"
            "  QD11-01   — → 45/50 (90.00%)\n"
            "  QD11-12X  3 → —\n");
  response.set_replayed(true);
  std::string replay = Receipt(request, response);
  EXPECT_THAT(replay, HasSubstr("đã được nhận trước đó; không có gì thay đổi"));
  EXPECT_THAT(replay, HasSubstr("Thay đổi của lần gửi đầu: 2"));
  response.clear_changes();
  response.set_replayed(false);
  EXPECT_THAT(Receipt(request, response), HasSubstr("Thay đổi: không"));
  EXPECT_THAT(Receipt(request, response),
              HasSubstr("(giữ nguyên, không tạo phiên bản mới)"));
  // A revision of the note alone: the same figure on both sides, said so.
  v1::ValueChange* noted = response.add_changes();
  noted->set_indicator("QD11-01");
  noted->mutable_old_value()->mutable_ratio()->set_numerator(3);
  noted->mutable_old_value()->mutable_ratio()->set_denominator(4);
  *noted->mutable_new_value() = noted->old_value();
  EXPECT_THAT(Receipt(request, response),
              HasSubstr("  QD11-01  3/4 (75.00%) → 3/4 (75.00%)  (chỉ đổi "
                        "ghi chú)\n"));
  noted->set_confirmed(true);
  EXPECT_THAT(Receipt(request, response),
              HasSubstr("  QD11-01  3/4 (75.00%) → 3/4 (75.00%)  (xác nhận: "
                        "không còn là số ước tính)\n"));
}

TEST(RenderTest, CatalogCsvAndTable) {
  v1::Catalog catalog;
  v1::Indicator* i = catalog.add_indicators();
  i->set_code("QD11-06");
  i->set_measure(v1::MEASURE_RATIO);
  i->set_frequency(v1::FREQUENCY_MONTHLY);
  i->set_reported_by(v1::REPORTED_BY_BOTH);
  i->set_responsible_code("VP");
  i->mutable_target()->set_text(">=80");
  i->set_target_from_year(2026);
  i->set_target_to_year(2026);
  i->set_name_vi("Tỉ lệ thông tin, giấy tờ chỉ phải cung cấp một lần");
  EXPECT_EQ(CatalogCsv(catalog),
            "code,measure,frequency,reported_by,responsible,target,target_"
            "years,name_vi\n"
            "QD11-06,ratio,monthly,both,VP,>=80,2026..2026,"
            "\"Tỉ lệ thông tin, giấy tờ chỉ phải cung cấp một lần\"\n");
  std::string table = CatalogTable(catalog);
  std::vector<std::string> lines = absl::StrSplit(table, '\n');
  EXPECT_EQ(ColumnOf(lines[0], "name_vi"), ColumnOf(lines[2], "Tỉ lệ"));
  EXPECT_THAT(table, HasSubstr("(1 chỉ tiêu)"));
}

TEST(RenderTest, NodeInfoAndClock) {
  v1::NodeInfo info;
  info.set_unit("HP");
  info.set_name("Thành phố Hải Phòng");
  info.set_role("city");
  info.add_children("HP-W01");
  info.add_children("SKHCN");
  info.mutable_now()->set_seconds(k20260310T01Z);
  info.set_simulated_clock(true);
  EXPECT_EQ(NodeInfoText(info),
            "unit: HP\nname: Thành phố Hải Phòng\nrole: city\nchildren: 2 "
            "(HP-W01, SKHCN)\n"
            "now: 2026-03-10T08:00:00+07:00\nclock: simulated\nparent: —\n"
            "outbox: 0 period(s) not yet delivered\n");
  info.set_parent_address("127.0.0.1:7000");
  info.set_outbox_pending(2);
  info.set_last_push_error("UNAVAILABLE: connection refused");
  EXPECT_THAT(
      NodeInfoText(info),
      HasSubstr(
          "parent: 127.0.0.1:7000\noutbox: 2 period(s) not yet delivered\n"
          "last delivery error: UNAVAILABLE: connection refused\n"));
  EXPECT_EQ(ClockText(info), "2026-03-10T08:00:00+07:00 (simulated clock)\n");
  info.set_simulated_clock(false);
  EXPECT_EQ(ClockText(info), "2026-03-10T08:00:00+07:00 (real clock)\n");
}

TEST(RenderTest, NodeInfoReminderChannels) {
  v1::NodeInfo info;
  info.set_unit("31");
  v1::ChannelStatus* email = info.add_channels();
  email->set_key("email");
  email->set_name("email");
  email->set_pending(0);
  email->set_sent(12);
  v1::ChannelStatus* webhook = info.add_channels();
  webhook->set_key("webhook1");
  webhook->set_name("webhook:http://127.0.0.1:9/none");
  webhook->set_pending(3);
  webhook->set_sent(0);
  webhook->set_last_error("UNAVAILABLE: connection refused");
  EXPECT_THAT(
      NodeInfoText(info),
      testing::EndsWith(
          "outbox: 0 period(s) not yet delivered\n"
          "channel email (email): 0 pending, 12 sent since start\n"
          "channel webhook1 (webhook:http://127.0.0.1:9/none): 3 "
          "pending, 0 sent since start, last error: UNAVAILABLE: connection "
          "refused\n"));
}

TEST(RenderTest, NodeInfoTlsExpiry) {
  v1::NodeInfo info;
  info.set_unit("31");
  // 2029-03-07 01:00 UTC, 08:00 in Vietnam.
  const int64_t expiry = absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(2029, 3, 7, 1, 0, 0), absl::UTCTimeZone()));
  info.mutable_tls_certificate_expiry()->set_seconds(expiry);
  EXPECT_THAT(
      NodeInfoText(info),
      testing::EndsWith("tls: certificate valid until 07/03/2029 08:00\n"));
  info.mutable_tls_crl_next_update()->set_seconds(expiry + 86400);
  EXPECT_THAT(NodeInfoText(info),
              testing::EndsWith("tls: certificate valid until 07/03/2029 "
                                "08:00; revocation list until 08/03/2029 "
                                "08:00\n"));
  info.clear_tls_certificate_expiry();
  info.clear_tls_crl_next_update();
  EXPECT_THAT(NodeInfoText(info), testing::Not(HasSubstr("tls:")));
}

TEST(RenderTest, NodeInfoWarningsEachOnALine) {
  v1::NodeInfo info;
  info.set_unit("31");
  EXPECT_THAT(NodeInfoText(info), testing::Not(HasSubstr("warning")));
  info.add_warnings("holidays_file: no holidays listed for 2027: ...");
  info.add_warnings("config: tls.cert_file: the certificate of 31 expires");
  EXPECT_THAT(NodeInfoText(info),
              HasSubstr("warning: holidays_file: no holidays listed for 2027: "
                        "...\nwarning: config: tls.cert_file: the certificate "
                        "of 31 expires\n"));
}

}  // namespace
}  // namespace tonghop::cli
