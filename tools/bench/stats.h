// Latency and throughput figures of one benchmark phase.
#ifndef TONGHOP_TOOLS_BENCH_STATS_H_
#define TONGHOP_TOOLS_BENCH_STATS_H_

#include <cstdint>
#include <vector>

namespace tonghop::bench {

// The `q`-quantile (0..1) of `samples` by nearest rank; 0 when empty. Sorts a
// copy.
double Percentile(std::vector<double> samples, double q);

// What a load phase measured: `latencies_ms` one per acknowledged request.
struct LoadResult {
  int clients = 0;
  int64_t sent = 0;
  int64_t acknowledged = 0;  // OK answers (a stale duplicate counts)
  int64_t failed = 0;
  int64_t values = 0;  // indicator values in the acknowledged requests
  double seconds = 0;  // wall time of the phase
  std::vector<double> latencies_ms;

  double per_second() const { return seconds > 0 ? acknowledged / seconds : 0; }
  double values_per_second() const {
    return seconds > 0 ? values / seconds : 0;
  }
  double p50_ms() const { return Percentile(latencies_ms, 0.50); }
  double p99_ms() const { return Percentile(latencies_ms, 0.99); }
  // Adds another phase's counts and samples (seconds add up).
  void Merge(const LoadResult& other);
};

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_STATS_H_
