#include "tools/cli/csv_values.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop::cli {
namespace {

using ::testing::HasSubstr;

constexpr char kHeader[] = "indicator,numerator,denominator,value,note\n";

MeasureMap Measures() {
  return {{"QD11-01", v1::MEASURE_RATIO},
          {"QD11-12", v1::MEASURE_COUNT},
          {"RANK-01", v1::MEASURE_RANK},
          {"IDX-01", v1::MEASURE_INDEX}};
}

absl::StatusOr<std::vector<v1::SubmittedValue>> Parse(absl::string_view text) {
  return ParseValuesCsv(text, "values.csv", Measures());
}

// The message of the error that parsing `body` (after the header) gives.
std::string ErrorOf(const std::string& body) {
  auto values = Parse(kHeader + body);
  EXPECT_FALSE(values.ok()) << body;
  if (values.ok()) return "";
  EXPECT_EQ(values.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(values.status().message());
}

TEST(CsvValuesTest, BomCrlfAndComments) {
  auto values = Parse(
      "\xEF\xBB\xBF"
      "indicator,numerator,denominator,value,note\r\n"
      "# tháng 3,,,,\r\n"
      "QD11-01,45,50,,Phòng Văn hóa - Xã hội\r\n"
      "\r\n"
      "#QD11-12,,,3,commented out\r\n");
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 1u);
  const v1::SubmittedValue& v = (*values)[0];
  EXPECT_EQ(v.indicator(), "QD11-01");
  ASSERT_TRUE(v.has_ratio());
  EXPECT_EQ(v.ratio().numerator(), 45);
  EXPECT_EQ(v.ratio().denominator(), 50);
  EXPECT_EQ(v.note(), "Phòng Văn hóa - Xã hội");
}

TEST(CsvValuesTest, NoBomLfEveryKindAndExtraColumns) {
  auto values = Parse(
      "indicator,numerator,denominator,value,note,name_vi,unit,measure,target\n"
      "QD11-01,0,0,,,\"Tỉ lệ cán bộ, công chức\",%,ratio,=100\n"
      "QD11-12,,,7,,Sản phẩm,sản phẩm,count,>=5\n"
      "RANK-01,,,3,,Xếp hạng,,rank,<=5\n"
      "IDX-01,,,87.25,,Chỉ số,,index,\n"
      "IDX-01X,,,,,unfilled,,index,\n");
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 4u);
  EXPECT_TRUE((*values)[0].has_ratio());
  EXPECT_EQ((*values)[0].ratio().denominator(), 0);
  EXPECT_EQ((*values)[1].number(), 7);
  EXPECT_EQ((*values)[2].number(), 3);
  ASSERT_EQ((*values)[3].kind_case(), v1::SubmittedValue::kIndex);
  EXPECT_EQ((*values)[3].index(), "87.25");
}

TEST(CsvValuesTest, CommentWithFewerFieldsAndEmptyRowsAreSkipped) {
  auto values = Parse(std::string(kHeader) +
                      "# ghi chú của đơn vị\n,,,,\n  ,, ,,\nQD11-12,,,2,\n");
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0].number(), 2);
}

TEST(CsvValuesTest, FieldsAreTrimmed) {
  auto values = Parse(std::string(kHeader) + " QD11-01 , 45 ,50 ,, note \n");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ((*values)[0].indicator(), "QD11-01");
  EXPECT_EQ((*values)[0].ratio().numerator(), 45);
  EXPECT_EQ((*values)[0].note(), "note");
}

TEST(CsvValuesTest, ClearWords) {
  auto values = Parse(
      std::string(kHeader) +
      "QD11-01,,,clear,\nQD11-12,,,xoá,\nRANK-01,,,xóa,\nIDX-01,,,CLEAR,\n");
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 4u);
  for (const auto& v : *values) EXPECT_TRUE(v.clear()) << v.indicator();
}

