// The TCP floor: tonghop-bench-tcp-echo, started as the benchmark starts it,
// answers every byte, and the loop counts and times each round trip.
#include "tools/bench/tcp_round_trip.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tools/bench/nodes.h"

namespace tonghop::bench {
namespace {

TEST(TcpRoundTripTest, EveryByteComesBackFromTheEchoProcess) {
  const std::string dir =
      std::string(testing::TempDir()) + "/tcp-echo-" + std::to_string(getpid());
  auto echo = Process::Start(TONGHOP_TCP_ECHO_BINARY, {}, dir);
  ASSERT_TRUE(echo.ok()) << echo.status();
  ASSERT_GT((*echo)->port(), 0);
  absl::StatusOr<LoadResult> r = TcpRoundTripLoop((*echo)->port(), 200);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->sent, 200);
  EXPECT_EQ(r->acknowledged, 200);
  EXPECT_EQ(r->failed, 0);
  ASSERT_EQ(r->latencies_ms.size(), 200u);
  for (double ms : r->latencies_ms) EXPECT_GT(ms, 0);
  // A second connection after the first closed: the echo takes them in turn.
  r = TcpRoundTripLoop((*echo)->port(), 10);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->acknowledged, 10);
  EXPECT_TRUE((*echo)->Stop().ok());
  std::filesystem::remove_all(dir);
}

// A TCP socket bound to a port of 127.0.0.1 the kernel picks (in `port`),
// listening when `listen_too`; -1 on failure.
int LoopbackSocket(bool listen_too, int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      (listen_too && listen(fd, 1) != 0) ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

TEST(TcpRoundTripTest, NoListenerIsUnavailable) {
  // A port bound but not listening: the connection is refused.
  int port = 0;
  const int fd = LoopbackSocket(/*listen_too=*/false, &port);
  ASSERT_GE(fd, 0);
  absl::StatusOr<LoadResult> r = TcpRoundTripLoop(port, 5);
  close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
}

TEST(TcpRoundTripTest, AnEchoThatHangsUpIsUnavailable) {
  // A server that takes the connection and closes it without answering.
  int port = 0;
  const int listener = LoopbackSocket(/*listen_too=*/true, &port);
  ASSERT_GE(listener, 0);
  std::thread closer([listener] {
    const int conn = accept(listener, nullptr, nullptr);
    if (conn >= 0) close(conn);
  });
  absl::StatusOr<LoadResult> r = TcpRoundTripLoop(port, 5);
  closer.join();
  close(listener);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("round trip 1 failed"),
            absl::string_view::npos)
      << r.status();
}

}  // namespace
}  // namespace tonghop::bench
