#include "libs/federation/validate_push.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

// One ratio value with its coverage, as a child node pushes it.
v1::ConsolidatedValue RatioValue(const std::string& indicator, int64_t n,
                                 int64_t d, int reported = 1, int expected = 1,
                                 int communes_reported = 1,
                                 int communes_expected = 1) {
  v1::ConsolidatedValue v;
  v.set_indicator(indicator);
  v.mutable_value()->mutable_ratio()->set_numerator(n);
  v.mutable_value()->mutable_ratio()->set_denominator(d);
  v.set_reported(reported);
  v.set_expected(expected);
  v.set_communes_reported(communes_reported);
  v.set_communes_expected(communes_expected);
  v.set_status(v1::TARGET_STATUS_NOT_MET);
  return v;
}

v1::ConsolidatedValue CountValue(const std::string& indicator, int64_t n) {
  v1::ConsolidatedValue v;
  v.set_indicator(indicator);
  v.mutable_value()->set_number(n);
  v.set_reported(1);
  v.set_expected(1);
  return v;
}

v1::PushRequest MakePush(const std::string& child, const std::string& period,
                         int64_t revision) {
  v1::PushRequest p;
  p.set_child(child);
  p.set_period(period);
  p.set_revision(revision);
  return p;
}

class ValidatePushTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = registry->release();
    auto catalog = Catalog::LoadEmbedded(*registry_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
  }
  static void TearDownTestSuite() {
    delete catalog_;
    delete registry_;
    catalog_ = nullptr;
    registry_ = nullptr;
  }

  const Unit& U(const std::string& code) {
    const Unit* u = registry_->Find(code);
    EXPECT_NE(u, nullptr) << code;
    return *u;
  }
  absl::StatusOr<Period> Validate(const v1::PushRequest& push) {
    return ValidatePush(*catalog_, *registry_, U(push.child()), push);
  }
  // Expects INVALID_ARGUMENT whose message contains `field`.
  void ExpectInvalid(const v1::PushRequest& push, const std::string& field) {
    auto r = Validate(push);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
        << push.ShortDebugString() << ": " << r.status();
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(field))
        << push.ShortDebugString();
  }

  // A well-formed push from city 31 to the central node for 2026-03.
  static v1::PushRequest CityPush() {
    v1::PushRequest p = MakePush("31", "2026-03", 7);
    *p.add_values() = RatioValue("QD11-01", 900, 1000, 80, 114, 80, 114);
    *p.add_values() = RatioValue("QD11-02", 45, 50, 1, 1, 0, 0);
    *p.add_values() = CountValue("QD11-12", 3);
    *p.add_values() = RatioValue("HP-5G", 0, 0, 1, 114, 1, 114);
    v1::ChildBreakdown* b = p.add_children();
    b->set_unit("10525");
    b->set_name("Phường Hải Dương");
    b->set_revision(2);
    *b->add_values() = RatioValue("QD11-01", 45, 50);
    return p;
  }
  // A well-formed push from ward 10525 to city 31 for 2026-03.
  static v1::PushRequest WardPush() {
    v1::PushRequest p = MakePush("10525", "2026-03", 3);
    *p.add_values() = RatioValue("QD11-01", 45, 50);
    *p.add_values() = RatioValue("QD11-03X", 7, 10);
    *p.add_values() = RatioValue("HP-5G", 10, 10);
    return p;
  }

  static Registry* registry_;
  static Catalog* catalog_;
};

Registry* ValidatePushTest::registry_ = nullptr;
Catalog* ValidatePushTest::catalog_ = nullptr;

