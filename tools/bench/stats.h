// Latency and throughput figures of one benchmark phase, and the benchmark's
// progress lines.
#ifndef TONGHOP_TOOLS_BENCH_STATS_H_
#define TONGHOP_TOOLS_BENCH_STATS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tonghop::bench {

using SteadyTime = std::chrono::steady_clock::time_point;

// Milliseconds from `a` to `b`.
inline double Ms(SteadyTime a, SteadyTime b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Writes "[bench] <line>" to stderr: what the benchmark is doing.
void Progress(const std::string& line);

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
