#include "libs/catalog/catalog.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "data/embedded.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// The header line of data/indicators.csv, copied exactly.
constexpr char kHeader[] =
    "code,source,name_vi,name_en,measure,unit,target,target_years,"
    "national_target,reported_by,responsible_code,responsible_vi,scope,"
    "frequency,cumulative,rollup,notes\n";

const std::vector<std::string>& ColumnOrder() {
  static const auto* cols = new std::vector<std::string>{"code",
                                                         "source",
                                                         "name_vi",
                                                         "name_en",
                                                         "measure",
                                                         "unit",
                                                         "target",
                                                         "target_years",
                                                         "national_target",
                                                         "reported_by",
                                                         "responsible_code",
                                                         "responsible_vi",
                                                         "scope",
                                                         "frequency",
                                                         "cumulative",
                                                         "rollup",
                                                         "notes"};
  return *cols;
}

// One CSV line of a valid commune ratio indicator, with `overrides` (column ->
// field, written as is: quote it yourself if it needs quoting).
std::string Row(const std::map<std::string, std::string>& overrides = {}) {
  std::map<std::string, std::string> fields = {{"code", "T-01"},
                                               {"source", "test"},
                                               {"name_vi", "Chỉ tiêu thử"},
                                               {"name_en", "Test indicator"},
                                               {"measure", "ratio"},
                                               {"unit", "%"},
                                               {"target", ">=80"},
                                               {"target_years", "2026..2026"},
                                               {"national_target", ""},
                                               {"reported_by", "commune"},
                                               {"responsible_code", ""},
                                               {"responsible_vi", ""},
                                               {"scope", "all"},
                                               {"frequency", "monthly"},
                                               {"cumulative", "no"},
                                               {"rollup", "ratio_of_sums"},
                                               {"notes", ""}};
  for (const auto& [column, value] : overrides) {
    EXPECT_TRUE(fields.count(column)) << "no column " << column;
    fields[column] = value;
  }
  std::vector<std::string> out;
  for (const std::string& column : ColumnOrder()) out.push_back(fields[column]);
  return absl::StrJoin(out, ",") + "\n";
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
    auto catalog = Catalog::LoadEmbedded(*registry_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
  }

  // The unit or indicator of `code`; a test failure (and a blank one) when
  // unknown.
  const Unit& U(absl::string_view code) {
    const Unit* u = registry_->Find(code);
    if (u == nullptr) {
      ADD_FAILURE() << "no unit " << code;
      static const Unit* blank = new Unit();
      return *blank;
    }
    return *u;
  }
  const v1::Indicator& I(absl::string_view code) {
    const v1::Indicator* ind = catalog_->Find(code);
    if (ind == nullptr) {
      ADD_FAILURE() << "no indicator " << code;
      static const v1::Indicator* blank = new v1::Indicator();
      return *blank;
    }
    return *ind;
  }
  bool Owes(absl::string_view unit, absl::string_view indicator) {
    return catalog_->OwesDirectly(U(unit), I(indicator));
  }
  bool OwesBelow(absl::string_view unit, absl::string_view indicator) {
    return catalog_->OwesInSubtree(U(unit), I(indicator));
  }

  // The status of loading kHeader + `rows` against the embedded registry.
  absl::Status LoadRows(const std::string& rows) {
    return Catalog::Load(std::string(kHeader) + rows, *registry_).status();
  }

  std::unique_ptr<Registry> registry_;  // outlives catalog_
  std::unique_ptr<Catalog> catalog_;
};

// ---------------------------------------------------------------------------
// The embedded catalog

TEST_F(CatalogTest, EmbeddedCatalogHas36Indicators) {
  EXPECT_EQ(catalog_->proto().indicators_size(), 36);
  EXPECT_EQ(catalog_->proto().indicators(0).code(), "QD11-01");
  EXPECT_EQ(catalog_->proto().indicators(35).code(), "HUE-EDU-SAT");
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    EXPECT_EQ(catalog_->Find(ind.code()), &ind) << ind.code();
  }
}

TEST_F(CatalogTest, FindUnknownIsNull) {
  EXPECT_EQ(catalog_->Find("QD11-99"), nullptr);
  EXPECT_EQ(catalog_->Find(""), nullptr);
  EXPECT_EQ(catalog_->Find("qd11-01"), nullptr);
}

