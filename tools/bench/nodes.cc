#include "tools/bench/nodes.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/text_format.h"
#include "tools/cluster/process.h"

namespace tonghop::bench {

absl::StatusOr<std::unique_ptr<Process>> Process::Start(
    const std::string& binary, std::vector<std::string> args,
    const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::unique_ptr<Process> p(new Process());
  p->dir_ = dir;
  const std::string port_file = dir + "/port";
  std::filesystem::remove(port_file);
  p->marker_ = "--port_file=" + port_file;
  args.push_back(p->marker_);
  const std::string log = dir + "/log";
  const int64_t log_start = cluster::FileSize(log);
  const auto t0 = std::chrono::steady_clock::now();
  auto pid = cluster::Spawn(binary, args, log);
  if (!pid.ok()) return pid.status();
  p->pid_ = *pid;
  for (int i = 0; i < 60000; ++i) {
    auto text = cluster::ReadFile(port_file);
    int port = 0;
    if (text.ok() &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &port) &&
        port > 0) {
      p->startup_ = absl::FromChrono(std::chrono::steady_clock::now() - t0);
      p->port_ = port;
      return p;
    }
    if (!cluster::IsAlive(p->pid_)) {
      p->pid_ = 0;
      return absl::FailedPreconditionError(absl::StrCat(
          binary, " exited at start:\n", cluster::LogTail(log, log_start, 20)));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return absl::DeadlineExceededError(
      absl::StrCat(binary, " did not serve within 60 s:\n",
                   cluster::LogTail(log, log_start, 20)));
}

absl::StatusOr<std::unique_ptr<Process>> Process::StartNode(
    const std::string& binary, v1::NodeConfig config, const std::string& dir,
    absl::Time start) {
  std::filesystem::create_directories(dir);
  config.set_listen_address("127.0.0.1:0");
  config.set_data_dir(dir + "/data");
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  const std::string path = dir + "/node.textproto";
  absl::Status written = cluster::WriteFileAtomically(path, text);
  if (!written.ok()) return written;
  return Start(binary,
               {"--config=" + path, "--clock=simulated",
                "--start_time=" + absl::FormatTime(absl::RFC3339_full, start,
                                                   absl::UTCTimeZone())},
               dir);
}

Process::~Process() { Stop().IgnoreError(); }

absl::Status Process::Stop() {
  if (pid_ == 0) return absl::OkStatus();
  absl::Status s =
      cluster::SignalAndWait(pid_, marker_, SIGTERM, absl::Seconds(20));
  if (!s.ok()) {
    s = cluster::SignalAndWait(pid_, marker_, SIGKILL, absl::Seconds(5));
  }
  pid_ = 0;
  return s;
}

std::string Process::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

double Process::StatusField(const char* field) const {
  if (pid_ == 0) return 0;
  std::ifstream in(absl::StrCat("/proc/", pid_, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest(line);
    if (!absl::ConsumePrefix(&rest, field)) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, " kB");
    int64_t kb = 0;
    if (absl::SimpleAtoi(rest, &kb)) return static_cast<double>(kb) / 1024.0;
  }
  return 0;
}

double Process::RssMb() const { return StatusField("VmRSS:"); }
double Process::PeakRssMb() const { return StatusField("VmHWM:"); }

double Process::CpuSeconds() const {
  if (pid_ == 0) return 0;
  std::ifstream in(absl::StrCat("/proc/", pid_, "/stat"));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces): state is field 3,
  // utime and stime are fields 14 and 15.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(text.substr(close + 2), ' ', absl::SkipEmpty());
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return 0;
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

double OwnCpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

MachineCpu ParseProcStat(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, "cpu ")) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (fields.size() < 8) return {};
    MachineCpu cpu;
    // Guest time is already counted in user and nice: the first eight fields
    // are the whole.
    for (int i = 0; i < 8; ++i) {
      int64_t ticks = 0;
      if (!absl::SimpleAtoi(fields[i], &ticks) || ticks < 0) return {};
      cpu.total += ticks;
      if (i == 7) cpu.steal = ticks;
    }
    return cpu;
  }
  return {};
}

MachineCpu MachineCpuNow() {
  std::ifstream in("/proc/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  return ParseProcStat(text);
}

double StealShare(const MachineCpu& before, const MachineCpu& after) {
  const int64_t total = after.total - before.total;
  if (total <= 0) return 0;
  return static_cast<double>(after.steal - before.steal) / total;
}

void AddInterval(const MachineCpu& before, const MachineCpu& after,
                 MachineCpu& sum) {
  // A reading that failed (zeros) would add all the time since boot, or
  // subtract it.
  if (before.total == 0 || after.total == 0) return;
  sum.total += after.total - before.total;
  sum.steal += after.steal - before.steal;
}

int64_t DirectoryBytes(const std::string& path) {
  std::error_code ec;
  int64_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

}  // namespace tonghop::bench
