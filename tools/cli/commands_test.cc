// The commands against an in-process fake node (loopback, port 0): what they
// send, what they print, and which errors are usage errors (nothing sent) and
// which are the node's.
#include "tools/cli/commands.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/fake_node.h"
#include "tools/cli/idempotency.h"
#include "tools/cli/render.h"
#include "tools/cli/render_reminders.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"
#include "tools/cli/xlsx_testing.h"

namespace tonghop::cli {
namespace {

using fake::CommandsTest;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST_F(CommandsTest, SubmitSendsTypedValuesAndAKeyPerRun) {
  std::string bytes =
      "\xEF\xBB\xBFindicator,numerator,denominator,value,note\r\n"
      "QD11-01,45,50,,ghi chú\r\nQD11-12,,,3,\r\nNEW-1,,,xoá,\r\n";
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.file = WriteTemp("values.csv", bytes);
  options.actor = "Nguyễn Văn A";
  node_.submit_response.set_revision(4);
  options.invocation = "run1";
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  // The same file in another run: another key (the node keeps a report whose
  // figures do not change, so nothing is stored twice).
  options.invocation = "run2";
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  // Without an invocation, each run draws its own.
  options.invocation.clear();
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.submits.size(), 4u);
  const v1::SubmitRequest& sent = node_.submits[0];
  EXPECT_EQ(sent.unit(), "HP-W01");
  EXPECT_EQ(sent.period(), "2026-03");
  EXPECT_EQ(sent.actor(), "Nguyễn Văn A");
  EXPECT_EQ(sent.idempotency_key(),
            DefaultIdempotencyKey("HP-W01", "2026-03", bytes, "run1"));
  EXPECT_EQ(node_.submits[1].idempotency_key(),
            DefaultIdempotencyKey("HP-W01", "2026-03", bytes, "run2"));
  EXPECT_NE(node_.submits[2].idempotency_key(), sent.idempotency_key());
  EXPECT_NE(node_.submits[2].idempotency_key(),
            node_.submits[3].idempotency_key());
  ASSERT_EQ(sent.values_size(), 3);
  EXPECT_EQ(sent.values(0).ratio().numerator(), 45);
  EXPECT_EQ(sent.values(0).note(), "ghi chú");
  EXPECT_EQ(sent.values(1).number(), 3);
  EXPECT_TRUE(sent.values(2).clear());
  EXPECT_THAT(out_.str(), HasSubstr("Phiên bản: 4 (giữ nguyên"));
}

TEST_F(CommandsTest, SubmitWithAGivenKey) {
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.file = WriteTemp(
      "key.csv", "indicator,numerator,denominator,value,note\nQD11-12,,,3,\n");
  options.idempotency_key = "mine-1";
  ASSERT_TRUE(RunSubmit(*client_, options, out_).ok());
  absl::MutexLock lock(&node_.mu);
  EXPECT_EQ(node_.submits.at(0).idempotency_key(), "mine-1");
}

TEST_F(CommandsTest, InvalidFilesAreUsageErrorsAndNothingIsSubmitted) {
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  // Found before any call.
  options.file = WriteTemp(
      "bad.csv", "indicator,numerator,denominator,value,note\nQD11-01,45,,,\n");
  absl::Status status = RunSubmit(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status)) << status;
  EXPECT_TRUE(IsFileError(status)) << status;  // the fix is in the file
  EXPECT_THAT(std::string(status.message()),
              StartsWith(options.file + ": line 2 (QD11-01): denominator"));
  // Found with the catalog's measures.
  options.file =
      WriteTemp("ratio.csv",
                "indicator,numerator,denominator,value,note\nQD11-01,,,90,\n");
  status = RunSubmit(*client_, options, out_);
  EXPECT_TRUE(IsFileError(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("is a ratio"));
  // A file that cannot be read, a bad flag: usage errors, not the file's.
  options.file = ::testing::TempDir() + "/missing.csv";
  status = RunSubmit(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status) && !IsFileError(status)) << status;
  options.period = "2026-3";
  status = RunSubmit(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status) && !IsFileError(status)) << status;
  absl::MutexLock lock(&node_.mu);
  EXPECT_EQ(node_.catalog_calls, 1);
  EXPECT_TRUE(node_.submits.empty());
}