TEST_F(CatalogTest, Qd1101IsACommuneRatioMonthlyEqualHundredIn2026) {
  const v1::Indicator& ind = I("QD11-01");
  EXPECT_EQ(ind.measure(), v1::MEASURE_RATIO);
  EXPECT_EQ(ind.unit(), "%");
  EXPECT_THAT(ind.name_vi(), StartsWith("Tỉ lệ cán bộ cấp xã"));
  EXPECT_FALSE(ind.name_en().empty());
  EXPECT_EQ(ind.target().op(), v1::Target::OP_EQ);
  EXPECT_EQ(ind.target().lower_hundredths(), 10000);
  EXPECT_EQ(ind.target().text(), "=100");
  EXPECT_EQ(ind.target_from_year(), 2026);
  EXPECT_EQ(ind.target_to_year(), 2026);
  EXPECT_EQ(ind.national_target().op(), v1::Target::OP_EQ);
  EXPECT_EQ(ind.national_target().lower_hundredths(), 10000);
  EXPECT_EQ(ind.reported_by(), v1::REPORTED_BY_COMMUNE);
  EXPECT_EQ(ind.responsible_code(), "");
  EXPECT_THAT(ind.scopes(), IsEmpty());
  EXPECT_EQ(ind.frequency(), v1::FREQUENCY_MONTHLY);
  EXPECT_FALSE(ind.cumulative());
  EXPECT_EQ(ind.rollup(), v1::ROLLUP_RATIO_OF_SUMS);
  EXPECT_THAT(ind.notes(), HasSubstr("numerator"));
}

TEST_F(CatalogTest, Qd1106IsReportedByBothWithTheCityOffice) {
  const v1::Indicator& ind = I("QD11-06");
  EXPECT_EQ(ind.measure(), v1::MEASURE_RATIO);
  EXPECT_EQ(ind.reported_by(), v1::REPORTED_BY_BOTH);
  EXPECT_EQ(ind.responsible_code(), "VP");
  EXPECT_EQ(ind.target().op(), v1::Target::OP_GE);
  EXPECT_EQ(ind.target().lower_hundredths(), 8000);
}

TEST_F(CatalogTest, Qd1112IsACumulativeCountWithoutNationalTarget) {
  const v1::Indicator& ind = I("QD11-12");
  EXPECT_EQ(ind.measure(), v1::MEASURE_COUNT);
  EXPECT_TRUE(ind.cumulative());
  EXPECT_EQ(ind.rollup(), v1::ROLLUP_SUM);
  EXPECT_EQ(ind.reported_by(), v1::REPORTED_BY_DEPARTMENT);
  EXPECT_EQ(ind.responsible_code(), "SKHCN");
  EXPECT_EQ(ind.frequency(), v1::FREQUENCY_MONTHLY);
  EXPECT_EQ(ind.target().op(), v1::Target::OP_GE);
  EXPECT_EQ(ind.target().lower_hundredths(), 500);
  EXPECT_FALSE(ind.has_national_target());
}

TEST_F(CatalogTest, HueSipasIsAnIndexOfTwoProvincesFrom2028) {
  const v1::Indicator& ind = I("HUE-SIPAS");
  EXPECT_EQ(ind.measure(), v1::MEASURE_INDEX);
  EXPECT_THAT(ind.scopes(), ElementsAre("46", "75"));
  EXPECT_EQ(ind.target_from_year(), 2028);
  EXPECT_EQ(ind.target_to_year(), 2030);
  EXPECT_EQ(ind.target().op(), v1::Target::OP_GE);
  EXPECT_EQ(ind.target().lower_hundredths(), 9500);
  EXPECT_EQ(ind.reported_by(), v1::REPORTED_BY_DEPARTMENT);
  EXPECT_EQ(ind.responsible_code(), "SNV");
  EXPECT_EQ(ind.frequency(), v1::FREQUENCY_ANNUAL);
  EXPECT_EQ(ind.rollup(), v1::ROLLUP_NONE);
  EXPECT_FALSE(ind.has_national_target());
}

