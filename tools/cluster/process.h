// Process and file plumbing of tonghop-cluster (Linux): picking loopback ports,
// starting a detached process with its output appended to a log, telling
// whether a recorded pid is still that process, signalling and waiting with
// bounds, small atomic file writes.
//
// Pids started by Spawn are remembered process-wide (under a mutex), so that
// any caller in this process reaps them when they exit; a pid started by
// another process (an earlier tonghop-cluster invocation) is only observed.
// Thread-safe.
#ifndef TONGHOP_TOOLS_CLUSTER_PROCESS_H_
#define TONGHOP_TOOLS_CLUSTER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tonghop::cluster {

// `count` distinct free TCP ports on 127.0.0.1: each is bound (port 0), read
// and closed once all are picked. The ports are free now; nothing keeps them
// free. INTERNAL when a socket call fails.
absl::StatusOr<std::vector<int>> PickFreePorts(int count);

// How Spawn starts a process beyond the defaults (the caller's user, folder and
// environment).
struct SpawnOptions {
  std::string cwd;  // empty: the caller's folder
  // Run as `uid`/`gid` with no supplementary groups (the caller must be root).
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<std::string> env;  // "NAME=value"; empty: the caller's
  std::string log_prefix = "tonghop-cluster: ";  // on the lines Spawn logs
};

// Starts `binary` with `args` (argv[1..]) as a detached process: a new session
// (so a process group of its own), stdin from /dev/null, stdout and stderr
// appended to `log_path` (created if missing; a line naming the command is
// appended first). Returns its pid without waiting. FAILED_PRECONDITION when
// `binary` is not executable; INTERNAL when the log cannot be opened or fork
// fails. A failure in the child shows as its exit status with a line in the
// log: 125 the user cannot be switched, 126 `cwd` cannot be entered, 127 exec
// failed.
absl::StatusOr<pid_t> Spawn(const std::string& binary,
                            const std::vector<std::string>& args,
                            const std::string& log_path,
                            const SpawnOptions& options = {});

// Waits (polling every 10 ms) for a process Spawn started to exit: its exit
// code, or 128 + the signal that ended it. DEADLINE_EXCEEDED after `timeout`,
// with its whole process group killed; INTERNAL when waitpid fails.
absl::StatusOr<int> WaitExit(pid_t pid, absl::Duration timeout);

// True when `pid` is a live (not zombie) process. Reaps `pid` when it is a
// child this process spawned and it has exited.
bool IsAlive(pid_t pid);

// IsAlive(pid), and its command line has the argument `marker`, so that a
// recycled pid is never mistaken for ours. Until a spawned child has exec'd,
// the marker is not there yet: use IsAlive for a pid just spawned.
bool IsRunning(pid_t pid, const std::string& marker);

// Sends `signal` to `pid` when IsRunning(pid, marker), then waits until it is
// not running, polling every 50 ms. OK when it is gone (or was not running);
// DEADLINE_EXCEEDED after `timeout`.
absl::Status SignalAndWait(pid_t pid, const std::string& marker, int signal,
                           absl::Duration timeout);

// Writes `content` to `path` through a temporary file and a rename. INTERNAL on
// failure.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content);

// The whole file. NOT_FOUND when it cannot be read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The size of the file at `path`; 0 when missing.
int64_t FileSize(const std::string& path);

// The last `lines` lines of the file at `path` from byte `offset` on (all of it
// when shorter); empty when unreadable.
std::string LogTail(const std::string& path, int64_t offset, int lines);

}  // namespace tonghop::cluster

#endif  // TONGHOP_TOOLS_CLUSTER_PROCESS_H_
