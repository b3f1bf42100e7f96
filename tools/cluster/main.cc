// tonghop-cluster: starts and drives a local tonghop cluster (cluster.h).
//   tonghop-cluster up --spec=FILE --dir=DIR [--start_time=RFC3339]
//   tonghop-cluster --dir=DIR status|down
//   tonghop-cluster --dir=DIR stop|kill|start|restart --unit=CODE
//   tonghop-cluster --dir=DIR clock [set --time=T | advance --by=D]
// See kUsage. Exit codes: 0 done; 1 the operation failed (message on stderr);
// 2 bad usage.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "libs/base/usage.h"
#include "libs/calendar/zone.h"
#include "tools/cli/text_output.h"
#include "tools/cluster/cluster.h"

#ifndef TONGHOP_NODE_BINARY
#define TONGHOP_NODE_BINARY "tonghop-node"
#endif

ABSL_FLAG(std::string, dir, "", "the cluster's state folder");
ABSL_FLAG(std::string, spec, "",
          "up: the cluster spec (text-format tonghop.v1.ClusterSpec)");
ABSL_FLAG(std::string, start_time, "2026-03-10T08:00:00+07:00",
          "up: the simulated clock's starting instant, RFC 3339");
ABSL_FLAG(std::string, unit, "",
          "stop, kill, start, restart: the node's unit code");
ABSL_FLAG(std::string, time, "", "clock set: the new time, RFC 3339");
ABSL_FLAG(std::string, by, "", "clock advance: how far, e.g. 24h or 90m");
ABSL_FLAG(std::string, node_binary, "",
          "the tonghop-node executable (default: up, the one of this build; "
          "later commands, the one up used)");

