// The tonghop CLI against a real node: template, submit (Excel-style CSV),
// rollup as CSV and as a workbook that says the same, precise errors with line
// numbers that store nothing, and a re-run that changes nothing.
#include <fstream>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/csv.h"
#include "tests/harness/node_process.h"
#include "tools/cli/xlsx_testing.h"

namespace tonghop::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using ::tonghop::cli::testing::ReadCells;
using ::tonghop::cli::testing::XlsxCell;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    for (const char* code : {"10507", "10525", "31.VP", "31.SKHCN"}) {
      auto* c = config.add_children();
      c->set_code(code);
      c->set_kind(v1::ChildConfig::KIND_UNIT);
    }
    auto node = NodeProcess::Start(dir_.path() + "/city", config);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  CommandResult Run(const std::string& args, bool merge = false) {
    return RunCommand(Cli(*node_) + " " + args, merge);
  }
  // rollup --format=csv as rows keyed by "indicator/unit", columns by header
  // name.
  std::map<std::string, std::map<std::string, std::string>> RollupCsv(
      const std::string& args) {
    CommandResult r = Run("rollup --period=2026-03 --format=csv " + args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> lines =
        absl::StrSplit(r.output, '\n', absl::SkipEmpty());
    std::map<std::string, std::map<std::string, std::string>> out;
    if (lines.empty()) return out;
    // Every CSV starts with a UTF-8 BOM, for Excel.
    EXPECT_TRUE(absl::StartsWith(lines[0], "\xEF\xBB\xBF")) << lines[0];
    std::vector<std::string> header =
        absl::StrSplit(absl::StripPrefix(lines[0], "\xEF\xBB\xBF"), ',');
    for (size_t i = 1; i < lines.size(); ++i) {
      std::vector<std::string> fields = absl::StrSplit(lines[i], ',');
      std::map<std::string, std::string> row;
      for (size_t c = 0; c < header.size() && c < fields.size(); ++c)
        row[header[c]] = fields[c];
      out[row["indicator"] + "/" + row["unit"]] = row;
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<NodeProcess> node_;
};

TEST_F(CliTest, TemplateListsWhatAWardOwes) {
  CommandResult r = Run("template --unit=10525 --period=2026-03");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output,
              HasSubstr("indicator,numerator,denominator,value,note"));
  EXPECT_THAT(r.output, HasSubstr("QD11-01"));
  EXPECT_THAT(r.output, HasSubstr("HP-5G"));
  EXPECT_THAT(r.output, ::testing::Not(
                            HasSubstr("QD11-02")));  // a department's indicator
}

TEST_F(CliTest, SubmitThenRollupCsvIsExact) {
  // Excel style: a BOM, CRLF line ends, Vietnamese in a quoted note, an extra
  // column.
  std::string a =
      Write("a.csv",
            "\xEF\xBB\xBFindicator,numerator,denominator,value,note,name_vi\r\n"
            "QD11-01,45,50,,\"cán bộ, công chức\",Tỉ lệ\r\n"
            "QD11-07,12,12,,,\r\n");
  std::string b = Write("b.csv",
                        "indicator,numerator,denominator,value,note\n"
                        "QD11-01,5,5,,\n"
                        "QD11-07,30,30,,\n");
  std::string vp = Write("vp.csv",
                         "indicator,numerator,denominator,value,note\n"
                         "QD11-07,50,50,,\n");
  std::string skhcn = Write("skhcn.csv",
                            "indicator,numerator,denominator,value,note\n"
                            "QD11-12,,,3,lũy kế\n");
  CommandResult r =
      Run("submit --unit=10507 --period=2026-03 --file=" + a, true);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("1"));  // the receipt names revision 1
  ASSERT_EQ(
      Run("submit --unit=10525 --period=2026-03 --file=" + b, true).exit_code,
      0);
  ASSERT_EQ(
      Run("submit --unit=31.VP --period=2026-03 --file=" + vp, true).exit_code,
      0);
  ASSERT_EQ(Run("submit --unit=31.SKHCN --period=2026-03 --file=" + skhcn, true)
                .exit_code,
            0);

  auto rows = RollupCsv("--breakdown");
  CommandResult raw = Run("rollup --period=2026-03 --format=csv");
  EXPECT_THAT(
      raw.output,
      StartsWith("\xEF\xBB\xBFindicator,unit,period,numerator,denominator,"
                 "value,target,"
                 "status,reported,expected"));
  auto& q1 = rows["QD11-01/31"];
  EXPECT_EQ(q1["numerator"], "50");
  EXPECT_EQ(q1["denominator"], "55");
  EXPECT_EQ(q1["value"], "90.91");  // the ratio of sums, not the mean (95.00)
  EXPECT_EQ(q1["status"], "not_met");
  EXPECT_EQ(q1["reported"], "2");
  EXPECT_EQ(q1["expected"], "2");
  auto& q7 = rows["QD11-07/31"];
  EXPECT_EQ(q7["numerator"], "92");
  EXPECT_EQ(q7["denominator"], "92");
  EXPECT_EQ(q7["value"], "100.00");
  EXPECT_EQ(q7["status"], "met");
  EXPECT_EQ(q7["expected"], "3");  // two wards and VP
  EXPECT_EQ(rows["QD11-12/31"]["value"], "3");
  // The note a department wrote beside its figure reaches the secretariat.
  EXPECT_EQ(rows["QD11-12/31.SKHCN"]["note"], "lũy kế");
  EXPECT_THAT(Run("rollup --period=2026-03 --breakdown").output,
              HasSubstr("Ghi chú:\n  QD11-12: lũy kế\n"));
  EXPECT_EQ(rows["QD11-04/31"]["status"], "no_data");
  // Breakdown rows per child.
  EXPECT_EQ(rows["QD11-01/10507"]["value"], "90.00");
  EXPECT_EQ(rows["QD11-01/10525"]["value"], "100.00");
  EXPECT_EQ(rows["QD11-01/10525"]["status"], "met");
}

