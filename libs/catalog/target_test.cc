#include "libs/catalog/target.h"

#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

v1::Value Ratio(int64_t numerator, int64_t denominator) {
  v1::Value v;
  v.mutable_ratio()->set_numerator(numerator);
  v.mutable_ratio()->set_denominator(denominator);
  return v;
}

v1::Value Number(int64_t n) {
  v1::Value v;
  v.set_number(n);
  return v;
}

v1::Value Hundredths(int64_t h) {
  v1::Value v;
  v.set_hundredths(h);
  return v;
}

// Parses a target the test knows to be well-formed.
v1::Target MustParse(absl::string_view text) {
  auto t = ParseTarget(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  return t.ok() ? *t : v1::Target();
}

// ---------------------------------------------------------------------------
// ParseTarget

TEST(ParseTargetTest, Equal) {
  auto t = ParseTarget("=100");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_EQ);
  EXPECT_EQ(t->lower_hundredths(), 10000);
  EXPECT_EQ(t->upper_hundredths(), 0);
  EXPECT_EQ(t->text(), "=100");
  EXPECT_TRUE(HasTarget(*t));
}

TEST(ParseTargetTest, AtLeast) {
  auto t = ParseTarget(">=80");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_GE);
  EXPECT_EQ(t->lower_hundredths(), 8000);
  EXPECT_EQ(t->text(), ">=80");
  EXPECT_TRUE(HasTarget(*t));
}

TEST(ParseTargetTest, AtMost) {
  auto t = ParseTarget("<=5");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_LE);
  EXPECT_EQ(t->lower_hundredths(), 500);
  EXPECT_EQ(t->text(), "<=5");
}

TEST(ParseTargetTest, Range) {
  auto t = ParseTarget("75..80");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_RANGE);
  EXPECT_EQ(t->lower_hundredths(), 7500);
  EXPECT_EQ(t->upper_hundredths(), 8000);
  EXPECT_EQ(t->text(), "75..80");
}

TEST(ParseTargetTest, RangeWithEqualBounds) {
  auto t = ParseTarget("80..80");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_RANGE);
  EXPECT_EQ(t->lower_hundredths(), 8000);
  EXPECT_EQ(t->upper_hundredths(), 8000);
}

TEST(ParseTargetTest, DecimalBounds) {
  auto t = ParseTarget(">=87.5");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->lower_hundredths(), 8750);
  auto u = ParseTarget("=99.99");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->lower_hundredths(), 9999);
  auto r = ParseTarget("90.25..95.5");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->lower_hundredths(), 9025);
  EXPECT_EQ(r->upper_hundredths(), 9550);
}

TEST(ParseTargetTest, ZeroBound) {
  auto t = ParseTarget(">=0");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_GE);
  EXPECT_EQ(t->lower_hundredths(), 0);
  EXPECT_TRUE(HasTarget(*t));
}

TEST(ParseTargetTest, EmptyMeansNoTarget) {
  auto t = ParseTarget("");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->op(), v1::Target::OP_UNSPECIFIED);
  EXPECT_FALSE(HasTarget(*t));
  EXPECT_EQ(t->text(), "");
}

TEST(ParseTargetTest, DefaultTargetHasNone) {
  EXPECT_FALSE(HasTarget(v1::Target()));
}

TEST(ParseTargetTest, RejectsMalformed) {
  for (const char* text :
       {">80",   "<5",   "80",   "=abc",    "80..75",     "=1.234", "=",
        ">=",    "<=",   "=-5",  ">= 80",   " >=80",      ">=80 ",  "=80%",
        "75..",  "..80", "..",   "75...80", "75..80..85", "=1e2",   "=NaN",
        "==100", "=>80", "=80.", "=.5",     "75..x",      "x..80"}) {
    auto t = ParseTarget(text);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument)
        << "'" << text << "' gave " << t.status();
  }
}

