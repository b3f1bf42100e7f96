// What the audit command prints: pure functions of the AuditLog a node returns
// (every page joined), unit-tested without a server. Every text ends with "\n".
// Tables give times in Vietnam time as "20/03/2026 08:00"; the CSV in RFC 3339
// with the offset.
#ifndef TONGHOP_TOOLS_CLI_RENDER_AUDIT_H_
#define TONGHOP_TOOLS_CLI_RENDER_AUDIT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tonghop/v1/node.pb.h"
#include "tools/cli/sheet.h"

namespace tonghop::cli {

// An entry's changes as "QD11-01 3/4 (75.00%) → 1/2 (50.00%); QD11-02 — → 5"
// (ValueText on both sides; "—" for none; " (chỉ đổi ghi chú)" after a
// change of the note alone, " (xác nhận)" after an estimate confirmed); ""
// without changes.
std::string ChangesText(const v1::AuditEntry& entry);

// The CSV columns, in order:
//   sequence,time,actor,action,unit,period,revision,idempotency_key,changes
std::vector<std::string> AuditCsvColumns();
// Header, then one row per entry in the order of the log. LF, no BOM.
// AuditSheet: the same rows, with `title`.
Sheet AuditSheet(const v1::AuditLog& log, std::string title);
std::string AuditCsv(const v1::AuditLog& log);

// A title (the period and unit asked for, or every one), a row per entry
// (sequence, time, actor, action, unit, period, revision, changes), and the
// count; "Nhật ký trống." when there is no entry.
std::string AuditTable(const v1::AuditLog& log, absl::string_view period,
                       absl::string_view unit);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_RENDER_AUDIT_H_
