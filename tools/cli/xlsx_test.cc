// WriteXlsx: what a spreadsheet shows of a Sheet, read back from the file.
#include "tools/cli/xlsx.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/sheet.h"
#include "tools/cli/xlsx_testing.h"

namespace tonghop::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadCells;
using testing::XlsxCell;
using testing::ZipEntry;

class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string PathOf(const std::string& name) { return (dir_ / name).string(); }

  fs::path dir_;
};

Sheet Typed() {
  using K = CellKind;
  return Sheet{"Tổng hợp 31 2026-03",
               {{"code"},
                {"count", K::kInteger},
                {"value", K::kDecimal},
                {"when", K::kTime},
                {"note"}},
               {{"01", "4500", "90.91", "2026-03-20T08:00:00+07:00",
                 "=HYPERLINK(\"http://x\")"},
                {"00004", "", "7", "", "Hà Nội — ghi chú <b>&"},
                {"79", "9007199254740993", "abc", "not a time", ""},
                {"-", "-12", "-0.5", "2026-03-20T01:00:00Z", "+84 912"}}};
}

TEST_F(XlsxTest, CellsAreTypedByTheirColumn) {
  const std::string path = PathOf("typed.xlsx");
  ASSERT_TRUE(WriteXlsx(Typed(), path).ok());
  auto cells = ReadCells(path);
  ASSERT_TRUE(cells.ok()) << cells.status();
  auto cell = [&](const std::string& ref) {
    auto it = cells->find(ref);
    return it == cells->end() ? XlsxCell{"<blank>", false, ""} : it->second;
  };

  // The header: the column names, as text.
  EXPECT_EQ(cell("A1").text, "code");
  EXPECT_TRUE(cell("A1").string);
  EXPECT_EQ(cell("E1").text, "note");

  // Codes stay text, with their leading zeros.
  EXPECT_EQ(cell("A2").text, "01");
  EXPECT_TRUE(cell("A2").string);
  EXPECT_EQ(cell("A3").text, "00004");
  EXPECT_TRUE(cell("A3").string);

  // Integers and decimals are numbers, shown with the decimals they had.
  EXPECT_EQ(cell("B2").text, "4500");
  EXPECT_FALSE(cell("B2").string);
  EXPECT_EQ(cell("B2").format, "0");
  EXPECT_EQ(cell("B5").text, "-12");
  EXPECT_FALSE(cell("B5").string);
  EXPECT_EQ(std::stod(cell("C2").text), 90.91);
  EXPECT_FALSE(cell("C2").string);
  EXPECT_EQ(cell("C2").format, "0.00");
  EXPECT_EQ(cell("C3").text, "7");
  EXPECT_EQ(cell("C3").format, "0");
  EXPECT_EQ(std::stod(cell("C5").text), -0.5);
  EXPECT_EQ(cell("C5").format, "0.0");

  // An empty cell is blank, not a zero.
  EXPECT_EQ(cell("B3").text, "<blank>");
  EXPECT_EQ(cell("D3").text, "<blank>");

  // A time is a date serial (days since 1899-12-30) at Vietnam's wall time,
  // whatever offset the text carried.
  const double day = static_cast<double>(absl::CivilDay(2026, 3, 20) -
                                         absl::CivilDay(1899, 12, 30));
  for (const char* ref : {"D2", "D5"}) {
    double serial = 0;
    ASSERT_TRUE(absl::SimpleAtod(cell(ref).text, &serial)) << ref;
    EXPECT_NEAR(serial, day + 8.0 / 24, 1e-9) << ref;
    EXPECT_FALSE(cell(ref).string);
    EXPECT_EQ(cell(ref).format, "dd/mm/yyyy hh:mm:ss");
  }

  // What is not of its column's kind stays text, nothing lost: an integer a
  // spreadsheet would round, a word in a number column, a time it cannot read.
  EXPECT_EQ(cell("B4").text, "9007199254740993");
  EXPECT_TRUE(cell("B4").string);
  EXPECT_EQ(cell("C4").text, "abc");
  EXPECT_TRUE(cell("C4").string);
  EXPECT_EQ(cell("D4").text, "not a time");
  EXPECT_TRUE(cell("D4").string);

  // Text is never a formula, and Vietnamese and markup come back as written.
  EXPECT_EQ(cell("E2").text, "=HYPERLINK(\"http://x\")");
  EXPECT_TRUE(cell("E2").string);
  EXPECT_EQ(cell("E3").text, "Hà Nội — ghi chú <b>&");
  EXPECT_EQ(cell("E5").text, "+84 912");
  auto sheet = ZipEntry(path, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet.ok());
  EXPECT_THAT(*sheet, ::testing::Not(HasSubstr("<f>")));
}

