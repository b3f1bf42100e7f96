// The rollup command's outputs: CSV and the aligned table for a city
// secretariat.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/catalog/target.h"
#include "tools/cli/render.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

using Values = google::protobuf::RepeatedPtrField<v1::ConsolidatedValue>;

// `row`: "total" (the unit's own consolidated value), "child" or "own" (a
// breakdown row of a child, or of the node's own unit's part).
std::vector<std::string> CsvRowOf(const v1::ConsolidatedValue& v,
                                  absl::string_view unit,
                                  absl::string_view period,
                                  absl::string_view row) {
  std::string numerator, denominator, communes_reported, communes_expected;
  std::string children_met, children_judged;
  if (v.children_judged() > 0) {
    children_met = absl::StrCat(v.children_met());
    children_judged = absl::StrCat(v.children_judged());
  }
  if (v.value().has_ratio()) {
    numerator = absl::StrCat(v.value().ratio().numerator());
    denominator = absl::StrCat(v.value().ratio().denominator());
  }
  if (v.communes_expected() > 0) {
    communes_reported = absl::StrCat(v.communes_reported());
    communes_expected = absl::StrCat(v.communes_expected());
  }
  return {v.indicator(),
          std::string(unit),
          std::string(period),
          numerator,
          denominator,
          DisplayValue(v.value()),
          v.target().text(),
          std::string(StatusName(v.status())),
          absl::StrCat(v.reported()),
          absl::StrCat(v.expected()),
          communes_reported,
          communes_expected,
          children_met,
          children_judged,
          std::string(row),
          v.note()};
}

std::string ValueCell(const v1::Value& value) {
  std::string text = DisplayValue(value);
  if (text.empty()) return std::string(kNone);
  return value.has_ratio() ? absl::StrCat(text, "%") : text;
}

std::string CoverageCell(const v1::ConsolidatedValue& v) {
  std::string text = absl::StrCat(v.reported(), "/", v.expected());
  if (v.communes_expected() > 0) {
    absl::StrAppend(&text, ", ", v.communes_reported(), "/",
                    v.communes_expected(), " xã");
  }
  return text;
}

TextTable ValuesTable(const Values& values) {
  TextTable table({"Chỉ tiêu", "Giá trị", "Tử số/Mẫu số", "Chỉ tiêu KH",
                   "Đánh giá", "Báo cáo", "Đơn vị đạt"},
                  {Align::kLeft, Align::kRight, Align::kRight});
  for (const v1::ConsolidatedValue& v : values) {
    std::string parts;
    if (v.value().has_ratio()) {
      parts = absl::StrCat(v.value().ratio().numerator(), "/",
                           v.value().ratio().denominator());
    }
    table.AddRow(
        {v.indicator(), ValueCell(v.value()), parts,
         v.target().text().empty() ? std::string(kNone) : v.target().text(),
         std::string(StatusLabelVi(v.status())), CoverageCell(v),
         v.children_judged() > 0
             ? absl::StrCat(v.children_met(), "/", v.children_judged())
             : std::string()});
  }
  return table;
}

// The table, then the notes its units wrote beside their figures ("Ghi chú:",
// one line per indicator, line breaks in a note shown as spaces).
std::string RenderValues(const TextTable& table, const Values& values) {
  if (table.rows() == 0) return "(không có chỉ tiêu nào)\n";
  std::string out = table.Render();
  bool heading = false;
  for (const v1::ConsolidatedValue& v : values) {
    if (v.note().empty()) continue;
    if (!heading) absl::StrAppend(&out, "Ghi chú:\n");
    heading = true;
    std::string note = v.note();
    for (char& c : note) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    absl::StrAppend(&out, "  ", v.indicator(), ": ", note, "\n");
  }
  return out;
}

