// Test harness: one real tonghop-node process on a loopback port, with its own
// data folder. Not thread-safe; one test thread drives it.
#ifndef TONGHOP_TESTS_HARNESS_NODE_PROCESS_H_
#define TONGHOP_TESTS_HARNESS_NODE_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "tonghop/v1/config.pb.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop::testing {

// A fresh temporary folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class NodeProcess {
 public:
  // Writes `config` (listen_address and data_dir are filled in under `dir`) and
  // starts the node on the simulated clock at `start_time`; returns once it
  // serves (at most 20 s).
  static absl::StatusOr<std::unique_ptr<NodeProcess>> Start(
      const std::string& dir, v1::NodeConfig config,
      const std::string& start_time = "2026-03-10T08:00:00+07:00");
  ~NodeProcess();  // SIGTERM, then SIGKILL after 10 s

  // Sends `signal` and waits for the process to end. Returns its wait status.
  int Stop(int signal);
  // The config in the node's file (listen_address and data_dir filled in).
  const v1::NodeConfig& config() const { return config_; }
  // Writes `config` to the node's file and sends SIGHUP (the node reads it
  // again), without waiting.
  void Reconfigure(const v1::NodeConfig& config);
  // The node's log once it holds `text` (at most 10 s; then as it is).
  std::string WaitForLog(const std::string& text) const;
  // Starts the process again on the same data folder and port.
  absl::Status Restart();

  std::string target() const;  // "127.0.0.1:PORT"
  int port() const { return port_; }
  const std::string& log_path() const { return log_; }
  std::unique_ptr<v1::ReportingService::Stub> Reporting() const;
  std::unique_ptr<v1::AdminService::Stub> Admin() const;

 private:
  NodeProcess() = default;
  absl::Status Launch();

  // Writes config_ to config_path_.
  void WriteConfig() const;

  std::string dir_, config_path_, port_file_, log_, start_time_;
  v1::NodeConfig config_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs `command` through /bin/sh, returning its exit code and what it printed
// on stdout and stderr (merged when `merge_stderr`).
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunCommand(const std::string& command, bool merge_stderr = false);

// The CLI binary, with --target set for `node`.
std::string Cli(const NodeProcess& node);

// A context with a 10 s deadline.
std::unique_ptr<grpc::ClientContext> Context();

}  // namespace tonghop::testing

#endif  // TONGHOP_TESTS_HARNESS_NODE_PROCESS_H_
