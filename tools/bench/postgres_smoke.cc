// A manual check of the PostgreSQL side of the benchmark (postgres.h): starts a
// private server under /tmp, loads a small history, ingests out-of-order
// revisions and a stale duplicate from 4 clients, checks both roll-ups against
// sums computed here, then times 2,000 reports from 16 clients. With --big,
// also loads ~1.3 million values of history and times the queries over them.
// Exits 1 on any error or mismatch.
//
//   postgres_smoke [--big] [--parent=DIR]   (the server's folder goes under
//                                            DIR, /tmp by default)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/flat.h"
#include "tools/bench/postgres.h"
#include "tools/bench/stats.h"

namespace tonghop::bench {
namespace {

// A deterministic report of `unit` for `period` at `revision`: `indicators`
// values, the first half ratios, the rest counts.
FlatReport MakeReport(const std::string& period, const std::string& city,
                      const std::string& unit, int64_t revision,
                      int indicators) {
  FlatReport r{period, city, unit, revision, {}};
  const uint64_t seed =
      std::hash<std::string>()(absl::StrCat(period, "/", unit, "/", revision));
  std::mt19937_64 rng(seed);
  for (int i = 0; i < indicators; ++i) {
    FlatValue v;
    v.indicator = absl::StrCat("QD", 10 + i / 10, "-", i % 10);
    v.ratio = i < (indicators + 1) / 2;
    if (v.ratio) {
      v.denominator = 20 + static_cast<int64_t>(rng() % 381);
      v.numerator = v.denominator / 2 +
                    static_cast<int64_t>(rng() % (v.denominator / 2 + 1));
    } else {
      v.number = static_cast<int64_t>(rng() % 13);
    }
    r.values.push_back(std::move(v));
  }
  return r;
}

// What the database must hold: the newest revision per (period, unit).
class Model {
 public:
  void Apply(const FlatReport& r) {
    auto [it, inserted] = newest_.try_emplace({r.period, r.unit}, r);
    if (!inserted && it->second.revision < r.revision) it->second = r;
  }

  std::vector<PgRollupRow> City(const std::string& period,
                                const std::string& city) const {
    std::map<std::pair<std::string, std::string>, PgRollupRow> rows;
    for (const auto& [key, r] : newest_) {
      if (r.period != period || r.city != city) continue;
      for (const FlatValue& v : r.values) {
        Add(rows, "", v);
        Add(rows, r.unit, v);
      }
    }
    return Flatten(rows);
  }

  std::vector<PgRollupRow> National(const std::string& period) const {
    std::map<std::pair<std::string, std::string>, PgRollupRow> rows;
    for (const auto& [key, r] : newest_) {
      if (r.period != period) continue;
      for (const FlatValue& v : r.values) {
        Add(rows, "", v);
        Add(rows, r.city, v);
      }
    }
    return Flatten(rows);
  }

 private:
  static void Add(
      std::map<std::pair<std::string, std::string>, PgRollupRow>& rows,
      const std::string& group, const FlatValue& v) {
    PgRollupRow& row = rows[{group, v.indicator}];
    row.group = group;
    row.indicator = v.indicator;
    row.numerator += v.numerator;
    row.denominator += v.denominator;
    row.number += v.number;
    ++row.reported;
  }
  static std::vector<PgRollupRow> Flatten(
      const std::map<std::pair<std::string, std::string>, PgRollupRow>& rows) {
    std::vector<PgRollupRow> out;
    for (const auto& [key, row] : rows) out.push_back(row);
    return out;
  }

  std::map<std::pair<std::string, std::string>, FlatReport> newest_;
};

auto Key(const PgRollupRow& r) {
  return std::tie(r.group, r.indicator, r.numerator, r.denominator, r.number,
                  r.reported);
}

// OK when `got` equals `want` row for row; else the first difference.
absl::Status Compare(absl::string_view what,
                     const std::vector<PgRollupRow>& got,
                     const std::vector<PgRollupRow>& want) {
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    if (i >= got.size() || i >= want.size() || Key(got[i]) != Key(want[i])) {
      auto show = [](const std::vector<PgRollupRow>& rows, size_t i) {
        if (i >= rows.size()) return std::string("(none)");
        const PgRollupRow& r = rows[i];
        return absl::StrCat("[", r.group, "] ", r.indicator, " ", r.numerator,
                            "/", r.denominator, " n=", r.number,
                            " reported=", r.reported);
      };
      return absl::InternalError(absl::StrCat(
          what, ": row ", i, " is ", show(got, i), ", expected ", show(want, i),
          " (", got.size(), " rows, expected ", want.size(), ")"));
    }
  }
  return absl::OkStatus();
}

void PrintRows(const std::vector<PgRollupRow>& rows, size_t limit) {
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    const PgRollupRow& r = rows[i];
    std::printf("    %-8s %-8s num=%-7lld den=%-7lld n=%-5lld reported=%lld\n",
                r.group.empty() ? "(total)" : r.group.c_str(),
                r.indicator.c_str(), static_cast<long long>(r.numerator),
                static_cast<long long>(r.denominator),
                static_cast<long long>(r.number),
                static_cast<long long>(r.reported));
  }
  if (rows.size() > limit) std::printf("    ... %zu rows\n", rows.size());
}