TEST_F(ValidatePushTest, AcceptsWellFormedPushes) {
  auto city = Validate(CityPush());
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->Label(), "2026-03");
  EXPECT_EQ(city->frequency(), v1::FREQUENCY_MONTHLY);

  auto ward = Validate(WardPush());
  ASSERT_TRUE(ward.ok()) << ward.status();
  EXPECT_EQ(ward->Label(), "2026-03");

  // An annual report, and an empty one (the child has nothing yet).
  v1::PushRequest annual = MakePush("31", "2026", 1);
  *annual.add_values() = RatioValue("HP-DIGEC", 31, 100, 1, 1, 0, 0);
  *annual.add_values() = CountValue("HP-SHARED-INFRA", 9);
  EXPECT_TRUE(Validate(annual).ok()) << Validate(annual).status();
  EXPECT_TRUE(Validate(MakePush("10525", "2026-04", 1)).ok());

  // 0/0 and exactly numerator == denominator are well formed.
  v1::PushRequest edge = WardPush();
  *edge.mutable_values(0) = RatioValue("QD11-01", 0, 0);
  *edge.mutable_values(1) = RatioValue("QD11-03X", 10, 10);
  EXPECT_TRUE(Validate(edge).ok()) << Validate(edge).status();
}

TEST_F(ValidatePushTest, UnsetValueIsNoDataAndAccepted) {
  v1::PushRequest p = WardPush();
  v1::ConsolidatedValue* none = p.add_values();
  none->set_indicator("QD11-06");
  none->set_reported(0);
  none->set_expected(1);
  none->set_communes_reported(0);
  none->set_communes_expected(1);
  none->set_status(v1::TARGET_STATUS_NO_DATA);
  auto r = Validate(p);
  EXPECT_TRUE(r.ok()) << r.status();

  // Even with nothing but the indicator code.
  v1::PushRequest bare = MakePush("31", "2026-03", 1);
  bare.add_values()->set_indicator("QD11-02");
  EXPECT_TRUE(Validate(bare).ok()) << Validate(bare).status();
}

TEST_F(ValidatePushTest, RefusesBadPeriod) {
  for (const char* label : {"2026-13", "2026-3", "", "26-03", "2026-Q5"}) {
    v1::PushRequest p = WardPush();
    p.set_period(label);
    ExpectInvalid(p, "period");
  }
}

TEST_F(ValidatePushTest, RefusesNonPositiveRevision) {
  for (int64_t revision : {int64_t{0}, int64_t{-1}, int64_t{-100}}) {
    v1::PushRequest p = WardPush();
    p.set_revision(revision);
    ExpectInvalid(p, "revision");
  }
}

TEST_F(ValidatePushTest, RefusesUnknownIndicator) {
  v1::PushRequest p = WardPush();
  *p.add_values() = RatioValue("NO-SUCH", 1, 2);
  ExpectInvalid(p, "values[3] (NO-SUCH).indicator");

  v1::PushRequest empty = WardPush();
  *empty.mutable_values(0) = RatioValue("", 1, 2);
  ExpectInvalid(empty, "values[0] ().indicator");
}

TEST_F(ValidatePushTest, RefusesIndicatorGivenTwice) {
  v1::PushRequest p = WardPush();
  *p.add_values() = RatioValue("QD11-01", 1, 2);
  ExpectInvalid(p, "values[3] (QD11-01).indicator");
}

TEST_F(ValidatePushTest, RefusesIndicatorOfAnotherFrequency) {
  // An annual indicator in a monthly report.
  v1::PushRequest p = CityPush();
  *p.add_values() = RatioValue("HP-DIGEC", 1, 2, 1, 1, 0, 0);
  ExpectInvalid(p, "values[4] (HP-DIGEC).indicator");

  // A monthly indicator in an annual report.
  v1::PushRequest annual = MakePush("31", "2026", 1);
  *annual.add_values() = RatioValue("QD11-01", 1, 2);
  ExpectInvalid(annual, "values[0] (QD11-01).indicator");

  // A quarterly indicator (Cần Thơ's) in Cần Thơ's monthly report.
  v1::PushRequest quarterly = MakePush("92", "2026-03", 1);
  *quarterly.add_values() = RatioValue("CT-TTHC-SAT", 1, 2, 1, 1, 0, 0);
  ExpectInvalid(quarterly, "values[0] (CT-TTHC-SAT).indicator");
}

