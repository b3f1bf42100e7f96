// The floor under any client-server query on this machine: one byte there and
// back between two processes over loopback TCP, against tonghop-bench-tcp-echo
// (tcp_echo.cc). No framing and no thread handing work over: what a gRPC or
// PostgreSQL query pays at least once, whatever it carries.
#ifndef TONGHOP_TOOLS_BENCH_TCP_ROUND_TRIP_H_
#define TONGHOP_TOOLS_BENCH_TCP_ROUND_TRIP_H_

#include "absl/status/statusor.h"
#include "tools/bench/stats.h"

namespace tonghop::bench {

// One byte there and back `iterations` times over one TCP connection
// (TCP_NODELAY) to 127.0.0.1:`port`, after 50 unmeasured ones, on a thread of
// its own (as the roll-up queries); each round trip's latency measured.
// UNAVAILABLE when the connection cannot be made or any round trip fails (an
// error, the echo closing, or no answer within 10 s).
absl::StatusOr<LoadResult> TcpRoundTripLoop(int port, int iterations);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_TCP_ROUND_TRIP_H_
