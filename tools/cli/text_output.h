// Low-level output formats of the tonghop CLI: aligned text tables whose
// columns line up with Vietnamese text, and RFC 4180 CSV lines. Pure functions;
// thread-compatible.
#ifndef TONGHOP_TOOLS_CLI_TEXT_OUTPUT_H_
#define TONGHOP_TOOLS_CLI_TEXT_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tonghop::cli {

// The number of terminal columns `text` (UTF-8) takes: one per code point,
// except combining diacritical marks (U+0300..U+036F, as in decomposed
// Vietnamese), which take none. Bytes that are not valid UTF-8 count one each.
int DisplayWidth(absl::string_view text);

enum class Align { kLeft, kRight };

// A table printed with a header, a rule, and columns padded to their display
// width, two spaces apart. Lines carry no trailing spaces.
class TextTable {
 public:
  // `aligns` may be shorter than `header`: missing columns align left.
  explicit TextTable(std::vector<std::string> header,
                     std::vector<Align> aligns = {});

  // Rows shorter than the header are padded with empty cells; longer ones are
  // cut.
  void AddRow(std::vector<std::string> cells);
  int rows() const { return static_cast<int>(rows_.size()); }

  // The display width of each column: the widest of its cells, its header and
  // the minimum set by WidenTo.
  std::vector<int> Widths() const;
  // Makes each column at least as wide as `widths` (so that tables printed one
  // after the other line up); extra entries are ignored.
  void WidenTo(const std::vector<int>& widths);

  // Every line ends with "\n"; each is prefixed with `indent`.
  std::string Render(absl::string_view indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> min_widths_;
};

// `text` padded with spaces on the right (or the left, for kRight) to `width`
// display columns.
std::string Pad(absl::string_view text, int width, Align align = Align::kLeft);

// One RFC 4180 field: quoted (with doubled quotes) when it holds a comma, a
// quote, CR or LF. Every CSV the CLI writes is meant for a spreadsheet, so a
// field that a spreadsheet would run as a formula (it starts with = + - @, a
// tab or CR, and is not a plain number such as "-5") gets a leading ' (shown
// as text, not run): a note "=HYPERLINK(...)" typed at a ward stays text at
// the city, and a target "=100" keeps its "=".
std::string CsvField(absl::string_view field);
// The fields joined by commas, followed by `eol`.
std::string CsvLine(const std::vector<std::string>& fields,
                    absl::string_view eol = "\n");

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_TEXT_OUTPUT_H_