TEST(CsvValuesTest, UnknownIndicatorIsSentAsGiven) {
  auto values =
      Parse(std::string(kHeader) + "NEW-1,,,12,\nNEW-2,,,abc,\nNEW-3,3,4,,\n");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ((*values)[0].number(), 12);
  EXPECT_EQ((*values)[1].index(), "abc");
  EXPECT_EQ((*values)[2].ratio().numerator(), 3);
}

TEST(CsvValuesTest, RatioErrorsNameLineIndicatorAndColumn) {
  EXPECT_EQ(ErrorOf("QD11-12,,,1,\nRANK-01,,,2,\nQD11-01,abc,50,,\n"),
            "values.csv: line 4 (QD11-01): numerator: 'abc' is not a "
            "non-negative integer");
  EXPECT_EQ(ErrorOf("QD11-01,45,,,\n"),
            "values.csv: line 2 (QD11-01): denominator: missing (a ratio needs "
            "both parts)");
  EXPECT_EQ(ErrorOf("QD11-01,,50,,\n"),
            "values.csv: line 2 (QD11-01): numerator: missing (a ratio needs "
            "both parts)");
  // Before the catalog is known (the CLI's first pass), a count typed into
  // the numerator column is told where its figure goes.
  auto first_pass = ParseValuesCsv(std::string(kHeader) + "QD11-12,3,,,\n",
                                   "values.csv", MeasureMap());
  EXPECT_EQ(first_pass.status().message(),
            "values.csv: line 2 (QD11-12): denominator: missing (a ratio needs "
            "both parts; a count, rank or index goes in value)");
  EXPECT_EQ(ErrorOf("QD11-12,3,,,\n"),
            "values.csv: line 2 (QD11-12): numerator/denominator given, but "
            "QD11-12 is a count: put the figure in value");
  EXPECT_EQ(ErrorOf("QD11-12,,,1,\nQD11-01,-5,50,,\n"),
            "values.csv: line 3 (QD11-01): numerator: '-5' is negative");
  EXPECT_EQ(ErrorOf("QD11-01,5,NaN,,\n"),
            "values.csv: line 2 (QD11-01): denominator: 'NaN' is not a "
            "non-negative integer");
  EXPECT_EQ(ErrorOf("QD11-01,1e3,2000,,\n"),
            "values.csv: line 2 (QD11-01): numerator: '1e3' is not a "
            "non-negative integer");
  EXPECT_EQ(ErrorOf("QD11-01,51,50,,\n"),
            "values.csv: line 2 (QD11-01): numerator 51 is greater than "
            "denominator 50");
  EXPECT_EQ(ErrorOf("QD11-01,,,90,\n"),
            "values.csv: line 2 (QD11-01): value: QD11-01 is a ratio: give "
            "numerator and "
            "denominator, not value");
  EXPECT_EQ(ErrorOf("QD11-01,45,50,90,\n"),
            "values.csv: line 2 (QD11-01): give numerator and denominator, or "
            "value, not both");
  EXPECT_EQ(ErrorOf("QD11-01,45,50,clear,\n"),
            "values.csv: line 2 (QD11-01): value: 'clear' clears the "
            "indicator: leave numerator "
            "and denominator empty");
}

