#include "tools/cli/text_output.h"

#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace tonghop::cli {
namespace {

TEST(TextOutputTest, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("Đánh giá"), 8);
  EXPECT_EQ(DisplayWidth("chưa có số liệu"), 15);
  EXPECT_EQ(DisplayWidth("—"), 1);
  EXPECT_EQ(DisplayWidth("a\xCC\x81"), 1);  // decomposed "á": a + U+0301
  EXPECT_EQ(DisplayWidth("\xFF"
                         "a"),
            2);  // a stray byte counts one
}

TEST(TextOutputTest, PadUsesDisplayWidth) {
  EXPECT_EQ(Pad("đạt", 5), "đạt  ");
  EXPECT_EQ(Pad("7", 3, Align::kRight), "  7");
  EXPECT_EQ(Pad("toolong", 3), "toolong");
}

TEST(TextOutputTest, TableAlignsVietnameseText) {
  TextTable table({"Tên", "Số", "Ghi chú"}, {Align::kLeft, Align::kRight});
  table.AddRow({"Phường Hồng Bàng", "1", "đạt"});
  table.AddRow({"Xã", "22"});
  EXPECT_EQ(table.Render(),
            "Tên               Số  Ghi chú\n"
            "----------------  --  -------\n"
            "Phường Hồng Bàng   1  đạt\n"
            "Xã                22\n");
  EXPECT_EQ(table.rows(), 2);
  std::vector<std::string> lines = absl::StrSplit(table.Render("  "), '\n');
  EXPECT_EQ(lines[0].substr(0, 6), "  Tên");  // "ê" takes 2 bytes
}

TEST(TextOutputTest, TablesWidenedToEachOtherLineUp) {
  TextTable a({"Mã", "Đánh giá"});
  a.AddRow({"QD11-01", "đạt"});
  TextTable b({"Mã", "Đánh giá"});
  b.AddRow({"X", "chưa có số liệu"});
  EXPECT_EQ(a.Widths(), (std::vector<int>{7, 8}));
  a.WidenTo(b.Widths());
  b.WidenTo(a.Widths());
  EXPECT_EQ(a.Widths(), (std::vector<int>{7, 15}));
  EXPECT_EQ(b.Widths(), a.Widths());
  EXPECT_EQ(b.Render(),
            "Mã       Đánh giá\n"
            "-------  ---------------\n"
            "X        chưa có số liệu\n");
}

TEST(TextOutputTest, CsvQuoting) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvLine({"a", "b,c", ""}), "a,\"b,c\",\n");
  EXPECT_EQ(CsvLine({"x"}, "\r\n"), "x\r\n");
}

TEST(CsvFieldTest, WhatASpreadsheetWouldRunStaysText) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("=100"), "'=100");
  EXPECT_EQ(CsvField("+84 912"), "'+84 912");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("-1+2"), "'-1+2");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  // Plain numbers and text that cannot run are as they were.
  EXPECT_EQ(CsvField("-5"), "-5");
  EXPECT_EQ(CsvField("-0.25"), "-0.25");
  EXPECT_EQ(CsvField(">=80"), ">=80");
  EXPECT_EQ(CsvField("a=b"), "a=b");
}

}  // namespace
}  // namespace tonghop::cli
