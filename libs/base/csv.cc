#include "libs/base/csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tonghop {

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are invalid.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string Utf8Problem(absl::string_view text) {
  if (absl::StartsWith(text, "\xFF\xFE") ||
      absl::StartsWith(text, "\xFE\xFF") ||
      text.find('\0') != absl::string_view::npos) {
    return "UTF-16 text (what Excel saves as \"Unicode Text\"): save the "
           "file as \"CSV UTF-8\" instead";
  }
  int line = 1;
  for (absl::string_view rest = text; !rest.empty(); ++line) {
    const size_t end = rest.find('\n');
    absl::string_view this_line = rest.substr(0, end);
    if (!IsValidUtf8(this_line)) {
      return absl::StrCat(
          "line ", line,
          ": not valid UTF-8 text (a legacy encoding such as TCVN3, VNI or "
          "Windows-1258?): save the file as \"CSV UTF-8\"");
    }
    if (end == absl::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return "";
}

absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text) {
  if (absl::string_view(text).substr(0, 3) == "\xEF\xBB\xBF")
    text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  row.line = 1;
  bool in_quotes = false, field_quoted = false, after_quote = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    row.quoted.push_back(field_quoted);
    field.clear();
    field_quoted = after_quote = false;
  };
  auto end_record = [&](int next_line) {
    end_field();
    bool empty = row.fields.size() == 1 && row.fields[0].empty();
    if (!empty) rows.push_back(std::move(row));
    row = CsvRow();
    row.line = next_line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_record(line);
    } else if (c == '"') {
      if (!field.empty() || field_quoted) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line, ": a quote inside an unquoted field"));
      }
      in_quotes = field_quoted = true;
    } else {
      if (after_quote) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line, ": text after a closing quote"));
      }
      field.push_back(c);
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", row.line, ": a quoted field is not closed"));
  }
  if (!field.empty() || !row.fields.empty() || field_quoted)
    end_record(line + 1);
  return rows;
}

absl::StatusOr<CsvTable> CsvTable::Parse(
    absl::string_view text, absl::string_view what,
    const std::vector<std::string>& required) {
  if (std::string problem = Utf8Problem(text); !problem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", problem));
  }
  auto rows = ParseCsv(text);
  if (!rows.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", rows.status().message()));
  }
  if (rows->empty())
    return absl::InvalidArgumentError(absl::StrCat(what, ": no header line"));
  CsvTable table;
  const CsvRow& header = rows->front();
  for (int i = 0; i < static_cast<int>(header.fields.size()); ++i) {
    std::string name = header.fields[i];
    if (!table.columns_.emplace(name, i).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": line ", header.line, ": column '", name, "' appears twice"));
    }
  }
  for (const std::string& name : required) {
    if (!table.columns_.count(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": line ", header.line, ": missing column '", name, "'"));
    }
  }
  for (size_t r = 1; r < rows->size(); ++r) {
    CsvRow& row = (*rows)[r];
    if (row.fields.size() != header.fields.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": line ", row.line, ": ", row.fields.size(),
                       " fields, the header has ", header.fields.size()));
    }
    table.rows_.push_back(std::move(row));
  }
  return table;
}

bool CsvTable::HasColumn(absl::string_view name) const {
  return columns_.count(name) > 0;
}

const std::string& CsvTable::Get(int row, absl::string_view name) const {
  static const std::string* const kEmpty = new std::string;
  auto it = columns_.find(name);
  if (it == columns_.end()) return *kEmpty;
  return rows_[row].fields[it->second];
}

}  // namespace tonghop