std::string UpdatedText(int64_t revision,
                        const google::protobuf::Timestamp& updated,
                        bool has_updated) {
  if (revision == 0 && !has_updated) return "chưa gửi báo cáo";
  return absl::StrCat("phiên bản ", revision, ", cập nhật ",
                      ShortTime(updated, has_updated));
}

// "đã chốt lúc T bởi A" ("(tự động)" for the automatic finalisation), or
// "tạm thời (chưa chốt)"; then "; nộp/sửa muộn lúc W" when a late revision
// came.
template <typename Report>
std::string StateText(const Report& report, absl::string_view finalized_by) {
  std::string out = "tạm thời (chưa chốt)";
  if (report.has_finalized_time()) {
    out = absl::StrCat("đã chốt lúc ", ShortTime(report.finalized_time()));
    if (finalized_by == "auto") {
      absl::StrAppend(&out, " (tự động)");
    } else if (!finalized_by.empty()) {
      absl::StrAppend(&out, " bởi ", finalized_by);
    }
  }
  if (report.has_late_revision_time()) {
    absl::StrAppend(&out, "; nộp/sửa muộn lúc ",
                    ShortTime(report.late_revision_time()));
  }
  return out;
}

const std::vector<SheetColumn>& RollupColumns() {
  using K = CellKind;
  static const auto* const kColumns =
      new std::vector<SheetColumn>{{"indicator"},
                                   {"unit"},
                                   {"period"},
                                   {"numerator", K::kInteger},
                                   {"denominator", K::kInteger},
                                   {"value", K::kDecimal},
                                   {"target"},
                                   {"status"},
                                   {"reported", K::kInteger},
                                   {"expected", K::kInteger},
                                   {"communes_reported", K::kInteger},
                                   {"communes_expected", K::kInteger},
                                   {"children_met", K::kInteger},
                                   {"children_judged", K::kInteger},
                                   {"row"},
                                   {"note"}};
  return *kColumns;
}

}  // namespace

std::vector<std::string> RollupCsvColumns() {
  return ColumnNames(RollupColumns());
}

Sheet RollupSheet(const v1::GetRollupResponse& response) {
  const v1::ConsolidatedReport& report = response.report();
  Sheet sheet{absl::StrCat("Tổng hợp ", report.unit(), " ", report.period()),
              RollupColumns(),
              {}};
  for (const v1::ConsolidatedValue& v : report.values()) {
    sheet.rows.push_back(CsvRowOf(v, report.unit(), report.period(), "total"));
  }
  for (const v1::ChildBreakdown& child : response.children()) {
    // The node's own unit's part carries the node's code, as its total does.
    const absl::string_view row =
        child.unit() == report.unit() ? "own" : "child";
    for (const v1::ConsolidatedValue& v : child.values()) {
      sheet.rows.push_back(CsvRowOf(v, child.unit(), report.period(), row));
    }
  }
  return sheet;
}

std::string RollupCsv(const v1::GetRollupResponse& response) {
  return SheetCsv(RollupSheet(response));
}