TEST_F(ValidatePushTest, RefusesIndicatorNotOwedByTheChild) {
  // A Huế-only indicator from Hải Phòng.
  v1::PushRequest hue = MakePush("31", "2026", 1);
  *hue.add_values() = RatioValue("HUE-CASHLESS", 1, 2, 1, 114, 1, 114);
  ExpectInvalid(hue, "values[0] (HUE-CASHLESS).indicator");

  // A Hải Phòng-only indicator from Cần Thơ.
  v1::PushRequest hp = MakePush("92", "2026-03", 1);
  *hp.add_values() = RatioValue("HP-5G", 1, 2, 1, 103, 1, 103);
  ExpectInvalid(hp, "values[0] (HP-5G).indicator");

  // Department indicators from a ward.
  for (std::string code : {"QD11-02", "QD11-12"}) {
    v1::PushRequest p = WardPush();
    *p.add_values() = code == "QD11-12" ? CountValue(code, 1)
                                        : RatioValue(code, 1, 2, 1, 1, 0, 0);
    ExpectInvalid(p, "values[3] (" + code + ").indicator");
  }
}

TEST_F(ValidatePushTest, RefusesMalformedRatio) {
  v1::PushRequest greater = WardPush();
  *greater.mutable_values(1) = RatioValue("QD11-03X", 11, 10);
  ExpectInvalid(greater, "values[1] (QD11-03X).value");

  v1::PushRequest positive_over_zero = WardPush();
  *positive_over_zero.mutable_values(1) = RatioValue("QD11-03X", 1, 0);
  ExpectInvalid(positive_over_zero, "values[1] (QD11-03X).value");

  v1::PushRequest negative_num = WardPush();
  *negative_num.mutable_values(0) = RatioValue("QD11-01", -1, 10);
  ExpectInvalid(negative_num, "values[0] (QD11-01).value");

  v1::PushRequest negative_both = WardPush();
  *negative_both.mutable_values(0) = RatioValue("QD11-01", -5, -1);
  ExpectInvalid(negative_both, "values[0] (QD11-01).value");
}

// A buggy or rogue child cannot push its parent's sums towards overflow (which
// would then refuse everyone else's figures).
TEST_F(ValidatePushTest, RefusesPartsAboveWhatAllTheUnitsBelowCanReport) {
  v1::PushRequest at_most = CityPush();
  *at_most.mutable_values(0) =
      RatioValue("QD11-01", kMaxPushedValue, kMaxPushedValue, 80, 114, 80, 114);
  *at_most.mutable_values(2) = CountValue("QD11-12", kMaxPushedValue);
  EXPECT_TRUE(Validate(at_most).ok()) << Validate(at_most).status();

  v1::PushRequest ratio = CityPush();
  *ratio.mutable_values(0) =
      RatioValue("QD11-01", 9'000'000'000'000'000'000,
                 9'000'000'000'000'000'000, 80, 114, 80, 114);
  ExpectInvalid(ratio,
                "values[0] (QD11-01).value: denominator 9000000000000000000 "
                "is more than 10000000000000000");
  v1::PushRequest count = CityPush();
  *count.mutable_values(2) = CountValue("QD11-12", kMaxPushedValue + 1);
  ExpectInvalid(count, "values[2] (QD11-12).value: 10000000000000001 is more");
  v1::PushRequest breakdown = CityPush();
  *breakdown.mutable_children(0)->mutable_values(0) =
      RatioValue("QD11-01", 1, kMaxPushedValue + 1);
  ExpectInvalid(breakdown, "children[0] (10525).values[0] (QD11-01).value");
}

