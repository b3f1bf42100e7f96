// The benchmark's history phase: 60 months (or as many as asked) of national
// data loaded in bulk (RocksDB SstFileWriter + IngestExternalFile) into a fresh
// city node and central node, then start-up time, roll-up query latency, the
// bare round trips (gRPC's, and TCP's between two processes), memory and disk
// at 1, 12 and all months stored.
#ifndef TONGHOP_TOOLS_BENCH_HISTORY_RUN_H_
#define TONGHOP_TOOLS_BENCH_HISTORY_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/bench/calls.h"
#include "tools/bench/flat.h"
#include "tools/bench/ingest.h"
#include "tools/bench/stats.h"
#include "tools/bench/workload.h"

namespace tonghop::bench {

// Another system's roll-ups of the same history, measured beside tonghop's at
// the full history (PostgreSQL's, in main.cc).
class RollupsBeside {
 public:
  virtual ~RollupsBeside() = default;
  // Stores `history` (every leaf's report) in bulk, before any query.
  virtual absl::Status Load(const std::vector<FlatReport>& history) = 0;
  // `n` timed roll-ups of `period`: the city with its per-unit breakdown, and
  // the nation with its per-city breakdown.
  virtual absl::StatusOr<LoadResult> City(const std::string& period, int n) = 0;
  virtual absl::StatusOr<LoadResult> National(const std::string& period,
                                              int n) = 0;
};

// What the history phase measured at one amount of history.
struct HistoryPoint {
  int months = 0;
  double startup_ms_city = 0, startup_ms_central = 0;
  LoadResult query_city, query_national;  // the newest month, repeatedly
  // The other system's roll-ups (at the full history, when given one).
  LoadResult beside_city, beside_national;
  // The share of the machine's CPU time the hypervisor took (steal) while the
  // roll-ups were measured.
  double steal_share = 0;
  // The first query of each stored month after start: nothing cached, the
  // records read from RocksDB.
  LoadResult first_city, first_national;
  // The floor under any query: GetNodeInfo of the city node (a few hundred
  // bytes each way, built from memory) on the same kind of connection.
  LoadResult round_trip;
  // Under that: one byte there and back between two processes over loopback
  // TCP (tonghop-bench-tcp-echo), what any client-server query pays.
  LoadResult tcp_round_trip;
  // Serialised size of the newest month's answers (with breakdown).
  int64_t city_answer_bytes = 0, national_answer_bytes = 0;
  // With every month stored: the city's answer, the same bytes, from a
  // server that does nothing else (tonghop-bench-ceiling --mode=answer),
  // queried and parsed by the same client code in the same blocks as the
  // city node: what any server of this answer over gRPC's callback API would
  // take here.
  LoadResult answer_floor;
  // The same over gRPC's async API (--api=async: one thread polling one
  // queue), queried right after it in each block: the floor of any gRPC
  // server of this answer here, whatever its API.
  LoadResult answer_floor_async;
};

struct HistoryRun {
  std::vector<HistoryPoint> points;  // 1, 12, 60 months (those below the total)
  int64_t disk_bytes = 0, stored_values = 0;  // with every month stored
  double ward_idle_rss_mb = 0;
  std::vector<FlatReport> flat;  // every leaf's report, for PostgreSQL
  Totals newest_totals;          // of the newest month
  std::string newest;            // its label
  Check check;                   // the national roll-up of the newest month
};

// Roll-ups are timed in blocks of this many queries, each system in turn.
inline constexpr int kQueryBlock = 100;

// Loads `history_months` months ending in 2025-12 in steps, measuring after
// each; the nodes live under `dir`. With `beside`, keeps every leaf's report
// in HistoryRun::flat, has `beside` load them at the full history while the
// nodes run, and times its roll-ups interleaved with tonghop's: blocks of
// kQueryBlock queries (each after a few unmeasured ones), tonghop's city, its
// city, tonghop's national, its national, round after round, so that both
// systems meet the same minutes of this shared machine (its drifts and the
// hypervisor's steal).
absl::StatusOr<HistoryRun> RunHistory(Generator& gen, World& world,
                                      const std::string& dir,
                                      const BenchSetup& setup,
                                      int history_months,
                                      RollupsBeside* beside);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_HISTORY_RUN_H_
