#include "libs/rollup/rollup.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/catalog/target.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

class RollupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = registry->release();
    auto catalog = Catalog::LoadEmbedded(*registry_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = catalog->release();
  }

  static const Unit& U(const std::string& code) {
    const Unit* u = registry_->Find(code);
    EXPECT_NE(u, nullptr) << code;
    return *u;
  }
  static const v1::Indicator& Ind(const std::string& code) {
    const v1::Indicator* ind = catalog_->Find(code);
    EXPECT_NE(ind, nullptr) << code;
    return *ind;
  }
  static Period P(const std::string& label) {
    auto p = ParsePeriod(label);
    EXPECT_TRUE(p.ok()) << p.status();
    return *p;
  }
  static v1::Value Ratio(int64_t num, int64_t den) {
    v1::Value v;
    v.mutable_ratio()->set_numerator(num);
    v.mutable_ratio()->set_denominator(den);
    return v;
  }
  static v1::Value Number(int64_t n) {
    v1::Value v;
    v.set_number(n);
    return v;
  }
  static v1::Value Hundredths(int64_t h) {
    v1::Value v;
    v.set_hundredths(h);
    return v;
  }
  // What a plain unit contributes.
  static v1::ConsolidatedValue Own(const std::string& unit,
                                   const std::string& indicator,
                                   const std::string& period,
                                   const v1::Value& value) {
    return UnitValue(*catalog_, U(unit), P(period), Ind(indicator), value, "");
  }
  static absl::StatusOr<v1::ConsolidatedValue> Consolidate(
      const std::string& node, const std::string& period,
      const std::string& indicator,
      const std::vector<Contribution>& contributions) {
    return ConsolidateIndicator(*catalog_, *registry_, U(node), P(period),
                                Ind(indicator), contributions);
  }
  static int CommuneCount(const std::string& province) {
    return static_cast<int>(registry_->CommunesOf(province).size());
  }

  static Registry* registry_;
  static Catalog* catalog_;
};

Registry* RollupTest::registry_ = nullptr;
Catalog* RollupTest::catalog_ = nullptr;

TEST_F(RollupTest, UnitValueOfACommuneAndOfADepartment) {
  v1::ConsolidatedValue c = UnitValue(*catalog_, U("10525"), P("2026-03"),
                                      Ind("QD11-01"), Ratio(3, 4), "ghi chú");
  EXPECT_EQ(c.indicator(), "QD11-01");
  EXPECT_EQ(c.value().ratio().numerator(), 3);
  EXPECT_EQ(c.value().ratio().denominator(), 4);
  EXPECT_EQ(c.note(), "ghi chú");
  EXPECT_EQ(c.reported(), 1);
  EXPECT_EQ(c.expected(), 1);
  EXPECT_EQ(c.communes_reported(), 1);
  EXPECT_EQ(c.communes_expected(), 1);
  EXPECT_EQ(c.target().text(), "=100");
  EXPECT_EQ(c.status(), v1::TARGET_STATUS_NOT_MET);

  v1::ConsolidatedValue d = Own("31.VP", "QD11-02", "2026-03", Ratio(10, 10));
  EXPECT_EQ(d.reported(), 1);
  EXPECT_EQ(d.expected(), 1);
  EXPECT_EQ(d.communes_reported(), 0);
  EXPECT_EQ(d.communes_expected(), 0);
  EXPECT_EQ(d.status(), v1::TARGET_STATUS_MET);
}

// A city node configured with 4 of its 114 communes pushes an indicator none
// of them reported: the central node counts its 4, as for the indicators they
// did report, not the registry's 114.
TEST_F(RollupTest, AChildsOwnCommuneCountHoldsWithoutData) {
  v1::ConsolidatedValue empty;
  empty.set_indicator("QD11-10");
  empty.set_expected(4);
  empty.set_communes_expected(4);
  CoveragePart pushed =
      CoverageOf(*catalog_, *registry_, U("31"), Ind("QD11-10"), &empty);
  EXPECT_EQ(pushed.reported, 0);
  EXPECT_EQ(pushed.communes_reported, 0);
  EXPECT_EQ(pushed.communes_expected, 4);
  CoveragePart silent =
      CoverageOf(*catalog_, *registry_, U("31"), Ind("QD11-10"), nullptr);
  EXPECT_EQ(silent.communes_expected,
            ExpectedCommunes(*catalog_, *registry_, U("31"), Ind("QD11-10")));
  EXPECT_EQ(silent.communes_expected, CommuneCount("31"));
}