// The letters of column `c` (0-based) of a worksheet: A..Z, AA, ...
std::string ColumnLetters(size_t c) {
  std::string out;
  for (size_t n = c + 1; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return out;
}

TEST_F(CliTest, RollupWorkbookSaysWhatTheCsvSays) {
  std::string a = Write("a.csv",
                        "indicator,numerator,denominator,value,note\n"
                        "QD11-01,45,50,,\"Hà Nội, ghi chú\"\n"
                        "QD11-07,12,12,,\n");
  std::string b = Write("b.csv",
                        "indicator,numerator,denominator,value,note\n"
                        "QD11-01,5,5,,\n");
  ASSERT_EQ(
      Run("submit --unit=10507 --period=2026-03 --file=" + a, true).exit_code,
      0);
  ASSERT_EQ(
      Run("submit --unit=10525 --period=2026-03 --file=" + b, true).exit_code,
      0);
  const std::string xlsx = dir_.path() + "/baocao.xlsx";
  CommandResult w =
      Run("rollup --period=2026-03 --breakdown --format=xlsx --out=" + xlsx);
  ASSERT_EQ(w.exit_code, 0) << w.output;
  EXPECT_THAT(w.output, StartsWith("wrote " + xlsx + ": "));
  auto cells = ReadCells(xlsx);
  ASSERT_TRUE(cells.ok()) << cells.status();

  CommandResult csv = Run("rollup --period=2026-03 --breakdown --format=csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  auto records = ParseCsv(csv.output);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_GT(records->size(), 10u);
  // Cell by cell: the same text, or the same number; blank where empty.
  int numbers = 0;
  for (size_t r = 0; r < records->size(); ++r) {
    const std::vector<std::string>& fields = (*records)[r].fields;
    for (size_t c = 0; c < fields.size(); ++c) {
      const std::string ref = absl::StrCat(ColumnLetters(c), r + 1);
      auto it = cells->find(ref);
      if (fields[c].empty()) {
        EXPECT_EQ(it, cells->end()) << ref;
        continue;
      }
      ASSERT_NE(it, cells->end()) << ref << " " << fields[c];
      if (it->second.string) {
        // The CSV marks a target such as "=100" with a ' lest a spreadsheet
        // run it; a text cell needs no mark.
        const bool marked = fields[c].size() > 1 && fields[c][0] == '\'';
        EXPECT_EQ(it->second.text, marked ? fields[c].substr(1) : fields[c])
            << ref;
      } else {
        ++numbers;
        EXPECT_EQ(std::stod(it->second.text), std::stod(fields[c])) << ref;
      }
    }
  }
  EXPECT_GT(numbers, 20);
  // The city's QD11-01: 50/55 as numbers, 90.91%.
  int city_row = 0;
  for (size_t r = 2; r <= records->size(); ++r) {
    if ((*cells)[absl::StrCat("A", r)].text == "QD11-01" &&
        (*cells)[absl::StrCat("B", r)].text == "31") {
      city_row = static_cast<int>(r);
    }
  }
  ASSERT_GT(city_row, 0);
  const XlsxCell numerator = (*cells)[absl::StrCat("D", city_row)];
  EXPECT_EQ(numerator.text, "50");
  EXPECT_FALSE(numerator.string);
  EXPECT_EQ((*cells)[absl::StrCat("E", city_row)].text, "55");
  EXPECT_EQ((*cells)[absl::StrCat("F", city_row)].format, "0.00");
}

TEST_F(CliTest, SeriesIsEachMonthsRollup) {
  std::string a = Write("a.csv",
                        "indicator,numerator,denominator,value,note\n"
                        "QD11-01,45,50,,\n");
  std::string b = Write("b.csv",
                        "indicator,numerator,denominator,value,note\n"
                        "QD11-01,5,5,,\n");
  for (const char* period : {"2026-01", "2026-03"}) {
    ASSERT_EQ(Run(absl::StrCat("submit --unit=10507 --period=", period,
                               " --file=", a),
                  true)
                  .exit_code,
              0);
  }
  ASSERT_EQ(
      Run("submit --unit=10525 --period=2026-03 --file=" + b, true).exit_code,
      0);
  CommandResult series = Run("series --from=2026-01 --to=2026-03 --format=csv");
  ASSERT_EQ(series.exit_code, 0) << series.output;
  // The series' rows are the "total" rows of each month's rollup, in order.
  std::string expected;
  for (const char* period : {"2026-01", "2026-02", "2026-03"}) {
    CommandResult one =
        Run(absl::StrCat("rollup --format=csv --period=", period));
    ASSERT_EQ(one.exit_code, 0) << one.output;
    std::vector<std::string> lines = absl::StrSplit(one.output, '\n');
    if (expected.empty()) expected = lines[0] + "\n";  // BOM and header
    for (size_t i = 1; i < lines.size(); ++i) {
      if (!lines[i].empty()) absl::StrAppend(&expected, lines[i], "\n");
    }
  }
  EXPECT_EQ(series.output, expected);

  CommandResult table =
      Run("series --from=2026-01 --to=2026-03 --indicator=QD11-01");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output,
              ::testing::ContainsRegex("QD11-01 +90\\.00% +— +90\\.91%"));
  CommandResult wrong = Run("series --from=2026-03 --to=2026-01", true);
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.output,
              HasSubstr("--to: 2026-01 is before --from 2026-03"));
}