TEST_F(CatalogTest, HueCashlessHasARangeTarget) {
  const v1::Indicator& ind = I("HUE-CASHLESS");
  EXPECT_EQ(ind.measure(), v1::MEASURE_RATIO);
  EXPECT_EQ(ind.target().op(), v1::Target::OP_RANGE);
  EXPECT_EQ(ind.target().lower_hundredths(), 7500);
  EXPECT_EQ(ind.target().upper_hundredths(), 8000);
  EXPECT_EQ(ind.target().text(), "75..80");
  EXPECT_EQ(ind.reported_by(), v1::REPORTED_BY_COMMUNE);
  EXPECT_THAT(ind.scopes(), ElementsAre("46"));
  EXPECT_EQ(ind.target_from_year(), 2028);
  EXPECT_EQ(ind.target_to_year(), 2030);
}

TEST_F(CatalogTest, HueDtiRankIsARankAtMostFive) {
  const v1::Indicator& ind = I("HUE-DTI-RANK");
  EXPECT_EQ(ind.measure(), v1::MEASURE_RANK);
  EXPECT_EQ(ind.target().op(), v1::Target::OP_LE);
  EXPECT_EQ(ind.target().lower_hundredths(), 500);
  EXPECT_EQ(ind.rollup(), v1::ROLLUP_NONE);
}

TEST_F(CatalogTest, EveryEmbeddedIndicatorIsConsistent) {
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    SCOPED_TRACE(ind.code());
    EXPECT_NE(ind.measure(), v1::MEASURE_UNSPECIFIED);
    EXPECT_NE(ind.reported_by(), v1::REPORTED_BY_UNSPECIFIED);
    EXPECT_NE(ind.frequency(), v1::FREQUENCY_UNSPECIFIED);
    EXPECT_NE(ind.rollup(), v1::ROLLUP_UNSPECIFIED);
    EXPECT_FALSE(ind.name_vi().empty());
    if (ind.reported_by() != v1::REPORTED_BY_COMMUNE) {
      EXPECT_TRUE(registry_->IsDepartmentCode(ind.responsible_code()));
    }
    if (ind.has_target()) {
      EXPECT_GE(ind.target_from_year(), 2026);
      EXPECT_LE(ind.target_from_year(), ind.target_to_year());
    }
  }
}

// ---------------------------------------------------------------------------
// TargetFor

TEST_F(CatalogTest, TargetForOnlyWithinTheYears) {
  const v1::Indicator& ind = I("QD11-01");
  v1::Target in_force = Catalog::TargetFor(ind, 2026, /*national=*/false);
  EXPECT_EQ(in_force.op(), v1::Target::OP_EQ);
  EXPECT_EQ(in_force.lower_hundredths(), 10000);
  EXPECT_EQ(Catalog::TargetFor(ind, 2025, false).op(),
            v1::Target::OP_UNSPECIFIED);
  EXPECT_EQ(Catalog::TargetFor(ind, 2027, false).op(),
            v1::Target::OP_UNSPECIFIED);
  EXPECT_EQ(Catalog::TargetFor(ind, 2027, true).op(),
            v1::Target::OP_UNSPECIFIED);
}

TEST_F(CatalogTest, TargetForBothEndsOfAMultiYearSpan) {
  const v1::Indicator& ind = I("HUE-SIPAS");
  EXPECT_EQ(Catalog::TargetFor(ind, 2027, false).op(),
            v1::Target::OP_UNSPECIFIED);
  for (int year : {2028, 2029, 2030}) {
    v1::Target t = Catalog::TargetFor(ind, year, false);
    EXPECT_EQ(t.op(), v1::Target::OP_GE) << year;
    EXPECT_EQ(t.lower_hundredths(), 9500) << year;
  }
  EXPECT_EQ(Catalog::TargetFor(ind, 2031, false).op(),
            v1::Target::OP_UNSPECIFIED);
  // 2026..2027 for HUE-DATA-L3.
  EXPECT_EQ(Catalog::TargetFor(I("HUE-DATA-L3"), 2027, false).op(),
            v1::Target::OP_EQ);
  EXPECT_EQ(Catalog::TargetFor(I("HUE-DATA-L3"), 2028, false).op(),
            v1::Target::OP_UNSPECIFIED);
}