namespace tonghop::cluster {
namespace {

constexpr absl::string_view kUsage =
    R"(usage: tonghop-cluster <command> --dir=DIR [flags]

Runs a hierarchy of tonghop-node processes on loopback, all on one simulated clock. Its state
(configs, data, logs, pids, the clock) lives in DIR; every node keeps its port for good.

commands:
  up --spec=FILE [--start_time=2026-03-10T08:00:00+07:00]
            check the spec, write DIR (missing or empty), start every node (parents first),
            print where each listens, and return leaving them running
  status    every node: unit, name, role, parent, address, pid, state
  down      stop every node cleanly (children first)
  stop    --unit=CODE   SIGTERM, SIGKILL after 10 s
  kill    --unit=CODE   SIGKILL (a crash)
  start   --unit=CODE   start a stopped node on its address, at the cluster's time
  start                 start every stopped node (as after down), parents first
  restart --unit=CODE   stop, then start
  clock                 print the cluster's time
  clock set --time=RFC3339      move every running node's clock to that instant
  clock advance --by=DURATION   move every running node's clock forward (e.g. 24h, 90m)
  help      this text

A spec file, e.g.:
  nodes { unit: "31" }                     # the root: Hải Phòng's city node
  nodes { unit: "10525" parent: "31" }     # a ward running its own node
  units { code: "10507" parent: "31" }     # a ward submitting to the city with the CLI
  units { code: "10525.VHXH" parent: "10525" name: "Phòng Văn hóa - Xã hội" }

Flags: --node_binary=PATH (up: default the tonghop-node of this build, recorded in DIR; start
and restart then run the binary up used unless given another).
Exit codes: 0 done; 1 the operation failed; 2 bad usage.
)";

int Usage(absl::string_view message) {
  std::cerr << "error: " << message
            << "\n(run 'tonghop-cluster help' for usage)\n";
  return 2;
}

int Fail(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return 1;
}

std::string RoleText(v1::Role role) {
  std::string name = v1::Role_Name(role);
  return absl::AsciiStrToLower(absl::StripPrefix(name, "ROLE_"));
}

void PrintNodes(const Cluster& cluster) {
  cli::TextTable table(
      {"unit", "name", "role", "parent", "address", "pid", "state"},
      {cli::Align::kLeft, cli::Align::kLeft, cli::Align::kLeft,
       cli::Align::kLeft, cli::Align::kLeft, cli::Align::kRight});
  for (const NodeView& n : cluster.Nodes()) {
    table.AddRow({n.unit, n.name, RoleText(n.role),
                  n.parent.empty() ? "-" : n.parent, n.address,
                  n.running ? absl::StrCat(n.pid) : "-",
                  n.running ? "running" : "stopped"});
  }
  std::cout << table.Render();
}

int RunUp() {
  if (absl::GetFlag(FLAGS_spec).empty()) return Usage("up needs --spec=FILE");
  absl::StatusOr<absl::Time> start =
      ParseRfc3339(absl::GetFlag(FLAGS_start_time));
  if (!start.ok())
    return Usage(absl::StrCat("--start_time: ", start.status().message()));
  std::string dir = absl::GetFlag(FLAGS_dir);
  std::string binary = absl::GetFlag(FLAGS_node_binary);
  if (binary.empty()) binary = TONGHOP_NODE_BINARY;
  auto cluster = Cluster::Up(absl::GetFlag(FLAGS_spec), dir, binary, *start);
  if (!cluster.ok()) return Fail(cluster.status());
  PrintNodes(**cluster);
  std::cout << "\nclock " << FormatVietnamTime(*start) << "; state in "
            << (*cluster)->dir()
            << "\nstop them with: tonghop-cluster --dir=" << (*cluster)->dir()
            << " down\n";
  return 0;
}

int RunClock(Cluster& cluster, const std::vector<std::string>& args) {
  absl::Status status;
  if (args.empty()) {
    // Only prints.
  } else if (args[0] == "set" && args.size() == 1) {
    if (absl::GetFlag(FLAGS_time).empty())
      return Usage("clock set needs --time=RFC3339");
    absl::StatusOr<absl::Time> t = ParseRfc3339(absl::GetFlag(FLAGS_time));
    if (!t.ok()) return Usage(absl::StrCat("--time: ", t.status().message()));
    status = cluster.SetClock(*t);
  } else if (args[0] == "advance" && args.size() == 1) {
    absl::Duration by;
    if (!absl::ParseDuration(absl::GetFlag(FLAGS_by), &by)) {
      return Usage(absl::StrCat(
          "clock advance needs --by=DURATION (e.g. 24h, 90m), not '",
          absl::GetFlag(FLAGS_by), "'"));
    }
    status = cluster.AdvanceClock(by);
  } else {
    return Usage("clock takes nothing, 'set --time=T' or 'advance --by=D'");
  }
  if (!status.ok()) return Fail(status);
  absl::StatusOr<absl::Time> now = cluster.CurrentTime();
  if (!now.ok()) return Fail(now.status());
  std::cout << "clock " << FormatVietnamTime(*now) << "\n";
  return 0;
}

int RunOnUnit(Cluster& cluster, const std::string& command) {
  std::string unit = absl::GetFlag(FLAGS_unit);
  if (unit.empty() && command == "start") {
    // Every stopped node, as after down.
    absl::Status status = cluster.StartAll();
    PrintNodes(cluster);
    return status.ok() ? 0 : Fail(status);
  }
  if (unit.empty()) return Usage(absl::StrCat(command, " needs --unit=CODE"));
  absl::Status status;
  if (command == "stop") status = cluster.Stop(unit);
  if (command == "kill") status = cluster.Kill(unit);
  if (command == "start") status = cluster.Start(unit);
  if (command == "restart") status = cluster.Restart(unit);
  if (!status.ok()) return Fail(status);
  if (cluster.Running(unit)) {
    std::cout << unit << " running on " << cluster.Address(unit) << "\n";
  } else {
    std::cout << unit << " stopped\n";
  }
  return 0;
}

int Main(int argc, char** argv) {
  tonghop::SetUsage(kUsage, __FILE__);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = positional[1];
  std::vector<std::string> args(positional.begin() + 2, positional.end());
  if (command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (absl::GetFlag(FLAGS_dir).empty()) return Usage("--dir=DIR is required");
  if (command == "up")
    return args.empty() ? RunUp() : Usage("up takes no arguments");

  bool on_unit = command == "stop" || command == "kill" || command == "start" ||
                 command == "restart";
  if (!on_unit && command != "status" && command != "down" &&
      command != "clock") {
    return Usage(absl::StrCat("unknown command '", command, "'"));
  }
  if (command != "clock" && !args.empty()) {
    return Usage(absl::StrCat(command, " takes no arguments"));
  }
  // The binary up used, unless another is given (or none was recorded).
  std::string binary = absl::GetFlag(FLAGS_node_binary);
  if (binary.empty()) {
    binary = Cluster::RecordedNodeBinary(absl::GetFlag(FLAGS_dir))
                 .value_or(TONGHOP_NODE_BINARY);
  }
  auto cluster = Cluster::Open(absl::GetFlag(FLAGS_dir), binary);
  if (!cluster.ok()) return Fail(cluster.status());
  if (command == "status") {
    PrintNodes(**cluster);
    return 0;
  }
  if (command == "down") {
    absl::Status status = (*cluster)->Down();
    if (!status.ok()) return Fail(status);
    std::cout << "all nodes stopped; state kept in " << (*cluster)->dir()
              << "\n";
    return 0;
  }
  if (command == "clock") return RunClock(**cluster, args);
  return RunOnUnit(**cluster, command);
}

}  // namespace
}  // namespace tonghop::cluster

int main(int argc, char** argv) { return tonghop::cluster::Main(argc, argv); }
