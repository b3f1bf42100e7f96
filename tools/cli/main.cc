// tonghop: the command-line client of a tonghop-node.
//   tonghop --target=HOST:PORT <command> [flags]   (see kUsage: tonghop help)
// Exit codes: 0 ok; 1 the node refused the call or could not be reached
// ("error: CODE: ..."); 2 bad command-line usage or an invalid values file
// (nothing was sent).
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpc/support/log.h"
#include "libs/base/address.h"
#include "libs/base/csv.h"
#include "libs/base/file.h"
#include "tools/cli/commands.h"
#include "tools/cli/rpc.h"

ABSL_FLAG(std::string, target, "", "the node to call, HOST:PORT");
ABSL_FLAG(std::string, tls_ca, "",
          "connect over TLS, checking the node's certificate against this CA "
          "certificate (PEM; the federation's ca.pem)");
ABSL_FLAG(std::string, tls_cert, "",
          "with --tls_ca: present this certificate (PEM) to the node");
ABSL_FLAG(std::string, tls_key, "", "with --tls_cert: its private key (PEM)");
ABSL_FLAG(std::string, tls_crl, "",
          "with --tls_ca: the CA's revocation list (PEM, revoke-cert.sh): "
          "refuse a node whose certificate it revokes");
ABSL_FLAG(std::string, tls_server_name, "",
          "with --tls_ca: the name the node's certificate must carry (default: "
          "the host of --target; a node's unit code, e.g. 31, always works)");
ABSL_FLAG(std::string, token_file, "",
          "a file holding the token to show the node (default: the "
          "TONGHOP_TOKEN environment variable, if set)");
ABSL_FLAG(std::string, unit, "",
          "the reporting unit's code (finalize: empty for the node's own "
          "report)");
ABSL_FLAG(std::string, period, "",
          "the period: 2026-03, 2026-Q1, 2026-H1, 2026-9M or 2026");
ABSL_FLAG(std::string, file, "", "submit: the values CSV");
ABSL_FLAG(std::string, idempotency_key, "",
          "submit: the idempotency key (default: one of its own for each run, "
          "from unit, period, the file and a random part)");
ABSL_FLAG(std::string, actor, "",
          "submit, finalize, lock, unlock: who acts, for the audit log");
ABSL_FLAG(std::string, out, "",
          "template and the commands with --format: write to this file "
          "instead of stdout (required with --format=xlsx)");
ABSL_FLAG(bool, breakdown, false, "rollup: add the values of every child");
ABSL_FLAG(std::string, format, "table",
          "rollup, series, catalog, status, reminders, audit: table, csv, "
          "xlsx or "
          "json; laggards, remind: table, csv or xlsx");
ABSL_FLAG(std::string, time, "", "clock set: the new time, RFC 3339");
ABSL_FLAG(std::string, by, "", "clock advance: how far, e.g. 24h or 90m");
ABSL_FLAG(std::string, from, "", "series: the first period, e.g. 2026-01");
ABSL_FLAG(std::string, to, "",
          "series: the last period, of the same kind, e.g. 2026-06");
ABSL_FLAG(std::string, indicator, "",
          "series: keep this indicator's values only, e.g. QD11-01");
ABSL_FLAG(bool, preview, false,
          "remind: show who would be reminded when, without sending");
ABSL_FLAG(bool, sent, false,
          "reminders: those this node planned and sent (default: those it "
          "received from its parent)");
ABSL_FLAG(bool, full, false,
          "reminders: also print each reminder's subject and body");

