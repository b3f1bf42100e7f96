// Processes of the benchmark: a real tonghop-node (or the ceiling server) on
// loopback, started with its own folder, stopped with SIGTERM, and read for
// its memory from /proc. Thread-compatible.
#ifndef TONGHOP_TOOLS_BENCH_NODES_H_
#define TONGHOP_TOOLS_BENCH_NODES_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop::bench {

class Process {
 public:
  // Starts `binary` with `args` plus --port_file=<dir>/port, its output in
  // <dir>/log, and waits (at most 60 s) until it has written its port.
  // FAILED_PRECONDITION with the log tail when it exits first.
  static absl::StatusOr<std::unique_ptr<Process>> Start(
      const std::string& binary, std::vector<std::string> args,
      const std::string& dir);
  // A tonghop-node for `config` (listen address and data folder filled in,
  // under `dir`) on the simulated clock at `start`.
  static absl::StatusOr<std::unique_ptr<Process>> StartNode(
      const std::string& binary, v1::NodeConfig config, const std::string& dir,
      absl::Time start);
  ~Process();  // Stop()

  // SIGTERM, then SIGKILL after 20 s. OK when already stopped.
  absl::Status Stop();

  std::string target() const;  // "127.0.0.1:PORT"
  int port() const { return port_; }
  // From spawn to the port file written (the node serves).
  absl::Duration startup() const { return startup_; }
  // Resident memory now and its peak (VmRSS, VmHWM), in MiB; 0 when unknown.
  double RssMb() const;
  double PeakRssMb() const;
  // CPU time (user + system) the process has used so far, in seconds.
  double CpuSeconds() const;

 private:
  Process() = default;
  double StatusField(const char* field) const;
  pid_t pid_ = 0;
  std::string marker_, dir_;
  int port_ = 0;
  absl::Duration startup_;
};

// CPU time (user + system) this process has used so far, in seconds.
double OwnCpuSeconds();

// The machine's CPU time so far, all cores, in clock ticks: in total, and the
// part the hypervisor gave to other guests while this one had work ("steal").
struct MachineCpu {
  int64_t total = 0, steal = 0;
};
// Reads /proc/stat; zeros when it cannot.
MachineCpu MachineCpuNow();
// From the text of /proc/stat (its "cpu " line: user nice system idle iowait
// irq softirq steal ...); zeros when the line is missing or malformed.
MachineCpu ParseProcStat(absl::string_view text);
// The share (0..1) of the machine's CPU time from `before` to `after` taken
// by steal; 0 when nothing was counted.
double StealShare(const MachineCpu& before, const MachineCpu& after);
// Adds the interval from `before` to `after` to `sum`, a total of a phase's
// intervals: StealShare(MachineCpu(), sum) is their steal share. An interval
// with a failed reading at either end (zeros) is left out. /proc/stat counts
// in clock ticks (10 ms each, per core), so a phase of short intervals has a
// coarse share: a 20 ms burst on two cores is about 4 ticks.
void AddInterval(const MachineCpu& before, const MachineCpu& after,
                 MachineCpu& sum);

// Bytes of the files under `path` (recursively); 0 when missing.
int64_t DirectoryBytes(const std::string& path);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_NODES_H_