TEST(ParseTargetTest, MessagesNameTheTarget) {
  EXPECT_THAT(ParseTarget(">80").status().message(), HasSubstr(">80"));
  EXPECT_THAT(ParseTarget("80").status().message(), HasSubstr("'80'"));
  EXPECT_THAT(ParseTarget("=abc").status().message(), HasSubstr("=abc"));
  EXPECT_THAT(ParseTarget("80..75").status().message(), HasSubstr("80..75"));
  EXPECT_THAT(ParseTarget("=1.234").status().message(), HasSubstr("=1.234"));
}

// ---------------------------------------------------------------------------
// JudgeTarget

TEST(JudgeTargetTest, RatioIsJudgedOnTheExactValueNotTheRoundedOne) {
  v1::Target ge80 = MustParse(">=80");
  v1::Value v = Ratio(19999, 25000);
  EXPECT_EQ(DisplayValue(v), "80.00");  // rounds to 80.00 ...
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &v, ge80),
            v1::TARGET_STATUS_NOT_MET);  // ... but is below 80
  v1::Value exact = Ratio(20000, 25000);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &exact, ge80),
            v1::TARGET_STATUS_MET);
  v1::Value above = Ratio(20001, 25000);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &above, ge80),
            v1::TARGET_STATUS_MET);
  v1::Value four_fifths = Ratio(4, 5);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &four_fifths, ge80),
            v1::TARGET_STATUS_MET);
}

TEST(JudgeTargetTest, RatioWithDecimalBound) {
  v1::Target ge8750 = MustParse(">=87.5");
  v1::Value at = Ratio(7, 8);  // exactly 87.5%
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &at, ge8750), v1::TARGET_STATUS_MET);
  v1::Value below = Ratio(874999, 1000000);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &below, ge8750),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, ZeroOverZeroIsNoData) {
  v1::Value v = Ratio(0, 0);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &v, MustParse(">=80")),
            v1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &v, MustParse("=100")),
            v1::TARGET_STATUS_NO_DATA);
}

TEST(JudgeTargetTest, ZeroNumeratorIsData) {
  v1::Value v = Ratio(0, 10);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &v, MustParse(">=80")),
            v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &v, MustParse(">=0")),
            v1::TARGET_STATUS_MET);
}

TEST(JudgeTargetTest, NoValueIsNoData) {
  v1::Target ge80 = MustParse(">=80");
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, nullptr, ge80),
            v1::TARGET_STATUS_NO_DATA);
  v1::Value unset;
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &unset, ge80),
            v1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, nullptr, MustParse(">=5")),
            v1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &unset, MustParse(">=95")),
            v1::TARGET_STATUS_NO_DATA);
}

TEST(JudgeTargetTest, UnsetTargetIsNoTarget) {
  v1::Target none;
  v1::Value ratio = Ratio(45, 50);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &ratio, none),
            v1::TARGET_STATUS_NO_TARGET);
  v1::Value count = Number(7);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &count, none),
            v1::TARGET_STATUS_NO_TARGET);
  v1::Value index = Hundredths(8725);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &index, MustParse("")),
            v1::TARGET_STATUS_NO_TARGET);
}

TEST(JudgeTargetTest, NoDataTakesPrecedenceOverNoTarget) {
  v1::Target none;
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, nullptr, none),
            v1::TARGET_STATUS_NO_DATA);
  v1::Value unset;
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &unset, none),
            v1::TARGET_STATUS_NO_DATA);
  v1::Value zero_over_zero = Ratio(0, 0);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &zero_over_zero, none),
            v1::TARGET_STATUS_NO_DATA);
}