TEST_F(CliTest, ABadFileNamesTheLineAndStoresNothing) {
  std::string bad = Write("bad.csv",
                          "indicator,numerator,denominator,value,note\n"
                          "QD11-01,4,5,,\n"
                          "QD11-03X,NaN,5,,\n");
  CommandResult r =
      Run("submit --unit=10525 --period=2026-03 --file=" + bad, true);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("line 3"));
  // Numerator above denominator is caught before sending, with its line.
  std::string over =
      Write("over.csv",
            "indicator,numerator,denominator,value,note\nQD11-01,6,5,,\n");
  r = Run("submit --unit=10525 --period=2026-03 --file=" + over, true);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("line 2 (QD11-01)"));
  // What only the node can judge: a department's indicator sent by a ward, with
  // a valid one before it. The node's status and message come back; the whole
  // file is refused.
  std::string dept = Write("dept.csv",
                           "indicator,numerator,denominator,value,note\n"
                           "QD11-01,4,5,,\nQD11-02,6,7,,\n");
  r = Run("submit --unit=10525 --period=2026-03 --file=" + dept, true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("FAILED_PRECONDITION"));
  // Named by the file's line, as the CLI's own checks are.
  EXPECT_THAT(r.output, HasSubstr(dept + ": line 3: values[1] (QD11-02)"));
  auto rows = RollupCsv("");
  EXPECT_EQ(rows["QD11-01/31"]["status"], "no_data");
  EXPECT_EQ(rows["QD11-01/31"]["reported"], "0");
}

TEST_F(CliTest, RunningTheSameSubmitTwiceChangesNothing) {
  std::string a = Write(
      "a.csv", "indicator,numerator,denominator,value,note\nQD11-01,3,4,,\n");
  CommandResult first =
      Run("submit --unit=10525 --period=2026-03 --file=" + a, true);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  CommandResult second =
      Run("submit --unit=10525 --period=2026-03 --file=" + a, true);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_THAT(
      second.output,
      HasSubstr("Thay đổi: không (các số liệu này đã được lưu trước đó)"));
  v1::GetRollupRequest request;
  request.set_period("2026-03");
  request.set_unit("10525");
  v1::GetRollupResponse response;
  ASSERT_TRUE(
      node_->Reporting()->GetRollup(Context().get(), request, &response).ok());
  EXPECT_EQ(response.report().revision(), 1);

  // A correction, then the first file again (the correction taken back): a
  // third revision with the first figures, not "already received" (đã được nhận
  // trước đó).
  std::string b = Write(
      "b.csv", "indicator,numerator,denominator,value,note\nQD11-01,2,4,,\n");
  ASSERT_EQ(
      Run("submit --unit=10525 --period=2026-03 --file=" + b, true).exit_code,
      0);
  CommandResult back =
      Run("submit --unit=10525 --period=2026-03 --file=" + a, true);
  ASSERT_EQ(back.exit_code, 0) << back.output;
  EXPECT_THAT(back.output, HasSubstr("Phiên bản: 3"));
  EXPECT_THAT(back.output, Not(HasSubstr("trước đó")));
  auto rows = RollupCsv("--unit=10525");
  EXPECT_EQ(rows["QD11-01/10525"]["numerator"], "3");
  EXPECT_EQ(rows["QD11-01/10525"]["denominator"], "4");
}

TEST_F(CliTest, ErrorsGoToStderrWithANonZeroExit) {
  CommandResult r = Run("rollup --period=2026-13");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.output, "");  // nothing on stdout
  r = Run("rollup --period=2026-13", true);
  EXPECT_THAT(r.output, HasSubstr("period"));
  // Text in a legacy encoding: a usage error naming the flag, before any call.
  r = Run("finalize --period=2026-03 --actor=\"$(printf 'Nguy\\354n')\"", true);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("--actor: not valid UTF-8"));
}

}  // namespace
}  // namespace tonghop::testing
