#include "tools/cli/xlsx.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/base/file.h"
#include "libs/calendar/zone.h"
#include "tools/cli/text_output.h"
#include "xlsxwriter.h"

namespace tonghop::cli {
namespace {

// The largest integer a spreadsheet's double holds exactly.
constexpr int64_t kExactInteger = int64_t{1} << 53;

// Excel's limit on a worksheet's name, in characters.
constexpr int kSheetNameMax = 31;

absl::Status WriteError(const std::string& path, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("--out: cannot write ", path, ": ", why));
}

// The worksheet's name: `title` without the characters Excel refuses in one,
// cut to 31 code points; "tonghop" when nothing is left.
std::string SheetName(const std::string& title) {
  std::string name;
  int chars = 0;
  for (size_t i = 0; i < title.size() && chars < kSheetNameMax;) {
    size_t len = 1;
    const unsigned char c = title[i];
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    std::string piece = title.substr(i, len);
    if (piece.size() == 1 && std::strchr("[]:*?/\\'", piece[0]) != nullptr) {
      piece = "-";
    }
    name += piece;
    ++chars;
    i += len;
  }
  return name.empty() ? "tonghop" : name;
}

// The number of digits after the decimal point of a plain decimal ("90.91":
// 2), or -1 when `text` is not one ("1e5", "12%", "-", "") or has more than
// 15 significant digits, which a spreadsheet's double would round.
int DecimalsOf(absl::string_view text) {
  if (text.empty()) return -1;
  size_t i = text[0] == '-' ? 1 : 0;
  int digits = 0, significant = 0, decimals = -1;
  for (; i < text.size(); ++i) {
    if (text[i] == '.' && decimals < 0) {
      decimals = 0;
    } else if (text[i] >= '0' && text[i] <= '9') {
      ++digits;
      if (significant > 0 || text[i] != '0') ++significant;
      if (decimals >= 0) ++decimals;
    } else {
      return -1;
    }
  }
  if (digits == 0 || decimals == 0) return -1;  // "-", "5."
  if (significant > 15) return -1;
  return std::max(decimals, 0);
}

// `text` as a spreadsheet will show it: the noncharacters U+FFFE and U+FFFF,
// which XML forbids (the file would not open), become U+FFFD; a literal
// "_xHHHH_", which a spreadsheet would read as an escaped character, gets its
// "_" escaped as "_x005F_" so that it shows as written.
std::string XlsxText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 2) == "\xEF\xBF" && i + 2 < text.size() &&
        (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' &&
        text[i + 6] == '_' &&
        std::all_of(text.begin() + i + 2, text.begin() + i + 6,
                    [](char c) { return absl::ascii_isxdigit(c); })) {
      out += "_x005F";
    }
    out += text[i];
  }
  return out;
}

// Writes one sheet; formats are made once per workbook and kept here.
class SheetWriter {
 public:
  SheetWriter(lxw_workbook* workbook, lxw_worksheet* worksheet)
      : workbook_(workbook), worksheet_(worksheet) {}

  void Header(const std::vector<SheetColumn>& columns) {
    lxw_format* bold = workbook_add_format(workbook_);
    format_set_bold(bold);
    for (size_t c = 0; c < columns.size(); ++c) {
      Check(worksheet_write_string(worksheet_, 0, static_cast<lxw_col_t>(c),
                                   XlsxText(columns[c].name).c_str(), bold),
            0, static_cast<lxw_col_t>(c));
    }
  }

  void Cell(lxw_row_t row, lxw_col_t col, CellKind kind,
            const std::string& text) {
    if (text.empty()) return;
    switch (kind) {
      case CellKind::kInteger: {
        int64_t n = 0;
        if (absl::SimpleAtoi(text, &n) && n <= kExactInteger &&
            n >= -kExactInteger) {
          Check(worksheet_write_number(worksheet_, row, col,
                                       static_cast<double>(n), Decimals(0)),
                row, col);
          return;
        }
        break;
      }
      case CellKind::kDecimal: {
        const int decimals = DecimalsOf(text);
        double x = 0;
        if (decimals >= 0 && absl::SimpleAtod(text, &x)) {
          Check(worksheet_write_number(worksheet_, row, col, x,
                                       Decimals(decimals)),
                row, col);
          return;
        }
        break;
      }
      case CellKind::kTime: {
        absl::Time t;
        std::string err;
        auto zone = VietnamZone();
        if (zone.ok() && absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
          const absl::CivilSecond s = absl::ToCivilSecond(t, *zone);
          lxw_datetime dt = {static_cast<int>(s.year()),
                             s.month(),
                             s.day(),
                             s.hour(),
                             s.minute(),
                             static_cast<double>(s.second())};
          Check(
              worksheet_write_datetime(worksheet_, row, col, &dt, TimeFormat()),
              row, col);
          return;
        }
        break;
      }
      case CellKind::kText:
        break;
    }
    Check(worksheet_write_string(worksheet_, row, col, XlsxText(text).c_str(),
                                 nullptr),
          row, col);
  }

