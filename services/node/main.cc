// tonghop-node: serves one node of the reporting chain. See README.md and
// deploy/.
//   tonghop-node --config=FILE [--clock=real|simulated --start_time=RFC3339]
//   [--port_file=F]
// Stops cleanly on SIGTERM or SIGINT; on SIGHUP reads its config again and
// takes its tokens and revocation list (NodeServer::Reload).
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/base/log.h"
#include "libs/base/usage.h"
#include "libs/calendar/zone.h"
#include "libs/engine/config.h"
#include "services/node/grpc_log.h"
#include "services/node/server.h"

ABSL_FLAG(std::string, config, "",
          "node configuration file (text-format tonghop.v1.NodeConfig)");
ABSL_FLAG(std::string, clock, "real",
          "real, or simulated (moved by AdminService.SetClock)");
ABSL_FLAG(std::string, start_time, "",
          "with --clock=simulated: the starting instant, e.g. "
          "2026-03-10T08:00:00+07:00");
ABSL_FLAG(std::string, port_file, "",
          "write the port the node listens on to this file once it serves (for "
          "port 0)");

namespace {

int Fail(const absl::Status& status) {
  tonghop::LogError("tonghop-node: ", status.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Block the signals the main thread waits for below (stop, and SIGHUP to
  // reload the tokens) first, in every thread to come: a SIGHUP during
  // start-up waits instead of ending the process.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  tonghop::SetUsage(
      "tonghop-node --config=FILE [--clock=simulated --start_time=T]",
      __FILE__);
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with the Mutex deadlock detector on, which keeps
  // a lock graph on every acquisition (seen in the profile of a city node
  // under load); the node's locking is covered by the sanitizer-free tests.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  tonghop::RouteGrpcLog();
  if (absl::GetFlag(FLAGS_config).empty()) {
    return Fail(absl::InvalidArgumentError("--config is required"));
  }
  auto config = tonghop::LoadNodeConfig(absl::GetFlag(FLAGS_config));
  if (!config.ok()) return Fail(config.status());

  std::unique_ptr<tonghop::Clock> clock;
  if (absl::GetFlag(FLAGS_clock) == "simulated") {
    if (absl::GetFlag(FLAGS_start_time).empty()) {
      return Fail(
          absl::InvalidArgumentError("--clock=simulated needs --start_time"));
    }
    auto start = tonghop::ParseRfc3339(absl::GetFlag(FLAGS_start_time));
    if (!start.ok()) return Fail(start.status());
    clock = std::make_unique<tonghop::SimulatedClock>(*start);
  } else if (absl::GetFlag(FLAGS_clock) == "real") {
    if (!absl::GetFlag(FLAGS_start_time).empty()) {
      return Fail(absl::InvalidArgumentError(
          "--start_time needs --clock=simulated (the real clock cannot be "
          "set)"));
    }
    clock = std::make_unique<tonghop::RealClock>();
  } else {
    return Fail(
        absl::InvalidArgumentError("--clock must be real or simulated"));
  }

  auto node = tonghop::NodeServer::Start(*config, std::move(clock));
  if (!node.ok()) {
    // What the config says wrong is named in the file, as a parse error is.
    const absl::Status& s = node.status();
    if (!absl::StartsWith(s.message(), "config: ")) return Fail(s);
    return Fail(absl::Status(s.code(), absl::StrCat(absl::GetFlag(FLAGS_config),
                                                    ": ", s.message())));
  }
  std::cout << "tonghop-node " << config->unit() << " listening on port "
            << (*node)->port() << std::endl;
  if (!absl::GetFlag(FLAGS_port_file).empty()) {
    // Written whole, then renamed, so a reader never sees a partial port.
    std::string tmp = absl::GetFlag(FLAGS_port_file) + ".tmp";
    std::ofstream(tmp) << (*node)->port() << "\n";
    std::rename(tmp.c_str(), absl::GetFlag(FLAGS_port_file).c_str());
  }
  int sig = 0;
  while (true) {
    if (sigwait(&signals, &sig) != 0) {
      tonghop::LogError("sigwait failed: stopping");
      break;
    }
    if (sig != SIGHUP) {
      tonghop::LogInfo("signal ", sig, ": stopping");
      break;
    }
    // A token added or revoked, or a certificate revoked, takes effect
    // without a restart.
    auto reread = tonghop::LoadNodeConfig(absl::GetFlag(FLAGS_config));
    absl::StatusOr<std::string> reloaded =
        reread.ok() ? (*node)->Reload(*reread)
                    : absl::StatusOr<std::string>(reread.status());
    if (reloaded.ok()) {
      tonghop::LogInfo("SIGHUP: ", *reloaded);
      continue;
    }
    // LoadNodeConfig names the file itself; what the node refuses does not.
    const absl::string_view why = reloaded.status().message();
    tonghop::LogError("SIGHUP: ",
                      absl::StartsWith(why, "config: ")
                          ? absl::StrCat(absl::GetFlag(FLAGS_config), ": ")
                          : std::string(),
                      why, " (nothing was changed)");
  }
  (*node)->Shutdown(absl::Seconds(5));
  return 0;
}
