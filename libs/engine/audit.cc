// The audit log's reader (Engine::ListAudit). Entries are keyed by their
// sequence (keys::Audit), so a page is a bounded forward scan from the key
// after `after_sequence`, filtered by period and unit.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/period.h"
#include "libs/engine/engine.h"

namespace tonghop {

absl::StatusOr<v1::AuditLog> Engine::ListAudit(
    const v1::ListAuditRequest& request) const {
  std::string period;
  if (!request.period().empty()) {
    ASSIGN_OR_RETURN(Period parsed, ParsePeriodField(request.period()));
    period = parsed.Label();
  }
  const Topology& topo = topology();
  if (!request.unit().empty() && request.unit() != topo.self().code &&
      topo.FindChild(request.unit()) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unit: '", request.unit(), "' is neither this node's unit ",
        topo.self().code, " nor one of its children"));
  }
  if (request.after_sequence() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "after_sequence: ", request.after_sequence(), " is negative"));
  }
  if (request.limit() < 0 || request.limit() > 1000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit: ", request.limit(), " is outside 0..1000 (0: 100)"));
  }
  const int limit = request.limit() == 0 ? 100 : request.limit();
  ASSIGN_OR_RETURN(
      auto rows,
      options_.db->ScanFrom(
          keys::kAuditPrefix,
          keys::Audit(static_cast<uint64_t>(request.after_sequence()) + 1),
          kAuditScan));
  v1::AuditLog log;
  int64_t last = 0;
  for (const auto& [key, value] : rows) {
    v1::AuditEntry entry;
    if (!entry.ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("audit entry ", key, " does not parse"));
    }
    last = entry.sequence();
    if ((period.empty() || entry.period() == period) &&
        (request.unit().empty() || entry.unit() == request.unit())) {
      *log.add_entries() = std::move(entry);
      if (log.entries_size() == limit) break;
    }
  }
  // More may follow when the page filled or the scan stopped at its bound
  // (a full page that ends the log is found to end on the next call).
  if (log.entries_size() == limit ||
      rows.size() == static_cast<size_t>(kAuditScan)) {
    log.set_next_sequence(last);
  }
  return log;
}

}  // namespace tonghop
