// Aligned text tables and RFC 4180 CSV lines for the tonghop CLI.
#include "tools/cli/text_output.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tonghop::cli {
namespace {

// The length of the UTF-8 sequence that starts with `lead`, or 0 when `lead`
// cannot start one.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    int length = SequenceLength(lead);
    if (length == 0 || i + length > text.size()) {
      ++width;  // a stray byte
      ++i;
      continue;
    }
    uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    bool valid = true;
    for (int k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!valid) {
      ++width;
      ++i;
      continue;
    }
    if (cp < 0x0300 || cp > 0x036F) ++width;
    i += length;
  }
  return width;
}

std::string Pad(absl::string_view text, int width, Align align) {
  int missing = std::max(0, width - DisplayWidth(text));
  std::string spaces(missing, ' ');
  return align == Align::kLeft ? absl::StrCat(text, spaces)
                               : absl::StrCat(spaces, text);
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> aligns)
    : header_(std::move(header)), aligns_(std::move(aligns)) {
  aligns_.resize(header_.size(), Align::kLeft);
  min_widths_.resize(header_.size(), 0);
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

std::vector<int> TextTable::Widths() const {
  std::vector<int> widths = min_widths_;
  auto measure = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(cells[c]));
    }
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  return widths;
}

void TextTable::WidenTo(const std::vector<int>& widths) {
  for (size_t c = 0; c < min_widths_.size() && c < widths.size(); ++c) {
    min_widths_[c] = std::max(min_widths_[c], widths[c]);
  }
}

std::string TextTable::Render(absl::string_view indent) const {
  std::vector<int> widths = Widths();
  auto line = [&](const std::vector<std::string>& cells) {
    std::vector<std::string> padded;
    for (size_t c = 0; c < cells.size(); ++c)
      padded.push_back(Pad(cells[c], widths[c], aligns_[c]));
    std::string text = absl::StrJoin(padded, "  ");
    text.erase(text.find_last_not_of(' ') +
               1);  // npos + 1 == 0 clears an all-space line
    return absl::StrCat(indent, text, "\n");
  };
  std::vector<std::string> rule;
  for (int w : widths) rule.push_back(std::string(w, '-'));

  std::string out = line(header_);
  absl::StrAppend(&out, line(rule));
  for (const auto& row : rows_) absl::StrAppend(&out, line(row));
  return out;
}

std::string CsvField(absl::string_view field) {
  std::string text(field);
  if (!text.empty() &&
      absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    double number;
    if (!absl::SimpleAtod(text, &number) ||
        text.find_first_not_of("+-0123456789.") != std::string::npos) {
      text.insert(0, "'");
    }
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields,
                    absl::string_view eol) {
  std::vector<std::string> quoted;
  quoted.reserve(fields.size());
  for (const std::string& f : fields) quoted.push_back(CsvField(f));
  return absl::StrCat(absl::StrJoin(quoted, ","), eol);
}

}  // namespace tonghop::cli