namespace tonghop::cli {
namespace {

constexpr absl::string_view kUsage =
    R"(usage: tonghop --target=HOST:PORT <command> [flags]

commands:
  submit    --unit=CODE --period=2026-03 --file=values.csv [--idempotency_key=K] [--actor=NAME]
            submit the values of a CSV file (columns indicator,numerator,denominator,value,
            note; value 'clear' removes a value); prints the receipt
  template  --unit=CODE --period=2026-03 [--out=FILE]
            write the CSV a unit fills for a period (UTF-8 with BOM; stdout by default)
  rollup    --period=2026-03 [--unit=CODE] [--breakdown] [--format=table|csv|xlsx|json] [--out=FILE]
            the node's consolidated report (or a child's), with targets and coverage
  series    --from=2026-01 --to=2026-06 [--unit=CODE] [--indicator=CODE]
            [--format=table|csv|xlsx|json] [--out=FILE]
            a trend: each period's consolidated report (at most 120 periods of one
            kind), as a column per period
  finalize  --period=2026-03 [--unit=CODE] [--actor=NAME]
            finalise a child unit's report, or without --unit the node's own
            consolidated report; prints when, the deadline, and đúng hạn/trễ hạn
  lock      --period=2026-03 [--actor=NAME]
  unlock    --period=2026-03 [--actor=NAME]
            lock a period at the node (it refuses submissions, pushes and
            finalisations until unlocked) or unlock it; prints the lock history
  status    --period=2026-03 [--format=table|csv|xlsx|json] [--out=FILE]
            who has reported, against the deadline: the node's own report, each
            child's state, and the reporting and on-time rates
  laggards  --period=2026-03 [--format=table|csv|xlsx] [--out=FILE]
            the children without a final report, most urgent first, with the
            time left until (or past) the deadline
  catalog   [--format=table|csv|xlsx|json] [--out=FILE]
            the indicators the node knows
  remind    --preview --period=2026-03 [--format=table|csv|xlsx] [--out=FILE]
            who would be reminded when and through which channel; nothing is
            sent (nodes send their reminders by themselves)
  reminders [--sent] [--period=2026-03] [--format=table|csv|xlsx|json] [--full] [--out=FILE]
            the reminders this node received from its parent, or with --sent
            those it planned and sent (state, attempts, last error); --full adds
            each reminder's subject and body
  audit     [--period=2026-03] [--unit=CODE] [--format=table|csv|xlsx|json] [--out=FILE]
            the node's audit log: every write it accepted (who, when, what
            changed), oldest first
  clock     [set --time=RFC3339 | advance --by=DURATION]
            the node's time; set or advance a simulated clock (e.g. --by=24h)
  info      the node's unit, name, role, children, clock and reminder channels
  help      this text

--format=xlsx writes an Excel workbook (the CSV's columns, figures as numbers, codes as text,
times as dates) to --out=FILE.xlsx; --out also writes any other format to a file.

A node that asks for tokens takes one from --token_file=FILE or the TONGHOP_TOKEN variable.
A node with mutual TLS (the `tls` block of its config) is reached with
  --tls_ca=ca.pem [--tls_server_name=UNIT] [--tls_cert=FILE --tls_key=FILE] [--tls_crl=crl.pem]
the federation's CA certificate; the name the node's certificate must carry (default: the host
of --target; the node's unit code, e.g. 31, always works); a certificate to present.

Every call has a 10 s deadline. Exit codes: 0 done; 1 the node refused the call or could not
be reached; 2 bad usage or an invalid values file (nothing was sent).
)";

struct Command {
  const char* name;
  absl::Status (*run)(NodeClient&, const Options&, std::ostream&);
  std::set<std::string> flags;  // the command flags it takes, besides --target
};

const std::vector<Command>& Commands() {
  static const auto* const kCommands = new std::vector<Command>{
      {"submit",
       RunSubmit,
       {"unit", "period", "file", "idempotency_key", "actor"}},
      {"template", RunTemplate, {"unit", "period", "out"}},
      {"rollup", RunRollup, {"period", "unit", "breakdown", "format", "out"}},
      {"series",
       RunSeries,
       {"from", "to", "unit", "indicator", "format", "out"}},
      {"catalog", RunCatalog, {"format", "out"}},
      {"clock", RunClock, {"time", "by"}},
      {"info", RunInfo, {}},
      {"finalize", RunFinalize, {"period", "unit", "actor"}},
      {"lock", RunLock, {"period", "actor"}},
      {"unlock", RunUnlock, {"period", "actor"}},
      {"status", RunStatus, {"period", "format", "out"}},
      {"laggards", RunLaggards, {"period", "format", "out"}},
      {"remind", RunRemind, {"preview", "period", "format", "out"}},
      {"reminders", RunReminders, {"sent", "period", "format", "full", "out"}},
      {"audit", RunAudit, {"period", "unit", "format", "out"}},
  };
  return *kCommands;
}

