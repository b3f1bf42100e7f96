// A data export of the tonghop CLI, independent of its format: the columns of
// a command's --format=csv output, the kind of value in each, and its rows as
// text. The same Sheet becomes a CSV (SheetCsv) or a workbook with typed cells
// (WriteXlsx in tools/cli/xlsx.h), so that the two formats never disagree.
// Plain data; thread-compatible.
#ifndef TONGHOP_TOOLS_CLI_SHEET_H_
#define TONGHOP_TOOLS_CLI_SHEET_H_

#include <string>
#include <vector>

namespace tonghop::cli {

// What a column's cells hold, as text in Sheet::rows:
enum class CellKind {
  kText,     // anything; codes such as "01" stay text
  kInteger,  // "-12", "4500": a whole number (empty: no value)
  kDecimal,  // "90.91", "7": a number shown with the decimals it has
  kTime,     // RFC 3339 in Vietnam time, "2026-03-20T08:00:00+07:00"
};

struct SheetColumn {
  std::string name;
  CellKind kind = CellKind::kText;
};

struct Sheet {
  // A short title naming the command and period ("rollup 2026-03"): the
  // worksheet's name (cut to 31 characters) and the workbook's title.
  std::string title;
  std::vector<SheetColumn> columns;
  // Each row has one cell per column (a shorter row's missing cells are
  // empty).
  std::vector<std::vector<std::string>> rows;
};

// The columns' names, in order.
std::vector<std::string> ColumnNames(const std::vector<SheetColumn>& columns);

// The header line, then one CsvLine per row (no byte order mark).
std::string SheetCsv(const Sheet& sheet);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_SHEET_H_
