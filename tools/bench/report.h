// The benchmark's results and how they are published: the figures table and
// the goals table (printed, and in docs/benchmarks.md after the machine's
// description, followed by docs/benchmarks-notes.md), and one flat JSON object
// of the same figures (docs/benchmarks.json, units in the key names).
#ifndef TONGHOP_TOOLS_BENCH_REPORT_H_
#define TONGHOP_TOOLS_BENCH_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/bench/calls.h"
#include "tools/bench/history_run.h"
#include "tools/bench/ingest.h"
#include "tools/bench/nodes.h"
#include "tools/bench/stats.h"

namespace tonghop::bench {

// What PostgreSQL measured.
struct PgResults {
  std::map<int, LoadResult> ingest;          // by number of clients
  std::map<int, MachineCpu> ingest_machine;  // the machine's CPU meanwhile
  LoadResult city, national;      // the roll-up queries, newest month
  int64_t bytes = 0, values = 0;  // stored bytes, and value rows
  Check check;                    // its national sums against the sent
};

// Everything one run measured.
struct Results {
  std::vector<int> levels;  // the concurrencies; the last is the top one
  int months = 0, history_months = 0;
  size_t city_leaves = 0;             // the city's wards and departments
  std::map<int, TonghopRun> tonghop;  // by number of clients
  TonghopRun shared;  // the top concurrency, other cities during the burst
  // By mode ("group" measured within the tonghop runs, "echo", "put", and
  // "continuous": group commit with the bursts back to back), then clients.
  std::map<std::string, std::map<int, CeilingRun>> ceiling;
  HistoryRun history;
  bool with_pg = false;
  PgResults pg;
  double minutes = 0;  // wall time of the run
};

// Pushes and checks summed over every tonghop run and the history.
struct RunCounts {
  int64_t sent = 0, acknowledged = 0, mismatched = 0, checked = 0,
          not_reflected = 0;
};
RunCounts CountRuns(const Results& r);

// The figures table and the goals table, in Markdown, then the workload line.
std::string Tables(const Results& r);

// The figures as one flat object: the keys docs/benchmarks.md's issue asks for
// and more, units in the names.
std::map<std::string, double> JsonFigures(const Results& r);

// Writes `docs`/benchmarks.json and `docs`/benchmarks.md (title, the machine,
// `tables`, then `docs`/benchmarks-notes.md as it stands). INTERNAL when a file
// cannot be written.
absl::Status WriteDocs(const std::string& docs, const Results& r,
                       const std::string& tables);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_REPORT_H_
