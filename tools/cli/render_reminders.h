// What the remind --preview and reminders commands print: pure functions of the
// ReminderList a node returns, so that every output is unit-tested without a
// server. Thread-compatible. Every text ends with "\n".
//
// Times: the tables show instants in Vietnam time with the weekday, "T6
// 13/03/2026 08:00" (T2..T7 for Thứ Hai..Thứ Bảy, CN for Chủ nhật; seconds
// dropped: steps fall due on whole minutes); the CSV in RFC 3339, Vietnam time.
#ifndef TONGHOP_TOOLS_CLI_RENDER_REMINDERS_H_
#define TONGHOP_TOOLS_CLI_RENDER_REMINDERS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "tonghop/v1/remind.pb.h"
#include "tools/cli/sheet.h"

namespace tonghop::cli {

// --- pieces ------------------------------------------------------------------

// An instant as "T6 13/03/2026 08:00" (Vietnam time, weekday abbreviated T2,
// T3, ..., T7, CN); kNone when `present` is false.
std::string WeekdayTime(const google::protobuf::Timestamp& t,
                        bool present = true);

// A reminder's kind as people read it: "reminder" -> "nhắc", "finalise" ->
// "nhắc chốt", "overdue" -> "quá hạn", "escalation" -> "báo cáo chậm (văn
// phòng)", "digest" -> "tổng hợp hằng ngày"; an unknown kind as is, kNone when
// empty.
std::string ReminderKindLabelVi(absl::string_view kind);

// "pending", "sent", "skipped"; "" otherwise (a preview's reminders have no
// state).
absl::string_view ReminderStateName(v1::Reminder::State state);
// "đang chờ gửi", "đã gửi", "bỏ qua (đã chốt)"; kNone otherwise.
absl::string_view ReminderStateLabelVi(v1::Reminder::State state);

// --- CSV (reminders and remind --preview) -----------------------------------

// The CSV columns, in order:
//   id,period,step,kind,unit,unit_name,channel,state,due_time,sent_time,
//   attempts,last_error,missing
std::vector<std::string> RemindersCsvColumns();
// Header, then one row per reminder in the order of the message. `kind` and
// `step` as the node names them, `state` is ReminderStateName, times RFC 3339
// in Vietnam time (empty when unset), `missing` the missing units joined with
// "; ". LF, no BOM. RemindersSheet: the same rows, with `title`.
Sheet RemindersSheet(const v1::ReminderList& list, std::string title);
std::string RemindersCsv(const v1::ReminderList& list);

// --- tables ------------------------------------------------------------------

// remind --preview: a title (the period, the children's deadline, "nothing is
// sent"), then a row per reminder in the order of the message (time, step,
// kind, unit code and name, channel, and for escalations and digests how many
// units have no final report), then the count; "Không có lời nhắc nào." when
// the list is empty.
std::string RemindPreviewTable(absl::string_view period,
                               const v1::ReminderList& list);

// reminders: a title (received from the parent, or planned and sent by this
// node with `sent`; the period, or every period when `period` is empty), then
// a row per reminder (due time, step, kind, unit code and name, channel,
// state, sent time), the count (per state, with `sent`), and the delivery
// errors (attempts and last error of each reminder that has one);
// "Không có lời nhắc nào." when the list is empty. With `full`, then each
// reminder's subject and body (and sender, recipients, missing units).
std::string RemindersTable(const v1::ReminderList& list,
                           absl::string_view period, bool sent, bool full);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_RENDER_REMINDERS_H_