TEST_F(XlsxTest, ANumberADoubleWouldRoundStaysText) {
  using K = CellKind;
  Sheet sheet{"t", {{"value", K::kDecimal}}, {}};
  for (const char* text : {"12345678901234567", "1234567890.12345",
                           "0.000000000000001", "10000000000000000"}) {
    sheet.rows.push_back({text});
  }
  const std::string path = PathOf("digits.xlsx");
  ASSERT_TRUE(WriteXlsx(sheet, path).ok());
  auto cells = ReadCells(path);
  ASSERT_TRUE(cells.ok()) << cells.status();
  EXPECT_TRUE((*cells)["A2"].string);   // 17 significant digits
  EXPECT_FALSE((*cells)["A3"].string);  // 15
  EXPECT_FALSE((*cells)["A4"].string);  // 1, after 14 zeros
  EXPECT_TRUE((*cells)["A5"].string);   // 17 digits, exact only as text
  EXPECT_EQ((*cells)["A5"].text, "10000000000000000");
}

TEST_F(XlsxTest, ACellExcelCannotHoldFailsTheExportNamingIt) {
  Sheet sheet{"t", {{"note"}}, {{"short"}, {std::string(40000, 'x')}}};
  const std::string path = PathOf("long.xlsx");
  absl::Status s = WriteXlsx(sheet, path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("--out: cannot write " + path + ": A3: "));
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(XlsxTest, HeaderIsFrozenAndFilteredAndTheSheetNamedByTheTitle) {
  const std::string path = PathOf("layout.xlsx");
  ASSERT_TRUE(WriteXlsx(Typed(), path).ok());
  auto sheet = ZipEntry(path, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet.ok()) << sheet.status();
  EXPECT_THAT(*sheet, HasSubstr("ySplit=\"1\""));
  EXPECT_THAT(*sheet, HasSubstr("<autoFilter ref=\"A1:E5\"/>"));
  auto workbook = ZipEntry(path, "xl/workbook.xml");
  ASSERT_TRUE(workbook.ok());
  EXPECT_THAT(*workbook, HasSubstr("name=\"Tổng hợp 31 2026-03\""));
  auto core = ZipEntry(path, "docProps/core.xml");
  ASSERT_TRUE(core.ok());
  EXPECT_THAT(*core, HasSubstr("<dc:title>Tổng hợp 31 2026-03</dc:title>"));
}

TEST_F(XlsxTest, SheetNameDropsWhatExcelRefusesAndKeeps31Characters) {
  Sheet sheet = Typed();
  sheet.title = "Nhật ký [2026/03]: đơn vị 31.SKHCN và các phường";
  const std::string path = PathOf("name.xlsx");
  ASSERT_TRUE(WriteXlsx(sheet, path).ok());
  auto workbook = ZipEntry(path, "xl/workbook.xml");
  ASSERT_TRUE(workbook.ok());
  // 31 code points, diacritics counted as one each.
  EXPECT_THAT(*workbook, HasSubstr("name=\"Nhật ký -2026-03-- đơn vị 31.SK\""));
}

TEST_F(XlsxTest, EmptySheetHasItsHeaderOnly) {
  Sheet sheet = Typed();
  sheet.rows.clear();
  const std::string path = PathOf("empty.xlsx");
  ASSERT_TRUE(WriteXlsx(sheet, path).ok());
  auto cells = ReadCells(path);
  ASSERT_TRUE(cells.ok()) << cells.status();
  EXPECT_EQ(cells->size(), 5u);
  EXPECT_EQ((*cells)["D1"].text, "when");
}

TEST_F(XlsxTest, FailureNamesOutAndLeavesNoFile) {
  // A folder that does not exist.
  const std::string missing = PathOf("no-such-folder/out.xlsx");
  absl::Status s = WriteXlsx(Typed(), missing);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("--out: cannot write " + missing));

  // A folder where the file should go.
  const std::string folder = PathOf("taken.xlsx");
  fs::create_directories(folder);
  s = WriteXlsx(Typed(), folder);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "--out: cannot write " + folder + ": it is a folder");
  EXPECT_TRUE(fs::is_directory(folder));
  // Nothing else was left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(XlsxTest, TextShowsAsWrittenAndTheFileStaysValidXml) {
  using K = CellKind;
  Sheet sheet{"t", {{"note"}, {"count", K::kInteger}}, {}};
  // U+FFFE and U+FFFF (noncharacters XML forbids) in a note; a literal
  // "_x0041_", which a spreadsheet would otherwise show as "A".
  sheet.rows.push_back(
      {"a\xEF\xBF\xBE"
       "b\xEF\xBF\xBF"
       "c",
       "x\xEF\xBF\xBE"});
  sheet.rows.push_back({"_x0041_ và _x000D_, _x12_ _xZZZZ_", ""});
  const std::string path = PathOf("text.xlsx");
  ASSERT_TRUE(WriteXlsx(sheet, path).ok());
  auto strings = ZipEntry(path, "xl/sharedStrings.xml");
  ASSERT_TRUE(strings.ok());
  EXPECT_EQ(strings->find("\xEF\xBF\xBE"), std::string::npos);
  EXPECT_EQ(strings->find("\xEF\xBF\xBF"), std::string::npos);
  auto cells = ReadCells(path);
  ASSERT_TRUE(cells.ok()) << cells.status();
  EXPECT_EQ((*cells)["A2"].text,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c");
  EXPECT_EQ((*cells)["B2"].text, "x\xEF\xBF\xBD");  // not a number: text
  // Stored escaped, so that a spreadsheet decodes it back to what was
  // written; only the well-formed "_xHHHH_" need it.
  EXPECT_EQ((*cells)["A3"].text,
            "_x005F_x0041_ và _x005F_x000D_, _x12_ _xZZZZ_");
}

