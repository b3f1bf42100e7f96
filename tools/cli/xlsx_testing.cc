#include "tools/cli/xlsx_testing.h"

#include <regex>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "unzip.h"

namespace tonghop::cli::testing {
namespace {

std::string Unescape(const std::string& xml) {
  return absl::StrReplaceAll(xml, {{"&lt;", "<"},
                                   {"&gt;", ">"},
                                   {"&quot;", "\""},
                                   {"&apos;", "'"},
                                   {"&amp;", "&"}});
}

// The text of each <si> of the shared strings, in order.
std::vector<std::string> SharedStrings(const std::string& xml) {
  std::vector<std::string> out;
  static const std::regex kItem("<si><t[^>]*>([^<]*)</t></si>");
  for (std::sregex_iterator it(xml.begin(), xml.end(), kItem), end; it != end;
       ++it) {
    out.push_back(Unescape((*it)[1]));
  }
  return out;
}

// The number format of each cell style (cellXfs), in order: custom ones from
// <numFmts>, the built-in ones libxlsxwriter uses by their codes.
std::vector<std::string> StyleFormats(const std::string& xml) {
  std::map<int, std::string> codes = {{0, "General"}, {1, "0"}, {2, "0.00"}};
  static const std::regex kNumFmt(
      "<numFmt numFmtId=\"([0-9]+)\" formatCode=\"([^\"]*)\"/>");
  for (std::sregex_iterator it(xml.begin(), xml.end(), kNumFmt), end; it != end;
       ++it) {
    codes[std::stoi((*it)[1])] = Unescape((*it)[2]);
  }
  std::vector<std::string> out;
  const size_t begin = xml.find("<cellXfs");
  const size_t end = xml.find("</cellXfs>");
  if (begin == std::string::npos || end == std::string::npos) return out;
  const std::string xfs = xml.substr(begin, end - begin);
  static const std::regex kXf("<xf numFmtId=\"([0-9]+)\"");
  for (std::sregex_iterator it(xfs.begin(), xfs.end(), kXf), e; it != e; ++it) {
    const int id = std::stoi((*it)[1]);
    out.push_back(codes.count(id) ? codes[id] : absl::StrCat("builtin ", id));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> ZipEntry(const std::string& path,
                                     const std::string& name) {
  unzFile zip = unzOpen(path.c_str());
  if (zip == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": not a zip file"));
  }
  std::string bytes;
  absl::Status status = absl::OkStatus();
  if (unzLocateFile(zip, name.c_str(), /*iCaseSensitivity=*/1) != UNZ_OK) {
    status = absl::NotFoundError(absl::StrCat(path, ": no entry ", name));
  } else if (unzOpenCurrentFile(zip) != UNZ_OK) {
    status = absl::DataLossError(absl::StrCat(path, ": cannot open ", name));
  } else {
    char buffer[8192];
    int n = 0;
    while ((n = unzReadCurrentFile(zip, buffer, sizeof(buffer))) > 0) {
      bytes.append(buffer, n);
    }
    if (n < 0) {
      status = absl::DataLossError(absl::StrCat(path, ": cannot read ", name));
    }
    unzCloseCurrentFile(zip);
  }
  unzClose(zip);
  if (!status.ok()) return status;
  return bytes;
}

absl::StatusOr<std::map<std::string, XlsxCell>> ReadCells(
    const std::string& path) {
  absl::StatusOr<std::string> sheet =
      ZipEntry(path, "xl/worksheets/sheet1.xml");
  if (!sheet.ok()) return sheet.status();
  absl::StatusOr<std::string> styles = ZipEntry(path, "xl/styles.xml");
  if (!styles.ok()) return styles.status();
  // A workbook without any text cell has no shared strings.
  absl::StatusOr<std::string> shared = ZipEntry(path, "xl/sharedStrings.xml");
  const std::vector<std::string> strings =
      shared.ok() ? SharedStrings(*shared) : std::vector<std::string>();
  const std::vector<std::string> formats = StyleFormats(*styles);

  std::map<std::string, XlsxCell> cells;
  static const std::regex kCell(
      "<c r=\"([A-Z]+[0-9]+)\"((?: [a-z]+=\"[^\"]*\")*)>"
      "(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>)</c>");
  static const std::regex kStyle(" s=\"([0-9]+)\"");
  for (std::sregex_iterator it(sheet->begin(), sheet->end(), kCell), end;
       it != end; ++it) {
    const std::string attrs = (*it)[2];
    XlsxCell cell;
    if ((*it)[4].matched) {
      cell.string = true;
      cell.text = Unescape((*it)[4]);
    } else if (attrs.find(" t=\"s\"") != std::string::npos) {
      int index = -1;
      if (!absl::SimpleAtoi(std::string((*it)[3]), &index) || index < 0 ||
          index >= static_cast<int>(strings.size())) {
        return absl::DataLossError(
            absl::StrCat(path, ": bad shared string in ", (*it)[1].str()));
      }
      cell.string = true;
      cell.text = strings[index];
    } else {
      cell.text = (*it)[3];
    }
    std::smatch style;
    int s = 0;
    if (std::regex_search(attrs, style, kStyle)) s = std::stoi(style[1]);
    cell.format = s < static_cast<int>(formats.size()) ? formats[s] : "General";
    cells[(*it)[1]] = cell;
  }
  return cells;
}

}  // namespace tonghop::cli::testing