  // The first cell libxlsxwriter refused ("B12: String exceeds Excel's
  // limit of 32,767 characters."), or "" when none.
  const std::string& error() const { return error_; }

 private:
  void Check(lxw_error result, lxw_row_t row, lxw_col_t col) {
    if (result == LXW_NO_ERROR || !error_.empty()) return;
    char cell[16];
    lxw_rowcol_to_cell(cell, row, col);
    error_ = absl::StrCat(cell, ": ", lxw_strerror(result));
  }

  lxw_format* Decimals(int decimals) {
    lxw_format*& format = decimals_[decimals];
    if (format == nullptr) {
      format = workbook_add_format(workbook_);
      const std::string pattern =
          decimals == 0 ? "0" : absl::StrCat("0.", std::string(decimals, '0'));
      format_set_num_format(format, pattern.c_str());
    }
    return format;
  }

  lxw_format* TimeFormat() {
    if (time_ == nullptr) {
      time_ = workbook_add_format(workbook_);
      format_set_num_format(time_, "dd/mm/yyyy hh:mm:ss");
    }
    return time_;
  }

  lxw_workbook* workbook_;
  lxw_worksheet* worksheet_;
  std::map<int, lxw_format*> decimals_;
  lxw_format* time_ = nullptr;
  std::string error_;
};

// Each column's width in characters: its widest cell or header, within 8..60
// (19 for times, shown as "dd/mm/yyyy hh:mm:ss").
std::vector<double> ColumnWidths(const Sheet& sheet) {
  std::vector<double> widths;
  for (size_t c = 0; c < sheet.columns.size(); ++c) {
    int width = DisplayWidth(sheet.columns[c].name);
    if (sheet.columns[c].kind == CellKind::kTime) {
      width = std::max(width, 19);
    } else {
      for (const auto& row : sheet.rows) {
        if (c < row.size()) width = std::max(width, DisplayWidth(row[c]));
      }
    }
    widths.push_back(std::clamp(width + 2, 8, 60));
  }
  return widths;
}

// Writes the workbook of `sheet` into the file `fresh`; errors name `path`.
absl::Status WriteWorkbook(const Sheet& sheet, const std::string& fresh,
                           const std::string& path) {
  if (sheet.rows.size() >= LXW_ROW_MAX) {
    return WriteError(path, absl::StrCat(sheet.rows.size(),
                                         " rows, more than a worksheet holds; "
                                         "use --format=csv"));
  }
  lxw_workbook* workbook = workbook_new(fresh.c_str());
  if (workbook == nullptr) return WriteError(path, "out of memory");
  const std::string name = SheetName(sheet.title);
  lxw_worksheet* worksheet = workbook_add_worksheet(
      workbook,
      workbook_validate_sheet_name(workbook, name.c_str()) == LXW_NO_ERROR
          ? name.c_str()
          : "tonghop");
  const std::string title = XlsxText(sheet.title);
  lxw_doc_properties properties = {};
  properties.title = const_cast<char*>(title.c_str());
  properties.author = const_cast<char*>("tonghop");
  workbook_set_properties(workbook, &properties);

  SheetWriter writer(workbook, worksheet);
  writer.Header(sheet.columns);
  const std::vector<double> widths = ColumnWidths(sheet);
  for (size_t c = 0; c < widths.size(); ++c) {
    worksheet_set_column(worksheet, static_cast<lxw_col_t>(c),
                         static_cast<lxw_col_t>(c), widths[c], nullptr);
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const std::vector<std::string>& row = sheet.rows[r];
    for (size_t c = 0; c < sheet.columns.size() && c < row.size(); ++c) {
      writer.Cell(static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                  sheet.columns[c].kind, row[c]);
    }
  }
  if (!sheet.columns.empty()) {
    worksheet_freeze_panes(worksheet, 1, 0);
    worksheet_autofilter(worksheet, 0, 0,
                         static_cast<lxw_row_t>(sheet.rows.size()),
                         static_cast<lxw_col_t>(sheet.columns.size() - 1));
  }
  errno = 0;
  const lxw_error closed = workbook_close(workbook);  // frees the workbook
  if (!writer.error().empty()) return WriteError(path, writer.error());
  if (closed != LXW_NO_ERROR) {
    // The system's reason only where the file itself could not be made.
    const int saved = errno;
    return WriteError(path, closed == LXW_ERROR_CREATING_XLSX_FILE && saved != 0
                                ? std::strerror(saved)
                                : lxw_strerror(closed));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteXlsx(const Sheet& sheet, const std::string& path) {
  return WriteFileReplacing(path, "--out", [&](const std::string& fresh) {
    return WriteWorkbook(sheet, fresh, path);
  });
}

}  // namespace tonghop::cli
