#include "libs/catalog/catalog.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "data/embedded.h"
#include "libs/base/csv.h"
#include "libs/base/status_macros.h"
#include "libs/catalog/target.h"

namespace tonghop {
namespace {

const std::vector<std::string>& Columns() {
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

template <typename E>
bool Lookup(const std::vector<std::pair<absl::string_view, E>>& table,
            absl::string_view key, E* out) {
  for (const auto& [name, value] : table) {
    if (name == key) {
      *out = value;
      return true;
    }
  }
  return false;
}

}  // namespace

absl::string_view MeasureName(v1::Measure measure) {
  switch (measure) {
    case v1::MEASURE_RATIO:
      return "ratio";
    case v1::MEASURE_COUNT:
      return "count";
    case v1::MEASURE_RANK:
      return "rank";
    case v1::MEASURE_INDEX:
      return "index";
    default:
      return "";
  }
}

absl::string_view ReportedByName(v1::ReportedBy reported_by) {
  switch (reported_by) {
    case v1::REPORTED_BY_COMMUNE:
      return "commune";
    case v1::REPORTED_BY_DEPARTMENT:
      return "department";
    case v1::REPORTED_BY_BOTH:
      return "both";
    default:
      return "";
  }
}

absl::StatusOr<std::unique_ptr<Catalog>> Catalog::Load(
    absl::string_view csv, const Registry& registry) {
  ASSIGN_OR_RETURN(CsvTable table,
                   CsvTable::Parse(csv, "indicators.csv", Columns()));
  std::unique_ptr<Catalog> catalog(new Catalog(registry));
  for (int i = 0; i < table.size(); ++i) {
    auto col = [&](absl::string_view name) -> const std::string& {
      return table.Get(i, name);
    };
    auto bad = [&](absl::string_view column, absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("indicators.csv: line ", table.line(i), " (",
                       col("code"), "), column ", column, ": ", why));
    };
    v1::Indicator ind;
    ind.set_code(col("code"));
    if (ind.code().empty()) return bad("code", "empty");
    if (catalog->index_.count(ind.code())) return bad("code", "duplicate code");
    ind.set_source(col("source"));
    ind.set_name_vi(col("name_vi"));
    ind.set_name_en(col("name_en"));
    if (ind.name_vi().empty()) return bad("name_vi", "empty");
    ind.set_unit(col("unit"));
    ind.set_responsible_code(col("responsible_code"));
    ind.set_responsible_vi(col("responsible_vi"));
    ind.set_notes(col("notes"));

    v1::Measure measure;
    if (!Lookup<v1::Measure>(
            {{MeasureName(v1::MEASURE_RATIO), v1::MEASURE_RATIO},
             {MeasureName(v1::MEASURE_COUNT), v1::MEASURE_COUNT},
             {MeasureName(v1::MEASURE_RANK), v1::MEASURE_RANK},
             {MeasureName(v1::MEASURE_INDEX), v1::MEASURE_INDEX}},
            col("measure"), &measure)) {
      return bad("measure",
                 absl::StrCat("unknown measure '", col("measure"), "'"));
    }
    ind.set_measure(measure);
    v1::ReportedBy by;
    if (!Lookup<v1::ReportedBy>(
            {{ReportedByName(v1::REPORTED_BY_COMMUNE), v1::REPORTED_BY_COMMUNE},
             {ReportedByName(v1::REPORTED_BY_DEPARTMENT),
              v1::REPORTED_BY_DEPARTMENT},
             {ReportedByName(v1::REPORTED_BY_BOTH), v1::REPORTED_BY_BOTH}},
            col("reported_by"), &by)) {
      return bad("reported_by",
                 absl::StrCat("unknown value '", col("reported_by"), "'"));
    }
    ind.set_reported_by(by);
    v1::Frequency freq;
    if (!Lookup<v1::Frequency>({{"monthly", v1::FREQUENCY_MONTHLY},
                                {"quarterly", v1::FREQUENCY_QUARTERLY},
                                {"half_yearly", v1::FREQUENCY_HALF_YEARLY},
                                {"nine_months", v1::FREQUENCY_NINE_MONTHS},
                                {"annual", v1::FREQUENCY_ANNUAL}},
                               col("frequency"), &freq)) {
      return bad("frequency",
                 absl::StrCat("unknown frequency '", col("frequency"), "'"));
    }
    ind.set_frequency(freq);
    v1::Rollup rollup;
    if (!Lookup<v1::Rollup>({{"ratio_of_sums", v1::ROLLUP_RATIO_OF_SUMS},
                             {"sum", v1::ROLLUP_SUM},
                             {"none", v1::ROLLUP_NONE}},
                            col("rollup"), &rollup)) {
      return bad("rollup", absl::StrCat("unknown rule '", col("rollup"), "'"));
    }
    ind.set_rollup(rollup);
    if (col("cumulative") != "yes" && col("cumulative") != "no") {
      return bad("cumulative",
                 absl::StrCat("'", col("cumulative"), "' is not yes or no"));
    }
    ind.set_cumulative(col("cumulative") == "yes");

    // The roll-up rule must fit the measure.
    bool fits =
        (measure == v1::MEASURE_RATIO && rollup != v1::ROLLUP_SUM) ||
        (measure == v1::MEASURE_COUNT && rollup != v1::ROLLUP_RATIO_OF_SUMS) ||
        ((measure == v1::MEASURE_RANK || measure == v1::MEASURE_INDEX) &&
         rollup == v1::ROLLUP_NONE);
    if (!fits) {
      return bad("rollup",
                 absl::StrCat("a ", col("measure"), " cannot be rolled up by ",
                              col("rollup")));
    }

    auto target = ParseTarget(col("target"));
    if (!target.ok()) return bad("target", target.status().message());
    auto national = ParseTarget(col("national_target"));
    if (!national.ok())
      return bad("national_target", national.status().message());
    if (HasTarget(*target)) *ind.mutable_target() = *target;
    if (HasTarget(*national)) *ind.mutable_national_target() = *national;
    const std::string& years = col("target_years");
    if (!years.empty()) {
      std::vector<absl::string_view> parts = absl::StrSplit(years, "..");
      int from = 0, to = 0;
      if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &from) ||
          !absl::SimpleAtoi(parts[1], &to) || from < 2000 || to < from ||
          to > 2999) {
        return bad("target_years",
                   absl::StrCat("'", years, "' is not YYYY..YYYY"));
      }
      ind.set_target_from_year(from);
      ind.set_target_to_year(to);
    } else if (HasTarget(*target) || HasTarget(*national)) {
      return bad("target_years", "a target needs the years it is in force");
    }

