// Writes a Sheet as an Excel workbook (.xlsx, through libxlsxwriter): one
// worksheet with the CSV's columns as its header row (bold, frozen, with a
// filter) and each cell typed by its column's kind, so that a spreadsheet
// sums the figures and never reads a code such as "01" as the number 1:
//   kText    a string, as is (never run as a formula: "=1+1" stays text);
//   kInteger a number with the format "0"; kDecimal a number shown with the
//            decimals of its text ("90.91" with "0.00", "7" with "0");
//   kTime    a date and time in Vietnam time, "dd/mm/yyyy hh:mm:ss".
// An empty cell is left blank; a cell whose text is not of its column's kind
// (or a number a spreadsheet's double would round: an integer beyond 2^53, a
// decimal of more than 15 significant digits) is written as text, so that
// nothing is lost. A cell Excel cannot hold (a text over 32,767 characters)
// or more rows than a worksheet holds fail the export, naming the cell.
//
// Text cells show what was written: U+FFFE and U+FFFF (which XML forbids)
// become U+FFFD, and a literal "_xHHHH_" is escaped so that it is not read as
// a character code.
//
// The workbook replaces `path` whole or not at all (WriteFileReplacing: a
// fresh file beside it, renamed once whole, through a symbolic link, keeping
// an earlier file's permissions; a folder, FIFO or device is refused).
// Errors name the --out flag and the file. Thread-compatible.
#ifndef TONGHOP_TOOLS_CLI_XLSX_H_
#define TONGHOP_TOOLS_CLI_XLSX_H_

#include <string>

#include "absl/status/status.h"
#include "tools/cli/sheet.h"

namespace tonghop::cli {

absl::Status WriteXlsx(const Sheet& sheet, const std::string& path);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_XLSX_H_
