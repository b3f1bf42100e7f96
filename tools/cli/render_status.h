// What the finalize, lock/unlock, status and laggards commands print: pure
// functions of the response messages (and of the node's own `now`, never the
// local clock), so that every output is unit-tested without a server.
// Thread-compatible. Every text ends with "\n".
//
// Times: the finalize and lock outputs and the CSVs show instants in RFC 3339,
// Vietnam time ("2026-03-20T00:00:00+07:00"); the status and laggards tables
// show them as "20/03/2026 00:00" (Vietnam time, seconds dropped: deadlines
// fall on whole minutes, so a time shown before a deadline is before it), and
// a deadline as "trước ngày 20/03/2026" (its first late instant is 00:00 that
// day, as "trước ngày 20" is read).
#ifndef TONGHOP_TOOLS_CLI_RENDER_STATUS_H_
#define TONGHOP_TOOLS_CLI_RENDER_STATUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "tonghop/v1/node.pb.h"
#include "tonghop/v1/report.pb.h"
#include "tools/cli/sheet.h"

namespace tonghop::cli {

// --- pieces -----------------------------------------------------------------

// "not_submitted", "provisional", "final_on_time", "final_late",
// "not_expected"; "unspecified" otherwise.
absl::string_view ReportStateName(v1::ReportState state);
// "chưa gửi", "tạm thời (chưa chốt)", "đã chốt, đúng hạn", "đã chốt, trễ hạn",
// "không phải báo cáo kỳ này"; kNone otherwise.
absl::string_view ReportStateLabelVi(v1::ReportState state);

// `count` of `total` as a percentage with 2 decimals, rounded half up, in exact
// integer arithmetic: 2 of 3 -> "66.67%"; kNone when `total` is 0.
std::string PercentText(int64_t count, int64_t total);
// "7/10 (70.00%)"; "0/0 (—)".
std::string RateText(int64_t count, int64_t total);

// An instant as "20/03/2026 00:00" (Vietnam time); kNone when `present` is
// false.
std::string ShortTime(const google::protobuf::Timestamp& t,
                      bool present = true);
// A first late instant as a deadline: "trước ngày 20/03/2026" when it is
// 00:00 Vietnam time, else "trước 20/03/2026 08:30"; kNone when not present.
std::string DueText(const google::protobuf::Timestamp& due, bool present);

// How far `due` (a first late instant) is from `now`, in whole days and hours,
// both rounded down: before `due`, "còn D ngày H giờ" (due - 1 s is "còn 0
// ngày 0 giờ"); at or after `due`, "quá hạn D ngày H giờ" (at `due` exactly,
// "quá hạn 0 ngày 0 giờ"). Days are 24 hours. kNone when either is infinite.
std::string DeadlinePhrase(absl::Time now, absl::Time due);

// --- finalize, lock
// -----------------------------------------------------------

// The result of Finalize: what was finalised, when, the deadline and whether it
// was met ("đúng hạn"/"trễ hạn"), or that it was already final (with its first
// finalisation). `request.unit` empty: the node's consolidated report.
std::string FinalizeText(const v1::FinalizeRequest& request,
                         const v1::FinalizeResponse& response);

// A period's lock after SetLock: its state, then its history, oldest first (an
// event per line: time, "khoá"/"mở khoá", who; actor "auto" is "tự động").
std::string LockText(absl::string_view period, const v1::LockRecord& lock);

// --- status ------------------------------------------------------------------

// The status CSV columns, in order:
//   unit,name,state,revision,finalized_time,received_time,late_revision_time,
//   due,leaves_expected,leaves_final,leaves_on_time
std::vector<std::string> StatusCsvColumns();
// Header, the node's own row (its unit code), then one row per child in the
// order of the message. `state` is ReportStateName; times RFC 3339 in Vietnam
// time, empty when unset; `late_revision_time` is when the late revision
// arrived here (for a child) or was made (for the node); `revision` 0 means
// nothing received; leaves_* are empty when leaves.expected is 0. LF, no BOM.
// StatusSheet: the same rows, titled "Tình hình <unit> <period>".
Sheet StatusSheet(const v1::StatusReport& status);
std::string StatusCsv(const v1::StatusReport& status);

// The status table for a secretariat: a title (unit, period, data window, the
// node's time, the children's deadline, the lock), the node's own report line,
// a row per child (code, name, state, revision, finalised, received, late
// revision, and the leaf counts of city children), then the rates over the
// direct children and, when they differ from them or at the central node (the
// one whose own report has no due), over the wards and departments below.
std::string StatusTable(const v1::StatusReport& status);

// --- laggards
// ------------------------------------------------------------------

// The children without a final report (not submitted or provisional): not
// submitted first, then by unit code. Pointers into `status`.
std::vector<const v1::UnitStatus*> Laggards(const v1::StatusReport& status);

// Laggards as CSV:
//   unit,name,state,revision,updated_time,due,seconds_to_due,due_text
// `seconds_to_due` is due - now in whole seconds (negative once overdue),
// `due_text` the DeadlinePhrase. LF, no BOM. LaggardsSheet: the same rows,
// titled "Chưa chốt <unit> <period>".
std::vector<std::string> LaggardsCsvColumns();
Sheet LaggardsSheet(const v1::StatusReport& status);
std::string LaggardsCsv(const v1::StatusReport& status);
// Laggards as a table with the DeadlinePhrase against the node's `now`, or
// "Không có đơn vị nào chậm báo cáo." when there are none.
std::string LaggardsTable(const v1::StatusReport& status);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_RENDER_STATUS_H_