TEST_F(RollupTest, ExpectedCommunesFollowsScopeAndLevel) {
  EXPECT_EQ(CommuneCount("31"), 114);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("10525"), Ind("QD11-01")),
            1);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("10525"), Ind("QD11-06")),
            1);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("10525"), Ind("QD11-02")),
            0);
  EXPECT_EQ(
      ExpectedCommunes(*catalog_, *registry_, U("10525"), Ind("HUE-CASHLESS")),
      0);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("31"), Ind("QD11-01")),
            114);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("31"), Ind("QD11-06")),
            114);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("31"), Ind("QD11-02")),
            0);
  EXPECT_EQ(
      ExpectedCommunes(*catalog_, *registry_, U("31"), Ind("HUE-CASHLESS")), 0);
  EXPECT_EQ(
      ExpectedCommunes(*catalog_, *registry_, U("46"), Ind("HUE-CASHLESS")),
      CommuneCount("46"));
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("31.VP"), Ind("QD11-06")),
            0);
  int all = 0;
  for (const Unit* city : registry_->Cities()) all += CommuneCount(city->code);
  EXPECT_EQ(all, 3321);
  EXPECT_EQ(ExpectedCommunes(*catalog_, *registry_, U("VN"), Ind("QD11-01")),
            all);
  EXPECT_EQ(
      ExpectedCommunes(*catalog_, *registry_, U("VN"), Ind("HUE-CASHLESS")),
      CommuneCount("46"));
}

