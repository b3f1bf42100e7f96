// The status command's outputs (CSV and the table for a secretariat) and the
// pieces shared with finalize, lock and laggards (render_deadlines.cc).
#include "tools/cli/render_status.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/decimal.h"
#include "libs/calendar/zone.h"
#include "tools/cli/render.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

absl::TimeZone Zone() {
  auto zone = VietnamZone();
  return zone.ok() ? *zone : absl::UTCTimeZone();
}

// RFC 3339 in Vietnam time, or "" when unset (CSV cells).
std::string CsvTime(const google::protobuf::Timestamp& t, bool present) {
  return present ? VietnamTime(t) : std::string();
}

// When a late revision reached this node: a child's arrival time, else the
// sender's time.
bool HasLateRevision(const v1::UnitStatus& us) {
  return us.has_late_revision_received_time() || us.has_late_revision_time();
}
const google::protobuf::Timestamp& LateRevisionArrival(
    const v1::UnitStatus& us) {
  return us.has_late_revision_received_time() ? us.late_revision_received_time()
                                              : us.late_revision_time();
}

std::vector<std::string> CsvRow(const v1::UnitStatus& us,
                                const google::protobuf::Timestamp& late,
                                bool has_late) {
  std::string expected, final_count, on_time;
  if (us.leaves().expected() > 0) {
    expected = absl::StrCat(us.leaves().expected());
    final_count = absl::StrCat(us.leaves().final());
    on_time = absl::StrCat(us.leaves().on_time());
  }
  return {us.unit(),
          us.name(),
          std::string(ReportStateName(us.state())),
          absl::StrCat(us.revision()),
          CsvTime(us.finalized_time(), us.has_finalized_time()),
          CsvTime(us.received_time(), us.has_received_time()),
          CsvTime(late, has_late),
          CsvTime(us.due(), us.has_due()),
          expected,
          final_count,
          on_time};
}

// At the central node the node's own report has no due (no parent); a
// node owing nothing this period has none either.
bool IsCentral(const v1::StatusReport& status) {
  return !status.self().has_due() &&
         status.self().state() != v1::REPORT_STATE_NOT_EXPECTED;
}

std::string LockLine(const v1::LockRecord& lock) {
  if (lock.events().empty()) return lock.locked() ? "đang khoá" : "không khoá";
  const v1::LockEvent& last = *lock.events().rbegin();
  std::string who = last.actor() == "auto" ? "tự động"
                    : last.actor().empty() ? std::string()
                                           : "bởi " + last.actor();
  return absl::StrCat(lock.locked() ? "đang khoá" : "không khoá", " (",
                      last.locked() ? "khoá" : "mở khoá",
                      who.empty() ? "" : " ", who, " lúc ",
                      ShortTime(last.time()), ")");
}

std::string SelfLine(const v1::StatusReport& status) {
  const v1::UnitStatus& self = status.self();
  std::string state(ReportStateLabelVi(self.state()));
  if (IsCentral(status) && self.has_finalized_time()) state = "đã chốt";
  std::string out = absl::StrCat("Báo cáo của đơn vị: ", state);
  if (self.revision() > 0) {
    absl::StrAppend(&out, ", phiên bản ", self.revision());
  }
  if (self.has_finalized_time()) {
    absl::StrAppend(&out, ", chốt lúc ", ShortTime(self.finalized_time()));
  }
  if (self.state() != v1::REPORT_STATE_NOT_EXPECTED) {
    absl::StrAppend(
        &out, "; hạn nộp lên cấp trên: ",
        IsCentral(status) ? "— (nút trung ương)" : DueText(self.due(), true));
  }
  if (self.has_late_revision_time()) {
    absl::StrAppend(&out, "; nộp/sửa muộn lúc ",
                    ShortTime(self.late_revision_time()));
  }
  return absl::StrCat(out, "\n");
}

std::string LeafCell(int32_t count, const v1::Rates& leaves) {
  if (leaves.expected() == 0) return "";
  return absl::StrCat(count, "/", leaves.expected());
}

