// tonghop-bench-tcp-echo: the floor under any query on this machine, for the
// benchmark only (issue 7; docs/benchmarks.md). Listens on 127.0.0.1 (a port
// the kernel picks), writes the port to --port_file (whole, then renamed),
// and echoes whatever each connection sends, one connection at a time, until
// SIGTERM or SIGINT. The benchmark times one byte there and back: a round trip
// between two processes over loopback TCP with nothing else in it (no
// framing, no threads handing work over), which every client-server query on
// this machine pays at least once, gRPC's and PostgreSQL's alike.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/base/usage.h"

ABSL_FLAG(std::string, port_file, "", "write the port here once listening");

namespace {

int Fail(const char* what) {
  perror(what);
  return 1;
}

int Main() {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) return Fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listener, 4) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Fail("listen on 127.0.0.1");
  }
  const int port = ntohs(addr.sin_port);
  printf("tonghop-bench-tcp-echo listening on port %d\n", port);
  fflush(stdout);
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << port << "\n";
      if (!out) return Fail(tmp.c_str());
    }
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0)
      return Fail(port_file.c_str());
  }
  // SIGTERM's default action ends the process, which is all a stop needs.
  while (true) {
    const int conn = accept(listener, nullptr, nullptr);
    if (conn < 0) return Fail("accept");
    const int one = 1;
    setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    char buffer[4096];
    while (true) {
      const ssize_t n = recv(conn, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      ssize_t sent = 0;
      while (sent < n) {
        const ssize_t k = send(conn, buffer + sent, n - sent, MSG_NOSIGNAL);
        if (k <= 0) break;
        sent += k;
      }
      if (sent < n) break;
    }
    close(conn);
  }
}

}  // namespace

int main(int argc, char** argv) {
  tonghop::SetUsage("tonghop-bench-tcp-echo [--port_file=F]", __FILE__);
  absl::ParseCommandLine(argc, argv);
  return Main();
}
