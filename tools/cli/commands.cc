// The tonghop CLI commands: flags -> request -> node -> rendered output.
#include "tools/cli/commands.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "libs/base/file.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/period.h"
#include "libs/calendar/zone.h"
#include "libs/catalog/validate.h"
#include "tools/cli/csv_values.h"
#include "tools/cli/idempotency.h"
#include "tools/cli/render.h"
#include "tools/cli/render_audit.h"
#include "tools/cli/render_reminders.h"
#include "tools/cli/render_status.h"
#include "tools/cli/sheet.h"
#include "tools/cli/xlsx.h"

namespace tonghop::cli {
namespace {

constexpr absl::string_view kUsagePayload = "type.tonghop.dev/cli.usage";

absl::Status Require(absl::string_view flag, const std::string& value) {
  if (value.empty()) return UsageError(absl::StrCat("missing --", flag));
  return absl::OkStatus();
}

absl::Status CheckPeriod(const std::string& period) {
  RETURN_IF_ERROR(Require("period", period));
  auto parsed = ParsePeriod(period);
  if (!parsed.ok()) {
    return UsageError(absl::StrCat("--period: ", parsed.status().message()));
  }
  return absl::OkStatus();
}

// An optional --period: empty (every period) or a valid period.
absl::Status CheckOptionalPeriod(const std::string& period) {
  if (period.empty()) return absl::OkStatus();
  return CheckPeriod(period);
}

// --format and --out of a command that prints a table, a CSV, a workbook
// (xlsx, which needs --out) and, with `json`, the API's JSON.
absl::Status CheckOutput(const Options& options, bool json = true) {
  const std::string& format = options.format;
  if (format != "table" && format != "csv" && format != "xlsx" &&
      (!json || format != "json")) {
    return UsageError(absl::StrCat("--format: '", format, "' is not table, ",
                                   json ? "csv, xlsx or json" : "csv or xlsx"));
  }
  if (format == "xlsx" && options.out.empty()) {
    return UsageError(
        "--format=xlsx writes a file: give it with --out=FILE.xlsx");
  }
  // A spreadsheet opens a file by its name's ending: a CSV named .xlsx, or a
  // workbook named otherwise, would not open.
  const bool xlsx_name = absl::EndsWithIgnoreCase(options.out, ".xlsx");
  if (format == "xlsx" && !xlsx_name) {
    return UsageError(absl::StrCat("--out: '", options.out,
                                   "': a workbook's name ends in .xlsx"));
  }
  if (format != "xlsx" && xlsx_name) {
    return UsageError(absl::StrCat("--out: '", options.out,
                                   "' ends in .xlsx: add --format=xlsx"));
  }
  return absl::OkStatus();
}

absl::Status CheckNoArgs(absl::string_view command, const Options& options) {
  if (options.args.empty()) return absl::OkStatus();
  return UsageError(absl::StrCat("'", command, "' takes no argument '",
                                 options.args[0], "'"));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return UsageError(
        absl::StrCat("--file: cannot read ", path, ": ", strerror(errno)));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return UsageError(absl::StrCat("--file: cannot read ", path));
  return bytes.str();
}

// --out: the file whole or not at all (WriteWholeFile); any failure is the
// user's to fix (another place, room on the disk): a usage error.
absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  absl::Status written = WriteWholeFile(path, "--out", bytes);
  return written.ok() ? written : UsageError(written.message());
}

// Prints `message` in options.format (checked by CheckOutput): the table and
// the sheet (as CSV after kUtf8Bom, or as a workbook) by the given renderers,
// json as is. With --out, writes the file instead and prints what it wrote.
template <typename Message, typename TableFn, typename SheetFn>
absl::Status PrintAs(const Options& options, const Message& message,
                     TableFn table, SheetFn sheet, std::ostream& out) {
  const std::string& format = options.format;
  std::string text;
  int rows = -1;  // of the sheet, when one was written
  if (format == "xlsx") {
    const Sheet s = sheet(message);
    if (absl::Status written = WriteXlsx(s, options.out); !written.ok()) {
      return UsageError(written.message());
    }
    out << "wrote " << options.out << ": " << s.rows.size() << " rows\n";
    return absl::OkStatus();
  }
  if (format == "csv") {
    const Sheet s = sheet(message);
    rows = static_cast<int>(s.rows.size());
    text = absl::StrCat(kUtf8Bom, SheetCsv(s));
  } else if (format == "json") {
    ASSIGN_OR_RETURN(text, ToJson(message));
  } else {
    text = table(message);
  }
  if (options.out.empty()) {
    out << text;
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(WriteFile(options.out, text));
  out << "wrote " << options.out;
  if (rows >= 0) out << ": " << rows << " rows";
  out << "\n";
  return absl::OkStatus();
}

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  google::protobuf::Timestamp out;
  int64_t seconds = absl::ToUnixSeconds(t);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) /
                                     absl::Nanoseconds(1)));
  return out;
}

