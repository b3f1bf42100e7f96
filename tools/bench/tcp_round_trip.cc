#include "tools/bench/tcp_round_trip.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tonghop::bench {

absl::StatusOr<LoadResult> TcpRoundTripLoop(int port, int iterations) {
  absl::StatusOr<LoadResult> result;
  std::thread([&] {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const int one = 1;
    // A wedged echo ends the loop instead of hanging the benchmark.
    const timeval timeout{10, 0};
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) !=
            0 ||
        connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
      result = absl::UnavailableError(absl::StrCat(
          "TCP echo at 127.0.0.1:", port, ": ", std::strerror(errno)));
      if (fd >= 0) close(fd);
      return;
    }
    LoadResult r;
    r.clients = 1;
    SteadyTime t0 = std::chrono::steady_clock::now();
    constexpr int kWarmup = 50;
    for (int i = -kWarmup; i < iterations; ++i) {
      if (i == 0) t0 = std::chrono::steady_clock::now();
      const SteadyTime a = std::chrono::steady_clock::now();
      char byte = 'x';
      errno = 0;
      if (send(fd, &byte, 1, MSG_NOSIGNAL) != 1 || recv(fd, &byte, 1, 0) != 1) {
        result = absl::UnavailableError(absl::StrCat(
            "TCP echo at 127.0.0.1:", port, ": round trip ", i + kWarmup + 1,
            " failed: ", errno != 0 ? std::strerror(errno) : "closed"));
        close(fd);
        return;
      }
      if (i < 0) continue;
      ++r.sent;
      ++r.acknowledged;
      r.latencies_ms.push_back(Ms(a, std::chrono::steady_clock::now()));
    }
    r.seconds = Ms(t0, std::chrono::steady_clock::now()) / 1000;
    close(fd);
    result = std::move(r);
  }).join();
  return result;
}

}  // namespace tonghop::bench