TEST_F(CatalogTest, TargetForNationalVersusCity) {
  v1::Target national = Catalog::TargetFor(I("QD11-04"), 2026, true);
  EXPECT_EQ(national.op(), v1::Target::OP_GE);
  EXPECT_EQ(national.lower_hundredths(), 8000);
  // QD11-12's 5 products is each city's own target: the nation has none.
  v1::Target city = Catalog::TargetFor(I("QD11-12"), 2026, false);
  EXPECT_EQ(city.op(), v1::Target::OP_GE);
  EXPECT_EQ(city.lower_hundredths(), 500);
  EXPECT_EQ(Catalog::TargetFor(I("QD11-12"), 2026, true).op(),
            v1::Target::OP_UNSPECIFIED);
  EXPECT_EQ(Catalog::TargetFor(I("HP-5G"), 2026, true).op(),
            v1::Target::OP_UNSPECIFIED);
}

TEST_F(CatalogTest, TargetForAnIndicatorWithoutTarget) {
  auto catalog = Catalog::Load(
      std::string(kHeader) + Row({{"target", ""}, {"target_years", ""}}),
      *registry_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const v1::Indicator* ind = (*catalog)->Find("T-01");
  ASSERT_NE(ind, nullptr);
  EXPECT_FALSE(ind->has_target());
  for (int year : {0, 2026, 2999}) {
    EXPECT_EQ(Catalog::TargetFor(*ind, year, false).op(),
              v1::Target::OP_UNSPECIFIED);
    EXPECT_EQ(Catalog::TargetFor(*ind, year, true).op(),
              v1::Target::OP_UNSPECIFIED);
  }
}

// ---------------------------------------------------------------------------
// InScope

TEST_F(CatalogTest, InScope) {
  for (const char* p : {"31", "92", "46", "01", "79"}) {
    EXPECT_TRUE(Catalog::InScope(I("QD11-01"), p)) << p;
  }
  EXPECT_TRUE(Catalog::InScope(I("HP-5G"), "31"));
  EXPECT_FALSE(Catalog::InScope(I("HP-5G"), "92"));
  EXPECT_FALSE(Catalog::InScope(I("HP-5G"), ""));
  EXPECT_TRUE(Catalog::InScope(I("HUE-SIPAS"), "46"));
  EXPECT_TRUE(Catalog::InScope(I("HUE-SIPAS"), "75"));
  EXPECT_FALSE(Catalog::InScope(I("HUE-SIPAS"), "31"));
  EXPECT_FALSE(Catalog::InScope(I("HUE-SIPAS"), "4"));
  EXPECT_FALSE(Catalog::InScope(I("HUE-SIPAS"), "46 75"));
  EXPECT_TRUE(Catalog::InScope(I("CT-TTHC-SAT"), "92"));
  EXPECT_FALSE(Catalog::InScope(I("CT-TTHC-SAT"), "31"));
}

// ---------------------------------------------------------------------------
// OwesDirectly / OwesInSubtree

TEST_F(CatalogTest, CommuneOwesCommuneAndBothIndicatorsNotDepartmentOnes) {
  EXPECT_TRUE(Owes("10525", "QD11-01"));   // commune
  EXPECT_TRUE(Owes("10525", "QD11-03X"));  // commune
  EXPECT_TRUE(Owes("10525", "QD11-06"));   // both
  EXPECT_TRUE(Owes("10525", "QD11-07"));   // both
  EXPECT_FALSE(Owes("10525", "QD11-02"));  // department
  EXPECT_FALSE(Owes("10525", "QD11-08"));  // department
  EXPECT_FALSE(Owes("10525", "QD11-12"));  // department
  EXPECT_TRUE(OwesBelow("10525", "QD11-01"));
  EXPECT_FALSE(OwesBelow("10525", "QD11-02"));
}

TEST_F(CatalogTest, ResponsibleDepartmentOwesItsIndicators) {
  EXPECT_TRUE(Owes("31.VP", "QD11-02"));   // department, VP
  EXPECT_TRUE(Owes("31.VP", "QD11-06"));   // both, VP
  EXPECT_FALSE(Owes("31.VP", "QD11-01"));  // commune
  EXPECT_FALSE(Owes("31.VP", "QD11-08"));  // SKHCN's
  EXPECT_TRUE(Owes("31.SKHCN", "QD11-08"));
  EXPECT_TRUE(Owes("31.SKHCN", "QD11-12"));
  EXPECT_TRUE(Owes("31.SKHCN", "HP-SHARED-INFRA"));
  EXPECT_FALSE(Owes("31.SKHCN", "QD11-02"));
  EXPECT_FALSE(Owes("31.SKHCN", "QD11-06"));  // both, but VP's
  EXPECT_FALSE(Owes("31.SKHCN", "QD11-03X"));
  EXPECT_TRUE(OwesBelow("31.VP", "QD11-02"));
  EXPECT_FALSE(OwesBelow("31.VP", "QD11-08"));
}

TEST_F(CatalogTest, AnotherDepartmentOwesNeither) {
  EXPECT_FALSE(Owes("31.STC", "QD11-02"));
  EXPECT_FALSE(Owes("31.STC", "QD11-08"));
  EXPECT_FALSE(Owes("31.STC", "QD11-06"));
  EXPECT_FALSE(Owes("31.STC", "QD11-01"));
  EXPECT_TRUE(Owes("31.STC", "HP-DIGEC"));  // STC's own, in scope 31
  EXPECT_FALSE(OwesBelow("31.STC", "QD11-02"));
}

TEST_F(CatalogTest, ScopeLimitsWhoOwes) {
  // 31120 is Phường Cái Khế, Cần Thơ.
  ASSERT_EQ(U("31120").province, "92");
  EXPECT_TRUE(Owes("10525", "HP-5G"));
  EXPECT_FALSE(Owes("31120", "HP-5G"));
  EXPECT_FALSE(OwesBelow("31120", "HP-5G"));
  EXPECT_TRUE(Owes("31120", "QD11-01"));  // national indicators: every city
  EXPECT_FALSE(Owes("10525", "HUE-CASHLESS"));
  EXPECT_TRUE(Owes("19753", "HUE-CASHLESS"));  // Phường Phú Xuân, Huế
  // The same department in different cities.
  EXPECT_TRUE(Owes("92.SKHCN", "CT-TTHC-SAT"));
  EXPECT_FALSE(Owes("31.SKHCN", "CT-TTHC-SAT"));
  EXPECT_TRUE(Owes("92.SKHCN", "QD11-08"));
  EXPECT_TRUE(Owes("46.SNV", "HUE-SIPAS"));
  EXPECT_TRUE(Owes("75.SNV", "HUE-SIPAS"));
  EXPECT_FALSE(Owes("31.SNV", "HUE-SIPAS"));
  EXPECT_FALSE(Owes("46.SKHCN", "HUE-SIPAS"));
  EXPECT_FALSE(Owes("25195", "HUE-SIPAS"));  // a commune of Đồng Nai
}

TEST_F(CatalogTest, CommuneOfficeOwesWhatItsCommuneOwes) {
  ASSERT_TRUE(
      registry_->AddOffice("10525.VHXH", "Phòng Văn hóa - Xã hội").ok());
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    EXPECT_EQ(Owes("10525.VHXH", ind.code()), Owes("10525", ind.code()))
        << ind.code();
    EXPECT_EQ(OwesBelow("10525.VHXH", ind.code()),
              OwesBelow("10525", ind.code()))
        << ind.code();
  }
  EXPECT_TRUE(Owes("10525.VHXH", "QD11-01"));
  EXPECT_TRUE(Owes("10525.VHXH", "HP-5G"));
  EXPECT_FALSE(Owes("10525.VHXH", "QD11-02"));
}

