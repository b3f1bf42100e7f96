// A strict RFC 4180 CSV reader for the data files and for values files saved by
// Excel. Accepts a leading UTF-8 BOM, CRLF or LF line ends, quoted fields with
// doubled quotes and embedded line breaks. Rejects invalid UTF-8 and malformed
// quoting with the line number.
#ifndef TONGHOP_LIBS_BASE_CSV_H_
#define TONGHOP_LIBS_BASE_CSV_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tonghop {

struct CsvRow {
  int line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
  std::vector<bool> quoted;  // per field: written in quotes
};

// Parses all records. Empty lines are skipped. INVALID_ARGUMENT names the line
// of any error.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text);

// A parsed file with a header: rows are addressed by column name.
class CsvTable {
 public:
  // Parses `text`; the first record is the header. `required` columns must all
  // be present (INVALID_ARGUMENT naming the first missing one); every row must
  // have as many fields as the header. `what` names the file in messages.
  static absl::StatusOr<CsvTable> Parse(
      absl::string_view text, absl::string_view what,
      const std::vector<std::string>& required);

  int size() const { return static_cast<int>(rows_.size()); }
  int line(int row) const { return rows_[row].line; }
  bool HasColumn(absl::string_view name) const;
  // The field of `row` in column `name`, or "" when the table has no such
  // column.
  const std::string& Get(int row, absl::string_view name) const;

 private:
  std::map<std::string, int, std::less<>> columns_;
  std::vector<CsvRow> rows_;
};

// True when `text` is valid UTF-8.
bool IsValidUtf8(absl::string_view text);

// Why `text` is not the UTF-8 a CSV file must be, for a person to fix: "" when
// it is valid UTF-8 without NUL bytes; "UTF-16 text (...)" for what Excel's
// "Unicode Text" saves; "line N: not valid UTF-8 text (...)" naming the first
// line with a byte sequence that is not UTF-8 (a legacy Vietnamese encoding).
std::string Utf8Problem(absl::string_view text);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_CSV_H_