    if (by != v1::REPORTED_BY_COMMUNE) {
      if (ind.responsible_code().empty()) {
        return bad(
            "responsible_code",
            "a department or both indicator needs its responsible department");
      }
      if (!registry.IsDepartmentCode(ind.responsible_code())) {
        return bad(
            "responsible_code",
            absl::StrCat("unknown department '", ind.responsible_code(), "'"));
      }
    } else if (!ind.responsible_code().empty() &&
               !registry.IsDepartmentCode(ind.responsible_code())) {
      return bad("responsible_code", absl::StrCat("unknown department '",
                                                  ind.responsible_code(), "'"));
    }
    const std::string& scope = col("scope");
    if (scope != "all") {
      for (absl::string_view p :
           absl::StrSplit(scope, ' ', absl::SkipEmpty())) {
        const Unit* city = registry.Find(p);
        if (city == nullptr || city->level != Level::kCity) {
          return bad("scope", absl::StrCat("'", p, "' is not a province code"));
        }
        ind.add_scopes(std::string(p));
      }
      if (ind.scopes().empty())
        return bad("scope", "empty (write 'all' for every city)");
    }
    catalog->index_[ind.code()] = catalog->proto_.indicators_size();
    *catalog->proto_.add_indicators() = std::move(ind);
  }
  if (catalog->proto_.indicators().empty()) {
    return absl::InvalidArgumentError("indicators.csv: no indicators");
  }
  return catalog;
}

absl::StatusOr<std::unique_ptr<Catalog>> Catalog::LoadEmbedded(
    const Registry& registry) {
  return Load(data::IndicatorsCsv(), registry);
}

const v1::Indicator* Catalog::Find(absl::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &proto_.indicators(it->second);
}

v1::Target Catalog::TargetFor(const v1::Indicator& indicator, int year,
                              bool national) {
  if (year < indicator.target_from_year() ||
      year > indicator.target_to_year()) {
    return v1::Target();
  }
  return national ? indicator.national_target() : indicator.target();
}

bool Catalog::InScope(const v1::Indicator& indicator,
                      absl::string_view province) {
  if (indicator.scopes().empty()) return true;
  for (const std::string& s : indicator.scopes()) {
    if (s == province) return true;
  }
  return false;
}

bool Catalog::OwesDirectly(const Unit& unit,
                           const v1::Indicator& indicator) const {
  if (!InScope(indicator, unit.province)) return false;
  const Unit* u = &unit;
  if (u->level == Level::kOffice) {
    u = registry_.Find(u->parent);
    if (u == nullptr) return false;
  }
  switch (u->level) {
    case Level::kCommune:
      return indicator.reported_by() != v1::REPORTED_BY_DEPARTMENT;
    case Level::kDepartment:
      return indicator.reported_by() != v1::REPORTED_BY_COMMUNE &&
             u->department == indicator.responsible_code();
    default:
      return false;
  }
}

bool Catalog::OwesInSubtree(const Unit& unit,
                            const v1::Indicator& indicator) const {
  switch (unit.level) {
    case Level::kCentral:
      return true;
    case Level::kCity:
      return InScope(indicator, unit.province);
    default:
      return OwesDirectly(unit, indicator);
  }
}

}  // namespace tonghop
