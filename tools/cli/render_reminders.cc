// The outputs of remind --preview and reminders.
#include "tools/cli/render_reminders.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/zone.h"
#include "tools/cli/render.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

absl::TimeZone Zone() {
  auto zone = VietnamZone();
  return zone.ok() ? *zone : absl::UTCTimeZone();
}

absl::string_view WeekdayVi(absl::Weekday day) {
  switch (day) {
    case absl::Weekday::monday:
      return "T2";
    case absl::Weekday::tuesday:
      return "T3";
    case absl::Weekday::wednesday:
      return "T4";
    case absl::Weekday::thursday:
      return "T5";
    case absl::Weekday::friday:
      return "T6";
    case absl::Weekday::saturday:
      return "T7";
    default:
      return "CN";
  }
}

// RFC 3339 in Vietnam time, or "" when unset (CSV cells).
std::string CsvTime(const google::protobuf::Timestamp& t, bool present) {
  return present ? VietnamTime(t) : std::string();
}

bool IsSummary(const v1::Reminder& r) {
  return r.kind() == "escalation" || r.kind() == "digest";
}

// "10525 Phường Hồng Bàng", or the code alone.
std::string UnitText(const v1::Reminder& r) {
  return r.unit_name().empty() ? r.unit()
                               : absl::StrCat(r.unit(), " ", r.unit_name());
}

// Each line of `text` indented by 4 spaces (empty lines stay empty); ends with
// "\n".
std::string Indented(absl::string_view text) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::StrAppend(&out, line.empty() ? "" : "    ", line, "\n");
  }
  // StrSplit yields an empty last piece for a text that ends with "\n".
  if (absl::EndsWith(text, "\n")) out.pop_back();
  return out;
}

std::string FullText(const v1::ReminderList& list, bool sent) {
  std::string out = "\nNội dung từng lời nhắc\n";
  int n = 0;
  for (const v1::Reminder& r : list.reminders()) {
    absl::StrAppend(&out, "\n[", ++n, "/", list.reminders_size(), "] ",
                    r.id().empty() ? std::string(kNone) : r.id(), "\n");
    if (!sent && !r.node().empty()) {
      absl::StrAppend(&out, "  Từ nút: ", r.node(), "\n");
    }
    absl::StrAppend(&out, "  ", WeekdayTime(r.due_time(), r.has_due_time()),
                    " — ", ReminderKindLabelVi(r.kind()), " — ", UnitText(r),
                    " — kênh ", r.channel(), " — ",
                    ReminderStateLabelVi(r.state()), "\n");
    if (!r.emails().empty()) {
      absl::StrAppend(&out, "  Gửi tới: ", absl::StrJoin(r.emails(), ", "),
                      "\n");
    }
    absl::StrAppend(&out, "  Tiêu đề: ",
                    r.subject().empty() ? std::string(kNone) : r.subject(),
                    "\n");
    if (r.body().empty()) {
      absl::StrAppend(&out, "  Nội dung: ", kNone, "\n");
    } else {
      absl::StrAppend(&out, "  Nội dung:\n", Indented(r.body()));
    }
  }
  return out;
}

// "(5 lời nhắc: 3 đã gửi, 1 đang chờ gửi, 1 bỏ qua (đã chốt))".
std::string CountLine(const v1::ReminderList& list, bool sent) {
  std::string out = absl::StrCat("(", list.reminders_size(), " lời nhắc");
  if (sent) {
    std::vector<std::string> parts;
    for (v1::Reminder::State state :
         {v1::Reminder::STATE_SENT, v1::Reminder::STATE_PENDING,
          v1::Reminder::STATE_FAILED, v1::Reminder::STATE_SKIPPED,
          v1::Reminder::STATE_SUPERSEDED}) {
      int count = 0;
      for (const v1::Reminder& r : list.reminders())
        count += r.state() == state;
      if (count > 0) {
        parts.push_back(absl::StrCat(count, " ", ReminderStateLabelVi(state)));
      }
    }
    if (!parts.empty()) absl::StrAppend(&out, ": ", absl::StrJoin(parts, ", "));
  }
  return absl::StrCat(out, ")\n");
}

