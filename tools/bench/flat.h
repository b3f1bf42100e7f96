// The benchmark's reports in a protobuf-free shape, for the PostgreSQL side
// (postgres.h): one ward's or department's report for a month, as it would be
// one row per indicator value in a city's central database.
#ifndef TONGHOP_TOOLS_BENCH_FLAT_H_
#define TONGHOP_TOOLS_BENCH_FLAT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tonghop::bench {

struct FlatValue {
  std::string indicator;  // "QD11-01"
  bool ratio = true;      // ratio: numerator/denominator; else `number`
  int64_t numerator = 0;
  int64_t denominator = 0;
  int64_t number = 0;
};

struct FlatReport {
  std::string period;  // "2026-03"
  std::string city;    // "79"
  std::string unit;    // "26734" (a commune) or "79.VP" (a department)
  int64_t revision = 1;
  std::vector<FlatValue> values;
};

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_FLAT_H_