TEST(CsvValuesTest, CountRankAndIndexErrors) {
  EXPECT_EQ(ErrorOf("QD11-12,,,NaN,\n"),
            "values.csv: line 2 (QD11-12): value: 'NaN' is not a non-negative "
            "integer");
  EXPECT_EQ(ErrorOf("QD11-12,,,1e3,\n"),
            "values.csv: line 2 (QD11-12): value: '1e3' is not a non-negative "
            "integer");
  EXPECT_EQ(ErrorOf("QD11-12,,,-1,\n"),
            "values.csv: line 2 (QD11-12): value: '-1' is negative");
  EXPECT_EQ(ErrorOf("QD11-12,,,2.5,\n"),
            "values.csv: line 2 (QD11-12): value: '2.5' is not a non-negative "
            "integer");
  EXPECT_EQ(ErrorOf("QD11-12,3,4,,\n"),
            "values.csv: line 2 (QD11-12): numerator/denominator given, but "
            "QD11-12 is a count: "
            "put the figure in value");
  EXPECT_EQ(ErrorOf("RANK-01,,,0,\n"),
            "values.csv: line 2 (RANK-01): value: a rank starts at 1");
  EXPECT_EQ(ErrorOf("IDX-01,,,87.255,\n"),
            "values.csv: line 2 (IDX-01): value: '87.255' has more than 2 "
            "decimal places");
  EXPECT_EQ(
      ErrorOf("IDX-01,,,1e3,\n"),
      "values.csv: line 2 (IDX-01): value: '1e3' is not a decimal number");
  EXPECT_EQ(
      ErrorOf("IDX-01,,,NaN,\n"),
      "values.csv: line 2 (IDX-01): value: 'NaN' is not a decimal number");
}

// Vietnamese writes a decimal comma: in quotes it is taken as the decimal
// point; unquoted it splits the figure into value and note, which is refused
// rather than stored as 90 with a note "5".
TEST(CsvValuesTest, DecimalCommaOfAnIndex) {
  auto values = Parse(std::string(kHeader) +
                      "IDX-01,,,\"87,25\",\n"
                      "IDX-01X,,,90,Khảo sát 5 xã\n");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ((*values)[0].index(), "87.25");
  EXPECT_EQ((*values)[1].note(), "Khảo sát 5 xã");
  EXPECT_EQ(ErrorOf("IDX-01,,,90,5\n"),
            "values.csv: line 2 (IDX-01): value: '90' then note '5': a decimal "
            "comma splits the figure in two; write 90.5 (with a dot), or "
            "\"90,5\" in quotes (a note of digits alone must be in quotes)");
  // Three digits unquoted: not 87 with the note "255", and no advice that
  // would be refused next.
  EXPECT_EQ(ErrorOf("IDX-01,,,87,255\n"),
            "values.csv: line 2 (IDX-01): value: '87' then note '255': a comma "
            "splits the figure in two, and an index takes at most 2 decimal "
            "places and no thousands separator (a note of digits alone must be "
            "in quotes)");
  // Errors quote the figure as written, not as converted.
  EXPECT_EQ(ErrorOf("IDX-01,,,\"87,255\",\n"),
            "values.csv: line 2 (IDX-01): value: '87,255' has more than 2 "
            "decimal places");
  EXPECT_EQ(ErrorOf("IDX-01,,,\"1.234,5\",\n"),
            "values.csv: line 2 (IDX-01): value: '1.234,5' is not a decimal "
            "number");
}

// A thousands separator, unquoted, splits a count the same way: refused
// rather than stored as 1 with a note "500"; a note with a word, or digits in
// quotes, stays.
TEST(CsvValuesTest, ThousandsSeparatorOfACount) {
  EXPECT_EQ(ErrorOf("QD11-12,,,1,500\n"),
            "values.csv: line 2 (QD11-12): value: '1' then note '500': a comma "
            "splits the figure in two; write the number without a separator (a "
            "note of digits alone must be in quotes)");
  EXPECT_EQ(ErrorOf("QD11-12,,,\"1,500\",\n"),
            "values.csv: line 2 (QD11-12): value: '1,500' is not a "
            "non-negative integer");
  // A note with a word, or digits in quotes, is a note.
  auto values = Parse(std::string(kHeader) +
                      "QD11-12,,,1500,năm 2026\nIDX-01,,,87,\"2025\"\n");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ((*values)[0].number(), 1500);
  EXPECT_EQ((*values)[0].note(), "năm 2026");
  EXPECT_EQ((*values)[1].index(), "87");
  EXPECT_EQ((*values)[1].note(), "2025");
}

