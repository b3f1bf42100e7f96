// The benchmark's history phase: 60 months (or as many as asked) of national
// data loaded in bulk (RocksDB SstFileWriter + IngestExternalFile) into a fresh
// city node and central node, then start-up time, roll-up query latency, the
// bare round trip, memory and disk at 1, 12 and all months stored.
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

// What the history phase measured at one amount of history.
struct HistoryPoint {
  int months = 0;
  double startup_ms_city = 0, startup_ms_central = 0;
  LoadResult query_city, query_national;  // the newest month, repeatedly
  // The first query of each stored month after start: nothing cached, the
  // records read from RocksDB.
  LoadResult first_city, first_national;
  // The floor under any query: GetNodeInfo of the city node (a few hundred
  // bytes each way, built from memory) on the same kind of connection.
  LoadResult round_trip;
  // Serialised size of the newest month's answers (with breakdown).
  int64_t city_answer_bytes = 0, national_answer_bytes = 0;
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

// Loads `history_months` months ending in 2025-12 in steps, measuring after
// each; the nodes live under `dir`. With `flat`, keeps every leaf's report in
// HistoryRun::flat for loading into PostgreSQL.
absl::StatusOr<HistoryRun> RunHistory(Generator& gen, World& world,
                                      const std::string& dir,
                                      const BenchSetup& setup,
                                      int history_months, bool flat);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_HISTORY_RUN_H_
