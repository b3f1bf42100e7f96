#include "tools/cli/sheet.h"

#include "absl/strings/str_cat.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {

std::vector<std::string> ColumnNames(const std::vector<SheetColumn>& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const SheetColumn& c : columns) names.push_back(c.name);
  return names;
}

std::string SheetCsv(const Sheet& sheet) {
  std::string out = CsvLine(ColumnNames(sheet.columns));
  for (const std::vector<std::string>& row : sheet.rows) {
    absl::StrAppend(&out, CsvLine(row));
  }
  return out;
}

}  // namespace tonghop::cli