TEST_F(ValidatePushTest, RefusesValueOfTheWrongKind) {
  // A number for a ratio indicator.
  v1::PushRequest number = WardPush();
  number.mutable_values(0)->mutable_value()->set_number(45);
  ExpectInvalid(number, "values[0] (QD11-01).value");

  // A ratio for a count indicator.
  v1::PushRequest ratio = CityPush();
  *ratio.mutable_values(2) = RatioValue("QD11-12", 1, 2, 1, 1, 0, 0);
  ExpectInvalid(ratio, "values[2] (QD11-12).value");

  // A decimal for a ratio indicator.
  v1::PushRequest decimal = WardPush();
  decimal.mutable_values(2)->mutable_value()->set_hundredths(9000);
  ExpectInvalid(decimal, "values[2] (HP-5G).value");

  // A negative count.
  v1::PushRequest negative = CityPush();
  *negative.mutable_values(2) = CountValue("QD11-12", -3);
  ExpectInvalid(negative, "values[2] (QD11-12).value");
}

// Values a child's consolidation can never hold, since a submission giving them
// is refused (libs/catalog/validate.cc): a ratio missing a part, a negative
// index, a rank 0.
TEST_F(ValidatePushTest, RefusesRatioMissingAPart) {
  for (bool numerator : {true, false}) {
    v1::PushRequest p = WardPush();
    v1::Ratio* r = p.mutable_values(0)->mutable_value()->mutable_ratio();
    numerator ? r->clear_numerator() : r->clear_denominator();
    ExpectInvalid(p, "values[0] (QD11-01).value");
  }
}

TEST_F(ValidatePushTest, RefusesNegativeIndex) {
  v1::PushRequest p = MakePush("46", "2028", 1);
  v1::ConsolidatedValue* sipas = p.add_values();
  sipas->set_indicator("HUE-SIPAS");
  sipas->mutable_value()->set_hundredths(-8725);
  sipas->set_reported(1);
  sipas->set_expected(1);
  ExpectInvalid(p, "values[0] (HUE-SIPAS).value");
  sipas->mutable_value()->set_hundredths(8725);
  EXPECT_TRUE(Validate(p).ok()) << Validate(p).status();
}

TEST_F(ValidatePushTest, RefusesRankZero) {
  v1::PushRequest p = MakePush("46", "2028", 1);
  *p.add_values() = CountValue("HUE-DTI-RANK", 0);
  ExpectInvalid(p, "values[0] (HUE-DTI-RANK).value");
  p.mutable_values(0)->mutable_value()->set_number(3);
  EXPECT_TRUE(Validate(p).ok()) << Validate(p).status();
}

TEST_F(ValidatePushTest, RefusesCoverageOutOfRange) {
  // reported > expected.
  v1::PushRequest over = CityPush();
  *over.mutable_values(0) = RatioValue("QD11-01", 9, 10, 115, 114, 80, 114);
  ExpectInvalid(over, "values[0] (QD11-01).reported");

  // communes_reported > communes_expected.
  v1::PushRequest communes = CityPush();
  *communes.mutable_values(0) = RatioValue("QD11-01", 9, 10, 80, 114, 115, 114);
  ExpectInvalid(communes, "values[0] (QD11-01).communes_reported");

  // Negative coverage, at either depth.
  v1::PushRequest negative_reported = WardPush();
  *negative_reported.mutable_values(0) = RatioValue("QD11-01", 1, 2, -1, 1);
  ExpectInvalid(negative_reported, "values[0] (QD11-01).reported");

  v1::PushRequest negative_expected = WardPush();
  *negative_expected.mutable_values(0) = RatioValue("QD11-01", 1, 2, 0, -1);
  ExpectInvalid(negative_expected, "values[0] (QD11-01).reported");

  v1::PushRequest negative_communes = WardPush();
  *negative_communes.mutable_values(0) =
      RatioValue("QD11-01", 1, 2, 1, 1, -1, 1);
  ExpectInvalid(negative_communes, "values[0] (QD11-01).communes_reported");

  v1::PushRequest negative_communes_expected = WardPush();
  *negative_communes_expected.mutable_values(0) =
      RatioValue("QD11-01", 1, 2, 1, 1, 0, -1);
  ExpectInvalid(negative_communes_expected, "values[0] (QD11-01).communes");
}