std::string RollupTable(const v1::GetRollupResponse& response) {
  const v1::ConsolidatedReport& report = response.report();
  // One table per section, with the same column widths, so that they line up.
  std::vector<TextTable> tables = {ValuesTable(report.values())};
  for (const v1::ChildBreakdown& child : response.children()) {
    tables.push_back(ValuesTable(child.values()));
  }
  for (const TextTable& table : tables) tables[0].WidenTo(table.Widths());
  for (TextTable& table : tables) table.WidenTo(tables[0].Widths());

  std::string out = absl::StrCat("Báo cáo tổng hợp — đơn vị ", report.unit(),
                                 " — kỳ ", report.period());
  if (!report.window().empty()) {
    absl::StrAppend(&out, " — kỳ số liệu ", WindowText(report.window()));
  }
  if (report.estimate()) absl::StrAppend(&out, " (số ước tính)");
  absl::StrAppend(&out, "\n(",
                  UpdatedText(report.revision(), report.updated_time(),
                              report.has_updated_time()),
                  ")\nTrạng thái: ", StateText(report, report.finalized_by()),
                  "\n\n", RenderValues(tables[0], report.values()));
  if (response.children().empty()) return out;
  absl::StrAppend(&out, "\nChi tiết theo đơn vị (", response.children_size(),
                  ")\n");
  for (int i = 0; i < response.children_size(); ++i) {
    const v1::ChildBreakdown& child = response.children(i);
    absl::StrAppend(&out, "\n", child.unit());
    if (!child.name().empty()) absl::StrAppend(&out, " — ", child.name());
    if (child.revision() == 0) {
      absl::StrAppend(&out, " (chưa gửi báo cáo)\n");
    } else {
      absl::StrAppend(&out, " (",
                      UpdatedText(child.revision(), child.updated_time(),
                                  child.has_updated_time()),
                      "; ", StateText(child, child.finalized_by()),
                      child.estimate() ? "; số ước tính" : "", ")\n");
    }
    absl::StrAppend(&out, RenderValues(tables[i + 1], child.values()));
  }
  return out;
}

Sheet SeriesSheet(const v1::GetSeriesResponse& series) {
  Sheet sheet{"", RollupColumns(), {}};
  for (const v1::ConsolidatedReport& report : series.reports()) {
    for (const v1::ConsolidatedValue& v : report.values()) {
      sheet.rows.push_back(
          CsvRowOf(v, report.unit(), report.period(), "total"));
    }
  }
  if (!series.reports().empty()) {
    const v1::ConsolidatedReport& first = *series.reports().begin();
    const v1::ConsolidatedReport& last = *series.reports().rbegin();
    sheet.title = absl::StrCat("Chuỗi ", first.unit(), " ", first.period(),
                               "..", last.period());
  }
  return sheet;
}

std::string SeriesTable(const v1::GetSeriesResponse& series) {
  if (series.reports().empty()) return "(không có kỳ nào)\n";
  const v1::ConsolidatedReport& first = *series.reports().begin();
  const v1::ConsolidatedReport& last = *series.reports().rbegin();
  std::string out =
      absl::StrCat("Chuỗi số liệu — đơn vị ", first.unit(), " — kỳ ",
                   first.period(), " đến ", last.period(), "\n\n");
  // The indicators in the order the reports list them; a column per period.
  std::vector<std::string> codes;
  std::map<std::string, std::vector<std::string>> cells;
  std::vector<std::string> header = {"Chỉ tiêu"};
  std::vector<Align> aligns = {Align::kLeft};
  for (int p = 0; p < series.reports_size(); ++p) {
    const v1::ConsolidatedReport& report = series.reports(p);
    header.push_back(report.period());
    aligns.push_back(Align::kRight);
    for (const v1::ConsolidatedValue& v : report.values()) {
      auto [it, added] = cells.try_emplace(
          v.indicator(),
          std::vector<std::string>(series.reports_size(), std::string(kNone)));
      if (added) codes.push_back(v.indicator());
      it->second[p] = ValueCell(v.value());
    }
  }
  TextTable table(header, aligns);
  for (const std::string& code : codes) {
    std::vector<std::string> row = {code};
    row.insert(row.end(), cells[code].begin(), cells[code].end());
    table.AddRow(std::move(row));
  }
  // Whether each period's report is final: a figure of a provisional month
  // may still change.
  std::vector<std::string> state = {"Trạng thái"};
  for (const v1::ConsolidatedReport& report : series.reports()) {
    state.push_back(report.has_finalized_time() ? "đã chốt"
                    : report.revision() > 0     ? "tạm thời"
                                                : "chưa có");
  }
  table.AddRow(std::move(state));
  absl::StrAppend(&out, table.Render(),
                  "(— chưa có số liệu; tỉ lệ = tổng tử số / tổng mẫu số)\n");
  return out;
}

}  // namespace tonghop::cli