TEST(JudgeTargetTest, EqualHundredMetOnlyWhenNumeratorEqualsDenominator) {
  v1::Target eq100 = MustParse("=100");
  v1::Value all = Ratio(50, 50);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &all, eq100), v1::TARGET_STATUS_MET);
  v1::Value one = Ratio(1, 1);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &one, eq100), v1::TARGET_STATUS_MET);
  v1::Value almost = Ratio(49, 50);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &almost, eq100),
            v1::TARGET_STATUS_NOT_MET);
  // Shows as 100.00 but one official is missing.
  v1::Value rounds_up = Ratio(99999, 100000);
  EXPECT_EQ(DisplayValue(rounds_up), "100.00");
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &rounds_up, eq100),
            v1::TARGET_STATUS_NOT_MET);
  v1::Value none = Ratio(0, 50);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &none, eq100),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, RankAtMost) {
  v1::Target le5 = MustParse("<=5");
  v1::Value first = Number(1);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RANK, &first, le5), v1::TARGET_STATUS_MET);
  v1::Value fifth = Number(5);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RANK, &fifth, le5), v1::TARGET_STATUS_MET);
  v1::Value sixth = Number(6);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RANK, &sixth, le5),
            v1::TARGET_STATUS_NOT_MET);
  v1::Value last = Number(34);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RANK, &last, le5),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, RangeMetAtOrAboveTheLowerBound) {
  v1::Target range = MustParse("75..80");
  v1::Value at_lower = Ratio(75, 100);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &at_lower, range),
            v1::TARGET_STATUS_MET);
  v1::Value inside = Ratio(78, 100);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &inside, range),
            v1::TARGET_STATUS_MET);
  v1::Value at_upper = Ratio(80, 100);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &at_upper, range),
            v1::TARGET_STATUS_MET);
  // The upper bound is an expectation, not a ceiling.
  v1::Value above = Ratio(90, 100);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &above, range),
            v1::TARGET_STATUS_MET);
  v1::Value below = Ratio(7499, 10000);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &below, range),
            v1::TARGET_STATUS_NOT_MET);
  // 74.995% shows as 75.00 but is below.
  v1::Value rounds_up = Ratio(14999, 20000);
  EXPECT_EQ(DisplayValue(rounds_up), "75.00");
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &rounds_up, range),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, RangeOnAnIndex) {
  v1::Target range = MustParse("75..80");
  v1::Value at_lower = Hundredths(7500);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &at_lower, range),
            v1::TARGET_STATUS_MET);
  v1::Value above = Hundredths(9000);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &above, range),
            v1::TARGET_STATUS_MET);
  v1::Value below = Hundredths(7499);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &below, range),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, IndexInHundredths) {
  v1::Target ge95 = MustParse(">=95");
  v1::Value at = Hundredths(9500);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &at, ge95), v1::TARGET_STATUS_MET);
  v1::Value above = Hundredths(9725);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &above, ge95),
            v1::TARGET_STATUS_MET);
  v1::Value just_below = Hundredths(9499);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &just_below, ge95),
            v1::TARGET_STATUS_NOT_MET);
  // 95 hundredths is 0.95, far below 95.
  v1::Value tiny = Hundredths(95);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_INDEX, &tiny, ge95),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, CountAtLeast) {
  v1::Target ge5 = MustParse(">=5");
  v1::Value five = Number(5);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &five, ge5), v1::TARGET_STATUS_MET);
  v1::Value seven = Number(7);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &seven, ge5), v1::TARGET_STATUS_MET);
  v1::Value four = Number(4);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &four, ge5),
            v1::TARGET_STATUS_NOT_MET);
  // Zero is a reported value, not missing data.
  v1::Value zero = Number(0);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &zero, ge5),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, CountEqual) {
  v1::Target eq9 = MustParse("=9");
  v1::Value nine = Number(9);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &nine, eq9), v1::TARGET_STATUS_MET);
  v1::Value ten = Number(10);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &ten, eq9),
            v1::TARGET_STATUS_NOT_MET);
}

TEST(JudgeTargetTest, LargeValuesDoNotOverflow) {
  v1::Target ge80 = MustParse(">=80");
  const int64_t big = int64_t{1} << 62;
  v1::Value all = Ratio(big, big);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &all, ge80), v1::TARGET_STATUS_MET);
  v1::Value small = Ratio(1, big);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_RATIO, &small, ge80),
            v1::TARGET_STATUS_NOT_MET);
  v1::Value count = Number(big);
  EXPECT_EQ(JudgeTarget(v1::MEASURE_COUNT, &count, MustParse(">=5")),
            v1::TARGET_STATUS_MET);
}

// ---------------------------------------------------------------------------
// StatusName / StatusLabelVi

