// The unit registry: Vietnam's 34 cities and 3,321 communes (official NSO
// codes, kept as strings), each city's departments (derived codes such as
// "31.SKHCN"), the central node
// ("VN"), and internal offices that node configs add ("10525.VHXH").
// Immutable after loading except AddOffice; thread-compatible (configure before
// sharing).
#ifndef TONGHOP_LIBS_REGISTRY_REGISTRY_H_
#define TONGHOP_LIBS_REGISTRY_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tonghop {

enum class Level { kCentral, kCity, kDepartment, kCommune, kOffice };

// "central", "city", "department", "commune", "office".
absl::string_view LevelName(Level level);

struct Unit {
  std::string code;  // "VN", "31", "31.SKHCN", "10525", "10525.VHXH"
  std::string name;  // Vietnamese name, e.g. "Phường Hải Dương"
  std::string name_en;
  Level level = Level::kCommune;
  std::string province;  // the city's code ("31"); empty for the central node
  std::string parent;  // "VN" for a city, the city for communes and departments
  std::string
      department;  // the short code for a department ("SKHCN"); else empty
};

inline constexpr absl::string_view kCentralCode = "VN";

class Registry {
 public:
  // Loads the admin-units CSV (columns province_code, province_name, unit_code,
  // unit_name, unit_type, unit_name_en) and the departments CSV (code, name_vi,
  // name_en). Every city gets one department unit per departments row.
  // INVALID_ARGUMENT naming the file and line for malformed or inconsistent
  // rows (bad or duplicate codes, a city with two names).
  static absl::StatusOr<std::unique_ptr<Registry>> Load(
      absl::string_view units_csv, absl::string_view departments_csv);
  // The data compiled into the binary (data/admin-units-2025.csv,
  // data/departments.csv).
  static absl::StatusOr<std::unique_ptr<Registry>> LoadEmbedded();
  Registry(const Registry&) = delete;  // holds pointers into itself
  Registry& operator=(const Registry&) = delete;

  // nullptr when unknown.
  const Unit* Find(absl::string_view code) const;

  // Registers an internal office "<parent>.<SUFFIX>" of a commune or
  // department, with a name. INVALID_ARGUMENT for a malformed code or empty
  // name; NOT_FOUND for an unknown parent; ALREADY_EXISTS when the code is
  // taken.
  absl::Status AddOffice(absl::string_view code, absl::string_view name);

  std::vector<const Unit*> Cities() const;
  std::vector<const Unit*> CommunesOf(absl::string_view province) const;
  // CommunesOf(province).size(), without building the list.
  int CommuneCount(absl::string_view province) const;
  std::vector<const Unit*> DepartmentsOf(absl::string_view province) const;
  // True when `short_code` is a row of the departments file ("SKHCN").
  bool IsDepartmentCode(absl::string_view short_code) const;
  // How many units of each level are known.
  int CountLevel(Level level) const;

 private:
  Registry() = default;
  void Put(Unit unit);

  std::map<std::string, Unit, std::less<>> units_;
  std::map<std::string, const Unit*> cities_;  // into units_ (stable nodes)
  std::map<std::string, std::vector<std::string>, std::less<>>
      communes_by_province_;
  std::vector<std::string> department_codes_;  // short codes, file order
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REGISTRY_REGISTRY_H_