TEST_F(CatalogTest, DepartmentOfficeOwesWhatItsDepartmentOwes) {
  ASSERT_TRUE(
      registry_->AddOffice("31.VP.TTPVHCC", "Trung tâm Phục vụ Hành chính công")
          .ok());
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    EXPECT_EQ(Owes("31.VP.TTPVHCC", ind.code()), Owes("31.VP", ind.code()))
        << ind.code();
  }
  EXPECT_TRUE(Owes("31.VP.TTPVHCC", "QD11-02"));
  EXPECT_FALSE(Owes("31.VP.TTPVHCC", "QD11-08"));
}

TEST_F(CatalogTest, CityOwesNothingDirectlyButItsScopeBelow) {
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    EXPECT_FALSE(Owes("31", ind.code())) << ind.code();
  }
  EXPECT_TRUE(OwesBelow("31", "QD11-01"));
  EXPECT_TRUE(OwesBelow("31", "QD11-02"));
  EXPECT_TRUE(OwesBelow("31", "HP-5G"));
  EXPECT_FALSE(OwesBelow("31", "CT-TTHC-SAT"));
  EXPECT_FALSE(OwesBelow("31", "HUE-SIPAS"));
  EXPECT_FALSE(OwesBelow("92", "HP-5G"));
  EXPECT_TRUE(OwesBelow("92", "CT-TTHC-SAT"));
  EXPECT_TRUE(OwesBelow("46", "HUE-SIPAS"));
  EXPECT_TRUE(OwesBelow("75", "HUE-SIPAS"));
  EXPECT_FALSE(OwesBelow("75", "HUE-CASHLESS"));
}

