// The benchmark's ingest phases (docs/benchmarks.md, "What was run"): the
// month-end bursts of Hồ Chí Minh City's wards and departments, played month
// after month against a real city node pushing to a real central node, and the
// same pushes against the ceiling server.
#ifndef TONGHOP_TOOLS_BENCH_INGEST_H_
#define TONGHOP_TOOLS_BENCH_INGEST_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/calendar/period.h"
#include "tonghop/v1/federation.pb.h"
#include "tools/bench/calls.h"
#include "tools/bench/drive.h"
#include "tools/bench/nodes.h"
#include "tools/bench/stats.h"
#include "tools/bench/workload.h"

namespace tonghop::bench {

inline constexpr char kCity[] = "79";  // Thành phố Hồ Chí Minh
// The pause before each month's bursts, for every system measured: tonghop's
// nodes take the month's new date in it (their tickers run every 100 ms).
inline constexpr std::chrono::milliseconds kSettle(300);

// The binaries the phases start, and how many queries a measurement makes.
struct BenchSetup {
  std::string node_binary;      // tonghop-node
  std::string ceiling_binary;   // tonghop-bench-ceiling
  std::string tcp_echo_binary;  // tonghop-bench-tcp-echo
  int query_iterations = 1000;
};

// 08:00 on the 17th of month `p`, Vietnam time: the month-end burst. A
// month's data window closes on the 14th and its reports are due at the city
// before the 20th (Decree 09; docs/architecture.md), so the burst falls
// between the two: final figures, on time.
absl::Time BurstTime(const Period& p);

// The month `offset` months after `year`-`month` (offset may be negative).
Period MonthAt(int year, int month, int offset);

// One month of the burst workload.
struct MonthLoad {
  Period period;
  std::vector<v1::PushRequest> burst;     // to the city node, in send order
  std::vector<v1::PushRequest> finals;    // the city's leaves, newest each
  std::vector<v1::PushRequest> national;  // the other cities (emptied: sent
                                          // as national_wire)
  Totals totals;                          // every leaf of every city, newest
  // `burst` and `national` serialised, as the load generator sends them.
  std::vector<EncodedPush> burst_wire, national_wire;
};

// `months` months of bursts from 2022-01 on: the city's wards and departments
// (10% corrected, 1% duplicated) and the other cities' roll-ups.
absl::StatusOr<std::vector<MonthLoad>> MakeBursts(Generator& gen, World& world,
                                                  int months);

// What one ingest run of tonghop measured.
struct TonghopRun {
  int clients = 0;
  LoadResult city;      // pushes to the city node (the burst)
  LoadResult national;  // the other cities' pushes to the central node
  std::vector<double> freshness_ms;
  int64_t not_reflected = 0;
  Check check;
  double city_peak_rss_mb = 0, central_peak_rss_mb = 0;
  LoadResult query_city, query_national;  // at the end of the burst
  // CPU seconds used during the bursts by each process.
  double cpu_city = 0, cpu_central = 0, cpu_loadgen = 0;
  // The ceiling (group commit), measured in the same months (see RunTonghop).
  LoadResult ceiling;
  double cpu_ceiling = 0, cpu_ceiling_loadgen = 0;
  // The machine's CPU time during the city's bursts and the ceiling's: how
  // much of it the hypervisor took (StealShare).
  MachineCpu machine_city, machine_ceiling;
};

// Month by month, the nodes' clocks move to the 17th and the load generator
// plays the month's pushes from `clients` clients: the other 33 cities'
// roll-ups to the central node (before the city's burst, or with
// `national_during_burst` at the same time), the city's burst to the ceiling
// server (group commit, for comparison) and to the city node, in turn.
// Measuring the ceiling in the same months as tonghop, in the same rhythm (a
// pause of kSettle before each month), keeps the ratio between them clear of
// this shared virtual machine's drifts, which move either figure by up to a
// third from one minute to the next. The processes live under `dir`.
absl::StatusOr<TonghopRun> RunTonghop(const std::vector<MonthLoad>& months,
                                      World& world, int clients,
                                      const std::string& dir,
                                      const BenchSetup& setup,
                                      bool national_during_burst);

// A ceiling run: its load, and the CPU seconds the server and the load
// generator used during the bursts.
struct CeilingRun {
  LoadResult load;
  double cpu_server = 0, cpu_loadgen = 0;
};

// The ceiling server in `mode` ("echo", "put", "group") taking the months'
// bursts from `clients` clients, each month after `pause`.
absl::StatusOr<CeilingRun> RunCeiling(const std::vector<MonthLoad>& months,
                                      const std::string& mode, int clients,
                                      const std::string& dir,
                                      const std::string& binary,
                                      std::chrono::milliseconds pause);

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_INGEST_H_
