// Writes a Sheet as an Excel workbook (.xlsx, through libxlsxwriter): one
// worksheet with the CSV's columns as its header row (bold, frozen, with a
// filter) and each cell typed by its column's kind, so that a spreadsheet
// sums the figures and never reads a code such as "01" as the number 1:
//   kText    a string, as is (never run as a formula: "=1+1" stays text);
//   kInteger a number with the format "0"; kDecimal a number shown with the
//            decimals of its text ("90.91" with "0.00", "7" with "0");
//   kTime    a date and time in Vietnam time, "dd/mm/yyyy hh:mm:ss".
// An empty cell is left blank; a cell whose text is not of its column's kind
// (or an integer beyond 2^53, which a spreadsheet would round) is written as
// text, so that nothing is lost.
//
// The workbook is written beside `path` and renamed onto it once whole: a
// failed export leaves no file and an earlier one in place. Errors name the
// --out flag and the file. Thread-compatible.
#ifndef TONGHOP_TOOLS_CLI_XLSX_H_
#define TONGHOP_TOOLS_CLI_XLSX_H_

#include <string>

#include "absl/status/status.h"
#include "tools/cli/sheet.h"

namespace tonghop::cli {

absl::Status WriteXlsx(const Sheet& sheet, const std::string& path);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_XLSX_H_