TEST_F(XlsxTest, WritesThroughASymbolicLinkKeepingThePermissions) {
  const std::string real = PathOf("real.xlsx");
  ASSERT_TRUE(WriteXlsx(Typed(), real).ok());
  fs::permissions(real, fs::perms::owner_read | fs::perms::owner_write);
  fs::create_symlink("real.xlsx", PathOf("link.xlsx"));
  Sheet one = Typed();
  one.rows.resize(1);
  ASSERT_TRUE(WriteXlsx(one, PathOf("link.xlsx")).ok());
  EXPECT_TRUE(fs::is_symlink(PathOf("link.xlsx")));
  auto cells = ReadCells(real);
  ASSERT_TRUE(cells.ok()) << cells.status();
  EXPECT_EQ(cells->count("A3"), 0u);
  EXPECT_EQ(fs::status(real).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(XlsxTest, ReplacesAnEarlierFileOnlyWhenWhole) {
  const std::string path = PathOf("again.xlsx");
  ASSERT_TRUE(WriteXlsx(Typed(), path).ok());
  Sheet second = Typed();
  second.rows.resize(1);
  ASSERT_TRUE(WriteXlsx(second, path).ok());
  auto cells = ReadCells(path);
  ASSERT_TRUE(cells.ok());
  EXPECT_EQ(cells->count("A2"), 1u);
  EXPECT_EQ(cells->count("A3"), 0u);
}

}  // namespace
}  // namespace tonghop::cli