absl::Status SetLock(NodeClient& client, const Options& options, bool locked,
                     absl::string_view command, std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs(command, options));
  RETURN_IF_ERROR(CheckPeriod(options.period));
  v1::SetLockRequest request;
  request.set_period(options.period);
  request.set_locked(locked);
  request.set_actor(options.actor);
  ASSIGN_OR_RETURN(v1::LockRecord lock, client.SetLock(request));
  out << LockText(options.period, lock);
  return absl::OkStatus();
}

absl::StatusOr<v1::StatusReport> GetStatus(NodeClient& client,
                                           const Options& options,
                                           absl::string_view command) {
  RETURN_IF_ERROR(CheckNoArgs(command, options));
  RETURN_IF_ERROR(CheckPeriod(options.period));
  v1::GetStatusRequest request;
  request.set_period(options.period);
  return client.GetStatus(request);
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

absl::Status FileError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("file"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

bool IsFileError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload) == absl::Cord("file");
}

absl::Status RunSubmit(NodeClient& client, const Options& options,
                       std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("submit", options));
  RETURN_IF_ERROR(Require("unit", options.unit));
  RETURN_IF_ERROR(CheckPeriod(options.period));
  RETURN_IF_ERROR(Require("file", options.file));
  if (options.idempotency_key.size() > kMaxIdempotencyKeyBytes) {
    return UsageError(absl::StrCat("--idempotency_key: longer than ",
                                   kMaxIdempotencyKeyBytes, " bytes"));
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(options.file));
  // A first pass without measures finds what needs no catalog (the file's form,
  // numbers, duplicates) before any call; then the catalog tells each
  // indicator's measure, so that every row is checked, and sent, in the form
  // its indicator takes.
  auto syntax = ParseValuesCsv(bytes, options.file, MeasureMap());
  if (!syntax.ok()) return FileError(syntax.status().message());
  ASSIGN_OR_RETURN(v1::Catalog catalog, client.GetCatalog());
  std::vector<int> lines;  // of each value, to name them in a refusal
  auto values =
      ParseValuesCsv(bytes, options.file, MeasuresOf(catalog), &lines);
  if (!values.ok()) return FileError(values.status().message());

  v1::SubmitRequest request;
  request.set_unit(options.unit);
  request.set_period(options.period);
  for (v1::SubmittedValue& value : *values) {
    *request.add_values() = std::move(value);
  }
  if (options.idempotency_key.empty()) {
    std::string invocation = options.invocation;
    if (invocation.empty()) {
      ASSIGN_OR_RETURN(invocation, NewInvocation());
    }
    request.set_idempotency_key(
        DefaultIdempotencyKey(options.unit, options.period, bytes, invocation));
  } else {
    request.set_idempotency_key(options.idempotency_key);
  }
  request.set_actor(options.actor);
  absl::StatusOr<v1::SubmitResponse> response = client.Submit(request);
  if (!response.ok()) {
    return WithFileLine(response.status(), options.file, lines);
  }
  out << Receipt(request, *response);
  return absl::OkStatus();
}