void PrintLoad(const char* what, const LoadResult& r) {
  std::printf(
      "%s: clients=%d sent=%lld acknowledged=%lld failed=%lld values=%lld "
      "%.3f s, %.0f/s, %.0f values/s, p50 %.2f ms, p99 %.2f ms\n",
      what, r.clients, static_cast<long long>(r.sent),
      static_cast<long long>(r.acknowledged), static_cast<long long>(r.failed),
      static_cast<long long>(r.values), r.seconds, r.per_second(),
      r.values_per_second(), r.p50_ms(), r.p99_ms());
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

absl::Status CheckQueries(PgServer& pg, const Model& model,
                          const std::string& period,
                          const std::vector<std::string>& cities,
                          int iterations, bool print) {
  for (const std::string& city : cities) {
    std::vector<PgRollupRow> rows;
    absl::StatusOr<LoadResult> r =
        pg.QueryCity(period, city, iterations, &rows);
    if (!r.ok()) return r.status();
    PrintLoad(absl::StrCat("  city ", period, " ", city).c_str(), *r);
    if (print) PrintRows(rows, 40);
    absl::Status s = Compare(absl::StrCat("city ", period, " ", city), rows,
                             model.City(period, city));
    if (!s.ok()) return s;
  }
  std::vector<PgRollupRow> rows;
  absl::StatusOr<LoadResult> r = pg.QueryNational(period, iterations, &rows);
  if (!r.ok()) return r.status();
  PrintLoad(absl::StrCat("  national ", period).c_str(), *r);
  if (print) PrintRows(rows, 40);
  return Compare(absl::StrCat("national ", period), rows,
                 model.National(period));
}

absl::Status Run(bool big, const std::string& parent) {
  auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<PgServer>> started = PgServer::Start(parent);
  if (!started.ok()) return started.status();
  std::unique_ptr<PgServer> pg = *std::move(started);
  std::printf("started in %.2f s\n", SecondsSince(t0));

  const std::vector<std::string> cities = {"01", "79"};
  auto unit_name = [](const std::string& city, int u) {
    return absl::StrCat(city, ".U", u);
  };

  // History: 2 cities x 3 units x 2 indicators x 2 periods.
  Model model;
  std::vector<FlatReport> history;
  for (const std::string period : {"2026-01", "2026-02"}) {
    for (const std::string& city : cities) {
      for (int u = 0; u < 3; ++u) {
        history.push_back(MakeReport(period, city, unit_name(city, u), 1, 2));
      }
    }
  }
  for (const FlatReport& r : history) model.Apply(r);
  t0 = std::chrono::steady_clock::now();
  absl::Status s = pg->LoadHistory(history);
  if (!s.ok()) return s;
  std::printf("history: %zu reports in %.3f s\n", history.size(),
              SecondsSince(t0));
  s = CheckQueries(*pg, model, "2026-01", cities, 3, true);
  if (!s.ok()) return s;

  // Out-of-order revisions of 15 units per city, for a history period and a
  // new one; unit u has revisions 1..2+u%4 (revision 1 of a history unit is a
  // stale duplicate), with 2 or 3 indicators by revision parity so that a
  // newer revision also removes values. Then one exact duplicate.
  std::vector<FlatReport> reports;
  for (const std::string period : {"2026-02", "2026-03"}) {
    for (const std::string& city : cities) {
      for (int u = 0; u < 15; ++u) {
        for (int rev = 1; rev <= 2 + u % 4; ++rev) {
          int indicators = rev == 1 ? 2 : 2 + rev % 2;
          reports.push_back(
              MakeReport(period, city, unit_name(city, u), rev, indicators));
        }
      }
    }
  }
  std::mt19937_64 rng(7);
  std::shuffle(reports.begin(), reports.end(), rng);
  reports.push_back(reports[reports.size() / 2]);
  for (const FlatReport& r : reports) model.Apply(r);
  absl::StatusOr<LoadResult> ingest = pg->Ingest(reports, 4);
  if (!ingest.ok()) return ingest.status();
  PrintLoad("ingest", *ingest);
  if (ingest->acknowledged != static_cast<int64_t>(reports.size()) ||
      ingest->failed != 0) {
    return absl::InternalError(
        absl::StrCat("ingest acknowledged ", ingest->acknowledged,
                     " and failed ", ingest->failed, " of ", reports.size()));
  }
  // A report that fails (an indicator twice: the primary key refuses it) is
  // rolled back: counted failed, the unit's values as they were.
  FlatReport bad = MakeReport("2026-03", "79", unit_name("79", 0), 100, 2);
  bad.values.push_back(bad.values.front());
  ingest = pg->Ingest({bad}, 1);
  if (!ingest.ok()) return ingest.status();
  PrintLoad("ingest of a bad report", *ingest);
  if (ingest->acknowledged != 0 || ingest->failed != 1) {
    return absl::InternalError("the bad report did not fail alone");
  }
  for (const std::string period : {"2026-01", "2026-02", "2026-03"}) {
    s = CheckQueries(*pg, model, period, cities, 20, period == "2026-03");
    if (!s.ok()) return s;
  }
  absl::StatusOr<int64_t> bytes = pg->StoredBytes();
  if (!bytes.ok()) return bytes.status();
  std::printf("stored: %lld bytes\n", static_cast<long long>(*bytes));

  // Throughput: 2,000 new reports of 30 values from 16 clients.
  reports.clear();
  for (int u = 0; u < 2000; ++u) {
    const std::string& city = cities[u % 2];
    reports.push_back(MakeReport("2026-04", city, unit_name(city, u), 1, 30));
  }
  for (const FlatReport& r : reports) model.Apply(r);
  ingest = pg->Ingest(reports, 16);
  if (!ingest.ok()) return ingest.status();
  PrintLoad("ingest 2000", *ingest);
  if (ingest->acknowledged != 2000 || ingest->failed != 0) {
    return absl::InternalError("ingest of 2000 reports incomplete");
  }
  s = CheckQueries(*pg, model, "2026-04", cities, 20, false);
  if (!s.ok()) return s;

  if (big) {
    // ~1.3 million values: 12 months x 3,400 units x 32 indicators.
    s = pg->Truncate();
    if (!s.ok()) return s;
    Model big_model;
    history.clear();
    std::vector<std::string> big_cities;
    for (int c = 0; c < 34; ++c) big_cities.push_back(absl::StrCat(c + 1));
    for (int m = 1; m <= 12; ++m) {
      const std::string period = absl::StrCat("2025-", m < 10 ? "0" : "", m);
      for (int u = 0; u < 3400; ++u) {
        const std::string& city = big_cities[u % 34];
        history.push_back(MakeReport(period, city, unit_name(city, u), 1, 32));
      }
    }
    for (const FlatReport& r : history) big_model.Apply(r);
    t0 = std::chrono::steady_clock::now();
    s = pg->LoadHistory(history);
    if (!s.ok()) return s;
    std::printf("big history: %zu reports, %zu values in %.2f s\n",
                history.size(), history.size() * 32, SecondsSince(t0));
    s = CheckQueries(*pg, big_model, "2025-12", {"34", "1"}, 50, false);
    if (!s.ok()) return s;
    bytes = pg->StoredBytes();
    if (!bytes.ok()) return bytes.status();
    std::printf("big stored: %lld bytes\n", static_cast<long long>(*bytes));
  }

  t0 = std::chrono::steady_clock::now();
  pg.reset();
  std::printf("stopped and removed in %.2f s\n", SecondsSince(t0));
  return absl::OkStatus();
}

}  // namespace
}  // namespace tonghop::bench

int main(int argc, char** argv) {
  bool big = false;
  std::string parent = "/tmp";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--big") == 0) {
      big = true;
    } else if (std::strncmp(argv[i], "--parent=", 9) == 0) {
      parent = argv[i] + 9;
    } else {
      std::fprintf(stderr, "usage: postgres_smoke [--big] [--parent=DIR]\n");
      return 2;
    }
  }
  absl::Status s = tonghop::bench::Run(big, parent);
  if (!s.ok()) {
    std::fprintf(stderr, "postgres_smoke: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("postgres_smoke: OK\n");
  return 0;
}