TEST(CsvValuesTest, RowErrors) {
  EXPECT_EQ(ErrorOf("QD11-12,,,1,\nQD11-12,,,2,\n"),
            "values.csv: line 3 (QD11-12): given twice (first at line 2)");
  EXPECT_EQ(ErrorOf(",,,5,\n"), "values.csv: line 2: indicator: missing");
  EXPECT_EQ(ErrorOf("QD11-12,,,,chưa có\n"),
            "values.csv: line 2 (QD11-12): a note without a value: fill "
            "numerator and "
            "denominator, or value (or 'clear')");
  EXPECT_EQ(ErrorOf("QD11-12,,,1\n"),
            "values.csv: line 2: 4 fields, the header has 5");
  // A note's control character is refused before anything is sent, as the
  // node would refuse it; a quoted line break is text.
  EXPECT_EQ(ErrorOf("QD11-12,,,1,a\x01"
                    "b\n"),
            "values.csv: line 2 (QD11-12): note: holds the control character "
            "U+0001 at byte 2 of 3 (line breaks and tabs are the only ones "
            "allowed)");
  EXPECT_EQ(ErrorOf("QD11-12,,,1,\"ghi\nchú\"\nQD11-01,1,,,\n"),
            "values.csv: line 4 (QD11-01): denominator: missing (a ratio needs "
            "both parts)");
}

TEST(CsvValuesTest, FileErrors) {
  auto missing =
      ParseValuesCsv("indicator,numerator,denominator,value\nQD11-12,,,1\n",
                     "values.csv", Measures());
  EXPECT_EQ(
      missing.status().message(),
      "values.csv: line 1: missing column 'note' (the header must contain "
      "indicator,numerator,denominator,value,note)");
  auto empty = Parse(std::string(kHeader) + "# nothing yet,,,,\nQD11-12,,,,\n");
  EXPECT_EQ(
      empty.status().message(),
      "values.csv: no values to submit (every row is empty or a comment)");
  EXPECT_THAT(Parse("").status().message(),
              HasSubstr("values.csv: empty file"));
  EXPECT_THAT(
      Parse(std::string(kHeader) + "QD11-12,,,1,\"open\n").status().message(),
      HasSubstr("values.csv: line 2"));
  EXPECT_THAT(
      Parse(std::string(kHeader) + "QD11-12,,,1,\xC3\n").status().message(),
      HasSubstr("values.csv: line 2: not valid UTF-8"));
}

TEST(CsvValuesTest, MeasuresOfCatalog) {
  v1::Catalog catalog;
  auto* indicator = catalog.add_indicators();
  indicator->set_code("QD11-12");
  indicator->set_measure(v1::MEASURE_COUNT);
  MeasureMap measures = MeasuresOf(catalog);
  ASSERT_EQ(measures.size(), 1u);
  EXPECT_EQ(measures.at("QD11-12"), v1::MEASURE_COUNT);
}

TEST(CsvValuesTest, ANodesRefusalIsNamedByTheLineOfTheValue) {
  std::vector<int> lines;
  auto values = ParseValuesCsv(
      "indicator,numerator,denominator,value,note\n"
      "# a comment\n"
      "QD11-01,1,2,,\n"
      "QD11-12,,,3,\n",
      "x.csv", MeasureMap(), &lines);
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ(lines, (std::vector<int>{3, 4}));
  absl::Status refused =
      absl::FailedPreconditionError("values[1] (QD11-12): not owed by a ward");
  absl::Status named = WithFileLine(refused, "x.csv", lines);
  EXPECT_EQ(named.code(), refused.code());
  EXPECT_EQ(named.message(),
            "x.csv: line 4: values[1] (QD11-12): not owed by a ward");
  // Anything else, or a place outside the file, as it was.
  for (const absl::Status& other :
       {absl::InvalidArgumentError("period: required"),
        absl::InvalidArgumentError("values[7] (X): ..."),
        absl::InvalidArgumentError("values[x]: ...")}) {
    EXPECT_EQ(WithFileLine(other, "x.csv", lines), other);
  }
}

}  // namespace
}  // namespace tonghop::cli