TEST_F(CommandsTest, TheNodesErrorIsReturnedAsIs) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.fail = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                              "period 2026-03 is locked");
  }
  Options options;
  options.period = "2026-03";
  absl::Status status = RunRollup(*client_, options, out_);
  EXPECT_FALSE(IsUsageError(status));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "period 2026-03 is locked");
}

TEST_F(CommandsTest, RollupSendsTheRequestAndPrintsTheFormat) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.rollup.mutable_report()->set_unit("HP-W01");
    node_.rollup.mutable_report()->set_period("2026-03");
  }
  Options options;
  options.period = "2026-03";
  options.unit = "HP-W01";
  options.breakdown = true;
  options.format = "csv";
  ASSERT_TRUE(RunRollup(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), absl::StrCat(kUtf8Bom, CsvLine(RollupCsvColumns())));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.rollups.size(), 1u);
  EXPECT_EQ(node_.rollups[0].unit(), "HP-W01");
  EXPECT_TRUE(node_.rollups[0].breakdown());
}

TEST_F(CommandsTest, RollupAsAWorkbookTypesItsCells) {
  {
    absl::MutexLock lock(&node_.mu);
    v1::ConsolidatedReport* report = node_.rollup.mutable_report();
    report->set_unit("31");
    report->set_period("2026-03");
    v1::ConsolidatedValue* v = report->add_values();
    v->set_indicator("QD11-01");
    v->mutable_value()->mutable_ratio()->set_numerator(4501);
    v->mutable_value()->mutable_ratio()->set_denominator(4950);
    v->set_reported(3);
    v->set_expected(4);
    v1::ChildBreakdown* child = node_.rollup.add_children();
    child->set_unit("00004");
    *child->add_values() = *v;
  }
  Options options;
  options.period = "2026-03";
  options.breakdown = true;
  options.format = "xlsx";
  // A workbook is a file: without --out, a usage error and nothing asked.
  absl::Status status = RunRollup(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_THAT(status.message(), HasSubstr("--out=FILE.xlsx"));
  {
    absl::MutexLock lock(&node_.mu);
    EXPECT_TRUE(node_.rollups.empty());
  }

  options.out = ::testing::TempDir() + "/rollup.xlsx";
  ASSERT_TRUE(RunRollup(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), absl::StrCat("wrote ", options.out, ": 2 rows\n"));
  auto cells = testing::ReadCells(options.out);
  ASSERT_TRUE(cells.ok()) << cells.status();
  // The CSV's columns: indicator, unit, period, numerator, denominator, value.
  EXPECT_EQ((*cells)["A1"].text, "indicator");
  EXPECT_EQ((*cells)["D2"].text, "4501");
  EXPECT_FALSE((*cells)["D2"].string);
  EXPECT_EQ((*cells)["E2"].text, "4950");
  // 4501/4950 = 90.9292..., half up; a double as close to 90.93 as any (the
  // file may spell it 90.93000000000001).
  EXPECT_EQ(std::stod((*cells)["F2"].text), 90.93);
  EXPECT_EQ((*cells)["F2"].format, "0.00");
  EXPECT_EQ((*cells)["B3"].text, "00004");  // a code keeps its zeros
  EXPECT_TRUE((*cells)["B3"].string);
  EXPECT_EQ((*cells)["O3"].text, "child");
}

TEST_F(CommandsTest, OutWritesAnyFormatToAFile) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.status.set_unit("31");
    node_.status.set_period("2026-03");
    node_.status.mutable_self()->set_unit("31");
  }
  Options options;
  options.period = "2026-03";
  options.format = "csv";
  options.out = ::testing::TempDir() + "/status.csv";
  ASSERT_TRUE(RunStatus(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), absl::StrCat("wrote ", options.out, ": 1 rows\n"));
  std::ifstream in(options.out, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_THAT(bytes.str(),
              StartsWith(absl::StrCat(kUtf8Bom, CsvLine(StatusCsvColumns()))));

  // An unwritable file: a usage error naming --out.
  options.format = "xlsx";
  options.out = ::testing::TempDir() + "/no-such-folder/status.xlsx";
  absl::Status status = RunStatus(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_THAT(status.message(), HasSubstr("--out: cannot write"));
}

// A report of unit 31 for `period` with QD11-01 at n/d (d 0: no figure).
v1::ConsolidatedReport SeriesReport(const std::string& period, int64_t n,
                                    int64_t d, bool final) {
  v1::ConsolidatedReport report;
  report.set_unit("31");
  report.set_period(period);
  if (d > 0) report.set_revision(1);
  if (final) report.mutable_finalized_time()->set_seconds(1773000000);
  for (const char* code : {"QD11-01", "QD11-12"}) {
    v1::ConsolidatedValue* v = report.add_values();
    v->set_indicator(code);
    if (d == 0) continue;
    if (std::string(code) == "QD11-01") {
      v->mutable_value()->mutable_ratio()->set_numerator(n);
      v->mutable_value()->mutable_ratio()->set_denominator(d);
    } else {
      v->mutable_value()->set_number(n);
    }
  }
  return report;
}

TEST_F(CommandsTest, SeriesPrintsAColumnPerPeriod) {
  {
    absl::MutexLock lock(&node_.mu);
    *node_.series.add_reports() = SeriesReport("2026-01", 9, 10, true);
    *node_.series.add_reports() = SeriesReport("2026-02", 0, 0, false);
    *node_.series.add_reports() = SeriesReport("2026-03", 1, 3, false);
    node_.series.add_indicators()->set_code("QD11-01");
    node_.series.add_indicators()->set_code("QD11-12");
  }
  Options options;
  options.from = "2026-01";
  options.to = "2026-03";
  options.unit = "31";
  ASSERT_TRUE(RunSeries(*client_, options, out_).ok());
  const std::string table = out_.str();
  EXPECT_THAT(table, HasSubstr("Chuỗi số liệu — đơn vị 31 — kỳ 2026-01 đến "
                               "2026-03"));
  EXPECT_THAT(table, HasSubstr("2026-01"));
  // 9/10 and 1/3 as the rollup shows them; February has none.
  EXPECT_THAT(table,
              ::testing::ContainsRegex("QD11-01 +90\\.00% +— +33\\.33%"));
  EXPECT_THAT(table, ::testing::ContainsRegex("QD11-12 +9 +— +1"));
  EXPECT_THAT(table, ::testing::ContainsRegex(
                         "Trạng thái +đã chốt +chưa có +tạm thời"));
  {
    absl::MutexLock lock(&node_.mu);
    ASSERT_EQ(node_.series_requests.size(), 1u);
    EXPECT_EQ(node_.series_requests[0].first_period(), "2026-01");
    EXPECT_EQ(node_.series_requests[0].last_period(), "2026-03");
    EXPECT_EQ(node_.series_requests[0].unit(), "31");
  }

  // --indicator keeps one; CSV has the rollup's columns, a row per period.
  out_.str("");
  options.indicator = "QD11-01";
  options.format = "csv";
  ASSERT_TRUE(RunSeries(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(),
            absl::StrCat(kUtf8Bom, CsvLine(RollupCsvColumns()),
                         "QD11-01,31,2026-01,9,10,90.00,,unspecified,0,0,,,,,"
                         "total,\n",
                         "QD11-01,31,2026-02,,,,,unspecified,0,0,,,,,total,\n",
                         "QD11-01,31,2026-03,1,3,33.33,,unspecified,0,0,,,,,"
                         "total,\n"));
  options.indicator = "XX-1";
  absl::Status unknown = RunSeries(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(unknown));
  EXPECT_THAT(unknown.message(), HasSubstr("--indicator: 'XX-1'"));
}

TEST_F(CommandsTest, SeriesChecksItsFlagsAndNamesThemInTheNodesErrors) {
  Options options;
  options.to = "2026-03";
  absl::Status s = RunSeries(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(s));
  EXPECT_EQ(s.message(), "missing --from");
  options.from = "2026-13";
  s = RunSeries(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(s));
  EXPECT_THAT(std::string(s.message()), StartsWith("--from: period '2026-13'"));
  options.from = "2026-01";
  options.format = "xlsx";
  EXPECT_TRUE(IsUsageError(RunSeries(*client_, options, out_)));
  {
    absl::MutexLock lock(&node_.mu);
    EXPECT_TRUE(node_.series_requests.empty());
    node_.fail = grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        "last_period: 2026-Q1 is not of the kind of 2026-01 (monthly)");
  }
  options.format = "table";
  options.to = "2026-Q1";
  s = RunSeries(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(s));  // the range is the user's
  EXPECT_EQ(s.message(),
            "--to: 2026-Q1 is not of the kind of 2026-01 (monthly)");
}

TEST_F(CommandsTest, TemplateIsACsvWhateverItsName) {
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.out = ::testing::TempDir() + "/template.xlsx";
  absl::Status s = RunTemplate(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(s));
  EXPECT_THAT(s.message(), HasSubstr("a template is a CSV"));
}

TEST_F(CommandsTest, TemplateToAFile) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.template_response.add_indicators()->set_code("QD11-12");
    node_.template_response.add_targets();
  }
  Options options;
  options.unit = "HP-W01";
  options.period = "2026-03";
  options.out = ::testing::TempDir() + "/template.csv";
  ASSERT_TRUE(RunTemplate(*client_, options, out_).ok());
  std::ifstream in(options.out, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_THAT(bytes.str(), StartsWith("\xEF\xBB\xBFindicator,numerator,"));
  EXPECT_THAT(bytes.str(), HasSubstr("\r\nQD11-12,,,,,,,,\r\n"));
  EXPECT_THAT(out_.str(), HasSubstr("1 indicators"));
}

