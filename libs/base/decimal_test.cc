#include "libs/base/decimal.h"

#include <limits>

#include "gtest/gtest.h"

namespace tonghop {
namespace {

TEST(DecimalTest, ParseNonNegativeInt) {
  EXPECT_EQ(*ParseNonNegativeInt("0"), 0);
  EXPECT_EQ(*ParseNonNegativeInt("9223372036854775807"),
            std::numeric_limits<int64_t>::max());
  for (const char* bad : {"", "-1", "+1", "1.5", "1e3", "NaN", "nan", "inf",
                          " 1", "1 ", "9223372036854775808", "0x10"}) {
    EXPECT_FALSE(ParseNonNegativeInt(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseNonNegativeInt("-3").status().message(), "'-3' is negative");
}

TEST(DecimalTest, ParseHundredths) {
  EXPECT_EQ(*ParseHundredths("87"), 8700);
  EXPECT_EQ(*ParseHundredths("87.5"), 8750);
  EXPECT_EQ(*ParseHundredths("87.25"), 8725);
  EXPECT_EQ(*ParseHundredths("0.01"), 1);
  EXPECT_EQ(*ParseHundredths("-1.5", true), -150);
  for (const char* bad :
       {"", ".", "87.", ".5", "87.255", "-1", "NaN", "1e2", "8 7", "87,5"}) {
    EXPECT_FALSE(ParseHundredths(bad).ok()) << bad;
  }
}

TEST(DecimalTest, FormatHundredths) {
  EXPECT_EQ(FormatHundredths(8725), "87.25");
  EXPECT_EQ(FormatHundredths(5), "0.05");
  EXPECT_EQ(FormatHundredths(-150), "-1.50");
  EXPECT_EQ(FormatHundredths(std::numeric_limits<int64_t>::min()),
            "-92233720368547758.08");
}

TEST(DecimalTest, PercentRoundsHalfUpOnExactValue) {
  EXPECT_EQ(*PercentHundredths(19999, 25000), 8000);  // 79.996% shows as 80.00
  EXPECT_EQ(*PercentHundredths(1, 3), 3333);
  EXPECT_EQ(*PercentHundredths(2, 3), 6667);
  EXPECT_EQ(*PercentHundredths(1, 8), 1250);   // exactly 12.5
  EXPECT_EQ(*PercentHundredths(1, 80000), 0);  // 0.00125% -> 0.00
  EXPECT_EQ(*PercentHundredths(1, 40000),
            0);  // 0.0025% -> 0.00 (half of 0.01 is 0.005)
  EXPECT_EQ(*PercentHundredths(1, 20000), 1);  // 0.005% -> 0.01 (half up)
  EXPECT_FALSE(PercentHundredths(0, 0).has_value());
  int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(*PercentHundredths(big, big), 10000);
}

TEST(DecimalTest, ComparePercentIsExact) {
  EXPECT_LT(ComparePercent(19999, 25000, 8000), 0);  // 79.996% does not meet 80
  EXPECT_EQ(ComparePercent(20000, 25000, 8000), 0);
  EXPECT_GT(ComparePercent(3, 3, 9999), 0);
  int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(ComparePercent(big, big, 10000), 0);
}

TEST(DecimalTest, CheckedAdd) {
  EXPECT_EQ(*CheckedAdd(2, 3), 5);
  EXPECT_FALSE(CheckedAdd(std::numeric_limits<int64_t>::max(), 1).has_value());
}

}  // namespace
}  // namespace tonghop