// The flags this program defines (absl's own, such as --flagfile, are left to
// absl).
const std::set<std::string>& OwnFlags() {
  static const auto* const kFlags = new std::set<std::string>{
      "target", "unit",     "period",    "file",   "idempotency_key",
      "actor",  "out",      "breakdown", "format", "time",
      "by",     "preview",  "sent",      "full",   "from",
      "to",     "indicator"};
  return *kFlags;
}

// Checks every flag of argv before absl parses it (absl exits with 1 on an
// unknown flag or a bad value; we want 2). Sets `*help` for -h/--help; collects
// the names of our flags given.
absl::Status ScanFlags(int argc, char** argv, bool* help,
                       std::set<std::string>* given) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    arg.remove_prefix(absl::StartsWith(arg, "--") ? 2 : 1);
    if (arg == "help" || arg == "h" || arg == "helpshort") {
      *help = true;
      continue;
    }
    size_t eq = arg.find('=');
    bool has_value = eq != absl::string_view::npos;
    absl::string_view name = arg.substr(0, eq);
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      if (flag != nullptr && !flag->IsOfType<bool>()) flag = nullptr;
      if (flag != nullptr) has_value = true;  // --noflag: false
    }
    if (flag == nullptr) {
      return UsageError(absl::StrCat("unknown flag --", name));
    }
    if (flag->IsOfType<bool>()) {
      bool ignored;
      if (eq != absl::string_view::npos &&
          !absl::SimpleAtob(arg.substr(eq + 1), &ignored)) {
        return UsageError(absl::StrCat("--", name, ": '", arg.substr(eq + 1),
                                       "' is not true or false"));
      }
    } else if (!has_value) {
      if (i + 1 >= argc) {
        return UsageError(absl::StrCat("--", name, " needs a value"));
      }
      ++i;  // "--flag value"
    }
    given->insert(std::string(flag->Name()));
  }
  return absl::OkStatus();
}

Options OptionsFromFlags(std::vector<std::string> args) {
  Options options;
  options.unit = absl::GetFlag(FLAGS_unit);
  options.period = absl::GetFlag(FLAGS_period);
  options.file = absl::GetFlag(FLAGS_file);
  options.idempotency_key = absl::GetFlag(FLAGS_idempotency_key);
  options.actor = absl::GetFlag(FLAGS_actor);
  options.out = absl::GetFlag(FLAGS_out);
  options.breakdown = absl::GetFlag(FLAGS_breakdown);
  options.format = absl::GetFlag(FLAGS_format);
  options.time = absl::GetFlag(FLAGS_time);
  options.by = absl::GetFlag(FLAGS_by);
  options.from = absl::GetFlag(FLAGS_from);
  options.to = absl::GetFlag(FLAGS_to);
  options.indicator = absl::GetFlag(FLAGS_indicator);
  options.preview = absl::GetFlag(FLAGS_preview);
  options.sent = absl::GetFlag(FLAGS_sent);
  options.full = absl::GetFlag(FLAGS_full);
  options.args = std::move(args);
  return options;
}

// Why a call may not have reached the node, when TLS is the likely cause.
std::string UnavailableHint(absl::string_view message) {
  if (absl::GetFlag(FLAGS_tls_ca).empty()) {
    // A TLS node closes a plain connection without a word.
    return " (if the node runs with mutual TLS: --tls_ca=ca.pem)";
  }
  if (absl::StrContains(message, "Peer name")) {
    return " (a node's certificate names its unit: --tls_server_name=UNIT, "
           "e.g. 31)";
  }
  if (!absl::GetFlag(FLAGS_tls_cert).empty()) {
    return " (the node may have refused the certificate of --tls_cert: is it "
           "signed by the node's CA?)";
  }
  return "";
}

