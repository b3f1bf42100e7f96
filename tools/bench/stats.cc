#include "tools/bench/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tonghop::bench {

double Percentile(std::vector<double> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t rank = static_cast<size_t>(std::ceil(q * samples.size()));
  if (rank == 0) rank = 1;
  if (rank > samples.size()) rank = samples.size();
  return samples[rank - 1];
}

void Progress(const std::string& line) {
  fprintf(stderr, "[bench] %s\n", line.c_str());
}

void LoadResult::Merge(const LoadResult& other) {
  if (clients == 0) clients = other.clients;
  sent += other.sent;
  acknowledged += other.acknowledged;
  failed += other.failed;
  values += other.values;
  seconds += other.seconds;
  latencies_ms.insert(latencies_ms.end(), other.latencies_ms.begin(),
                      other.latencies_ms.end());
}

}  // namespace tonghop::bench
