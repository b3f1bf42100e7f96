#include "libs/registry/registry.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "data/embedded.h"
#include "libs/base/csv.h"
#include "libs/base/status_macros.h"

namespace tonghop {
namespace {

bool AllDigits(absl::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsShortCode(absl::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  for (char c : s) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kCentral:
      return "central";
    case Level::kCity:
      return "city";
    case Level::kDepartment:
      return "department";
    case Level::kCommune:
      return "commune";
    case Level::kOffice:
      return "office";
  }
  return "";
}

void Registry::Put(Unit unit) {
  std::string code = unit.code;
  const Unit& stored = units_[code] = std::move(unit);
  if (stored.level == Level::kCity) cities_[code] = &stored;
}

absl::StatusOr<std::unique_ptr<Registry>> Registry::Load(
    absl::string_view units_csv, absl::string_view departments_csv) {
  std::unique_ptr<Registry> r(new Registry);
  r->Put(Unit{std::string(kCentralCode), "Ban Chỉ đạo của Chính phủ",
              "Government Steering Committee", Level::kCentral, "", "", ""});

  ASSIGN_OR_RETURN(
      CsvTable depts,
      CsvTable::Parse(departments_csv, "departments.csv", {"code", "name_vi"}));
  for (int i = 0; i < depts.size(); ++i) {
    const std::string& code = depts.Get(i, "code");
    if (!IsShortCode(code) || depts.Get(i, "name_vi").empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "departments.csv: line ", depts.line(i), ": code '", code,
          "' must be upper-case letters or digits, with a name_vi"));
    }
    if (r->IsDepartmentCode(code)) {
      return absl::InvalidArgumentError(absl::StrCat("departments.csv: line ",
                                                     depts.line(i), ": code '",
                                                     code, "' appears twice"));
    }
    r->department_codes_.push_back(code);
  }

  ASSIGN_OR_RETURN(CsvTable units,
                   CsvTable::Parse(units_csv, "admin-units.csv",
                                   {"province_code", "province_name",
                                    "unit_code", "unit_name"}));
  for (int i = 0; i < units.size(); ++i) {
    const std::string& province = units.Get(i, "province_code");
    const std::string& code = units.Get(i, "unit_code");
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("admin-units.csv: line ", units.line(i), ": ", why));
    };
    if (!AllDigits(province, 2))
      return bad(absl::StrCat("province_code '", province, "'"));
    if (!AllDigits(code, 5)) return bad(absl::StrCat("unit_code '", code, "'"));
    const std::string& province_name = units.Get(i, "province_name");
    if (const Unit* city = r->Find(province)) {
      if (city->name != province_name) {
        return bad(absl::StrCat("province ", province, " is named both '",
                                city->name, "' and '", province_name, "'"));
      }
    } else {
      r->Put(Unit{province, province_name, "", Level::kCity, province,
                  std::string(kCentralCode), ""});
      for (int d = 0; d < depts.size(); ++d) {
        const std::string& short_code = depts.Get(d, "code");
        r->Put(Unit{absl::StrCat(province, ".", short_code),
                    depts.Get(d, "name_vi"), depts.Get(d, "name_en"),
                    Level::kDepartment, province, province, short_code});
      }
    }
    if (r->Find(code))
      return bad(absl::StrCat("unit_code '", code, "' appears twice"));
    r->Put(Unit{code, units.Get(i, "unit_name"), units.Get(i, "unit_name_en"),
                Level::kCommune, province, province, ""});
    r->communes_by_province_[province].push_back(code);
  }
  return r;
}

absl::StatusOr<std::unique_ptr<Registry>> Registry::LoadEmbedded() {
  return Load(data::AdminUnitsCsv(), data::DepartmentsCsv());
}

const Unit* Registry::Find(absl::string_view code) const {
  auto it = units_.find(code);
  return it == units_.end() ? nullptr : &it->second;
}

absl::Status Registry::AddOffice(absl::string_view code,
                                 absl::string_view name) {
  size_t dot = code.rfind('.');
  if (dot == absl::string_view::npos || !IsShortCode(code.substr(dot + 1))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "office code '", code,
        "' must be <commune or department code>.<SUFFIX>, e.g. 10525.VHXH"));
  }
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("office '", code, "' needs a name"));
  }
  const Unit* parent = Find(code.substr(0, dot));
  if (parent == nullptr || (parent->level != Level::kCommune &&
                            parent->level != Level::kDepartment)) {
    return absl::NotFoundError(absl::StrCat("office '", code,
                                            "': no commune or department '",
                                            code.substr(0, dot), "'"));
  }
  if (Find(code))
    return absl::AlreadyExistsError(absl::StrCat("unit '", code, "' exists"));
  Put(Unit{std::string(code), std::string(name), "", Level::kOffice,
           parent->province, parent->code, ""});
  return absl::OkStatus();
}

std::vector<const Unit*> Registry::Cities() const {
  std::vector<const Unit*> out;
  out.reserve(cities_.size());
  for (const auto& [code, unit] : cities_) out.push_back(unit);
  return out;
}

std::vector<const Unit*> Registry::CommunesOf(
    absl::string_view province) const {
  std::vector<const Unit*> out;
  auto it = communes_by_province_.find(province);
  if (it == communes_by_province_.end()) return out;
  for (const std::string& code : it->second) out.push_back(Find(code));
  return out;
}

int Registry::CommuneCount(absl::string_view province) const {
  auto it = communes_by_province_.find(province);
  return it == communes_by_province_.end()
             ? 0
             : static_cast<int>(it->second.size());
}

std::vector<const Unit*> Registry::DepartmentsOf(
    absl::string_view province) const {
  std::vector<const Unit*> out;
  for (const std::string& short_code : department_codes_) {
    if (const Unit* u = Find(absl::StrCat(province, ".", short_code)))
      out.push_back(u);
  }
  return out;
}

bool Registry::IsDepartmentCode(absl::string_view short_code) const {
  for (const std::string& c : department_codes_) {
    if (c == short_code) return true;
  }
  return false;
}

int Registry::CountLevel(Level level) const {
  int n = 0;
  for (const auto& [code, unit] : units_) n += unit.level == level;
  return n;
}

}  // namespace tonghop