absl::Status RunTemplate(NodeClient& client, const Options& options,
                         std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("template", options));
  RETURN_IF_ERROR(Require("unit", options.unit));
  RETURN_IF_ERROR(CheckPeriod(options.period));
  if (absl::EndsWithIgnoreCase(options.out, ".xlsx")) {
    return UsageError(absl::StrCat(
        "--out: '", options.out,
        "' ends in .xlsx, but a template is a CSV (values.csv), which submit "
        "reads"));
  }
  v1::GetTemplateRequest request;
  request.set_unit(options.unit);
  request.set_period(options.period);
  ASSIGN_OR_RETURN(v1::GetTemplateResponse response,
                   client.GetTemplate(request));
  std::string csv = TemplateCsv(response);
  if (options.out.empty()) {
    out << csv;
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(WriteFile(options.out, csv));
  out << "wrote " << options.out << ": " << response.indicators_size()
      << " indicators owed by " << options.unit
      << (response.unit_name().empty() ? "" : " (" + response.unit_name() + ")")
      << " for " << options.period << "\n";
  return absl::OkStatus();
}

absl::Status RunRollup(NodeClient& client, const Options& options,
                       std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("rollup", options));
  RETURN_IF_ERROR(CheckPeriod(options.period));
  RETURN_IF_ERROR(CheckOutput(options));
  v1::GetRollupRequest request;
  request.set_period(options.period);
  request.set_unit(options.unit);
  request.set_breakdown(options.breakdown);
  ASSIGN_OR_RETURN(v1::GetRollupResponse response, client.GetRollup(request));
  return PrintAs(options, response, RollupTable, RollupSheet, out);
}

absl::Status RunSeries(NodeClient& client, const Options& options,
                       std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("series", options));
  for (const auto& [flag, value] :
       {std::pair{"from", &options.from}, std::pair{"to", &options.to}}) {
    RETURN_IF_ERROR(Require(flag, *value));
    if (auto parsed = ParsePeriod(*value); !parsed.ok()) {
      return UsageError(
          absl::StrCat("--", flag, ": ", parsed.status().message()));
    }
  }
  RETURN_IF_ERROR(CheckOutput(options));
  v1::GetSeriesRequest request;
  request.set_first_period(options.from);
  request.set_last_period(options.to);
  request.set_unit(options.unit);
  absl::StatusOr<v1::GetSeriesResponse> series = client.GetSeries(request);
  if (!series.ok()) {
    // The node names its fields; the user typed flags. A range the node
    // refuses (reversed, of two kinds, too long) is bad usage.
    const std::string message = absl::StrReplaceAll(
        series.status().message(),
        {{"first_period", "--from"}, {"last_period", "--to"}});
    if (series.status().code() == absl::StatusCode::kInvalidArgument &&
        (absl::StartsWith(message, "--from") ||
         absl::StartsWith(message, "--to"))) {
      return UsageError(message);
    }
    return absl::Status(series.status().code(), message);
  }
  if (!options.indicator.empty()) {
    bool known = false;
    for (const v1::Indicator& ind : series->indicators()) {
      known |= ind.code() == options.indicator;
    }
    if (!known) {
      return UsageError(absl::StrCat("--indicator: '", options.indicator,
                                     "' is not among the indicators of ",
                                     options.from, " (see 'tonghop catalog')"));
    }
    for (v1::ConsolidatedReport& report : *series->mutable_reports()) {
      auto* values = report.mutable_values();
      values->erase(std::remove_if(values->begin(), values->end(),
                                   [&](const v1::ConsolidatedValue& v) {
                                     return v.indicator() != options.indicator;
                                   }),
                    values->end());
    }
  }
  return PrintAs(options, *series, SeriesTable, SeriesSheet, out);
}