TEST(StatusNameTest, MachineNames) {
  EXPECT_EQ(StatusName(v1::TARGET_STATUS_MET), "met");
  EXPECT_EQ(StatusName(v1::TARGET_STATUS_NOT_MET), "not_met");
  EXPECT_EQ(StatusName(v1::TARGET_STATUS_NO_DATA), "no_data");
  EXPECT_EQ(StatusName(v1::TARGET_STATUS_NO_TARGET), "no_target");
}

TEST(StatusNameTest, VietnameseLabels) {
  EXPECT_EQ(StatusLabelVi(v1::TARGET_STATUS_MET), "đạt");
  EXPECT_EQ(StatusLabelVi(v1::TARGET_STATUS_NOT_MET), "chưa đạt");
  EXPECT_EQ(StatusLabelVi(v1::TARGET_STATUS_NO_DATA), "chưa có số liệu");
  EXPECT_EQ(StatusLabelVi(v1::TARGET_STATUS_NO_TARGET), "không có chỉ tiêu");
}

TEST(StatusNameTest, NamesAreDistinctAndUnspecifiedIsNotAStatus) {
  const v1::TargetStatus all[] = {
      v1::TARGET_STATUS_MET, v1::TARGET_STATUS_NOT_MET,
      v1::TARGET_STATUS_NO_DATA, v1::TARGET_STATUS_NO_TARGET};
  for (v1::TargetStatus s : all) {
    EXPECT_NE(StatusName(s), StatusName(v1::TARGET_STATUS_UNSPECIFIED));
    EXPECT_NE(StatusLabelVi(s), StatusLabelVi(v1::TARGET_STATUS_UNSPECIFIED));
  }
  EXPECT_EQ(StatusLabelVi(v1::TARGET_STATUS_UNSPECIFIED), "");
}

// ---------------------------------------------------------------------------
// DisplayValue

TEST(DisplayValueTest, RatioAsPercentRoundedHalfUp) {
  EXPECT_EQ(DisplayValue(Ratio(2, 3)), "66.67");
  EXPECT_EQ(DisplayValue(Ratio(1, 3)), "33.33");
  EXPECT_EQ(DisplayValue(Ratio(45, 50)), "90.00");
  EXPECT_EQ(DisplayValue(Ratio(50, 50)), "100.00");
  EXPECT_EQ(DisplayValue(Ratio(0, 50)), "0.00");
  EXPECT_EQ(DisplayValue(Ratio(1, 8)), "12.50");
  EXPECT_EQ(DisplayValue(Ratio(19999, 25000)), "80.00");  // 79.996
  // Exactly half a hundredth rounds up: 0.005% -> 0.01, 12.345% -> 12.35.
  EXPECT_EQ(DisplayValue(Ratio(1, 20000)), "0.01");
  EXPECT_EQ(DisplayValue(Ratio(12345, 100000)), "12.35");
  // Just below half rounds down: 0.0049995% -> 0.00.
  EXPECT_EQ(DisplayValue(Ratio(49995, 1000000000)), "0.00");
}

TEST(DisplayValueTest, ZeroOverZeroIsEmpty) {
  EXPECT_EQ(DisplayValue(Ratio(0, 0)), "");
}

TEST(DisplayValueTest, NumberAsWritten) {
  EXPECT_EQ(DisplayValue(Number(5)), "5");
  EXPECT_EQ(DisplayValue(Number(0)), "0");
  EXPECT_EQ(DisplayValue(Number(1234567)), "1234567");
}

TEST(DisplayValueTest, HundredthsWithTwoDecimals) {
  EXPECT_EQ(DisplayValue(Hundredths(8725)), "87.25");
  EXPECT_EQ(DisplayValue(Hundredths(9500)), "95.00");
  EXPECT_EQ(DisplayValue(Hundredths(8750)), "87.50");
  EXPECT_EQ(DisplayValue(Hundredths(5)), "0.05");
  EXPECT_EQ(DisplayValue(Hundredths(0)), "0.00");
}

TEST(DisplayValueTest, UnsetIsEmpty) {
  EXPECT_EQ(DisplayValue(v1::Value()), "");
}

}  // namespace
}  // namespace tonghop
