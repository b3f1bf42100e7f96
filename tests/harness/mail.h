// Test receivers for reminders on loopback: Debian's aiosmtpd storing into a
// Maildir, and helpers to read what it stored. Test-only; not thread-safe.
#ifndef TONGHOP_TESTS_HARNESS_MAIL_H_
#define TONGHOP_TESTS_HARNESS_MAIL_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace tonghop::testing {

// A loopback port nobody listens on (bound, then released); 0 on failure.
int FreePort();
// True when something accepts TCP connections on 127.0.0.1:port.
bool Accepts(int port);
std::string ReadFile(const std::string& path);

// `python3 -m aiosmtpd` on 127.0.0.1:port with `handler` (and its arguments),
// its output in `dir`/aiosmtpd.log. Debian's own python3, by its full path.
class SmtpServer {
 public:
  SmtpServer(std::string dir, int port, std::vector<std::string> handler)
      : dir_(std::move(dir)), port_(port), handler_(std::move(handler)) {}
  ~SmtpServer() { Stop(); }
  // Starts the server; returns once it accepts connections (at most 10 s).
  absl::Status Start();
  // Stops it (SIGTERM, then SIGKILL) and waits until the port is free.
  void Stop();
  std::string log_path() const { return dir_ + "/aiosmtpd.log"; }
  std::string url() const;

 private:
  const std::string dir_;
  const int port_;
  const std::vector<std::string> handler_;
  pid_t pid_ = -1;
};

// One stored message: unfolded headers (line ends made LF) and the raw body.
struct Stored {
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string Get(const std::string& name) const;
};
Stored ParseStored(std::string text);
// Every message in `maildir`/new and /cur.
std::vector<Stored> ReadMaildir(const std::string& maildir);
// RFC 2047 encoded-words (UTF-8, base64) decoded; other text as is.
std::string DecodeRfc2047(const std::string& value);
// A base64 body decoded ("<not base64>" when it is not).
std::string DecodeBody(const std::string& body);

}  // namespace tonghop::testing

#endif  // TONGHOP_TESTS_HARNESS_MAIL_H_
