#include "libs/catalog/validate.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Accepts only the units of `province`, as a city node does.
std::function<absl::Status(const Unit&)> AcceptProvince(std::string province) {
  return [province](const Unit& unit) {
    if (unit.province == province) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "unit: ", unit.code, " does not report to node ", province));
  };
}

v1::SubmittedValue RatioValue(absl::string_view indicator, int64_t numerator,
                              int64_t denominator) {
  v1::SubmittedValue v;
  v.set_indicator(std::string(indicator));
  v.mutable_ratio()->set_numerator(numerator);
  v.mutable_ratio()->set_denominator(denominator);
  return v;
}

v1::SubmittedValue NumberValue(absl::string_view indicator, int64_t number) {
  v1::SubmittedValue v;
  v.set_indicator(std::string(indicator));
  v.set_number(number);
  return v;
}

v1::SubmittedValue IndexValue(absl::string_view indicator,
                              absl::string_view index) {
  v1::SubmittedValue v;
  v.set_indicator(std::string(indicator));
  v.set_index(std::string(index));
  return v;
}

v1::SubmittedValue ClearValue(absl::string_view indicator) {
  v1::SubmittedValue v;
  v.set_indicator(std::string(indicator));
  v.set_clear(true);
  return v;
}

v1::SubmitRequest Request(absl::string_view unit, absl::string_view period,
                          std::initializer_list<v1::SubmittedValue> values) {
  v1::SubmitRequest r;
  r.set_unit(std::string(unit));
  r.set_period(std::string(period));
  r.set_idempotency_key("key-1");
  for (const v1::SubmittedValue& v : values) *r.add_values() = v;
  return r;
}

class ValidateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = registry->release();
    ASSERT_TRUE(
        registry_->AddOffice("10525.VHXH", "Phòng Văn hóa - Xã hội").ok());
    auto catalog = Catalog::LoadEmbedded(*registry_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
    delete registry_;
    registry_ = nullptr;
  }

  // Validates for a node of Hải Phòng (province 31).
  static absl::StatusOr<CheckedSubmission> Validate(
      const v1::SubmitRequest& request) {
    return ValidateSubmission(*catalog_, *registry_, request,
                              AcceptProvince("31"));
  }
  static absl::StatusOr<CheckedSubmission> ValidateFor(
      absl::string_view province, const v1::SubmitRequest& request) {
    return ValidateSubmission(*catalog_, *registry_, request,
                              AcceptProvince(std::string(province)));
  }

  static Registry* registry_;
  static Catalog* catalog_;
};

Registry* ValidateTest::registry_ = nullptr;
Catalog* ValidateTest::catalog_ = nullptr;

// ---------------------------------------------------------------------------
// Happy paths

