#include "libs/base/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, ParsesQuotesBomCrlfAndMultilineFields) {
  auto rows = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n\r\nlast,\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_THAT((*rows)[0].fields, ElementsAre("a", "b"));
  EXPECT_THAT((*rows)[1].fields, ElementsAre("x, \"y\"", "two\nlines"));
  EXPECT_EQ((*rows)[1].line, 2);
  EXPECT_THAT((*rows)[2].fields, ElementsAre("last", ""));
  EXPECT_EQ((*rows)[2].line, 5);
  // Which fields were written in quotes ("" quoted is not the same as empty).
  EXPECT_THAT((*rows)[0].quoted, ElementsAre(false, false));
  EXPECT_THAT((*rows)[1].quoted, ElementsAre(true, true));
  EXPECT_THAT((*rows)[2].quoted, ElementsAre(false, false));
  auto empty_quoted = ParseCsv("\"\",x\n");
  ASSERT_TRUE(empty_quoted.ok()) << empty_quoted.status();
  EXPECT_THAT((*empty_quoted)[0].quoted, ElementsAre(true, false));
}

TEST(CsvTest, LastLineWithoutNewline) {
  auto rows = ParseCsv("a,b\n1,2");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_THAT((*rows)[1].fields, ElementsAre("1", "2"));
}

TEST(CsvTest, RejectsBadQuotingWithLineNumber) {
  EXPECT_THAT(ParseCsv("a\nb\"c\n").status().message(), HasSubstr("line 2"));
  EXPECT_THAT(ParseCsv("a\n\"b\"c\n").status().message(), HasSubstr("line 2"));
  EXPECT_THAT(ParseCsv("a\n\n\"open\n").status().message(),
              HasSubstr("line 3"));
}

TEST(CsvTableTest, ColumnsByNameAndFieldCount) {
  auto t =
      CsvTable::Parse("code,name\nA,Phường Hải Dương\n", "units.csv", {"code"});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->size(), 1);
  EXPECT_EQ(t->Get(0, "name"), "Phường Hải Dương");
  EXPECT_EQ(t->Get(0, "absent"), "");
  EXPECT_EQ(t->line(0), 2);

  auto missing = CsvTable::Parse("code\nA\n", "units.csv", {"code", "name"});
  EXPECT_THAT(missing.status().message(), HasSubstr("missing column 'name'"));
  auto ragged = CsvTable::Parse("code,name\nA\n", "units.csv", {});
  EXPECT_THAT(ragged.status().message(),
              HasSubstr("units.csv: line 2: 1 fields"));
}

TEST(CsvTableTest, RejectsInvalidUtf8) {
  auto t = CsvTable::Parse("code\n\xC3\x28\n", "x.csv", {});
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsValidUtf8("Cần Thơ"));
  EXPECT_FALSE(IsValidUtf8("\xE1\xBA"));      // truncated sequence
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

}  // namespace
TEST(Utf8ProblemTest, NamesTheLineOrTheEncoding) {
  EXPECT_EQ(Utf8Problem("a,b\nPhường,1\n"), "");
  EXPECT_EQ(Utf8Problem(""), "");
  EXPECT_THAT(Utf8Problem("a,b\nok,1\nPh\xf2ng,2\n"),
              ::testing::StartsWith("line 3: not valid UTF-8 text"));
  EXPECT_THAT(Utf8Problem("\xff\xfe"
                          "a\0,\0"),
              ::testing::StartsWith("UTF-16 text"));
  EXPECT_THAT(Utf8Problem(std::string("a\0,\0b\0", 6)),
              ::testing::StartsWith("UTF-16 text"));
}

}  // namespace tonghop