TEST_F(CatalogTest, CentralOwesEverythingBelowNothingDirectly) {
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    EXPECT_FALSE(Owes("VN", ind.code())) << ind.code();
    EXPECT_TRUE(OwesBelow("VN", ind.code())) << ind.code();
  }
}

// ---------------------------------------------------------------------------
// Load

TEST_F(CatalogTest, TestHeaderIsTheDataFileHeader) {
  absl::string_view csv = data::IndicatorsCsv();
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1), kHeader);
}

TEST_F(CatalogTest, LoadsASmallFile) {
  auto catalog = Catalog::Load(std::string(kHeader) + Row() +
                                   Row({{"code", "T-02"},
                                        {"measure", "count"},
                                        {"target", ">=5"},
                                        {"national_target", ">=3"},
                                        {"target_years", "2026..2027"},
                                        {"reported_by", "both"},
                                        {"responsible_code", "SKHCN"},
                                        {"scope", "31 92"},
                                        {"frequency", "quarterly"},
                                        {"cumulative", "yes"},
                                        {"rollup", "sum"},
                                        {"notes", "\"a, quoted\nnote\""}}),
                               *registry_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_EQ((*catalog)->proto().indicators_size(), 2);
  const v1::Indicator* t1 = (*catalog)->Find("T-01");
  ASSERT_NE(t1, nullptr);
  EXPECT_EQ(t1->name_vi(), "Chỉ tiêu thử");
  EXPECT_EQ(t1->target().op(), v1::Target::OP_GE);
  EXPECT_FALSE(t1->has_national_target());
  const v1::Indicator* t2 = (*catalog)->Find("T-02");
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t2->measure(), v1::MEASURE_COUNT);
  EXPECT_EQ(t2->national_target().lower_hundredths(), 300);
  EXPECT_EQ(t2->target_to_year(), 2027);
  EXPECT_EQ(t2->reported_by(), v1::REPORTED_BY_BOTH);
  EXPECT_THAT(t2->scopes(), ElementsAre("31", "92"));
  EXPECT_EQ(t2->frequency(), v1::FREQUENCY_QUARTERLY);
  EXPECT_TRUE(t2->cumulative());
  EXPECT_EQ(t2->notes(), "a, quoted\nnote");
}

TEST_F(CatalogTest, LoadAcceptsEveryFrequency) {
  const std::pair<const char*, v1::Frequency> cases[] = {
      {"monthly", v1::FREQUENCY_MONTHLY},
      {"quarterly", v1::FREQUENCY_QUARTERLY},
      {"half_yearly", v1::FREQUENCY_HALF_YEARLY},
      {"nine_months", v1::FREQUENCY_NINE_MONTHS},
      {"annual", v1::FREQUENCY_ANNUAL}};
  for (const auto& [text, frequency] : cases) {
    auto catalog = Catalog::Load(
        std::string(kHeader) + Row({{"frequency", text}}), *registry_);
    ASSERT_TRUE(catalog.ok()) << text << ": " << catalog.status();
    EXPECT_EQ((*catalog)->Find("T-01")->frequency(), frequency) << text;
  }
}