TEST_F(ValidateTest, CommuneSubmitsARatio) {
  v1::SubmittedValue in = RatioValue("QD11-01", 45, 50);
  in.set_note("số liệu tháng 3");
  auto out = Validate(Request("10525", "2026-03", {in}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_NE(out->unit, nullptr);
  EXPECT_EQ(out->unit->code, "10525");
  EXPECT_EQ(out->period, (Period{2026, PeriodType::kMonth, 3}));
  EXPECT_EQ(out->period.Label(), "2026-03");
  ASSERT_EQ(out->values.size(), 1u);
  const CheckedValue& v = out->values[0];
  EXPECT_EQ(v.indicator, catalog_->Find("QD11-01"));
  EXPECT_FALSE(v.clear);
  ASSERT_TRUE(v.value.has_ratio());
  EXPECT_EQ(v.value.ratio().numerator(), 45);
  EXPECT_EQ(v.value.ratio().denominator(), 50);
  EXPECT_EQ(v.note, "số liệu tháng 3");
}

TEST_F(ValidateTest, ZeroOverZeroIsAcceptedAsNoData) {
  auto out =
      Validate(Request("10525", "2026-03", {RatioValue("QD11-01", 0, 0)}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->values.size(), 1u);
  ASSERT_TRUE(out->values[0].value.has_ratio());
  EXPECT_TRUE(out->values[0].value.ratio().has_numerator());
  EXPECT_TRUE(out->values[0].value.ratio().has_denominator());
  EXPECT_EQ(out->values[0].value.ratio().numerator(), 0);
  EXPECT_EQ(out->values[0].value.ratio().denominator(), 0);
}

TEST_F(ValidateTest, RatioBoundariesAreAccepted) {
  auto out = Validate(
      Request("10525", "2026-03",
              {RatioValue("QD11-01", 50, 50), RatioValue("QD11-03X", 0, 50)}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->values.size(), 2u);
  EXPECT_EQ(out->values[0].value.ratio().numerator(), 50);
  EXPECT_EQ(out->values[1].value.ratio().numerator(), 0);
}

TEST_F(ValidateTest, DepartmentSubmitsACount) {
  auto out = Validate(
      Request("31.SKHCN", "2026-03",
              {NumberValue("QD11-12", 3), RatioValue("QD11-08", 12, 12)}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->unit->code, "31.SKHCN");
  ASSERT_EQ(out->values.size(), 2u);
  // In request order.
  EXPECT_EQ(out->values[0].indicator->code(), "QD11-12");
  ASSERT_EQ(out->values[0].value.kind_case(), v1::Value::kNumber);
  EXPECT_EQ(out->values[0].value.number(), 3);
  EXPECT_EQ(out->values[1].indicator->code(), "QD11-08");
  EXPECT_TRUE(out->values[1].value.has_ratio());
}

TEST_F(ValidateTest, ZeroCountIsAccepted) {
  auto out =
      Validate(Request("31.SKHCN", "2026-03", {NumberValue("QD11-12", 0)}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->values[0].value.number(), 0);
}

TEST_F(ValidateTest, DepartmentSubmitsAnIndexInHundredths) {
  auto out = ValidateFor(
      "46", Request("46.SNV", "2026", {IndexValue("HUE-SIPAS", "87.25")}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->period, (Period{2026, PeriodType::kYear, 1}));
  ASSERT_EQ(out->values.size(), 1u);
  ASSERT_EQ(out->values[0].value.kind_case(), v1::Value::kHundredths);
  EXPECT_EQ(out->values[0].value.hundredths(), 8725);
}

TEST_F(ValidateTest, IndexWithFewerDecimals) {
  const std::pair<const char*, int64_t> cases[] = {
      {"95", 9500}, {"87.5", 8750}, {"0", 0}, {"100.00", 10000}};
  for (const auto& [text, hundredths] : cases) {
    auto out = ValidateFor(
        "46", Request("46.SNV", "2026", {IndexValue("HUE-SIPAS", text)}));
    ASSERT_TRUE(out.ok()) << text << ": " << out.status();
    EXPECT_EQ(out->values[0].value.hundredths(), hundredths) << text;
  }
}

TEST_F(ValidateTest, SecondProvinceOfAScopeSubmitsTheIndex) {
  auto out = ValidateFor(
      "75", Request("75.SNV", "2028", {IndexValue("HUE-SIPAS", "96")}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->values[0].value.hundredths(), 9600);
}

TEST_F(ValidateTest, RankOfOneIsAccepted) {
  auto out = ValidateFor(
      "46", Request("46.SKHCN", "2026", {NumberValue("HUE-DTI-RANK", 1)}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->values[0].value.number(), 1);
}

TEST_F(ValidateTest, APercentageIndexAndARankStayWithinTheirRange) {
  auto last = ValidateFor(
      "46", Request("46.SKHCN", "2026", {NumberValue("HUE-DTI-RANK", 34)}));
  ASSERT_TRUE(last.ok()) << last.status();
  for (const auto& [unit, value, field] :
       std::vector<std::tuple<std::string, v1::SubmittedValue, std::string>>{
           {"46.SKHCN", NumberValue("HUE-DTI-RANK", 35),
            "(HUE-DTI-RANK).number: rank 35 is beyond the last of the 34"},
           {"46.SNV", IndexValue("HUE-SIPAS", "100.01"),
            "(HUE-SIPAS).index: 100.01 is more than 100"},
           {"46.SNV", IndexValue("HUE-SIPAS", "1000000000000.00"),
            "(HUE-SIPAS).index"}}) {
    auto out = ValidateFor("46", Request(unit, "2026", {value}));
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(std::string(out.status().message()), HasSubstr(field));
  }
}

TEST_F(ValidateTest, NotesAndActorsHoldNoControlCharacter) {
  v1::SubmittedValue with_nul = RatioValue("QD11-01", 1, 2);
  with_nul.set_note(std::string("đã kiểm tra") + '\0' + "sau");
  auto out = Validate(Request("10525", "2026-03", {with_nul}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("values[0] (QD11-01).note: holds the control character "
                        "U+0000 at byte 16 of 19 (line breaks and tabs are "
                        "the only ones allowed)"));
  // Lines and tabs are text.
  v1::SubmittedValue lines = RatioValue("QD11-01", 1, 2);
  lines.set_note("dòng 1\r\n\tdòng 2");
  EXPECT_TRUE(Validate(Request("10525", "2026-03", {lines})).ok());

  v1::SubmitRequest long_actor =
      Request("10525", "2026-03", {RatioValue("QD11-01", 1, 2)});
  long_actor.set_actor(std::string(kMaxActorBytes + 1, 'a'));
  out = Validate(long_actor);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("actor: longer than 200 bytes"));
  v1::SubmitRequest newline_actor =
      Request("10525", "2026-03", {RatioValue("QD11-01", 1, 2)});
  newline_actor.set_actor("Nguyễn Văn A\nBcc: x@y");
  out = Validate(newline_actor);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("actor: holds the control character U+000A at byte 16 "
                        "of 24 (none is allowed)"));
  newline_actor.set_actor(std::string(kMaxActorBytes, 'a'));
  EXPECT_TRUE(Validate(newline_actor).ok());
}

TEST_F(ValidateTest, BothIndicatorFromCommuneAndResponsibleDepartment) {
  EXPECT_TRUE(
      Validate(Request("10525", "2026-03", {RatioValue("QD11-06", 8, 10)}))
          .ok());
  EXPECT_TRUE(
      Validate(Request("31.VP", "2026-03", {RatioValue("QD11-06", 8, 10)}))
          .ok());
}

TEST_F(ValidateTest, OfficeSubmitsForItsCommune) {
  auto out = Validate(
      Request("10525.VHXH", "2026-03", {RatioValue("QD11-01", 45, 50)}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->unit->code, "10525.VHXH");
}

TEST_F(ValidateTest, ScopedIndicatorInsideItsScope) {
  EXPECT_TRUE(
      Validate(Request("10525", "2026-03", {RatioValue("HP-5G", 30, 40)}))
          .ok());
  EXPECT_TRUE(
      Validate(Request("31.STC", "2026", {RatioValue("HP-DIGEC", 1, 4)})).ok());
}

TEST_F(ValidateTest, QuarterlyIndicatorInAQuarter) {
  auto out = ValidateFor("92", Request("92.SKHCN", "2026-Q1",
                                       {RatioValue("CT-TTHC-SAT", 97, 100)}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->period, (Period{2026, PeriodType::kQuarter, 1}));
}

TEST_F(ValidateTest, Clear) {
  v1::SubmittedValue in = ClearValue("QD11-01");
  in.set_note("nhập nhầm");
  auto out = Validate(Request("10525", "2026-03", {in}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->values.size(), 1u);
  EXPECT_TRUE(out->values[0].clear);
  EXPECT_EQ(out->values[0].indicator, catalog_->Find("QD11-01"));
  EXPECT_EQ(out->values[0].value.kind_case(), v1::Value::KIND_NOT_SET);
  EXPECT_EQ(out->values[0].note, "nhập nhầm");
}

TEST_F(ValidateTest, LongestAcceptedKeyAndNote) {
  v1::SubmittedValue in = RatioValue("QD11-01", 1, 2);
  in.set_note(std::string(kMaxNoteBytes, 'x'));
  v1::SubmitRequest r = Request("10525", "2026-03", {in});
  r.set_idempotency_key(std::string(kMaxIdempotencyKeyBytes, 'k'));
  EXPECT_TRUE(Validate(r).ok()) << Validate(r).status();
}

// ---------------------------------------------------------------------------
// The unit

TEST_F(ValidateTest, UnitRequired) {
  auto out = Validate(Request("", "2026-03", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("unit"));
}

TEST_F(ValidateTest, UnknownUnit) {
  auto out =
      Validate(Request("99999", "2026-03", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("unit"), HasSubstr("99999")));
  // Codes keep their leading zeros: "4" is not "00004".
  EXPECT_EQ(Validate(Request("4", "2026-03", {RatioValue("QD11-01", 1, 2)}))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ValidateTest, RefusedUnitReturnsThePredicatesStatus) {
  // 31120 is Phường Cái Khế, Cần Thơ: not a unit of the Hải Phòng node.
  auto out =
      Validate(Request("31120", "2026-03", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status(), absl::FailedPreconditionError(
                              "unit: 31120 does not report to node 31"));
}

TEST_F(ValidateTest, PredicateSeesTheUnit) {
  std::string seen;
  auto out = ValidateSubmission(
      *catalog_, *registry_,
      Request("10525", "2026-03", {RatioValue("QD11-01", 1, 2)}),
      [&seen](const Unit& unit) {
        seen = unit.code;
        return absl::PermissionDeniedError("unit: closed");
      });
  EXPECT_EQ(seen, "10525");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
}

// ---------------------------------------------------------------------------
// The period, key and values list

TEST_F(ValidateTest, MalformedPeriod) {
  for (const char* period :
       {"2026-13", "2026-3", "26-03", "2026-Q5", "2026-00", "march"}) {
    auto out =
        Validate(Request("10525", period, {RatioValue("QD11-01", 1, 2)}));
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
        << period;
    EXPECT_THAT(out.status().message(),
                AllOf(HasSubstr("period"), HasSubstr(period)))
        << period;
  }
}

TEST_F(ValidateTest, PeriodRequired) {
  auto out = Validate(Request("10525", "", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("period"));
}

TEST_F(ValidateTest, IdempotencyKeyRequired) {
  v1::SubmitRequest r =
      Request("10525", "2026-03", {RatioValue("QD11-01", 1, 2)});
  r.clear_idempotency_key();
  auto out = Validate(r);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("idempotency_key"));
}

TEST_F(ValidateTest, IdempotencyKeyTooLong) {
  v1::SubmitRequest r =
      Request("10525", "2026-03", {RatioValue("QD11-01", 1, 2)});
  r.set_idempotency_key(std::string(kMaxIdempotencyKeyBytes + 1, 'k'));
  auto out = Validate(r);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("idempotency_key"));
}

TEST_F(ValidateTest, NoValues) {
  auto out = Validate(Request("10525", "2026-03", {}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("values"));
}

// ---------------------------------------------------------------------------
// The indicator of a value

TEST_F(ValidateTest, IndicatorRequired) {
  auto out = Validate(Request("10525", "2026-03", {RatioValue("", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("values[0].indicator"));
}

TEST_F(ValidateTest, UnknownIndicator) {
  auto out = Validate(
      Request("10525", "2026-03",
              {RatioValue("QD11-01", 1, 2), RatioValue("QD11-99", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("values[1]"), HasSubstr("(QD11-99).indicator")));
}

TEST_F(ValidateTest, IndicatorGivenTwice) {
  auto out = Validate(
      Request("10525", "2026-03",
              {RatioValue("QD11-01", 1, 2), RatioValue("QD11-03X", 1, 2),
               RatioValue("QD11-01", 2, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("values[2]"), HasSubstr("(QD11-01).indicator"),
                    HasSubstr("more than once")));
}

TEST_F(ValidateTest, IndicatorGivenTwiceEvenAsAClear) {
  auto out =
      Validate(Request("10525", "2026-03",
                       {RatioValue("QD11-01", 1, 2), ClearValue("QD11-01")}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("values[1]"), HasSubstr("QD11-01")));
}

TEST_F(ValidateTest, NoteTooLong) {
  v1::SubmittedValue in = RatioValue("QD11-01", 1, 2);
  in.set_note(std::string(kMaxNoteBytes + 1, 'x'));
  auto out = Validate(Request("10525", "2026-03", {in}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("(QD11-01).note"));
}

TEST_F(ValidateTest, NeitherValueNorClear) {
  v1::SubmittedValue in;
  in.set_indicator("QD11-01");
  auto out = Validate(Request("10525", "2026-03", {in}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("values[0]"), HasSubstr("QD11-01"),
                    HasSubstr("no value")));
}

TEST_F(ValidateTest, ClearMustBeTrue) {
  v1::SubmittedValue in;
  in.set_indicator("QD11-01");
  in.set_clear(false);
  auto out = Validate(Request("10525", "2026-03", {in}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("(QD11-01).clear"));
}

// ---------------------------------------------------------------------------
// A ratio's parts

// The status of a Hải Phòng commune submitting `value` for QD11-01 in March.
absl::Status RatioStatus(const Catalog& catalog, const Registry& registry,
                         const v1::SubmittedValue& value) {
  return ValidateSubmission(catalog, registry,
                            Request("10525", "2026-03", {value}),
                            AcceptProvince("31"))
      .status();
}

TEST_F(ValidateTest, NegativeNumerator) {
  absl::Status s =
      RatioStatus(*catalog_, *registry_, RatioValue("QD11-01", -1, 50));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("(QD11-01).numerator"), HasSubstr("negative")));
}

TEST_F(ValidateTest, NegativeDenominator) {
  absl::Status s =
      RatioStatus(*catalog_, *registry_, RatioValue("QD11-01", 0, -5));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("(QD11-01).denominator"), HasSubstr("negative")));
}

TEST_F(ValidateTest, NumeratorAboveDenominator) {
  absl::Status s =
      RatioStatus(*catalog_, *registry_, RatioValue("QD11-01", 51, 50));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("(QD11-01).numerator"),
                                 HasSubstr("51"), HasSubstr("50")));
}

TEST_F(ValidateTest, ZeroDenominatorWithPositiveNumerator) {
  absl::Status s =
      RatioStatus(*catalog_, *registry_, RatioValue("QD11-01", 5, 0));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("(QD11-01).denominator"));
}

TEST_F(ValidateTest, MissingNumerator) {
  v1::SubmittedValue in;
  in.set_indicator("QD11-01");
  in.mutable_ratio()->set_denominator(50);
  absl::Status s = RatioStatus(*catalog_, *registry_, in);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("(QD11-01).numerator"), HasSubstr("missing")));
}

TEST_F(ValidateTest, MissingDenominator) {
  v1::SubmittedValue in;
  in.set_indicator("QD11-01");
  in.mutable_ratio()->set_numerator(0);  // set, even though 0
  absl::Status s = RatioStatus(*catalog_, *registry_, in);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("(QD11-01).denominator"), HasSubstr("missing")));
}

TEST_F(ValidateTest, EmptyRatio) {
  v1::SubmittedValue in;
  in.set_indicator("QD11-01");
  in.mutable_ratio();
  absl::Status s = RatioStatus(*catalog_, *registry_, in);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("QD11-01"), HasSubstr("missing")));
}

TEST_F(ValidateTest, RatioIndicatorGivenANumber) {
  absl::Status s =
      RatioStatus(*catalog_, *registry_, NumberValue("QD11-01", 45));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("(QD11-01).ratio"));
  absl::Status index =
      RatioStatus(*catalog_, *registry_, IndexValue("QD11-01", "90"));
  EXPECT_EQ(index.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(index.message(), HasSubstr("(QD11-01).ratio"));
}

// ---------------------------------------------------------------------------
// Counts, ranks and indexes

TEST_F(ValidateTest, CountGivenAnotherKind) {
  auto ratio =
      Validate(Request("31.SKHCN", "2026-03", {RatioValue("QD11-12", 1, 2)}));
  EXPECT_EQ(ratio.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ratio.status().message(), HasSubstr("(QD11-12).number"));
  auto index =
      Validate(Request("31.SKHCN", "2026-03", {IndexValue("QD11-12", "5")}));
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(index.status().message(), HasSubstr("(QD11-12).number"));
}

TEST_F(ValidateTest, PartsAboveTheLargestReportableValue) {
  // The largest is accepted; one more is refused, naming the part.
  EXPECT_TRUE(Validate(Request("10525", "2026-03",
                               {RatioValue("QD11-01", kMaxSubmittedValue,
                                           kMaxSubmittedValue)}))
                  .ok());
  absl::Status s = RatioStatus(
      *catalog_, *registry_,
      RatioValue("QD11-01", kMaxSubmittedValue + 1, kMaxSubmittedValue + 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("(QD11-01).numerator"),
                                 HasSubstr("the most one unit may report")));
  s = RatioStatus(*catalog_, *registry_,
                  RatioValue("QD11-01", 1, kMaxSubmittedValue + 1));
  EXPECT_THAT(s.message(), HasSubstr("(QD11-01).denominator"));
  auto count = Validate(Request(
      "31.SKHCN", "2026-03", {NumberValue("QD11-12", kMaxSubmittedValue + 1)}));
  EXPECT_EQ(count.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(count.status().message(), HasSubstr("(QD11-12).number"));
  // Every unit of the country at the largest value still sums within int64.
  EXPECT_LT(kMaxSubmittedValue,
            std::numeric_limits<int64_t>::max() /
                (registry_->CountLevel(Level::kCommune) +
                 registry_->CountLevel(Level::kDepartment)));
}

TEST_F(ValidateTest, NegativeCount) {
  auto out =
      Validate(Request("31.SKHCN", "2026-03", {NumberValue("QD11-12", -1)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("(QD11-12).number"), HasSubstr("negative")));
}

TEST_F(ValidateTest, RankZero) {
  auto out = ValidateFor(
      "46", Request("46.SKHCN", "2026", {NumberValue("HUE-DTI-RANK", 0)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("(HUE-DTI-RANK).number"));
}

TEST_F(ValidateTest, NegativeRank) {
  auto out = ValidateFor(
      "46", Request("46.SKHCN", "2026", {NumberValue("HUE-DTI-RANK", -3)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("(HUE-DTI-RANK).number"));
}

TEST_F(ValidateTest, RankGivenARatio) {
  auto out = ValidateFor(
      "46", Request("46.SKHCN", "2026", {RatioValue("HUE-DTI-RANK", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("(HUE-DTI-RANK).number"));
}

TEST_F(ValidateTest, IndexThatIsNotADecimal) {
  for (const char* text :
       {"NaN", "87.255", "-1", "", "87,25", "1e2", " 87", "87.", "inf"}) {
    auto out = ValidateFor(
        "46", Request("46.SNV", "2026", {IndexValue("HUE-SIPAS", text)}));
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
        << "'" << text << "'";
    EXPECT_THAT(out.status().message(), HasSubstr("(HUE-SIPAS).index"))
        << "'" << text << "'";
  }
}

TEST_F(ValidateTest, IndexGivenANumber) {
  auto out = ValidateFor(
      "46", Request("46.SNV", "2026", {NumberValue("HUE-SIPAS", 87)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("(HUE-SIPAS).index"));
}

// ---------------------------------------------------------------------------
// Who may report what, and when

TEST_F(ValidateTest, DepartmentIndicatorFromACommune) {
  auto out =
      Validate(Request("10525", "2026-03", {RatioValue("QD11-02", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("(QD11-02).indicator"), HasSubstr("VP"),
                    HasSubstr("10525")));
}

TEST_F(ValidateTest, ClearIsCheckedLikeAValue) {
  auto out = Validate(Request("10525", "2026-03", {ClearValue("QD11-02")}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("QD11-02"));
}

TEST_F(ValidateTest, CommuneIndicatorFromADepartment) {
  auto out =
      Validate(Request("31.SKHCN", "2026-03", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("(QD11-01).indicator"), HasSubstr("31.SKHCN")));
}

TEST_F(ValidateTest, IndicatorOfAnotherDepartment) {
  auto out =
      Validate(Request("31.STC", "2026-03", {RatioValue("QD11-08", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      out.status().message(),
      AllOf(HasSubstr("QD11-08"), HasSubstr("SKHCN"), HasSubstr("31.STC")));
}

TEST_F(ValidateTest, CityDoesNotReportDirectly) {
  auto out = Validate(Request("31", "2026-03", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("QD11-01"));
}

TEST_F(ValidateTest, OutOfScopeIndicator) {
  // HP-5G is Hải Phòng's; 31120 (Phường Cái Khế) is in Cần Thơ.
  auto out = ValidateFor(
      "92", Request("31120", "2026-03", {RatioValue("HP-5G", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("(HP-5G).indicator"), HasSubstr("31120")));
  // Cần Thơ's department indicator sent by Hải Phòng's department.
  auto ct = Validate(
      Request("31.SKHCN", "2026-Q1", {RatioValue("CT-TTHC-SAT", 1, 2)}));
  EXPECT_EQ(ct.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ct.status().message(),
              AllOf(HasSubstr("CT-TTHC-SAT"), HasSubstr("92")));
}

TEST_F(ValidateTest, MonthlyIndicatorInAQuarter) {
  auto out =
      Validate(Request("10525", "2026-Q1", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("(QD11-01).indicator"), HasSubstr("monthly"),
                    HasSubstr("2026-Q1")));
}

TEST_F(ValidateTest, AnnualIndicatorInAMonth) {
  auto out =
      Validate(Request("31.STC", "2026-03", {RatioValue("HP-DIGEC", 1, 4)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      out.status().message(),
      AllOf(HasSubstr("HP-DIGEC"), HasSubstr("annual"), HasSubstr("2026-03")));
}

TEST_F(ValidateTest, MonthlyIndicatorInAYear) {
  auto out = Validate(Request("10525", "2026", {RatioValue("QD11-01", 1, 2)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("QD11-01"));
}

TEST_F(ValidateTest, OneBadValueRefusesTheWholeSubmission) {
  auto out = Validate(
      Request("10525", "2026-03",
              {RatioValue("QD11-01", 45, 50), RatioValue("QD11-03X", 60, 50)}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("values[1]"), HasSubstr("QD11-03X")));
}

}  // namespace
}  // namespace tonghop