std::string ChildrenTable(const v1::StatusReport& status) {
  bool leaves = false;
  for (const v1::UnitStatus& us : status.children()) {
    leaves |= us.leaves().expected() > 0;
  }
  std::vector<std::string> header = {"Mã",          "Tên",      "Trạng thái",
                                     "Phiên bản",   "Chốt lúc", "Nhận lúc",
                                     "Nộp/sửa muộn"};
  if (leaves) {
    header.push_back("Cấp dưới đã chốt");
    header.push_back("Cấp dưới đúng hạn");
  }
  TextTable table(header, {Align::kLeft, Align::kLeft, Align::kLeft,
                           Align::kRight, Align::kLeft, Align::kLeft,
                           Align::kLeft, Align::kRight, Align::kRight});
  for (const v1::UnitStatus& us : status.children()) {
    std::vector<std::string> row = {
        us.unit(),
        us.name(),
        std::string(ReportStateLabelVi(us.state())),
        us.revision() > 0 ? absl::StrCat(us.revision()) : std::string(kNone),
        ShortTime(us.finalized_time(), us.has_finalized_time()),
        ShortTime(us.received_time(), us.has_received_time()),
        HasLateRevision(us) ? ShortTime(LateRevisionArrival(us)) : ""};
    if (leaves) {
      row.push_back(LeafCell(us.leaves().final(), us.leaves()));
      row.push_back(LeafCell(us.leaves().on_time(), us.leaves()));
    }
    table.AddRow(std::move(row));
  }
  return table.Render();
}

std::string RatesTable(const v1::StatusReport& status) {
  TextTable table({"Tỉ lệ", "Báo cáo (đã chốt)", "Đúng hạn"},
                  {Align::kLeft, Align::kRight, Align::kRight});
  const v1::Rates& direct = status.direct();
  table.AddRow({"Đơn vị trực thuộc",
                RateText(direct.final(), direct.expected()),
                RateText(direct.on_time(), direct.expected())});
  const v1::Rates& leaves = status.leaves();
  if (IsCentral(status) || leaves.expected() != direct.expected()) {
    table.AddRow(
        {IsCentral(status) ? "Toàn quốc (cấp xã và sở)" : "Cấp xã và sở",
         RateText(leaves.final(), leaves.expected()),
         RateText(leaves.on_time(), leaves.expected())});
  }
  return table.Render();
}

}  // namespace

absl::string_view ReportStateName(v1::ReportState state) {
  switch (state) {
    case v1::REPORT_STATE_NOT_SUBMITTED:
      return "not_submitted";
    case v1::REPORT_STATE_PROVISIONAL:
      return "provisional";
    case v1::REPORT_STATE_FINAL_ON_TIME:
      return "final_on_time";
    case v1::REPORT_STATE_FINAL_LATE:
      return "final_late";
    case v1::REPORT_STATE_NOT_EXPECTED:
      return "not_expected";
    default:
      return "unspecified";
  }
}

absl::string_view ReportStateLabelVi(v1::ReportState state) {
  switch (state) {
    case v1::REPORT_STATE_NOT_SUBMITTED:
      return "chưa gửi";
    case v1::REPORT_STATE_PROVISIONAL:
      return "tạm thời (chưa chốt)";
    case v1::REPORT_STATE_FINAL_ON_TIME:
      return "đã chốt, đúng hạn";
    case v1::REPORT_STATE_FINAL_LATE:
      return "đã chốt, trễ hạn";
    case v1::REPORT_STATE_NOT_EXPECTED:
      return "không phải báo cáo kỳ này";
    default:
      return kNone;
  }
}

std::string PercentText(int64_t count, int64_t total) {
  std::optional<int64_t> hundredths = PercentHundredths(count, total);
  if (!hundredths.has_value()) return std::string(kNone);
  return absl::StrCat(FormatHundredths(*hundredths), "%");
}

std::string RateText(int64_t count, int64_t total) {
  return absl::StrCat(count, "/", total, " (", PercentText(count, total), ")");
}

