// The commands of the tonghop CLI. Each checks its flags, calls the node and
// prints to `out`. Errors: a usage error (see IsUsageError: a missing or
// malformed flag, a values file that is unreadable or invalid) before anything
// is sent; otherwise the node's status, as returned.
#ifndef TONGHOP_TOOLS_CLI_COMMANDS_H_
#define TONGHOP_TOOLS_CLI_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/cli/rpc.h"

namespace tonghop::cli {

// The command-line flags of a command (those it does not take are left empty).
struct Options {
  std::string unit;
  std::string period;
  std::string file;
  std::string idempotency_key;
  // submit without --idempotency_key: the run's part of the default key
  // (DefaultIdempotencyKey); empty: a fresh NewInvocation().
  std::string invocation;
  std::string actor;
  std::string out;
  bool breakdown = false;
  bool preview = false;  // remind
  bool sent = false;     // reminders
  bool full = false;     // reminders
  std::string format = "table";
  std::string time;
  std::string by;
  std::string from;               // series
  std::string to;                 // series
  std::string indicator;          // series
  std::vector<std::string> args;  // positional arguments after the command name
};

// An INVALID_ARGUMENT status marked as bad command-line usage (exit code 2).
absl::Status UsageError(absl::string_view message);
// The same for a values file that is invalid: exit code 2
// too, but the fix is in the file, not in the usage (no pointer to help).
absl::Status FileError(absl::string_view message);
bool IsUsageError(const absl::Status& status);  // either of the two
bool IsFileError(const absl::Status& status);

absl::Status RunSubmit(NodeClient& client, const Options& options,
                       std::ostream& out);
absl::Status RunTemplate(NodeClient& client, const Options& options,
                         std::ostream& out);
absl::Status RunRollup(NodeClient& client, const Options& options,
                       std::ostream& out);
// series --from --to [--unit] [--indicator]: each period's consolidated
// report (GetSeries), as a table (a column per period), CSV, xlsx or JSON;
// --indicator keeps that indicator's values only.
absl::Status RunSeries(NodeClient& client, const Options& options,
                       std::ostream& out);
absl::Status RunCatalog(NodeClient& client, const Options& options,
                        std::ostream& out);
absl::Status RunClock(NodeClient& client, const Options& options,
                      std::ostream& out);
absl::Status RunInfo(NodeClient& client, const Options& options,
                     std::ostream& out);
// Finalises options.unit's report, or the node's own with no --unit.
absl::Status RunFinalize(NodeClient& client, const Options& options,
                         std::ostream& out);
absl::Status RunLock(NodeClient& client, const Options& options,
                     std::ostream& out);
absl::Status RunUnlock(NodeClient& client, const Options& options,
                       std::ostream& out);
// GetStatus as a table, CSV or JSON.
absl::Status RunStatus(NodeClient& client, const Options& options,
                       std::ostream& out);
// The children without a final report (GetStatus), as a table or CSV.
absl::Status RunLaggards(NodeClient& client, const Options& options,
                         std::ostream& out);
// remind --preview: who would be reminded when, through which channel
// (ListReminders with preview; nothing is sent), as a table or CSV. Without
// --preview, a usage error: nodes send their reminders by themselves.
absl::Status RunRemind(NodeClient& client, const Options& options,
                       std::ostream& out);
// The reminders received from the parent, or with --sent those this node
// planned and sent (ListReminders), as a table (--full: with each subject and
// body), CSV or JSON.
// audit [--period] [--unit] [--format]: every page of the node's audit log.
absl::Status RunAudit(NodeClient& client, const Options& options,
                      std::ostream& out);
absl::Status RunReminders(NodeClient& client, const Options& options,
                          std::ostream& out);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_COMMANDS_H_