TEST_F(CatalogTest, LoadChecksThatTheRollupFitsTheMeasure) {
  struct Case {
    const char* measure;
    const char* target;
    const char* rollup;
    bool ok;
  };
  const Case cases[] = {
      {"ratio", ">=80", "ratio_of_sums", true},
      {"ratio", ">=80", "none", true},
      {"ratio", ">=80", "sum", false},
      {"count", ">=5", "sum", true},
      {"count", ">=5", "none", true},
      {"count", ">=5", "ratio_of_sums", false},
      {"rank", "<=5", "none", true},
      {"rank", "<=5", "sum", false},
      {"rank", "<=5", "ratio_of_sums", false},
      {"index", ">=95", "none", true},
      {"index", ">=95", "sum", false},
      {"index", ">=95", "ratio_of_sums", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.measure) + " by " + c.rollup);
    absl::Status s = LoadRows(Row(
        {{"measure", c.measure}, {"target", c.target}, {"rollup", c.rollup}}));
    if (c.ok) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(s.message(),
                  AllOf(HasSubstr("line 2"), HasSubstr("column rollup"),
                        HasSubstr(c.measure), HasSubstr(c.rollup)));
    }
  }
}

TEST_F(CatalogTest, LoadRefusesADuplicateCode) {
  absl::Status s = LoadRows(Row() + Row());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("indicators.csv"), HasSubstr("line 3"),
                    HasSubstr("T-01"), HasSubstr("duplicate")));
}