TEST_F(RollupTest, RatioOfSumsIsNotTheMeanOfPercentages) {
  // 45/50 = 90% and 5/5 = 100%: the mean, 95%, would meet >=95; 50/55 = 90.9%
  // does not.
  v1::ConsolidatedValue a = Own("10507", "QD11-11", "2026-03", Ratio(45, 50));
  v1::ConsolidatedValue b = Own("10525", "QD11-11", "2026-03", Ratio(5, 5));
  auto out = Consolidate("31", "2026-03", "QD11-11",
                         {{&U("10507"), &a, false}, {&U("10525"), &b, false}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().ratio().numerator(), 50);
  EXPECT_EQ(out->value().ratio().denominator(), 55);
  EXPECT_EQ(out->target().text(), ">=95");
  EXPECT_EQ(out->status(), v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(out->reported(), 2);
  EXPECT_EQ(out->expected(), 2);
}

TEST_F(RollupTest, RatioJudgedOnTheExactValueNotTheRoundedPercentage) {
  v1::ConsolidatedValue a =
      Own("10507", "QD11-06", "2026-03", Ratio(9999, 12500));
  v1::ConsolidatedValue vp =
      Own("31.VP", "QD11-06", "2026-03", Ratio(10000, 12500));
  auto out = Consolidate("31", "2026-03", "QD11-06",
                         {{&U("10507"), &a, false}, {&U("31.VP"), &vp, false}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().ratio().numerator(), 19999);
  EXPECT_EQ(out->value().ratio().denominator(), 25000);
  EXPECT_EQ(DisplayValue(out->value()), "80.00");
  EXPECT_EQ(out->target().text(), ">=80");
  EXPECT_EQ(out->status(), v1::TARGET_STATUS_NOT_MET);

  v1::ConsolidatedValue exact =
      Own("10507", "QD11-06", "2026-03", Ratio(10000, 12500));
  out = Consolidate("31", "2026-03", "QD11-06",
                    {{&U("10507"), &exact, false}, {&U("31.VP"), &vp, false}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->status(), v1::TARGET_STATUS_MET);
}

TEST_F(RollupTest, CountSummedAtTheCityAndAtTheCentralNode) {
  v1::ConsolidatedValue dept = Own("31.SKHCN", "QD11-12", "2026-03", Number(6));
  auto city =
      Consolidate("31", "2026-03", "QD11-12", {{&U("31.SKHCN"), &dept, false}});
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->value().number(), 6);
  EXPECT_EQ(city->reported(), 1);
  EXPECT_EQ(city->expected(), 1);
  EXPECT_EQ(city->communes_expected(), 0);
  EXPECT_EQ(city->target().text(), ">=5");
  // QD11-12 is year-to-date: in March it is in progress, judged in December.
  EXPECT_EQ(city->status(), v1::TARGET_STATUS_IN_PROGRESS);
  v1::ConsolidatedValue december =
      Own("31.SKHCN", "QD11-12", "2026-12", Number(6));
  auto year_end = Consolidate("31", "2026-12", "QD11-12",
                              {{&U("31.SKHCN"), &december, false}});
  ASSERT_TRUE(year_end.ok()) << year_end.status();
  EXPECT_EQ(year_end->status(), v1::TARGET_STATUS_MET);
  v1::ConsolidatedValue short_year =
      Own("31.SKHCN", "QD11-12", "2026-12", Number(4));
  auto missed = Consolidate("31", "2026-12", "QD11-12",
                            {{&U("31.SKHCN"), &short_year, false}});
  ASSERT_TRUE(missed.ok());
  EXPECT_EQ(missed->status(), v1::TARGET_STATUS_NOT_MET);

  // The central node sums the cities but judges against the national target:
  // none.
  const std::vector<std::string> cities = {"31", "92", "46", "75"};
  const std::vector<int64_t> counts = {6, 2, 0, 3};
  std::vector<v1::ConsolidatedValue> values;
  int64_t expected_sum = 0;
  for (size_t i = 0; i < cities.size(); ++i) {
    std::string dept_code = cities[i] + ".SKHCN";
    v1::ConsolidatedValue d =
        Own(dept_code, "QD11-12", "2026-03", Number(counts[i]));
    auto c = Consolidate(cities[i], "2026-03", "QD11-12",
                         {{&U(dept_code), &d, false}});
    ASSERT_TRUE(c.ok()) << c.status();
    values.push_back(*c);
    expected_sum += counts[i];
  }
  std::vector<Contribution> contributions;
  for (size_t i = 0; i < cities.size(); ++i) {
    contributions.push_back({&U(cities[i]), &values[i], false});
  }
  auto central = Consolidate("VN", "2026-03", "QD11-12", contributions);
  ASSERT_TRUE(central.ok()) << central.status();
  EXPECT_EQ(central->value().number(), expected_sum);
  EXPECT_FALSE(central->has_target());
  EXPECT_EQ(central->status(), v1::TARGET_STATUS_NO_TARGET);
  EXPECT_EQ(central->reported(), 4);
  EXPECT_EQ(central->expected(), 4);
}

TEST_F(RollupTest, RankTakenFromItsDepartmentAndNeverAggregated) {
  v1::ConsolidatedValue rank =
      Own("46.SKHCN", "HUE-DTI-RANK", "2028", Number(3));
  auto city = Consolidate("46", "2028", "HUE-DTI-RANK",
                          {{&U("46.SKHCN"), &rank, false}});
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->value().number(), 3);
  EXPECT_EQ(city->target().text(), "<=5");
  EXPECT_EQ(city->status(), v1::TARGET_STATUS_MET);
  EXPECT_EQ(city->reported(), 1);
  EXPECT_EQ(city->expected(), 1);

  v1::ConsolidatedValue other = *city;
  other.mutable_value()->set_number(7);
  auto central =
      Consolidate("VN", "2028", "HUE-DTI-RANK",
                  {{&U("46"), &*city, false}, {&U("75"), &other, false}});
  ASSERT_TRUE(central.ok()) << central.status();
  EXPECT_FALSE(central->has_value()) << central->DebugString();
  EXPECT_EQ(central->status(), v1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(central->reported(), 2);
  EXPECT_EQ(central->expected(), 2);
}

TEST_F(RollupTest, IndexTakenFromItsDepartmentAndNeverAggregated) {
  v1::ConsolidatedValue sipas =
      Own("46.SNV", "HUE-SIPAS", "2028", Hundredths(9550));
  auto hue =
      Consolidate("46", "2028", "HUE-SIPAS", {{&U("46.SNV"), &sipas, false}});
  ASSERT_TRUE(hue.ok()) << hue.status();
  EXPECT_EQ(hue->value().hundredths(), 9550);
  EXPECT_EQ(hue->status(), v1::TARGET_STATUS_MET);

  v1::ConsolidatedValue low =
      Own("75.SNV", "HUE-SIPAS", "2028", Hundredths(9499));
  auto dong_nai =
      Consolidate("75", "2028", "HUE-SIPAS", {{&U("75.SNV"), &low, false}});
  ASSERT_TRUE(dong_nai.ok()) << dong_nai.status();
  EXPECT_EQ(dong_nai->status(), v1::TARGET_STATUS_NOT_MET);

  auto central =
      Consolidate("VN", "2028", "HUE-SIPAS",
                  {{&U("46"), &*hue, false}, {&U("75"), &*dong_nai, false}});
  ASSERT_TRUE(central.ok()) << central.status();
  EXPECT_FALSE(central->has_value()) << central->DebugString();
  EXPECT_EQ(central->status(), v1::TARGET_STATUS_NO_DATA);
}

TEST_F(RollupTest, RangeTargetMetAtTheLowerBoundOnlyWhileInForce) {
  std::vector<const Unit*> communes = registry_->CommunesOf("46");
  ASSERT_GE(communes.size(), 2u);
  auto at = [&](const std::string& year, int64_t n1, int64_t d1, int64_t n2,
                int64_t d2) {
    v1::ConsolidatedValue a =
        Own(communes[0]->code, "HUE-CASHLESS", year, Ratio(n1, d1));
    v1::ConsolidatedValue b =
        Own(communes[1]->code, "HUE-CASHLESS", year, Ratio(n2, d2));
    return Consolidate("46", year, "HUE-CASHLESS",
                       {{communes[0], &a, false}, {communes[1], &b, false}});
  };
  auto met = at("2028", 3, 5, 12, 15);  // 15/20 = 75%, exactly the lower bound
  ASSERT_TRUE(met.ok()) << met.status();
  EXPECT_EQ(met->value().ratio().numerator(), 15);
  EXPECT_EQ(met->value().ratio().denominator(), 20);
  EXPECT_EQ(met->target().op(), v1::Target::OP_RANGE);
  EXPECT_EQ(met->status(), v1::TARGET_STATUS_MET);

  auto below = at("2028", 1499, 1000, 0, 1000);  // 1499/2000 = 74.95%
  ASSERT_TRUE(below.ok()) << below.status();
  EXPECT_EQ(below->status(), v1::TARGET_STATUS_NOT_MET);

  auto early =
      at("2026", 3, 5, 12, 15);  // the 2028..2030 target is not yet in force
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_EQ(early->value().ratio().numerator(), 15);
  EXPECT_FALSE(early->has_target());
  EXPECT_EQ(early->status(), v1::TARGET_STATUS_NO_TARGET);
}

TEST_F(RollupTest, TargetNotInForceForThePeriodsYear) {
  for (const char* period : {"2026-03", "2027-03"}) {
    v1::ConsolidatedValue a = Own("10525", "QD11-01", period, Ratio(10, 10));
    auto out = Consolidate("31", period, "QD11-01", {{&U("10525"), &a, false}});
    ASSERT_TRUE(out.ok()) << out.status();
    if (std::string(period) == "2026-03") {
      EXPECT_EQ(out->status(), v1::TARGET_STATUS_MET);
    } else {
      EXPECT_FALSE(out->has_target());
      EXPECT_EQ(out->status(), v1::TARGET_STATUS_NO_TARGET);
    }
  }
}

TEST_F(RollupTest, BothIndicatorAddsTheDepartmentPartToTheCommunes) {
  std::vector<const Unit*> communes = registry_->CommunesOf("31");
  std::vector<v1::ConsolidatedValue> values;
  values.reserve(communes.size() + 1);
  int64_t num = 0, den = 0;
  for (size_t i = 0; i < communes.size(); ++i) {
    int64_t d = 20 + static_cast<int64_t>(i);
    int64_t n = d - static_cast<int64_t>(i % 5);
    values.push_back(Own(communes[i]->code, "QD11-06", "2026-03", Ratio(n, d)));
    num += n;
    den += d;
  }
  values.push_back(Own("31.VP", "QD11-06", "2026-03", Ratio(300, 400)));
  num += 300;
  den += 400;
  std::vector<Contribution> contributions;
  for (size_t i = 0; i < communes.size(); ++i) {
    contributions.push_back({communes[i], &values[i], false});
  }
  contributions.push_back({&U("31.VP"), &values.back(), false});
  auto out = Consolidate("31", "2026-03", "QD11-06", contributions);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().ratio().numerator(), num);
  EXPECT_EQ(out->value().ratio().denominator(), den);
  EXPECT_EQ(out->reported(), 115);
  EXPECT_EQ(out->expected(), 115);
  EXPECT_EQ(out->communes_reported(), 114);
  EXPECT_EQ(out->communes_expected(), 114);
}

TEST_F(RollupTest, MissingChildrenLowerCoverageAndAreNotSummed) {
  std::vector<const Unit*> communes = registry_->CommunesOf("31");
  std::vector<v1::ConsolidatedValue> values(communes.size());
  std::vector<Contribution> contributions;
  int64_t num = 0, den = 0;
  int present = 0;
  for (size_t i = 0; i < communes.size(); ++i) {
    const v1::ConsolidatedValue* v = nullptr;
    if (i % 3 == 0) {
      int64_t d = 7 + static_cast<int64_t>(i);
      int64_t n = static_cast<int64_t>(i) / 2;
      values[i] = Own(communes[i]->code, "QD11-01", "2026-03", Ratio(n, d));
      v = &values[i];
      num += n;
      den += d;
      ++present;
    }
    contributions.push_back({communes[i], v, false});
  }
  auto out = Consolidate("31", "2026-03", "QD11-01", contributions);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().ratio().numerator(), num);
  EXPECT_EQ(out->value().ratio().denominator(), den);
  EXPECT_EQ(out->reported(), present);
  EXPECT_LT(out->reported(), out->expected());
  EXPECT_EQ(out->expected(), 114);
  EXPECT_EQ(out->communes_reported(), present);
  EXPECT_EQ(out->communes_expected(), 114);

  for (Contribution& c : contributions) c.value = nullptr;
  auto none = Consolidate("31", "2026-03", "QD11-01", contributions);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(none->status(), v1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(none->reported(), 0);
  EXPECT_EQ(none->expected(), 114);
  EXPECT_EQ(none->communes_reported(), 0);
  EXPECT_EQ(none->communes_expected(), 114);
}

TEST_F(RollupTest, MissingCityAtTheCentralNodeStillCountsItsCommunes) {
  v1::ConsolidatedValue a = Own("10525", "QD11-01", "2026-03", Ratio(4, 5));
  std::vector<Contribution> in_city = {{&U("10525"), &a, false}};
  for (const Unit* c : registry_->CommunesOf("31")) {
    if (c->code != "10525") in_city.push_back({c, nullptr, false});
  }
  auto hp = Consolidate("31", "2026-03", "QD11-01", in_city);
  ASSERT_TRUE(hp.ok()) << hp.status();
  auto central =
      Consolidate("VN", "2026-03", "QD11-01",
                  {{&U("31"), &*hp, false}, {&U("92"), nullptr, false}});
  ASSERT_TRUE(central.ok()) << central.status();
  EXPECT_EQ(central->value().ratio().numerator(), 4);
  EXPECT_EQ(central->value().ratio().denominator(), 5);
  EXPECT_EQ(central->reported(), 1);
  EXPECT_EQ(central->expected(), 2);
  EXPECT_EQ(central->communes_reported(), 1);
  EXPECT_EQ(central->communes_expected(), 114 + CommuneCount("92"));
  EXPECT_EQ(central->target().text(), "=100");  // the national target
  EXPECT_EQ(central->status(), v1::TARGET_STATUS_NOT_MET);
}

TEST_F(RollupTest, ZeroOverZeroCountsAsReportedButHasNoData) {
  v1::ConsolidatedValue zero = Own("10507", "QD11-01", "2026-03", Ratio(0, 0));
  EXPECT_EQ(zero.status(), v1::TARGET_STATUS_NO_DATA);
  auto out =
      Consolidate("31", "2026-03", "QD11-01",
                  {{&U("10507"), &zero, false}, {&U("10525"), nullptr, false}});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->value().has_ratio());
  EXPECT_EQ(out->value().ratio().numerator(), 0);
  EXPECT_EQ(out->value().ratio().denominator(), 0);
  EXPECT_EQ(out->reported(), 1);
  EXPECT_EQ(out->expected(), 2);
  EXPECT_EQ(out->communes_reported(), 1);
  EXPECT_EQ(out->communes_expected(), 2);
  EXPECT_EQ(out->status(), v1::TARGET_STATUS_NO_DATA);
}

TEST_F(RollupTest, OwnPartAloneIsExpectedOnce) {
  v1::ConsolidatedValue own = Own("10525", "QD11-01", "2026-03", Ratio(9, 9));
  auto out =
      Consolidate("10525", "2026-03", "QD11-01", {{&U("10525"), &own, true}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().ratio().numerator(), 9);
  EXPECT_EQ(out->reported(), 1);
  EXPECT_EQ(out->expected(), 1);
  EXPECT_EQ(out->communes_reported(), 1);
  EXPECT_EQ(out->communes_expected(), 1);
  EXPECT_EQ(out->status(), v1::TARGET_STATUS_MET);

  auto missing = Consolidate("10525", "2026-03", "QD11-01",
                             {{&U("10525"), nullptr, true}});
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(missing->reported(), 0);
  EXPECT_EQ(missing->expected(), 1);
  EXPECT_EQ(missing->communes_expected(), 1);
  EXPECT_EQ(missing->status(), v1::TARGET_STATUS_NO_DATA);
}

TEST_F(RollupTest, AWardWhoseOfficeReportedCountsAsOneCommuneReported) {
  if (registry_->Find("10525.VHXH") == nullptr) {
    ASSERT_TRUE(
        registry_->AddOffice("10525.VHXH", "Phòng Văn hóa - Xã hội").ok());
  }
  v1::ConsolidatedValue office =
      Own("10525.VHXH", "QD11-01", "2026-03", Ratio(4, 5));
  auto out = Consolidate(
      "10525", "2026-03", "QD11-01",
      {{&U("10525"), nullptr, true}, {&U("10525.VHXH"), &office, false}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().ratio().numerator(), 4);
  // The office reported; the ward's own part, also owed, did not.
  EXPECT_EQ(out->reported(), 1);
  EXPECT_EQ(out->expected(), 2);
  EXPECT_EQ(out->communes_reported(), 1);  // the ward is the commune
  EXPECT_EQ(out->communes_expected(), 1);
}

TEST_F(RollupTest, AWardsOwnPartCountsInCoverageBesideItsOffices) {
  for (const char* code : {"10525.VHXH", "10525.KT"}) {
    if (registry_->Find(code) == nullptr) {
      ASSERT_TRUE(registry_->AddOffice(code, "Phòng").ok());
    }
  }
  v1::ConsolidatedValue own = Own("10525", "QD11-01", "2026-03", Ratio(1, 2));
  v1::ConsolidatedValue vhxh =
      Own("10525.VHXH", "QD11-01", "2026-03", Ratio(3, 4));
  v1::ConsolidatedValue kt = Own("10525.KT", "QD11-01", "2026-03", Ratio(5, 6));
  auto all = Consolidate("10525", "2026-03", "QD11-01",
                         {{&U("10525"), &own, true},
                          {&U("10525.VHXH"), &vhxh, false},
                          {&U("10525.KT"), &kt, false}});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->value().ratio().numerator(), 9);
  EXPECT_EQ(all->value().ratio().denominator(), 12);
  EXPECT_EQ(all->reported(), 3);
  EXPECT_EQ(all->expected(), 3);
  EXPECT_EQ(all->children_judged(), 3);  // the same three contributors

  // Only the ward's own part: 1 of 3, not 0 of 2 beside a value.
  auto own_only = Consolidate("10525", "2026-03", "QD11-01",
                              {{&U("10525"), &own, true},
                               {&U("10525.VHXH"), nullptr, false},
                               {&U("10525.KT"), nullptr, false}});
  ASSERT_TRUE(own_only.ok()) << own_only.status();
  EXPECT_TRUE(own_only->has_value());
  EXPECT_EQ(own_only->reported(), 1);
  EXPECT_EQ(own_only->expected(), 3);
}

TEST_F(RollupTest, SumOverflowIsOutOfRangeNeverAWrap) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  v1::ConsolidatedValue big = Own("31", "QD11-12", "2026-03", Number(kMax));
  v1::ConsolidatedValue one = Own("92", "QD11-12", "2026-03", Number(1));
  auto out = Consolidate("VN", "2026-03", "QD11-12",
                         {{&U("31"), &big, false}, {&U("92"), &one, false}});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kOutOfRange) << out.status();
  EXPECT_THAT(out.status().message(), HasSubstr("QD11-12"));

  // At the edge it still fits.
  v1::ConsolidatedValue almost =
      Own("31", "QD11-12", "2026-03", Number(kMax - 1));
  out = Consolidate("VN", "2026-03", "QD11-12",
                    {{&U("31"), &almost, false}, {&U("92"), &one, false}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->value().number(), kMax);

  const int64_t half = kMax / 2 + 1;
  v1::ConsolidatedValue a = Own("10507", "QD11-01", "2026-03", Ratio(0, half));
  v1::ConsolidatedValue b = Own("10525", "QD11-01", "2026-03", Ratio(0, half));
  auto ratio =
      Consolidate("31", "2026-03", "QD11-01",
                  {{&U("10507"), &a, false}, {&U("10525"), &b, false}});
  EXPECT_EQ(ratio.status().code(), absl::StatusCode::kOutOfRange)
      << ratio.status();
  EXPECT_THAT(ratio.status().message(), HasSubstr("QD11-01"));

  v1::ConsolidatedValue c =
      Own("10507", "QD11-01", "2026-03", Ratio(half, half));
  auto num = Consolidate("31", "2026-03", "QD11-01",
                         {{&U("10507"), &c, false}, {&U("10525"), &c, false}});
  EXPECT_EQ(num.status().code(), absl::StatusCode::kOutOfRange) << num.status();
  EXPECT_THAT(num.status().message(), HasSubstr("QD11-01"));
}

// Random changes of random contributors, each applied with ApplyChange to the
// value kept so far: after every change it equals ConsolidateIndicator over
// all the contributors as they are then, field for field.
class ApplyChangeTest : public RollupTest {
 protected:
  // `contributors[0]` is the node's own part when `own`. `make` gives a
  // contributor's new value (nullopt: it has not reported, or withdrew).
  void Check(const std::string& node, const std::string& period,
             const std::string& indicator,
             const std::vector<const Unit*>& contributors, bool own,
             const std::function<std::optional<v1::ConsolidatedValue>(
                 std::mt19937&, const Unit&)>& make) {
    const v1::Indicator& ind = Ind(indicator);
    ASSERT_TRUE(CanApplyChange(U(node), ind));
    std::mt19937 rng(20261203);
    std::vector<std::optional<v1::ConsolidatedValue>> values(
        contributors.size());
    auto all = [&] {
      std::vector<Contribution> list;
      for (size_t i = 0; i < contributors.size(); ++i) {
        list.push_back({contributors[i], values[i] ? &*values[i] : nullptr,
                        own && i == 0});
      }
      return list;
    };
    auto first = Consolidate(node, period, indicator, all());
    ASSERT_TRUE(first.ok()) << first.status();
    v1::ConsolidatedValue kept = *first;
    for (int step = 0; step < 400; ++step) {
      // One to three contributors change (as in a group of pushes), some
      // perhaps twice.
      CoveragePart delta;
      const int changes = 1 + static_cast<int>(rng() % 3);
      for (int c = 0; c < changes; ++c) {
        const size_t i = rng() % contributors.size();
        const Unit& unit = *contributors[i];
        delta -= CoverageOf(*catalog_, *registry_, unit, ind,
                            values[i] ? &*values[i] : nullptr);
        values[i] = make(rng, unit);
        delta += CoverageOf(*catalog_, *registry_, unit, ind,
                            values[i] ? &*values[i] : nullptr);
      }
      int64_t a = 0, b = 0;  // the sums, kept apart as the engine does
      for (const auto& v : values) {
        if (!v || !HasValue(&*v)) continue;
        a += v->value().has_ratio() ? v->value().ratio().numerator()
                                    : v->value().number();
        b += v->value().has_ratio() ? v->value().ratio().denominator() : 0;
      }
      ApplyChange(*catalog_, U(node), P(period), ind, delta, a, b, &kept);
      auto full = Consolidate(node, period, indicator, all());
      ASSERT_TRUE(full.ok()) << full.status();
      ASSERT_TRUE(
          google::protobuf::util::MessageDifferencer::Equals(kept, *full))
          << "step " << step << "\nkept: " << kept.ShortDebugString()
          << "\nfull: " << full->ShortDebugString();
    }
  }

  // A ratio as a commune (or department) unit gives it: sometimes 0/0.
  static std::optional<v1::ConsolidatedValue> UnitRatio(
      std::mt19937& rng, const Unit& unit, const std::string& indicator,
      const std::string& period) {
    if (rng() % 4 == 0) return std::nullopt;
    const int64_t den = rng() % 40;
    const int64_t num = den == 0 ? 0 : den - static_cast<int64_t>(rng() % 5);
    return UnitValue(*catalog_, unit, P(period), Ind(indicator),
                     Ratio(std::max<int64_t>(num, 0), den), "");
  }
};

TEST_F(ApplyChangeTest, ARatioAtACityOverItsCommunesAndADepartment) {
  // QD11-06 is reported by the communes and by VP (both).
  std::vector<const Unit*> contributors = {&U("31.VP")};
  for (const Unit* c : registry_->CommunesOf("31")) contributors.push_back(c);
  for (const std::string period : {"2026-03", "2027-03"}) {  // target or none
    SCOPED_TRACE(period);
    Check("31", period, "QD11-06", contributors, /*own=*/false,
          [&](std::mt19937& rng, const Unit& unit) {
            return UnitRatio(rng, unit, "QD11-06", period);
          });
  }
}

TEST_F(ApplyChangeTest, ARatioAtTheCentralNodeOverCitiesWithTheirCoverage) {
  const std::vector<const Unit*> cities = registry_->Cities();
  Check("VN", "2026-03", "QD11-01", cities, /*own=*/false,
        [&](std::mt19937& rng,
            const Unit& city) -> std::optional<v1::ConsolidatedValue> {
          if (rng() % 5 == 0) return std::nullopt;
          v1::ConsolidatedValue v;
          v.set_indicator("QD11-01");
          const int64_t den = rng() % 5000;
          *v.mutable_value() = Ratio(den - (den > 0 ? rng() % den : 0), den);
          const int communes = static_cast<int>(rng() % 200);
          v.set_communes_expected(communes);
          v.set_communes_reported(communes > 0 ? rng() % communes : 0);
          v.set_status(rng() % 2 ? v1::TARGET_STATUS_MET
                                 : v1::TARGET_STATUS_NOT_MET);
          if (den == 0) v.set_status(v1::TARGET_STATUS_NO_DATA);
          return v;
        });
}

TEST_F(ApplyChangeTest, AYearToDateCountAtACityWithTheDepartmentsOwnPart) {
  // QD11-12 at a department node: its own part only; in December it is
  // judged, before it is in progress.
  for (const std::string period : {"2026-03", "2026-12"}) {
    SCOPED_TRACE(period);
    Check("31", period, "QD11-12", {&U("31.SKHCN")}, /*own=*/false,
          [&](std::mt19937& rng,
              const Unit& unit) -> std::optional<v1::ConsolidatedValue> {
            if (rng() % 4 == 0) return std::nullopt;
            return UnitValue(*catalog_, unit, P(period), Ind("QD11-12"),
                             Number(rng() % 9), "");
          });
  }
}

TEST_F(ApplyChangeTest, NotForRanksIndicesOrAtAWard) {
  EXPECT_FALSE(CanApplyChange(U("10525"), Ind("QD11-01")));
  EXPECT_TRUE(CanApplyChange(U("31"), Ind("QD11-01")));
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    if (ind.rollup() == v1::ROLLUP_NONE) {
      EXPECT_FALSE(CanApplyChange(U("31"), ind)) << ind.code();
    }
  }
}

}  // namespace
}  // namespace tonghop
