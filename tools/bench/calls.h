// The benchmark's single RPCs and timed loops of them: moving a node's
// simulated clock, roll-up queries, the bare gRPC round trip, and the check of
// a national roll-up against plain sums of what was sent.
#ifndef TONGHOP_TOOLS_BENCH_CALLS_H_
#define TONGHOP_TOOLS_BENCH_CALLS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tonghop/v1/node.pb.h"
#include "tools/bench/stats.h"
#include "tools/bench/workload.h"

namespace tonghop::bench {

// Sets the simulated clock of the node at `target` to `t` (10 s deadline).
// INTERNAL with the node's message when it refuses.
absl::Status SetClock(const std::string& target, absl::Time t);

// GetRollup of (`period`, `unit`) over `channel` (10 s deadline). INTERNAL with
// the node's message when it fails.
absl::StatusOr<v1::GetRollupResponse> Rollup(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& period,
    const std::string& unit, bool breakdown);

// Runs `call` (one blocking RPC, 10 s deadline) `warmup` times unmeasured,
// then `iterations` times back to back, each call's latency measured.
LoadResult TimedCalls(
    int iterations, int warmup,
    const std::function<grpc::Status(grpc::ClientContext*)>& call);

// The roll-up query of `period` (with breakdown) `iterations` times back to
// back on one connection, after `warmup` unmeasured ones, each answer parsed
// onto an arena. Runs on a thread of its own: a fresh thread's allocator arena
// is not the main thread's, which holds the whole generated workload (as a
// secretariat's client would not).
LoadResult QueryLoop(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& period, const std::string& unit,
                     int iterations, int warmup = 50);

// GetNodeInfo `iterations` times back to back on one connection, after 50
// unmeasured calls, on a thread of its own: the gRPC round trip on this
// machine, the floor under any query.
LoadResult RoundTripLoop(const std::shared_ptr<grpc::Channel>& channel,
                         int iterations);

// How many of a roll-up's values were compared with the plain sums, and how
// many differ.
struct Check {
  int64_t checked = 0, mismatched = 0;
};
// Compares each value of `rollup` whose indicator `totals` holds with the plain
// sums, adding to `check`; logs the first few differences.
void CheckNational(const v1::GetRollupResponse& rollup, const Totals& totals,
                   Check& check);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_CALLS_H_
