#include "tests/harness/mail.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

extern char** environ;

namespace tonghop::testing {

// A loopback port nobody listens on (bound, then released).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `python3 -m aiosmtpd` on 127.0.0.1:port with `handler` (and its arguments),
// its output in `dir`/aiosmtpd.log. Debian's own python3, by its full path.
absl::Status SmtpServer::Start() {
  std::vector<std::string> args = {"/usr/bin/python3",
                                   "-m",
                                   "aiosmtpd",
                                   "-n",
                                   "-l",
                                   absl::StrCat("127.0.0.1:", port_),
                                   "-c"};
  args.insert(args.end(), handler_.begin(), handler_.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = {absl::StrCat("PYTHONPATH=", dir_),
                                  "PYTHONDONTWRITEBYTECODE=1"};
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, "PYTHONPATH=")) env.push_back(*e);
  }
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string log = log_path();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc =
      posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    return absl::InternalError(absl::StrCat("posix_spawn: ", strerror(rc)));
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (Accepts(port_)) return absl::OkStatus();
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError("aiosmtpd exited: " + ReadFile(log));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  Stop();
  return absl::DeadlineExceededError("aiosmtpd did not listen within 10 s: " +
                                     ReadFile(log));
}

void SmtpServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  int status;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  pid_ = -1;
}

std::string SmtpServer::url() const {
  return absl::StrCat("smtp://127.0.0.1:", port_);
}

std::string Stored::Get(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

Stored ParseStored(std::string text) {
  text = absl::StrReplaceAll(text, {{"\r\n", "\n"}});
  Stored stored;
  size_t end = text.find("\n\n");
  std::string head = text.substr(0, end);
  stored.body = end == std::string::npos ? "" : text.substr(end + 2);
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(head, '\n')) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') &&
        !lines.empty()) {
      absl::StrAppend(&lines.back(), line);
    } else {
      lines.emplace_back(line);
    }
  }
  for (const std::string& line : lines) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    stored.headers.emplace(
        line.substr(0, colon),
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  return stored;
}

std::vector<Stored> ReadMaildir(const std::string& maildir) {
  std::vector<Stored> out;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(maildir + "/new", ec)) {
    out.push_back(ParseStored(ReadFile(entry.path().string())));
  }
  return out;
}

// RFC 2047: decodes "=?UTF-8?B?...?=" words; whitespace between words goes.
std::string DecodeRfc2047(const std::string& value) {
  std::string out;
  for (absl::string_view word :
       absl::StrSplit(value, absl::ByAnyChar(" \t\n"), absl::SkipEmpty())) {
    std::string chunk;
    if ((absl::ConsumePrefix(&word, "=?UTF-8?B?") ||
         absl::ConsumePrefix(&word, "=?utf-8?b?")) &&
        absl::ConsumeSuffix(&word, "?=") &&
        absl::Base64Unescape(word, &chunk)) {
      out += chunk;
    } else {
      return "<not an encoded-word: " + std::string(word) + ">";
    }
  }
  return out;
}

std::string DecodeBody(const std::string& body) {
  std::string compact;
  for (char c : body) {
    if (c != '\n' && c != '\r' && c != ' ') compact.push_back(c);
  }
  std::string decoded;
  if (!absl::Base64Unescape(compact, &decoded)) return "<not base64>";
  return decoded;
}

}  // namespace tonghop::testing