TEST_F(ValidatePushTest, FirstProblemIsNamedWithItsIndex) {
  // A good value first, then a bad one: the message points at the bad one.
  v1::PushRequest p = WardPush();
  *p.mutable_values(2) = RatioValue("HP-5G", 3, 2);
  auto r = Validate(p);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("values[2] (HP-5G)"));
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::Not(HasSubstr("values[0]")));
}

}  // namespace
}  // namespace tonghop

namespace tonghop {
namespace {

TEST_F(ValidatePushTest, TheBreakdownNamesOnlyTheChildAndUnitsDirectlyBelowIt) {
  v1::PushRequest ok = CityPush();
  ok.mutable_children(0)->set_unit(
      "31.VP");  // a department of the city, with its indicator
  ok.mutable_children(0)->mutable_values(0)->set_indicator("QD11-02");
  ok.mutable_children(0)->mutable_values(0)->set_communes_reported(0);
  ok.mutable_children(0)->mutable_values(0)->set_communes_expected(0);
  EXPECT_TRUE(Validate(ok).ok()) << Validate(ok).status();
  ok.mutable_children(0)->mutable_values(0)->set_indicator(
      "QD11-01");  // a commune's
  ExpectInvalid(
      ok,
      "children[0] (31.VP).values[0] (QD11-01).indicator: not owed by 31.VP");
  v1::PushRequest office =
      WardPush();  // an office only the ward's registry knows
  office.add_children()->set_unit("10525.VHXH");
  EXPECT_TRUE(Validate(office).ok());

  v1::PushRequest stranger = CityPush();
  stranger.mutable_children(0)->set_unit("31120");  // a Cần Thơ ward
  ExpectInvalid(stranger, "children[0] (31120).unit");
  v1::PushRequest bad_value = CityPush();
  bad_value.mutable_children(0)
      ->mutable_values(0)
      ->mutable_value()
      ->mutable_ratio()
      ->set_numerator(51);
  ExpectInvalid(bad_value, "children[0] (10525).values[0] (QD11-01).value");
}

TEST_F(ValidatePushTest, CommuneCoverageCannotExceedTheCommunesBelowTheUnit) {
  const int communes = registry_->CommuneCount("31");
  ASSERT_GT(communes, 100);
  v1::PushRequest city = CityPush();
  city.mutable_values(0)->set_communes_expected(communes);
  city.mutable_values(0)->set_communes_reported(communes);
  EXPECT_TRUE(Validate(city).ok()) << Validate(city).status();
  city.mutable_values(0)->set_communes_expected(communes + 1);
  ExpectInvalid(city, absl::StrCat("values[0] (QD11-01).communes_expected: ",
                                   communes + 1, " is more than 31 has (",
                                   communes, ")"));
  // A ward is one commune, in its values and as a city's breakdown entry.
  v1::PushRequest ward = WardPush();
  ward.mutable_values(0)->set_communes_expected(2);
  ExpectInvalid(ward, "values[0] (QD11-01).communes_expected");
  v1::PushRequest entry = CityPush();
  entry.mutable_children(0)->mutable_values(0)->set_communes_expected(1000000);
  ExpectInvalid(entry,
                "children[0] (10525).values[0] (QD11-01).communes_expected");
  // A department covers no commune.
  v1::PushRequest department = MakePush("31.SKHCN", "2026-03", 1);
  *department.add_values() = RatioValue("QD11-08", 34, 40, 1, 1, 0, 1);
  ExpectInvalid(department, "values[0] (QD11-08).communes_expected");
}

TEST_F(ValidatePushTest, ChildrenMetCannotExceedChildrenJudged) {
  v1::PushRequest p = CityPush();
  p.mutable_values(0)->set_children_met(5);
  p.mutable_values(0)->set_children_judged(4);
  ExpectInvalid(p, "values[0] (QD11-01).children_met");
  p.mutable_values(0)->set_children_met(-1);
  ExpectInvalid(p, "children_met");
}

}  // namespace
}  // namespace tonghop