absl::Status RunCatalog(NodeClient& client, const Options& options,
                        std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("catalog", options));
  RETURN_IF_ERROR(CheckOutput(options));
  ASSIGN_OR_RETURN(v1::Catalog catalog, client.GetCatalog());
  return PrintAs(options, catalog, CatalogTable, CatalogSheet, out);
}

absl::Status RunClock(NodeClient& client, const Options& options,
                      std::ostream& out) {
  std::string action = options.args.empty() ? "" : options.args[0];
  if (options.args.size() > 1) {
    return UsageError(
        absl::StrCat("'clock' takes one action, not '", options.args[1], "'"));
  }
  if (action != "set" && !options.time.empty()) {
    return UsageError("--time goes with 'clock set'");
  }
  if (action != "advance" && !options.by.empty()) {
    return UsageError("--by goes with 'clock advance'");
  }
  v1::SetClockRequest request;
  if (action.empty()) {
    ASSIGN_OR_RETURN(v1::NodeInfo info, client.GetNodeInfo());
    out << ClockText(info);
    return absl::OkStatus();
  } else if (action == "set") {
    RETURN_IF_ERROR(Require("time", options.time));
    auto time = ParseRfc3339(options.time);
    if (!time.ok()) {
      return UsageError(absl::StrCat("--time: ", time.status().message()));
    }
    *request.mutable_time() = ToProtoTime(*time);
  } else if (action == "advance") {
    RETURN_IF_ERROR(Require("by", options.by));
    absl::Duration by;
    if (!absl::ParseDuration(options.by, &by) || by <= absl::ZeroDuration() ||
        by == absl::InfiniteDuration()) {
      return UsageError(
          absl::StrCat("--by: '", options.by,
                       "' is not a positive duration (e.g. 24h, 90m, 1h30m)"));
    }
    absl::Duration rem;
    int64_t seconds = absl::IDivDuration(by, absl::Seconds(1), &rem);
    request.mutable_advance()->set_seconds(seconds);
    request.mutable_advance()->set_nanos(
        static_cast<int32_t>(rem / absl::Nanoseconds(1)));
  } else {
    return UsageError(
        absl::StrCat("clock: unknown action '", action, "' (set or advance)"));
  }
  ASSIGN_OR_RETURN(v1::SetClockResponse response, client.SetClock(request));
  out << "now: "
      << (response.has_now() ? VietnamTime(response.now()) : std::string(kNone))
      << " (simulated clock)\n";
  return absl::OkStatus();
}

absl::Status RunInfo(NodeClient& client, const Options& options,
                     std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("info", options));
  ASSIGN_OR_RETURN(v1::NodeInfo info, client.GetNodeInfo());
  out << NodeInfoText(info);
  return absl::OkStatus();
}

absl::Status RunFinalize(NodeClient& client, const Options& options,
                         std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("finalize", options));
  RETURN_IF_ERROR(CheckPeriod(options.period));
  v1::FinalizeRequest request;
  request.set_unit(options.unit);
  request.set_period(options.period);
  request.set_actor(options.actor);
  ASSIGN_OR_RETURN(v1::FinalizeResponse response, client.Finalize(request));
  out << FinalizeText(request, response);
  return absl::OkStatus();
}

absl::Status RunLock(NodeClient& client, const Options& options,
                     std::ostream& out) {
  return SetLock(client, options, true, "lock", out);
}

absl::Status RunUnlock(NodeClient& client, const Options& options,
                       std::ostream& out) {
  return SetLock(client, options, false, "unlock", out);
}

absl::Status RunStatus(NodeClient& client, const Options& options,
                       std::ostream& out) {
  RETURN_IF_ERROR(CheckOutput(options));
  ASSIGN_OR_RETURN(v1::StatusReport status,
                   GetStatus(client, options, "status"));
  return PrintAs(options, status, StatusTable, StatusSheet, out);
}