TEST_F(CommandsTest, ClockSetAndAdvance) {
  Options options;
  options.args = {"advance"};
  options.by = "24h";
  ASSERT_TRUE(RunClock(*client_, options, out_).ok());
  options.args = {"set"};
  options.by.clear();
  options.time = "2026-03-10T08:00:00+07:00";
  ASSERT_TRUE(RunClock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("now: 2026-03-10T08:00:00+07:00"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.clocks.size(), 2u);
  EXPECT_EQ(node_.clocks[0].advance().seconds(), 86400);
  EXPECT_EQ(node_.clocks[1].time().seconds(), 1773104400);
}

TEST_F(CommandsTest, InfoAndClock) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.info.set_unit("HP");
    node_.info.mutable_now()->set_seconds(1773104400);
  }
  Options options;
  ASSERT_TRUE(RunInfo(*client_, options, out_).ok());
  ASSERT_TRUE(RunClock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("unit: HP\n"));
  EXPECT_THAT(out_.str(),
              HasSubstr("2026-03-10T08:00:00+07:00 (real clock)\n"));
}

TEST_F(CommandsTest, FinalizeSendsUnitPeriodAndActor) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.finalize_response.mutable_finalized_time()->set_seconds(1773104400);
    node_.finalize_response.mutable_due()->set_seconds(1773939600);
    node_.finalize_response.set_on_time(true);
  }
  Options options;
  options.period = "2026-03";
  options.actor = "Nguyễn Văn A";
  ASSERT_TRUE(RunFinalize(*client_, options, out_).ok());
  options.unit = "10525";
  ASSERT_TRUE(RunFinalize(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("đã chốt báo cáo tổng hợp của nút"));
  EXPECT_THAT(out_.str(), HasSubstr("đã chốt báo cáo của đơn vị 10525"));
  EXPECT_THAT(out_.str(), HasSubstr("Chốt lúc: 10/03/2026 08:00\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Đánh giá: đúng hạn\n"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.finalizes.size(), 2u);
  EXPECT_EQ(node_.finalizes[0].unit(), "");
  EXPECT_EQ(node_.finalizes[0].period(), "2026-03");
  EXPECT_EQ(node_.finalizes[0].actor(), "Nguyễn Văn A");
  EXPECT_EQ(node_.finalizes[1].unit(), "10525");
}

TEST_F(CommandsTest, LockAndUnlock) {
  Options options;
  options.period = "2026-03";
  options.actor = "Trần Thị B";
  ASSERT_TRUE(RunLock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith("Kỳ 2026-03: đang khoá"));
  EXPECT_THAT(out_.str(),
              HasSubstr("10/03/2026 08:00  khoá      Trần Thị B\n"));
  out_.str("");
  ASSERT_TRUE(RunUnlock(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith("Kỳ 2026-03: không khoá\n"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.locks.size(), 2u);
  EXPECT_TRUE(node_.locks[0].locked());
  EXPECT_FALSE(node_.locks[1].locked());
  EXPECT_EQ(node_.locks[1].actor(), "Trần Thị B");
  EXPECT_EQ(node_.locks[1].period(), "2026-03");
}

TEST_F(CommandsTest, StatusAndLaggardsFormats) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.status.set_unit("31");
    node_.status.set_period("2026-03");
    node_.status.mutable_self()->set_unit("31");
  }
  Options options;
  options.period = "2026-03";
  options.format = "csv";
  ASSERT_TRUE(RunStatus(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(),
              StartsWith(absl::StrCat(kUtf8Bom, CsvLine(StatusCsvColumns()))));
  EXPECT_THAT(out_.str(), HasSubstr("\n31,,unspecified,0,,,,,,,\n"));
  out_.str("");
  options.format = "json";
  ASSERT_TRUE(RunStatus(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("\"state\": \"REPORT_STATE_UNSPECIFIED\""));
  out_.str("");
  options.format = "table";
  ASSERT_TRUE(RunLaggards(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("Nút không có đơn vị trực thuộc.\n"));
  out_.str("");
  options.format = "csv";
  ASSERT_TRUE(RunLaggards(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), absl::StrCat(kUtf8Bom, CsvLine(LaggardsCsvColumns())));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.statuses.size(), 4u);
  EXPECT_EQ(node_.statuses[0].period(), "2026-03");
}

TEST_F(CommandsTest, NewCommandsCheckTheirFlagsBeforeCalling) {
  Options options;
  EXPECT_TRUE(IsUsageError(RunFinalize(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunLock(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunUnlock(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunStatus(*client_, options, out_)));
  EXPECT_TRUE(IsUsageError(RunLaggards(*client_, options, out_)));
  options.period = "2026-13";
  EXPECT_TRUE(IsUsageError(RunStatus(*client_, options, out_)));
  options.period = "2026-03";
  options.format = "json";
  absl::Status status = RunLaggards(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_EQ(status.message(), "--format: 'json' is not table, csv or xlsx");
  options.format = "xml";
  EXPECT_TRUE(IsUsageError(RunStatus(*client_, options, out_)));
  options.format = "table";
  options.args = {"extra"};
  EXPECT_TRUE(IsUsageError(RunLock(*client_, options, out_)));
  absl::MutexLock lock(&node_.mu);
  EXPECT_TRUE(node_.finalizes.empty());
  EXPECT_TRUE(node_.locks.empty());
  EXPECT_TRUE(node_.statuses.empty());
}

TEST_F(CommandsTest, FinalizeRefusedByTheNode) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.fail = grpc::Status(grpc::StatusCode::NOT_FOUND,
                              "unit: 10525 has submitted nothing");
  }
  Options options;
  options.period = "2026-03";
  options.unit = "10525";
  absl::Status status = RunFinalize(*client_, options, out_);
  EXPECT_FALSE(IsUsageError(status));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(out_.str(), "");
}

// A reminder as a city node plans it (Fri 13/03/2026 08:00, Vietnam time).
v1::Reminder PlannedReminder(v1::Reminder::State state) {
  v1::Reminder r;
  r.set_id("2026-03.before-5.10525.webhook1");
  r.set_period("2026-03");
  r.set_step("before-5");
  r.set_kind("reminder");
  r.set_unit("10525");
  r.set_unit_name("Phường Hồng Bàng");
  r.set_channel("webhook1");
  r.mutable_deadline()->set_seconds(1773939600);
  r.mutable_due_time()->set_seconds(1773363600);
  r.set_state(state);
  r.set_subject("[tonghop] Nhắc gửi báo cáo kỳ 2026-03");
  r.set_body("Kính gửi Phường Hồng Bàng (10525),\n");
  return r;
}

TEST_F(CommandsTest, RemindPreviewAsksForAPreviewAndPrintsIt) {
  {
    absl::MutexLock lock(&node_.mu);
    v1::Reminder r = PlannedReminder(v1::Reminder::STATE_UNSPECIFIED);
    r.set_channel("inband");
    *node_.reminders.add_reminders() = r;
    r.set_step("escalation");
    r.set_kind("escalation");
    r.set_unit("31");
    r.set_unit_name("Thành phố Hải Phòng");
    r.add_missing("10525 Phường Hồng Bàng (chưa gửi)");
    *node_.reminders.add_reminders() = r;
  }
  Options options;
  options.preview = true;
  options.period = "2026-03";
  ASSERT_TRUE(RunRemind(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith("Lời nhắc dự kiến — kỳ 2026-03"));
  EXPECT_THAT(out_.str(), HasSubstr("trước ngày 20/03/2026\n"));
  EXPECT_THAT(out_.str(), HasSubstr("T6 13/03/2026 08:00  before-5    nhắc"));
  EXPECT_THAT(out_.str(), HasSubstr("báo cáo chậm (văn phòng)"));
  EXPECT_THAT(out_.str(), HasSubstr("(2 lời nhắc)\n"));
  out_.str("");
  options.format = "csv";
  ASSERT_TRUE(RunRemind(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), StartsWith(absl::StrCat(
                              kUtf8Bom, CsvLine(RemindersCsvColumns()))));
  EXPECT_THAT(out_.str(),
              HasSubstr(",escalation,31,Thành phố Hải Phòng,inband,,"
                        "2026-03-13T08:00:00+07:00,,0,,10525 Phường Hồng Bàng "
                        "(chưa gửi),\n"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.reminder_requests.size(), 2u);
  EXPECT_EQ(node_.reminder_requests[0].period(), "2026-03");
  EXPECT_TRUE(node_.reminder_requests[0].preview());
  EXPECT_FALSE(node_.reminder_requests[0].sent());
}

TEST_F(CommandsTest, RemindChecksItsFlagsBeforeCalling) {
  Options options;
  options.period = "2026-03";
  absl::Status status = RunRemind(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_THAT(std::string(status.message()),
              StartsWith("remind: only --preview exists (nodes send their "
                         "reminders by themselves)"));
  options.preview = true;
  options.period.clear();
  EXPECT_TRUE(IsUsageError(RunRemind(*client_, options, out_)));
  options.period = "2026-13";
  EXPECT_TRUE(IsUsageError(RunRemind(*client_, options, out_)));
  options.period = "2026-03";
  options.format = "json";
  status = RunRemind(*client_, options, out_);
  EXPECT_EQ(status.message(), "--format: 'json' is not table, csv or xlsx");
  options.format = "table";
  options.args = {"now"};
  EXPECT_TRUE(IsUsageError(RunRemind(*client_, options, out_)));
  absl::MutexLock lock(&node_.mu);
  EXPECT_TRUE(node_.reminder_requests.empty());
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CommandsTest, RemindersSentAsksForTheSentOnesAndPrintsThem) {
  {
    absl::MutexLock lock(&node_.mu);
    v1::Reminder r = PlannedReminder(v1::Reminder::STATE_PENDING);
    r.set_attempts(2);
    r.set_last_error("UNAVAILABLE: connection refused");
    *node_.reminders.add_reminders() = r;
  }
  Options options;
  options.sent = true;
  options.period = "2026-03";
  ASSERT_TRUE(RunReminders(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(),
              StartsWith("Lời nhắc nút đã lập và gửi — kỳ 2026-03\n"));
  EXPECT_THAT(out_.str(), HasSubstr("webhook1  đang chờ gửi  —\n"));
  EXPECT_THAT(out_.str(),
              HasSubstr("2026-03.before-5.10525.webhook1: 2 lần thử; lỗi gần "
                        "nhất: UNAVAILABLE: connection refused\n"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("Tiêu đề")));
  out_.str("");
  options.full = true;
  ASSERT_TRUE(RunReminders(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(),
              HasSubstr("  Tiêu đề: [tonghop] Nhắc gửi báo cáo kỳ 2026-03\n"
                        "  Nội dung:\n    Kính gửi Phường Hồng Bàng "
                        "(10525),\n"));
  out_.str("");
  options.full = false;
  options.format = "csv";
  ASSERT_TRUE(RunReminders(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(),
              HasSubstr(",webhook1,pending,2026-03-13T08:00:00+07:00,,2,"
                        "UNAVAILABLE: connection refused,,\n"));
  out_.str("");
  options.format = "json";
  ASSERT_TRUE(RunReminders(*client_, options, out_).ok());
  EXPECT_THAT(out_.str(), HasSubstr("\"state\": \"STATE_PENDING\""));
  EXPECT_THAT(out_.str(), HasSubstr("\"attempts\": 2"));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.reminder_requests.size(), 4u);
  for (const v1::ListRemindersRequest& request : node_.reminder_requests) {
    EXPECT_EQ(request.period(), "2026-03");
    EXPECT_TRUE(request.sent());
    EXPECT_FALSE(request.preview());
  }
}

TEST_F(CommandsTest, RemindersReceivedByDefaultForEveryPeriod) {
  Options options;
  ASSERT_TRUE(RunReminders(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(),
            "Lời nhắc gửi đến nút này — mọi kỳ\n\nKhông có lời nhắc nào.\n");
  out_.str("");
  options.format = "csv";
  ASSERT_TRUE(RunReminders(*client_, options, out_).ok());
  EXPECT_EQ(out_.str(), absl::StrCat(kUtf8Bom, CsvLine(RemindersCsvColumns())));
  // Usage errors, before any call.
  options.full = true;
  absl::Status status = RunReminders(*client_, options, out_);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_EQ(status.message(), "--full goes with --format=table");
  options.full = false;
  options.format = "xml";
  EXPECT_TRUE(IsUsageError(RunReminders(*client_, options, out_)));
  options.format = "table";
  options.period = "2026-3";
  EXPECT_TRUE(IsUsageError(RunReminders(*client_, options, out_)));
  absl::MutexLock lock(&node_.mu);
  ASSERT_EQ(node_.reminder_requests.size(), 2u);
  EXPECT_EQ(node_.reminder_requests[0].period(), "");
  EXPECT_FALSE(node_.reminder_requests[0].sent());
  EXPECT_FALSE(node_.reminder_requests[0].preview());
}

TEST_F(CommandsTest, InfoListsTheReminderChannels) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.info.set_unit("31");
    v1::ChannelStatus* channel = node_.info.add_channels();
    channel->set_key("webhook1");
    channel->set_name("webhook:http://127.0.0.1:9/none");
    channel->set_pending(4);
  }
  ASSERT_TRUE(RunInfo(*client_, Options(), out_).ok());
  EXPECT_THAT(out_.str(),
              HasSubstr("\nchannel webhook1 (webhook:http://127.0.0.1:9/none): "
                        "4 pending, 0 sent since start\n"));
}

TEST_F(CommandsTest, RemindersRefusedByTheNode) {
  {
    absl::MutexLock lock(&node_.mu);
    node_.fail = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              "period: required for a preview");
  }
  Options options;
  options.sent = true;
  absl::Status status = RunReminders(*client_, options, out_);
  EXPECT_FALSE(IsUsageError(status));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace tonghop::cli
