#include "tools/cli/render_audit.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/cli/render.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {

std::string ChangesText(const v1::AuditEntry& entry) {
  std::string out;
  for (const v1::ValueChange& c : entry.changes()) {
    const bool note_only =
        c.has_old_value() && c.has_new_value() &&
        c.old_value().SerializeAsString() == c.new_value().SerializeAsString();
    absl::StrAppend(&out, out.empty() ? "" : "; ", c.indicator(), " ",
                    ValueText(c.has_old_value() ? &c.old_value() : nullptr),
                    " → ",
                    ValueText(c.has_new_value() ? &c.new_value() : nullptr),
                    c.confirmed() ? " (xác nhận)"
                    : note_only   ? " (chỉ đổi ghi chú)"
                                  : "");
  }
  return out;
}

namespace {

const std::vector<SheetColumn>& AuditColumns() {
  using K = CellKind;
  static const auto* const kColumns =
      new std::vector<SheetColumn>{{"sequence", K::kInteger},
                                   {"time", K::kTime},
                                   {"actor"},
                                   {"action"},
                                   {"unit"},
                                   {"period"},
                                   {"revision", K::kInteger},
                                   {"idempotency_key"},
                                   {"changes"}};
  return *kColumns;
}

}  // namespace

std::vector<std::string> AuditCsvColumns() {
  return ColumnNames(AuditColumns());
}

Sheet AuditSheet(const v1::AuditLog& log, std::string title) {
  Sheet sheet{std::move(title), AuditColumns(), {}};
  for (const v1::AuditEntry& e : log.entries()) {
    sheet.rows.push_back({absl::StrCat(e.sequence()),
                          e.has_time() ? VietnamTime(e.time()) : std::string(),
                          e.actor(), e.action(), e.unit(), e.period(),
                          e.revision() != 0 ? absl::StrCat(e.revision()) : "",
                          e.idempotency_key(), ChangesText(e)});
  }
  return sheet;
}

std::string AuditCsv(const v1::AuditLog& log) {
  return SheetCsv(AuditSheet(log, ""));
}

std::string AuditTable(const v1::AuditLog& log, absl::string_view period,
                       absl::string_view unit) {
  std::string out = absl::StrCat(
      "Nhật ký thay đổi — ",
      period.empty() ? "mọi kỳ" : absl::StrCat("kỳ ", period), " — ",
      unit.empty() ? "mọi đơn vị" : absl::StrCat("đơn vị ", unit), "\n\n");
  if (log.entries().empty()) {
    absl::StrAppend(&out, "Nhật ký trống.\n");
    return out;
  }
  TextTable table({"Số", "Thời điểm", "Người thực hiện", "Thao tác", "Đơn vị",
                   "Kỳ", "Phiên bản", "Thay đổi"},
                  {Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft,
                   Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft});
  for (const v1::AuditEntry& e : log.entries()) {
    table.AddRow({absl::StrCat(e.sequence()), ShortTime(e.time(), e.has_time()),
                  e.actor().empty() ? std::string(kNone) : e.actor(),
                  e.action(), e.unit(), e.period(),
                  e.revision() != 0 ? absl::StrCat(e.revision()) : "",
                  ChangesText(e)});
  }
  absl::StrAppend(&out, table.Render(), "\n", log.entries_size(), " mục\n");
  return out;
}

}  // namespace tonghop::cli
