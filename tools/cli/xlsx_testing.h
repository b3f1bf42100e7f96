// Test-only: reads back the workbooks WriteXlsx writes (through minizip, from
// libminizip-dev), so that tests check what a spreadsheet would show. Reads
// the first worksheet only; enough of SpreadsheetML for libxlsxwriter's output,
// not a general reader.
#ifndef TONGHOP_TOOLS_CLI_XLSX_TESTING_H_
#define TONGHOP_TOOLS_CLI_XLSX_TESTING_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace tonghop::cli::testing {

// One cell of a worksheet.
struct XlsxCell {
  std::string text;     // a string's text (XML entities decoded), or a number
  bool string = false;  // a text cell (shared string or inline)
  std::string format;   // its number format: "General", "0", "0.00", ...
};

// The bytes of the entry `name` ("xl/workbook.xml") of the zip at `path`.
absl::StatusOr<std::string> ZipEntry(const std::string& path,
                                     const std::string& name);

// The first worksheet's cells, by reference ("A1", "B2"); blank cells are
// absent.
absl::StatusOr<std::map<std::string, XlsxCell>> ReadCells(
    const std::string& path);

}  // namespace tonghop::cli::testing

#endif  // TONGHOP_TOOLS_CLI_XLSX_TESTING_H_