// The state, and for one sent after failed attempts how many it took (the
// failures themselves are listed only while the last attempt failed).
std::string StateCell(const v1::Reminder& r) {
  std::string cell(ReminderStateLabelVi(r.state()));
  if (r.state() == v1::Reminder::STATE_SENT && r.attempts() > 1) {
    absl::StrAppend(&cell, " (sau ", r.attempts(), " lần thử)");
  }
  return cell;
}

// The reminders whose last delivery attempt failed, and the e-mails sent
// without the recipients the server refused.
std::string ErrorLines(const v1::ReminderList& list) {
  std::string out;
  for (const v1::Reminder& r : list.reminders()) {
    if (!r.last_error().empty()) {
      absl::StrAppend(&out, "  ", r.id(), ": ", r.attempts(),
                      " lần thử; lỗi gần nhất: ", r.last_error(), "\n");
    }
    if (r.refused_size() > 0) {
      absl::StrAppend(&out, "  ", r.id(),
                      r.state() == v1::Reminder::STATE_SENT
                          ? ": đã gửi, trừ địa chỉ bị từ chối: "
                          : ": địa chỉ bị từ chối: ",
                      absl::StrJoin(r.refused(), "; "), "\n");
    }
  }
  if (out.empty()) return out;
  return absl::StrCat("Lỗi gửi:\n", out);
}

}  // namespace

std::string WeekdayTime(const google::protobuf::Timestamp& t, bool present) {
  if (!present) return std::string(kNone);
  absl::TimeZone zone = Zone();
  absl::Time time = FromProtoTime(t);
  absl::CivilDay day = absl::ToCivilDay(time, zone);
  return absl::StrCat(WeekdayVi(absl::GetWeekday(day)), " ",
                      absl::FormatTime("%d/%m/%Y %H:%M", time, zone));
}

std::string ReminderKindLabelVi(absl::string_view kind) {
  if (kind == "reminder") return "nhắc";
  if (kind == "finalise") return "nhắc chốt";
  if (kind == "overdue") return "quá hạn";
  if (kind == "escalation") return "báo cáo chậm (văn phòng)";
  if (kind == "digest") return "tổng hợp hằng ngày";
  if (kind.empty()) return std::string(kNone);
  return std::string(kind);
}

absl::string_view ReminderStateName(v1::Reminder::State state) {
  switch (state) {
    case v1::Reminder::STATE_PENDING:
      return "pending";
    case v1::Reminder::STATE_SENT:
      return "sent";
    case v1::Reminder::STATE_SKIPPED:
      return "skipped";
    case v1::Reminder::STATE_FAILED:
      return "failed";
    case v1::Reminder::STATE_SUPERSEDED:
      return "superseded";
    default:
      return "";
  }
}

absl::string_view ReminderStateLabelVi(v1::Reminder::State state) {
  switch (state) {
    case v1::Reminder::STATE_PENDING:
      return "đang chờ gửi";
    case v1::Reminder::STATE_SENT:
      return "đã gửi";
    case v1::Reminder::STATE_SKIPPED:
      return "bỏ qua (đã chốt)";
    case v1::Reminder::STATE_FAILED:
      return "không gửi được (bị từ chối)";
    case v1::Reminder::STATE_SUPERSEDED:
      return "bỏ qua (đã có lời nhắc mới hơn)";
    default:
      return kNone;
  }
}

namespace {

const std::vector<SheetColumn>& RemindersColumns() {
  using K = CellKind;
  static const auto* const kColumns =
      new std::vector<SheetColumn>{{"id"},
                                   {"period"},
                                   {"step"},
                                   {"kind"},
                                   {"unit"},
                                   {"unit_name"},
                                   {"channel"},
                                   {"state"},
                                   {"due_time", K::kTime},
                                   {"sent_time", K::kTime},
                                   {"attempts", K::kInteger},
                                   {"last_error"},
                                   {"missing"},
                                   {"refused"}};
  return *kColumns;
}

}  // namespace