TEST_F(CatalogTest, LoadRefusesAnEmptyCodeOrName) {
  absl::Status code = LoadRows(Row() + Row({{"code", ""}}));
  EXPECT_EQ(code.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(code.message(), AllOf(HasSubstr("line 3"), HasSubstr("code")));
  absl::Status name = LoadRows(Row({{"name_vi", ""}}));
  EXPECT_EQ(name.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(name.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column name_vi")));
}

TEST_F(CatalogTest, LoadRefusesAnUnknownMeasure) {
  absl::Status s =
      LoadRows(Row() + Row({{"code", "T-02"}, {"measure", "percent"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("T-02"),
                    HasSubstr("column measure"), HasSubstr("'percent'")));
}

TEST_F(CatalogTest, LoadRefusesAnUnknownRollupRule) {
  absl::Status s =
      LoadRows(Row() + Row({{"code", "T-02"}, {"rollup", "mean"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("column rollup"),
                    HasSubstr("'mean'")));
}

TEST_F(CatalogTest, LoadRefusesARankWithRollupSum) {
  absl::Status s = LoadRows(Row() + Row({{"code", "T-02"},
                                         {"measure", "rank"},
                                         {"target", "<=5"},
                                         {"rollup", "sum"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("column rollup"),
                    HasSubstr("rank"), HasSubstr("sum")));
}

TEST_F(CatalogTest, LoadRefusesACountWithRatioOfSums) {
  absl::Status s = LoadRows(Row() + Row({{"code", "T-02"},
                                         {"measure", "count"},
                                         {"target", ">=5"},
                                         {"rollup", "ratio_of_sums"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("column rollup"),
                    HasSubstr("count"), HasSubstr("ratio_of_sums")));
}

TEST_F(CatalogTest, LoadRefusesADepartmentIndicatorWithoutResponsible) {
  absl::Status s = LoadRows(Row() + Row({{"code", "T-02"},
                                         {"reported_by", "department"},
                                         {"responsible_code", ""}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("column responsible_code")));
  absl::Status both = LoadRows(Row({{"reported_by", "both"}}));
  EXPECT_EQ(both.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(both.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column responsible_code")));
}

TEST_F(CatalogTest, LoadRefusesAnUnknownResponsibleDepartment) {
  absl::Status s = LoadRows(Row() + Row({{"code", "T-02"},
                                         {"reported_by", "department"},
                                         {"responsible_code", "SXYZ"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("column responsible_code"),
                    HasSubstr("'SXYZ'")));
  // Also for a commune indicator that names one, and for a full unit code.
  absl::Status commune = LoadRows(Row({{"responsible_code", "SXYZ"}}));
  EXPECT_EQ(commune.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(commune.message(), HasSubstr("line 2"));
  absl::Status unit_code = LoadRows(
      Row({{"reported_by", "department"}, {"responsible_code", "31.SKHCN"}}));
  EXPECT_EQ(unit_code.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unit_code.message(), HasSubstr("column responsible_code"));
}

TEST_F(CatalogTest, LoadRefusesAnUnknownScopeProvince) {
  absl::Status s =
      LoadRows(Row() + Row({{"code", "T-02"}, {"scope", "31 99"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("line 3"), HasSubstr("column scope"),
                                 HasSubstr("'99'")));
  // Known units that are not provinces.
  for (const char* scope : {"10525", "31.VP", "VN"}) {
    absl::Status t = LoadRows(Row({{"scope", scope}}));
    EXPECT_EQ(t.code(), absl::StatusCode::kInvalidArgument) << scope;
    EXPECT_THAT(t.message(),
                AllOf(HasSubstr("line 2"), HasSubstr("column scope")))
        << scope;
  }
  absl::Status empty = LoadRows(Row({{"scope", ""}}));
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column scope")));
}

TEST_F(CatalogTest, LoadRefusesATargetWithoutTargetYears) {
  absl::Status s =
      LoadRows(Row() + Row({{"code", "T-02"}, {"target_years", ""}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("line 3"), HasSubstr("column target_years")));
  absl::Status national = LoadRows(
      Row({{"target", ""}, {"national_target", "=100"}, {"target_years", ""}}));
  EXPECT_EQ(national.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(national.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column target_years")));
}

TEST_F(CatalogTest, LoadRefusesMalformedTargetYears) {
  for (const char* years : {"2026", "2027..2026", "abc..2026", "1999..2000",
                            "2026..3000", "2026..2027..2028", "2026-2027"}) {
    absl::Status s = LoadRows(Row({{"target_years", years}}));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << years;
    EXPECT_THAT(s.message(),
                AllOf(HasSubstr("line 2"), HasSubstr("column target_years")))
        << years;
  }
}

TEST_F(CatalogTest, LoadRefusesAMalformedTarget) {
  absl::Status s = LoadRows(Row() + Row({{"code", "T-02"}, {"target", ">80"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("line 3"),
                                 HasSubstr("column target"), HasSubstr(">80")));
  absl::Status national = LoadRows(Row({{"national_target", "80..75"}}));
  EXPECT_EQ(national.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(national.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column national_target")));
}

TEST_F(CatalogTest, LoadRefusesUnknownEnumerations) {
  absl::Status by = LoadRows(Row({{"reported_by", "city"}}));
  EXPECT_EQ(by.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(by.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column reported_by"),
                    HasSubstr("'city'")));
  absl::Status freq = LoadRows(Row({{"frequency", "weekly"}}));
  EXPECT_EQ(freq.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(freq.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column frequency"),
                    HasSubstr("'weekly'")));
  absl::Status cumulative = LoadRows(Row({{"cumulative", "true"}}));
  EXPECT_EQ(cumulative.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(cumulative.message(),
              AllOf(HasSubstr("line 2"), HasSubstr("column cumulative"),
                    HasSubstr("'true'")));
}

TEST_F(CatalogTest, LoadNamesTheLineWhereAMultilineRecordStarts) {
  // T-02 spans lines 3-4, so T-03 starts on line 5.
  absl::Status s =
      LoadRows(Row() + Row({{"code", "T-02"}, {"notes", "\"one\ntwo\""}}) +
               Row({{"code", "T-03"}, {"measure", "percent"}}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("line 5"), HasSubstr("T-03")));
}

TEST_F(CatalogTest, LoadRefusesAFileWithoutIndicatorsOrColumns) {
  EXPECT_EQ(LoadRows("").code(), absl::StatusCode::kInvalidArgument);
  auto no_column =
      Catalog::Load("code,source,name_vi\nT-01,test,x\n", *registry_);
  EXPECT_EQ(no_column.status().code(), absl::StatusCode::kInvalidArgument);
  absl::Status ragged = LoadRows(Row() + "T-02,test\n");
  EXPECT_EQ(ragged.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ragged.message(), HasSubstr("line 3"));
}

}  // namespace
}  // namespace tonghop