std::string ShortTime(const google::protobuf::Timestamp& t, bool present) {
  if (!present) return std::string(kNone);
  return absl::FormatTime("%d/%m/%Y %H:%M", FromProtoTime(t), Zone());
}

std::string DueText(const google::protobuf::Timestamp& due, bool present) {
  if (!present) return std::string(kNone);
  absl::TimeZone zone = Zone();
  absl::Time t = FromProtoTime(due);
  absl::CivilSecond civil = absl::ToCivilSecond(t, zone);
  if (civil == absl::CivilSecond(absl::CivilDay(civil)) &&
      absl::FromCivil(civil, zone) == t) {
    return absl::StrCat("trước ngày ", absl::FormatTime("%d/%m/%Y", t, zone));
  }
  return absl::StrCat("trước ", ShortTime(due));
}

std::string DeadlinePhrase(absl::Time now, absl::Time due) {
  if (now == absl::InfiniteFuture() || now == absl::InfinitePast() ||
      due == absl::InfiniteFuture() || due == absl::InfinitePast()) {
    return std::string(kNone);
  }
  bool before = now < due;
  absl::Duration rem;
  int64_t hours =
      absl::IDivDuration(before ? due - now : now - due, absl::Hours(1), &rem);
  return absl::StrCat(before ? "còn " : "quá hạn ", hours / 24, " ngày ",
                      hours % 24, " giờ");
}

namespace {

const std::vector<SheetColumn>& StatusColumns() {
  using K = CellKind;
  static const auto* const kColumns =
      new std::vector<SheetColumn>{{"unit"},
                                   {"name"},
                                   {"state"},
                                   {"revision", K::kInteger},
                                   {"finalized_time", K::kTime},
                                   {"received_time", K::kTime},
                                   {"late_revision_time", K::kTime},
                                   {"due", K::kTime},
                                   {"leaves_expected", K::kInteger},
                                   {"leaves_final", K::kInteger},
                                   {"leaves_on_time", K::kInteger}};
  return *kColumns;
}

}  // namespace

std::vector<std::string> StatusCsvColumns() {
  return ColumnNames(StatusColumns());
}

Sheet StatusSheet(const v1::StatusReport& status) {
  Sheet sheet{absl::StrCat("Tình hình ", status.unit(), " ", status.period()),
              StatusColumns(),
              {}};
  const v1::UnitStatus& self = status.self();
  sheet.rows.push_back(
      CsvRow(self, self.late_revision_time(), self.has_late_revision_time()));
  for (const v1::UnitStatus& us : status.children()) {
    sheet.rows.push_back(
        CsvRow(us, LateRevisionArrival(us), HasLateRevision(us)));
  }
  return sheet;
}

std::string StatusCsv(const v1::StatusReport& status) {
  return SheetCsv(StatusSheet(status));
}

std::string StatusTable(const v1::StatusReport& status) {
  const v1::UnitStatus& self = status.self();
  std::string out = absl::StrCat("Tình hình báo cáo — đơn vị ", status.unit());
  if (!self.name().empty()) absl::StrAppend(&out, " (", self.name(), ")");
  absl::StrAppend(
      &out, " — kỳ ", status.period(), "\n",
      "Kỳ số liệu: ", WindowText(status.window()), "\n",
      "Giờ của nút: ", ShortTime(status.now(), status.has_now()),
      " (giờ Việt Nam)\n", "Hạn nộp của đơn vị trực thuộc: ",
      // No deadline shown when no child owes anything.
      status.children().empty()
          ? std::string(kNone)
          : DueText(status.children_due(), status.has_children_due()),
      "\n", "Khoá sổ: ", LockLine(status.lock()), "\n", SelfLine(status), "\n");
  if (status.children().empty()) {
    absl::StrAppend(&out,
                    "(không có đơn vị trực thuộc nào phải báo cáo kỳ này)\n");
  } else {
    absl::StrAppend(&out, ChildrenTable(status));
  }
  absl::StrAppend(&out, "\n", RatesTable(status));
  return out;
}

}  // namespace tonghop::cli