std::vector<std::string> RemindersCsvColumns() {
  return ColumnNames(RemindersColumns());
}

Sheet RemindersSheet(const v1::ReminderList& list, std::string title) {
  Sheet sheet{std::move(title), RemindersColumns(), {}};
  for (const v1::Reminder& r : list.reminders()) {
    sheet.rows.push_back(
        {r.id(), r.period(), r.step(), r.kind(), r.unit(), r.unit_name(),
         r.channel(), std::string(ReminderStateName(r.state())),
         CsvTime(r.due_time(), r.has_due_time()),
         CsvTime(r.sent_time(), r.has_sent_time()), absl::StrCat(r.attempts()),
         r.last_error(), absl::StrJoin(r.missing(), "; "),
         absl::StrJoin(r.refused(), "; ")});
  }
  return sheet;
}

std::string RemindersCsv(const v1::ReminderList& list) {
  return SheetCsv(RemindersSheet(list, ""));
}

std::string RemindPreviewTable(absl::string_view period,
                               const v1::ReminderList& list) {
  std::string out =
      absl::StrCat("Lời nhắc dự kiến — kỳ ", period,
                   " (xem trước: không gửi gì; nút tự gửi khi đến hạn)\n");
  if (!list.reminders().empty() && list.reminders(0).has_deadline()) {
    absl::StrAppend(&out, "Hạn nộp của đơn vị trực thuộc: ",
                    DueText(list.reminders(0).deadline(), true), "\n");
  }
  absl::StrAppend(&out, "\n");
  if (list.reminders().empty()) {
    absl::StrAppend(&out, "Không có lời nhắc nào.\n");
    return out;
  }
  TextTable table({"Thời điểm", "Bước", "Loại", "Mã", "Tên đơn vị", "Kênh",
                   "Số đơn vị chưa chốt"},
                  {Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft,
                   Align::kLeft, Align::kLeft, Align::kRight});
  for (const v1::Reminder& r : list.reminders()) {
    table.AddRow({WeekdayTime(r.due_time(), r.has_due_time()), r.step(),
                  ReminderKindLabelVi(r.kind()), r.unit(), r.unit_name(),
                  r.channel(),
                  IsSummary(r) ? absl::StrCat(r.missing_size()) : ""});
  }
  absl::StrAppend(&out, table.Render(), CountLine(list, false));
  return out;
}

std::string RemindersTable(const v1::ReminderList& list,
                           absl::string_view period, bool sent, bool full) {
  std::string out = absl::StrCat(
      sent ? "Lời nhắc nút đã lập và gửi" : "Lời nhắc gửi đến nút này", " — ",
      period.empty() ? "mọi kỳ" : absl::StrCat("kỳ ", period), "\n\n");
  if (list.reminders().empty()) {
    absl::StrAppend(&out, "Không có lời nhắc nào.\n");
    return out;
  }
  // Every period's reminders: the same step of two periods (a month's and
  // its quarter's digest on one day) would otherwise read as one sent twice.
  const bool each_period = period.empty();
  std::vector<std::string> header = {"Đến hạn",    "Bước",       "Loại",
                                     "Mã",         "Tên đơn vị", "Kênh",
                                     "Trạng thái", "Gửi lúc"};
  if (each_period) header.insert(header.begin(), "Kỳ");
  TextTable table(std::move(header));
  for (const v1::Reminder& r : list.reminders()) {
    std::vector<std::string> row = {
        WeekdayTime(r.due_time(), r.has_due_time()),
        r.step(),
        ReminderKindLabelVi(r.kind()),
        r.unit(),
        r.unit_name(),
        r.channel(),
        StateCell(r),
        WeekdayTime(r.sent_time(), r.has_sent_time())};
    if (each_period) row.insert(row.begin(), r.period());
    table.AddRow(std::move(row));
  }
  absl::StrAppend(&out, table.Render(), CountLine(list, sent),
                  ErrorLines(list));
  if (full) absl::StrAppend(&out, FullText(list, sent));
  return out;
}

}  // namespace tonghop::cli