int Fail(const absl::Status& status) {
  if (IsUsageError(status)) {
    std::cerr << "error: " << status.message() << "\n"
              << (IsFileError(status) ? ""
                                      : "(run 'tonghop help' for usage)\n");
    return 2;
  }
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return 1;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  // gRPC's own log lines (a failed handshake, a refused subchannel) say in
  // its words what the error below says in ours.
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_ERROR);
  gpr_set_log_function([](gpr_log_func_args*) {});
  bool help = false;
  std::set<std::string> given;
  if (absl::Status scan = ScanFlags(argc, argv, &help, &given); !scan.ok()) {
    return Fail(scan);
  }
  if (help) {
    std::cout << kUsage;
    return 0;
  }
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string name = positional[1];
  if (name == "help") {
    std::cout << kUsage;
    return 0;
  }
  const Command* command = nullptr;
  for (const Command& c : Commands()) {
    if (name == c.name) command = &c;
  }
  if (command == nullptr) {
    return Fail(UsageError(absl::StrCat("unknown command '", name, "'")));
  }
  for (const std::string& flag : given) {
    if (flag != "target" && OwnFlags().count(flag) &&
        !command->flags.count(flag)) {
      return Fail(UsageError(
          absl::StrCat("--", flag, " does not go with '", name, "'")));
    }
  }
  std::string target = absl::GetFlag(FLAGS_target);
  if (target.empty()) {
    return Fail(UsageError("missing --target=HOST:PORT (the node to call)"));
  }

  // Text the node stores or matches (paths are the system's business): not
  // UTF-8, as a terminal in a legacy Vietnamese encoding (TCVN3, VNI) types
  // it, protobuf cannot even send it.
  for (const auto& [flag, value] :
       std::vector<std::pair<const char*, std::string>>{
           {"target", target},
           {"unit", absl::GetFlag(FLAGS_unit)},
           {"period", absl::GetFlag(FLAGS_period)},
           {"idempotency_key", absl::GetFlag(FLAGS_idempotency_key)},
           {"actor", absl::GetFlag(FLAGS_actor)},
           {"format", absl::GetFlag(FLAGS_format)},
           {"time", absl::GetFlag(FLAGS_time)},
           {"by", absl::GetFlag(FLAGS_by)},
           {"from", absl::GetFlag(FLAGS_from)},
           {"to", absl::GetFlag(FLAGS_to)},
           {"indicator", absl::GetFlag(FLAGS_indicator)}}) {
    if (!IsValidUtf8(value)) {
      return Fail(UsageError(
          absl::StrCat("--", flag,
                       ": not valid UTF-8 (set the terminal to UTF-8; TCVN3 "
                       "and VNI text cannot be sent)")));
    }
  }
  absl::StatusOr<ChannelSetup> channel = SetUpChannel(TlsOptions{
      absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_cert),
      absl::GetFlag(FLAGS_tls_key), absl::GetFlag(FLAGS_tls_server_name),
      absl::GetFlag(FLAGS_tls_crl)});
  if (!channel.ok()) return Fail(UsageError(channel.status().message()));
  if (std::string file = absl::GetFlag(FLAGS_token_file); !file.empty()) {
    absl::StatusOr<std::string> token = ReadWholeFile(file, "--token_file");
    if (!token.ok()) return Fail(UsageError(token.status().message()));
    channel->token = std::string(absl::StripAsciiWhitespace(*token));
    if (channel->token.empty()) {
      return Fail(
          UsageError(absl::StrCat("--token_file: ", file, " is empty")));
    }
  } else if (const char* env = std::getenv("TONGHOP_TOKEN"); env != nullptr) {
    channel->token = std::string(absl::StripAsciiWhitespace(env));
  }
  if (!channel->token.empty() && absl::GetFlag(FLAGS_tls_ca).empty() &&
      !IsLoopback(target)) {
    return Fail(UsageError(absl::StrCat(
        "the token would cross the network to ", target,
        " in clear text: add --tls_ca (the node's tls), or call it over "
        "loopback")));
  }
  NodeClient client(target, *channel);
  absl::Status status =
      command->run(client,
                   OptionsFromFlags(std::vector<std::string>(
                       positional.begin() + 2, positional.end())),
                   std::cout);
  std::cout.flush();
  if (status.code() == absl::StatusCode::kUnavailable) {
    status = absl::UnavailableError(
        absl::StrCat(status.message(), UnavailableHint(status.message())));
  }
  if (!status.ok()) return Fail(status);
  return 0;
}

}  // namespace
}  // namespace tonghop::cli

int main(int argc, char** argv) { return tonghop::cli::Main(argc, argv); }