absl::Status RunLaggards(NodeClient& client, const Options& options,
                         std::ostream& out) {
  RETURN_IF_ERROR(CheckOutput(options, /*json=*/false));
  ASSIGN_OR_RETURN(v1::StatusReport status,
                   GetStatus(client, options, "laggards"));
  return PrintAs(options, status, LaggardsTable, LaggardsSheet, out);
}

absl::Status RunRemind(NodeClient& client, const Options& options,
                       std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("remind", options));
  if (!options.preview) {
    return UsageError(
        "remind: only --preview exists (nodes send their reminders by "
        "themselves); e.g. tonghop remind --preview --period=2026-03");
  }
  RETURN_IF_ERROR(CheckPeriod(options.period));
  RETURN_IF_ERROR(CheckOutput(options, /*json=*/false));
  v1::ListRemindersRequest request;
  request.set_period(options.period);
  request.set_preview(true);
  ASSIGN_OR_RETURN(v1::ReminderList list, client.ListReminders(request));
  auto table = [&](const v1::ReminderList& l) {
    return RemindPreviewTable(options.period, l);
  };
  auto sheet = [&](const v1::ReminderList& l) {
    return RemindersSheet(l, absl::StrCat("Nhắc dự kiến ", options.period));
  };
  return PrintAs(options, list, table, sheet, out);
}

absl::Status RunReminders(NodeClient& client, const Options& options,
                          std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("reminders", options));
  RETURN_IF_ERROR(CheckOptionalPeriod(options.period));
  RETURN_IF_ERROR(CheckOutput(options));
  if (options.full && options.format != "table") {
    return UsageError("--full goes with --format=table");
  }
  v1::ListRemindersRequest request;
  request.set_period(options.period);
  request.set_sent(options.sent);
  ASSIGN_OR_RETURN(v1::ReminderList list, client.ListReminders(request));
  auto table = [&](const v1::ReminderList& l) {
    return RemindersTable(l, options.period, options.sent, options.full);
  };
  auto sheet = [&](const v1::ReminderList& l) {
    return RemindersSheet(
        l, absl::StrCat(options.sent ? "Lời nhắc đã gửi " : "Lời nhắc nhận ",
                        options.period.empty() ? "mọi kỳ" : options.period));
  };
  return PrintAs(options, list, table, sheet, out);
}

absl::Status RunAudit(NodeClient& client, const Options& options,
                      std::ostream& out) {
  RETURN_IF_ERROR(CheckNoArgs("audit", options));
  RETURN_IF_ERROR(CheckOptionalPeriod(options.period));
  RETURN_IF_ERROR(CheckOutput(options));
  v1::ListAuditRequest request;
  request.set_period(options.period);
  request.set_unit(options.unit);
  request.set_limit(1000);
  v1::AuditLog all;
  // Each page reads a bounded stretch of the log; a node's whole log is at
  // most this many pages of 10,000.
  constexpr int kMaxPages = 100000;
  for (int page = 0; page < kMaxPages; ++page) {
    absl::StatusOr<v1::AuditLog> log = client.ListAudit(request);
    if (log.status().code() == absl::StatusCode::kPermissionDenied &&
        options.unit.empty()) {
      return absl::PermissionDeniedError(
          absl::StrCat(log.status().message(),
                       " (a unit's token reads its own entries: --unit=CODE)"));
    }
    if (!log.ok()) return log.status();
    for (v1::AuditEntry& e : *log->mutable_entries()) {
      *all.add_entries() = std::move(e);
    }
    if (log->next_sequence() == 0) break;
    request.set_after_sequence(log->next_sequence());
  }
  auto table = [&](const v1::AuditLog& l) {
    return AuditTable(l, options.period, options.unit);
  };
  auto sheet = [&](const v1::AuditLog& l) {
    return AuditSheet(
        l, absl::StrCat("Nhật ký ",
                        options.period.empty() ? "mọi kỳ" : options.period,
                        options.unit.empty() ? "" : " ", options.unit));
  };
  return PrintAs(options, all, table, sheet, out);
}

}  // namespace tonghop::cli
