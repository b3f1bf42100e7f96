// Reading a values CSV (what a ward officer fills in, e.g. from `tonghop
// template`) into the values of a SubmitRequest. Pure: no I/O;
// thread-compatible.
//
// The header must contain indicator,numerator,denominator,value,note (other
// columns, such as the template's name_vi/unit/measure/target, are ignored).
// UTF-8 with or without a BOM, LF or CRLF line ends. Per row, after trimming
// spaces around each field:
//   - indicator starting with '#': a comment, skipped;
//   - numerator, denominator and value all empty: skipped (an unfilled
//     template row);
//   - numerator and denominator: a ratio (both required, value empty);
//   - value "clear", "xoá" or "xóa": clear = true (removes the stored value);
//   - value: for a count or rank a whole number, sent as `number`; for an
//     index a decimal with at most 2 places, sent as `index` text.
// The indicator's measure (from the catalog) decides which form a row must
// take. Codes that are not in the catalog are sent as given (a whole number as
// `number`, other text as `index`) for the server to refuse.
#ifndef TONGHOP_TOOLS_CLI_CSV_VALUES_H_
#define TONGHOP_TOOLS_CLI_CSV_VALUES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tonghop/v1/catalog.pb.h"
#include "tonghop/v1/report.pb.h"

namespace tonghop::cli {

// The measure of each indicator code.
using MeasureMap = std::map<std::string, v1::Measure, std::less<>>;

// The measures of every indicator of `catalog`.
MeasureMap MeasuresOf(const v1::Catalog& catalog);

// The columns a values CSV must have, in the order the template writes them.
const std::vector<std::string>& ValuesCsvColumns();

// Parses `text`, the contents of the file named `file_name` (used in messages),
// into one SubmittedValue per value row, in file order. On failure returns
// INVALID_ARGUMENT whose message names the file, the line and, for a row, the
// indicator and the column, e.g.
//   "values.csv: line 4 (QD11-01): numerator: 'abc' is not a non-negative
//   integer".
// Errors: invalid UTF-8 or CSV quoting, a missing column, a row with another
// number of fields than the header, an empty indicator, an indicator given
// twice, a note without a value, a ratio part missing, malformed or negative,
// numerator > denominator, a ratio given as a value (or a count as a ratio), a
// count or rank that is not a whole number, a rank of 0, an index that is not a
// decimal with at most 2 places, a note over 2000 bytes, an unquoted note of
// digits alone after a count, rank or index (what an unquoted decimal comma
// or thousands separator splits off the figure: "87,25", "1,500"), and a file
// with no value rows.
// `lines`, when given, receives the line of each value, in the same order.
absl::StatusOr<std::vector<v1::SubmittedValue>> ParseValuesCsv(
    absl::string_view text, absl::string_view file_name,
    const MeasureMap& measures, std::vector<int>* lines = nullptr);

// A node's refusal of a submission names a value by its place in the request
// ("values[2] (QD11-01).numerator: ..."); this prefixes the file and the line
// it came from ("values.csv: line 4: values[2] (QD11-01)..."), given `lines`
// from ParseValuesCsv. Other statuses are returned as they are.
absl::Status WithFileLine(const absl::Status& status,
                          absl::string_view file_name,
                          const std::vector<int>& lines);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_CSV_VALUES_H_
