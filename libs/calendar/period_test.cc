#include "libs/calendar/period.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/calendar/zone.h"

namespace tonghop {
namespace {

TEST(PeriodTest, ParsesEveryKindAndRoundTrips) {
  for (const char* label : {"2026-03", "2026-12", "2026-Q1", "2026-Q4",
                            "2026-H1", "2026-H2", "2026-9M", "2026"}) {
    auto p = ParsePeriod(label);
    ASSERT_TRUE(p.ok()) << label << ": " << p.status();
    EXPECT_EQ(p->Label(), label);
  }
  EXPECT_EQ(ParsePeriod("2026-03")->frequency(), v1::FREQUENCY_MONTHLY);
  EXPECT_EQ(ParsePeriod("2026-Q2")->frequency(), v1::FREQUENCY_QUARTERLY);
  EXPECT_EQ(ParsePeriod("2026-H1")->frequency(), v1::FREQUENCY_HALF_YEARLY);
  EXPECT_EQ(ParsePeriod("2026-9M")->frequency(), v1::FREQUENCY_NINE_MONTHS);
  EXPECT_EQ(ParsePeriod("2026")->frequency(), v1::FREQUENCY_ANNUAL);
}

TEST(PeriodTest, VietnameseNames) {
  for (const auto& [label, name] :
       std::vector<std::pair<std::string, std::string>>{
           {"2026-03", "tháng 3/2026"},
           {"2026-12", "tháng 12/2026"},
           {"2026-Q1", "quý I/2026"},
           {"2026-Q4", "quý IV/2026"},
           {"2026-H1", "6 tháng đầu năm 2026"},
           {"2026-H2", "6 tháng cuối năm 2026"},
           {"2026-9M", "9 tháng năm 2026"},
           {"2026", "năm 2026"}}) {
    auto p = ParsePeriod(label);
    ASSERT_TRUE(p.ok()) << label;
    EXPECT_EQ(p->NameVi(), name);
  }
}

TEST(PeriodTest, RejectsMalformedLabels) {
  for (const char* label : {"2026-13", "2026-00", "2026-3", "26-03", "2026-Q5",
                            "2026-Q0", "2026-H3", "2026-9m", "2026/03", "",
                            "2026-", "1999", "abcd", "2026-03 ", "2026-Q12"}) {
    auto p = ParsePeriod(label);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << label;
  }
  EXPECT_EQ(ParsePeriod("2026-13").status().message(),
            "period '2026-13': month 13 is not between 01 and 12");
  EXPECT_EQ(ParsePeriod("1999-03").status().message(),
            "period '1999-03': year 1999 is not between 2000 and 2999");
  // Five digits are no year (not "year 9999 is not between ...").
  for (const char* label : {"99999", "202603"}) {
    EXPECT_EQ(ParsePeriod(label).status().message(),
              absl::StrCat("period '", label,
                           "' is not a period label (2026-03, 2026-Q1, "
                           "2026-H1, 2026-9M or 2026)"));
  }
}

TEST(PeriodTest, NextPeriodOfTheSameKind) {
  for (const auto& [label, next] :
       std::vector<std::pair<std::string, std::string>>{{"2026-03", "2026-04"},
                                                        {"2026-12", "2027-01"},
                                                        {"2026-Q3", "2026-Q4"},
                                                        {"2026-Q4", "2027-Q1"},
                                                        {"2026-H1", "2026-H2"},
                                                        {"2026-H2", "2027-H1"},
                                                        {"2026-9M", "2027-9M"},
                                                        {"2026", "2027"}}) {
    auto p = ParsePeriod(label);
    ASSERT_TRUE(p.ok()) << label;
    EXPECT_EQ(NextPeriod(*p).Label(), next) << label;
  }
  // Twelve months on from any month is the same month a year later.
  Period p = *ParsePeriod("2025-07");
  for (int i = 0; i < 12; ++i) p = NextPeriod(p);
  EXPECT_EQ(p.Label(), "2026-07");
}

TEST(PeriodTest, FieldErrorsNameTheField) {
  EXPECT_EQ(ParsePeriodField("").status().message(), "period: required");
  EXPECT_EQ(ParsePeriodField("", "first_period").status().message(),
            "first_period: required");
  EXPECT_EQ(ParsePeriodField("2026-13", "last_period").status().message(),
            "last_period: period '2026-13': month 13 is not between 01 and 12");
}

TEST(ZoneTest, VietnamTimeWhateverTheHostZone) {
  ASSERT_TRUE(VietnamZone().ok());
  auto t = ParseRfc3339("2026-03-10T01:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatVietnamTime(*t), "2026-03-10T08:00:00+07:00");
  EXPECT_FALSE(ParseRfc3339("10/03/2026").ok());
}

}  // namespace
}  // namespace tonghop
