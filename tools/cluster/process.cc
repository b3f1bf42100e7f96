// Process and file plumbing of tonghop-cluster (see process.h).
#include "tools/cluster/process.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"

namespace tonghop::cluster {
namespace {

constexpr absl::Duration kPoll = absl::Milliseconds(50);

absl::Mutex& SpawnedMu() {
  static auto* mu = new absl::Mutex;
  return *mu;
}

// The pids Spawn started that have not been reaped yet.
std::set<pid_t>& Spawned() ABSL_EXCLUSIVE_LOCKS_REQUIRED(SpawnedMu()) {
  static auto* pids = new std::set<pid_t>;
  return *pids;
}

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// Binds a TCP socket to 127.0.0.1:0 and returns it with its port in `*port`.
absl::StatusOr<int> BindLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket");
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    absl::Status s = Errno("bind 127.0.0.1:0");
    close(fd);
    return s;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

// Reaps `pid` if this process spawned it and it has exited. True when it was
// reaped (or is no longer our child).
bool ReapIfOurs(pid_t pid) {
  absl::MutexLock lock(&SpawnedMu());
  if (Spawned().count(pid) == 0) return false;
  int status = 0;
  pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == pid || (r < 0 && errno == ECHILD)) {
    Spawned().erase(pid);
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<int>> PickFreePorts(int count) {
  std::vector<int> fds, ports;
  absl::Status status;
  while (static_cast<int>(ports.size()) < count) {
    int port = 0;
    absl::StatusOr<int> fd = BindLoopback(&port);
    if (!fd.ok()) {
      status = fd.status();
      break;
    }
    fds.push_back(*fd);
    // Every socket stays bound until all are picked, so the kernel cannot hand
    // out a port twice; the check below only guards that assumption.
    bool duplicate = false;
    for (int p : ports) duplicate = duplicate || p == port;
    if (!duplicate) ports.push_back(port);
    if (fds.size() > static_cast<size_t>(count) * 4 + 16) {
      status = absl::InternalError("could not pick distinct loopback ports");
      break;
    }
  }
  for (int fd : fds) close(fd);
  if (!status.ok()) return status;
  return ports;
}

absl::StatusOr<pid_t> Spawn(const std::string& binary,
                            const std::vector<std::string>& args,
                            const std::string& log_path,
                            const SpawnOptions& options) {
  if (access(binary.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot execute ", binary, ": ", std::strerror(errno)));
  }
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = options.env;
  std::vector<char*> envp;
  for (std::string& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string header = absl::StrCat("--- ", options.log_prefix,
                                          absl::StrJoin(argv_text, " "), "\n");
  const std::string user_error = absl::StrCat(
      options.log_prefix, "cannot switch to uid ", options.uid, "\n");
  const std::string cwd_error =
      absl::StrCat(options.log_prefix, "cannot enter ", options.cwd, " as uid ",
                   options.switch_user ? options.uid : getuid(), "\n");
  const std::string exec_error =
      absl::StrCat(options.log_prefix, "cannot exec ", binary, "\n");

  int log =
      open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Errno(absl::StrCat("open ", log_path));
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0) {
    close(log);
    return Errno("open /dev/null");
  }
  if (write(log, header.data(), header.size()) < 0) {
    // The header is a courtesy; the process's own output still goes to the log.
  }
  sigset_t none;
  sigemptyset(&none);

  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    dup2(null, STDIN_FILENO);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    close_range(3, ~0U, 0);
    // Signal dispositions set to "ignore" and blocked signals survive exec:
    // reset them.
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT})
      sigaction(sig, &dfl, nullptr);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (options.switch_user &&
        (setgroups(0, nullptr) != 0 || setgid(options.gid) != 0 ||
         setuid(options.uid) != 0)) {
      if (write(STDERR_FILENO, user_error.data(), user_error.size()) < 0) {
      }
      _exit(125);
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
      if (write(STDERR_FILENO, cwd_error.data(), cwd_error.size()) < 0) {
      }
      _exit(126);
    }
    if (options.env.empty()) {
      execv(argv[0], argv.data());
    } else {
      execve(argv[0], argv.data(), envp.data());
    }
    if (write(STDERR_FILENO, exec_error.data(), exec_error.size()) < 0) {
    }
    _exit(127);
  }
  int fork_errno = errno;
  close(log);
  close(null);
  if (pid < 0) {
    errno = fork_errno;
    return Errno("fork");
  }
  absl::MutexLock lock(&SpawnedMu());
  Spawned().insert(pid);
  return pid;
}

absl::StatusOr<int> WaitExit(pid_t pid, absl::Duration timeout) {
  auto forget = [pid] {
    absl::MutexLock lock(&SpawnedMu());
    Spawned().erase(pid);
  };
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) {
        forget();
        return WEXITSTATUS(status);
      }
      if (WIFSIGNALED(status)) {
        forget();
        return 128 + WTERMSIG(status);
      }
      continue;  // stopped or continued: keep waiting
    }
    if (r < 0 && errno != EINTR) {
      forget();
      return Errno(absl::StrCat("waitpid ", pid));
    }
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(-pid, SIGKILL);  // its session is its process group
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  forget();
  return absl::DeadlineExceededError(
      absl::StrCat("pid ", pid, " did not finish within ",
                   absl::FormatDuration(timeout), " (killed)"));
}

bool IsAlive(pid_t pid) {
  if (pid <= 0) return false;
  if (ReapIfOurs(pid)) return false;
  // /proc/<pid>/stat is "pid (comm) S ...": the state follows the last ')'. A
  // zombie ('Z') or a dying process ('X') has ended (kill(pid, 0) would still
  // succeed on it).
  absl::StatusOr<std::string> stat =
      ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat.ok()) return false;
  size_t paren = stat->rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat->size()) return false;
  char state = (*stat)[paren + 2];
  return state != 'Z' && state != 'X' && state != 'x';
}

bool IsRunning(pid_t pid, const std::string& marker) {
  if (!IsAlive(pid)) return false;
  absl::StatusOr<std::string> cmdline =
      ReadFile(absl::StrCat("/proc/", pid, "/cmdline"));
  if (!cmdline.ok()) return false;
  for (absl::string_view arg : absl::StrSplit(*cmdline, '\0')) {
    if (arg == marker) return true;
  }
  return false;
}

absl::Status SignalAndWait(pid_t pid, const std::string& marker, int signal,
                           absl::Duration timeout) {
  if (!IsRunning(pid, marker)) return absl::OkStatus();
  if (kill(pid, signal) != 0 && errno != ESRCH) {
    return Errno(absl::StrCat("kill ", pid));
  }
  for (absl::Duration waited; waited < timeout; waited += kPoll) {
    if (!IsRunning(pid, marker)) return absl::OkStatus();
    absl::SleepFor(kPoll);
  }
  if (!IsRunning(pid, marker)) return absl::OkStatus();
  return absl::DeadlineExceededError(
      absl::StrCat("process ", pid, " did not end within ",
                   absl::FormatDuration(timeout), " of signal ", signal));
}

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Errno(absl::StrCat("rename ", tmp, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int64_t FileSize(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return 0;
  return static_cast<int64_t>(in.tellg());
}

std::string LogTail(const std::string& path, int64_t offset, int lines) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok() || offset >= static_cast<int64_t>(text->size())) return "";
  absl::string_view rest = absl::string_view(*text).substr(offset);
  while (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
  std::vector<absl::string_view> all = absl::StrSplit(rest, '\n');
  size_t first =
      all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  return absl::StrJoin(all.begin() + first, all.end(), "\n");
}

}  // namespace tonghop::cluster
