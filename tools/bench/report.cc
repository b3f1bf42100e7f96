#include "tools/bench/report.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "grpcpp/grpcpp.h"
#include "rocksdb/version.h"

namespace tonghop::bench {
namespace {

std::string Fixed(double v, int digits = 1) {
  return absl::StrFormat("%.*f", digits, v);
}

// "p50 / p99" of `r` in ms, two decimals.
std::string P50P99(const LoadResult& r) {
  return absl::StrCat(Fixed(r.p50_ms(), 2), " / ", Fixed(r.p99_ms(), 2));
}

std::string Ratio(double a, double b) {
  return b > 0 ? absl::StrFormat("%.2f×", a / b) : "–";
}

// What `cmd` prints, without its trailing newlines and blanks.
std::string Command(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, f) != nullptr) out += buf;
  pclose(f);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

std::string Machine() {
  struct utsname u;
  uname(&u);
  return absl::StrCat(
      "- CPU: ",
      Command("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | "
              "sed 's/^ //'"),
      ", ", std::thread::hardware_concurrency(), " cores\n", "- Memory: ",
      Command("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' "
              "/proc/meminfo"),
      "\n- Kernel: ", u.sysname, " ", u.release, " (", u.machine, ")\n",
      "- OS: ", Command("grep PRETTY_NAME /etc/os-release | cut -d'\"' -f2"),
      "\n", "- Disk of the work folder: ",
      Command("df -h --output=source,fstype,size /tmp | tail -1"), "\n",
      "- gRPC ", grpc::Version(), ", RocksDB ", ROCKSDB_MAJOR, ".",
      ROCKSDB_MINOR, ".", ROCKSDB_PATCH, ", ",
      Command("/usr/lib/postgresql/15/bin/postgres --version 2>/dev/null"),
      "\n");
}

struct Table {
  std::vector<std::vector<std::string>> rows;
  void Add(std::vector<std::string> row) { rows.push_back(std::move(row)); }
  std::string Markdown() const {
    std::string out;
    for (size_t i = 0; i < rows.size(); ++i) {
      out += "| " + absl::StrJoin(rows[i], " | ") + " |\n";
      if (i == 0) {
        std::vector<std::string> sep(rows[0].size(), "---");
        out += "| " + absl::StrJoin(sep, " | ") + " |\n";
      }
    }
    return out;
  }
};

// Lookups that give an empty figure for what was not measured (PostgreSQL
// left out, a mode missing).
const CeilingRun& CeilingOf(const Results& r, const std::string& mode,
                            int clients) {
  static const CeilingRun kNone;
  auto m = r.ceiling.find(mode);
  if (m == r.ceiling.end()) return kNone;
  auto it = m->second.find(clients);
  return it == m->second.end() ? kNone : it->second;
}
const LoadResult& PgIngest(const Results& r, int clients) {
  static const LoadResult kNone;
  auto it = r.pg.ingest.find(clients);
  return it == r.pg.ingest.end() ? kNone : it->second;
}
MachineCpu PgIngestMachine(const Results& r, int clients) {
  auto it = r.pg.ingest_machine.find(clients);
  return it == r.pg.ingest_machine.end() ? MachineCpu() : it->second;
}
// The steal share of a phase's intervals, in percent.
double StealPercent(const MachineCpu& phase) {
  return 100 * StealShare(MachineCpu(), phase);
}
const TonghopRun& TonghopAt(const Results& r, int clients) {
  static const TonghopRun kNone;
  auto it = r.tonghop.find(clients);
  return it == r.tonghop.end() ? kNone : it->second;
}

int Top(const Results& r) { return r.levels.back(); }

double CityPeakMb(const Results& r) {
  double peak = 0;
  for (const auto& [c, run] : r.tonghop)
    peak = std::max(peak, run.city_peak_rss_mb);
  return peak;
}
double CentralPeakMb(const Results& r) {
  double peak = 0;
  for (const auto& [c, run] : r.tonghop)
    peak = std::max(peak, run.central_peak_rss_mb);
  return peak;
}
double BytesPerValue(const Results& r) {
  return r.history.stored_values > 0
             ? static_cast<double>(r.history.disk_bytes) /
                   r.history.stored_values
             : 0;
}
double PgBytesPerValue(const Results& r) {
  return r.pg.values > 0 ? static_cast<double>(r.pg.bytes) / r.pg.values : 0;
}

// Ingest: reports/s per concurrency, the shared run, values/s, latency, CPU.
void IngestRows(const Results& r, Table& t) {
  const int top = Top(r);
  const bool pg = r.with_pg;
  for (int c : r.levels) {
    const LoadResult& a = TonghopAt(r, c).city;
    const LoadResult& g = CeilingOf(r, "group", c).load;
    const LoadResult& p = PgIngest(r, c);
    t.Add({absl::StrCat("Ingest, reports/s, ", c, " clients"),
           Fixed(a.per_second(), 0),
           absl::StrCat(
               Fixed(g.per_second(), 0), " (put ",
               Fixed(CeilingOf(r, "put", c).load.per_second(), 0), ", echo ",
               Fixed(CeilingOf(r, "echo", c).load.per_second(), 0),
               c == top
                   ? absl::StrCat(
                         "; back to back ",
                         Fixed(CeilingOf(r, "continuous", c).load.per_second(),
                               0))
                   : "",
               ")"),
           pg ? Fixed(p.per_second(), 0) : "–",
           Ratio(a.per_second(), g.per_second()),
           Ratio(a.per_second(), p.per_second())});
  }
  const TonghopRun& main_run = TonghopAt(r, top);
  const LoadResult& ceil_top = CeilingOf(r, "group", top).load;
  const LoadResult& pg_top = PgIngest(r, top);
  t.Add({absl::StrCat("Ingest, reports/s, ", top,
                      " clients, the other 33 cities pushing to the central "
                      "node during the city's burst"),
         Fixed(r.shared.city.per_second(), 0),
         Fixed(r.shared.ceiling.per_second(), 0), "–",
         Ratio(r.shared.city.per_second(), r.shared.ceiling.per_second()),
         Ratio(r.shared.city.per_second(), pg_top.per_second())});
  t.Add({absl::StrCat("Ingest, values/s, ", top, " clients"),
         Fixed(main_run.city.values_per_second(), 0),
         Fixed(ceil_top.values_per_second(), 0),
         pg ? Fixed(pg_top.values_per_second(), 0) : "–",
         Ratio(main_run.city.values_per_second(), ceil_top.values_per_second()),
         Ratio(main_run.city.values_per_second(), pg_top.values_per_second())});
  t.Add({absl::StrCat("Push latency p50 / p99, ms, ", top, " clients"),
         P50P99(main_run.city), P50P99(ceil_top), pg ? P50P99(pg_top) : "–", "",
         ""});
  const double n = static_cast<double>(main_run.city.acknowledged);
  const CeilingRun& cr = CeilingOf(r, "group", top);
  const double cn = static_cast<double>(cr.load.acknowledged);
  t.Add({absl::StrCat("CPU µs per push at ", top,
                      " clients: server(s); load generator"),
         n > 0 ? absl::StrCat("city ", Fixed(main_run.cpu_city / n * 1e6, 0),
                              " + central ",
                              Fixed(main_run.cpu_central / n * 1e6, 0), "; ",
                              Fixed(main_run.cpu_loadgen / n * 1e6, 0))
               : "–",
         cn > 0 ? absl::StrCat(Fixed(cr.cpu_server / cn * 1e6, 0), "; ",
                               Fixed(cr.cpu_loadgen / cn * 1e6, 0))
                : "–",
         "–", "", ""});
}

// Freshness and the queries, at the end of the burst and with history.
void QueryRows(const Results& r, Table& t) {
  const TonghopRun& main_run = TonghopAt(r, Top(r));
  const HistoryPoint& h60 = r.history.points.back();
  const bool pg = r.with_pg;
  t.Add(
      {"Freshness ward → city → central, p50 / p99, ms (the other cities "
       "during the burst)",
       absl::StrCat(Fixed(Percentile(main_run.freshness_ms, 0.5), 1), " / ",
                    Fixed(Percentile(main_run.freshness_ms, 0.99), 1), " (",
                    Fixed(Percentile(r.shared.freshness_ms, 0.5), 1), " / ",
                    Fixed(Percentile(r.shared.freshness_ms, 0.99), 1), ")"),
       "–", "–", "", ""});
  t.Add({absl::StrCat("City roll-up + per-ward breakdown (",
                      Fixed(h60.city_answer_bytes / 1024.0, 0),
                      " KiB), p50 / p99, ms (", r.history_months, " months)"),
         P50P99(h60.query_city), "–", pg ? P50P99(r.pg.city) : "–", "",
         pg ? Ratio(r.pg.city.p99_ms(), h60.query_city.p99_ms()) + " faster"
            : "–"});
  t.Add({absl::StrCat("National roll-up + per-city breakdown (",
                      Fixed(h60.national_answer_bytes / 1024.0, 0),
                      " KiB), p50 / p99, ms (", r.history_months, " months)"),
         P50P99(h60.query_national), "–", pg ? P50P99(r.pg.national) : "–", "",
         pg ? Ratio(r.pg.national.p99_ms(), h60.query_national.p99_ms()) +
                  " faster"
            : "–"});
  // The city's answer from a server doing nothing else, against SQL's p99.
  auto floor_row = [&](const std::string& figure, const LoadResult& floor) {
    t.Add({figure, P50P99(floor), "–", "–", "",
           pg ? Ratio(r.pg.city.p99_ms(), floor.p99_ms()) + " faster at p99"
              : "–"});
  };
  floor_row(
      "The city's answer, the same bytes, from a server doing nothing else "
      "(tonghop-bench-ceiling --mode=answer; same client, same blocks), "
      "p50 / p99, ms: the floor under the city roll-up",
      h60.answer_floor);
  floor_row(
      "The same, from a server doing nothing else over gRPC's async API "
      "(--api=async: one thread polling one queue, no handoff), p50 / p99, "
      "ms: the floor under the city roll-up whatever the server's API",
      h60.answer_floor_async);
  t.Add(
      {"gRPC round trip on this machine (GetNodeInfo, one connection), "
       "p50 / p99, ms: the floor under both roll-ups",
       P50P99(h60.round_trip), "–", "–", "", ""});
  t.Add(
      {"TCP round trip between two processes (1 byte each way, loopback), "
       "p50 / p99, ms: the floor under any client-server query",
       P50P99(h60.tcp_round_trip), "–", "–", "", ""});
  t.Add({"City / national roll-up p99, ms, end of the burst",
         absl::StrCat(Fixed(main_run.query_city.p99_ms(), 2), " / ",
                      Fixed(main_run.query_national.p99_ms(), 2)),
         "–", "–", "", ""});
  for (const HistoryPoint& p : r.history.points) {
    t.Add({absl::StrCat("City / national roll-up p99, ms, ", p.months,
                        " months stored (first query of each month); "
                        "start-up city / central, ms"),
           absl::StrCat(Fixed(p.query_city.p99_ms(), 2), " / ",
                        Fixed(p.query_national.p99_ms(), 2), " (",
                        Fixed(p.first_city.p99_ms(), 2), " / ",
                        Fixed(p.first_national.p99_ms(), 2), "); ",
                        Fixed(p.startup_ms_city, 0), " / ",
                        Fixed(p.startup_ms_central, 0)),
           "–", "–", "", ""});
  }
}

// Memory, disk and the counts of the run.
void ResourceRows(const Results& r, Table& t) {
  const bool pg = r.with_pg;
  t.Add({"Peak RSS, MiB: city node / central node (burst); ward node idle",
         absl::StrCat(Fixed(CityPeakMb(r)), " / ", Fixed(CentralPeakMb(r)),
                      "; ", Fixed(r.history.ward_idle_rss_mb)),
         "–", "–", "", ""});
  t.Add({absl::StrCat("Disk bytes per stored value (", r.history_months,
                      " months)"),
         Fixed(BytesPerValue(r)), "–", pg ? Fixed(PgBytesPerValue(r)) : "–", "",
         Ratio(BytesPerValue(r), PgBytesPerValue(r))});
  // The share of the machine's time the hypervisor gave other guests while
  // each system was measured: how quiet the host was meanwhile.
  const TonghopRun& main_run = TonghopAt(r, Top(r));
  const HistoryPoint& h60 = r.history.points.back();
  t.Add({absl::StrCat("CPU steal (the hypervisor's), % of the machine's time: "
                      "bursts at ",
                      Top(r), " clients; roll-ups (", r.history_months,
                      " months, both systems in turn)"),
         absl::StrCat(Fixed(StealPercent(main_run.machine_city)), "; ",
                      Fixed(100 * h60.steal_share)),
         Fixed(StealPercent(main_run.machine_ceiling)),
         pg ? absl::StrCat(Fixed(StealPercent(PgIngestMachine(r, Top(r)))),
                           "; ", Fixed(100 * h60.steal_share))
            : "–",
         "", ""});
  const RunCounts n = CountRuns(r);
  t.Add({"Pushes sent / acknowledged / values mismatched (of checked)",
         absl::StrCat(n.sent, " / ", n.acknowledged, " / ", n.mismatched,
                      " (of ", n.checked, ")"),
         "–",
         pg ? absl::StrCat("– / – / ", r.pg.check.mismatched, " (of ",
                           r.pg.check.checked, ")")
            : "–",
         "", ""});
}

// The goals, judged on this run's figures.
std::string GoalsTable(const Results& r) {
  const int top = Top(r);
  const TonghopRun& main_run = TonghopAt(r, top);
  const HistoryPoint& h60 = r.history.points.back();
  const HistoryPoint& h1 = r.history.points.front();
  Table goals;
  goals.Add({"Goal", "This run", "Met"});
  auto goal = [&](const std::string& what, const std::string& figure,
                  bool met) {
    goals.Add({what, figure, met ? "yes" : "no"});
  };
  const double vs_ceiling =
      main_run.city.per_second() /
      std::max(1e-9, CeilingOf(r, "group", top).load.per_second());
  goal(absl::StrCat("Ingest ≥ 70% of the ceiling at ", top, " clients"),
       absl::StrFormat("%.0f%%", 100 * vs_ceiling), vs_ceiling >= 0.7);
  if (r.with_pg) {
    const double vs_pg = main_run.city.per_second() /
                         std::max(1e-9, PgIngest(r, top).per_second());
    goal(absl::StrCat("Ingest ≥ 3× PostgreSQL at ", top, " clients"),
         absl::StrFormat("%.2f×", vs_pg), vs_pg >= 3);
  }
  const double fresh99 = Percentile(main_run.freshness_ms, 0.99);
  const double shared_fresh99 = Percentile(r.shared.freshness_ms, 0.99);
  goal(
      "Freshness p99 < 250 ms through two tiers (the other cities during the "
      "burst too)",
      absl::StrCat(Fixed(fresh99, 1), " ms (", Fixed(shared_fresh99, 1),
                   " ms)"),
      fresh99 < 250 && shared_fresh99 < 250);
  goal(absl::StrCat("Roll-up p99 < 5 ms (city; national), ", r.history_months,
                    " months stored"),
       absl::StrCat(Fixed(h60.query_city.p99_ms(), 2), " ms; ",
                    Fixed(h60.query_national.p99_ms(), 2), " ms"),
       h60.query_city.p99_ms() < 5 && h60.query_national.p99_ms() < 5);
  if (r.with_pg) {
    const double city_x = r.pg.city.p99_ms() / h60.query_city.p99_ms();
    const double national_x =
        r.pg.national.p99_ms() / h60.query_national.p99_ms();
    // Beside it, what a server doing nothing else reaches with the same
    // answer: the most any server of it over gRPC could show here.
    const double floor_x = r.pg.city.p99_ms() / h60.answer_floor.p99_ms();
    const double async_x = r.pg.city.p99_ms() / h60.answer_floor_async.p99_ms();
    // And what 10× asks of the whole answer, against gRPC's bare round trip
    // (no answer at all) in the same run: when the bare round trip is slower,
    // no gRPC server can meet it on this machine.
    goal("Roll-up ≥ 10× faster than SQL, p99 (city)",
         absl::StrFormat("%.1f× (the same answer from a server doing nothing "
                         "else: %.1f×, over the async API: %.1f×; 10× needs "
                         "the answer in %.2f ms, gRPC's bare round trip took "
                         "%.2f ms)",
                         city_x, floor_x, async_x, r.pg.city.p99_ms() / 10,
                         h60.round_trip.p99_ms()),
         city_x >= 10);
    goal("Roll-up ≥ 10× faster than SQL, p99 (national)",
         absl::StrFormat("%.1f×", national_x), national_x >= 10);
  }
  goal("A ward node idles under 50 MB RSS",
       absl::StrCat(Fixed(r.history.ward_idle_rss_mb), " MiB"),
       r.history.ward_idle_rss_mb < 50);
  goal("A city node stays under 300 MB during the burst",
       absl::StrCat(Fixed(CityPeakMb(r)), " MiB"), CityPeakMb(r) < 300);
  const double growth =
      h60.query_city.p50_ms() / std::max(1e-9, h1.query_city.p50_ms());
  goal(absl::StrCat("Query cost independent of history (city p50, ",
                    r.history_months, " vs 1 month)"),
       absl::StrFormat("%.2f×", growth), growth < 1.5);
  const RunCounts n = CountRuns(r);
  goal("National roll-up equals the plain sums of what was sent",
       absl::StrCat(n.mismatched, " of ", n.checked, " values differ"),
       n.mismatched == 0);
  return goals.Markdown();
}

}  // namespace

RunCounts CountRuns(const Results& r) {
  RunCounts n;
  n.mismatched = r.history.check.mismatched;
  n.checked = r.history.check.checked;
  std::vector<const TonghopRun*> runs = {&r.shared};
  for (const auto& [c, run] : r.tonghop) runs.push_back(&run);
  for (const TonghopRun* run : runs) {
    n.sent += run->city.sent + run->national.sent;
    n.acknowledged += run->city.acknowledged + run->national.acknowledged;
    n.mismatched += run->check.mismatched;
    n.checked += run->check.checked;
    n.not_reflected += run->not_reflected;
  }
  return n;
}

std::string Tables(const Results& r) {
  Table t;
  t.Add({"Figure", "tonghop", "ceiling", "PostgreSQL 15", "tonghop / ceiling",
         "tonghop / PostgreSQL"});
  IngestRows(r, t);
  QueryRows(r, t);
  ResourceRows(r, t);
  const int top = Top(r);
  const TonghopRun& main_run = TonghopAt(r, top);
  const std::string workload = absl::StrCat(
      "Workload: ", r.months, " month-end bursts per concurrency at ", kCity,
      " (", r.city_leaves, " wards and departments; ", main_run.city.sent,
      " pushes at the city at ", top, " clients, plus ", main_run.national.sent,
      " from the other 33 cities to the central node), ", r.history_months,
      " months of national history. Freshness samples: ",
      main_run.freshness_ms.size(),
      "; pushes never reflected: ", CountRuns(r).not_reflected,
      ". Run time: ", Fixed(r.minutes, 1), " min.\n");
  return absl::StrCat(t.Markdown(), "\n", GoalsTable(r), "\n", workload);
}

std::map<std::string, double> JsonFigures(const Results& r) {
  const int top = Top(r);
  const TonghopRun& main_run = TonghopAt(r, top);
  const LoadResult& ceil_top = CeilingOf(r, "group", top).load;
  const HistoryPoint& h60 = r.history.points.back();
  const HistoryPoint& h1 = r.history.points.front();
  const RunCounts n = CountRuns(r);
  const double acked = std::max<int64_t>(1, main_run.city.acknowledged);
  std::map<std::string, double> json = {
      {"tonghop_ingest_reports_per_s", main_run.city.per_second()},
      {"tonghop_ingest_values_per_s", main_run.city.values_per_second()},
      {"ceiling_ingest_reports_per_s", ceil_top.per_second()},
      {"tonghop_ingest_reports_per_s_national_during_burst",
       r.shared.city.per_second()},
      {"ceiling_ingest_reports_per_s_national_during_burst",
       r.shared.ceiling.per_second()},
      {"freshness_p99_ms_national_during_burst",
       Percentile(r.shared.freshness_ms, 0.99)},
      {"ceiling_put_reports_per_s", CeilingOf(r, "put", top).load.per_second()},
      {"ceiling_echo_reports_per_s",
       CeilingOf(r, "echo", top).load.per_second()},
      {"ceiling_back_to_back_reports_per_s",
       CeilingOf(r, "continuous", top).load.per_second()},
      {"postgres_ingest_reports_per_s", PgIngest(r, top).per_second()},
      {"push_latency_p50_ms", main_run.city.p50_ms()},
      {"push_latency_p99_ms", main_run.city.p99_ms()},
      {"freshness_p50_ms", Percentile(main_run.freshness_ms, 0.5)},
      {"freshness_p99_ms", Percentile(main_run.freshness_ms, 0.99)},
      {"query_city_p50_ms", h60.query_city.p50_ms()},
      {"query_city_p99_ms", h60.query_city.p99_ms()},
      {"query_national_p50_ms", h60.query_national.p50_ms()},
      {"query_national_p99_ms", h60.query_national.p99_ms()},
      {"query_city_answer_bytes", static_cast<double>(h60.city_answer_bytes)},
      {"query_national_answer_bytes",
       static_cast<double>(h60.national_answer_bytes)},
      {"query_city_p99_ms_end_of_burst", main_run.query_city.p99_ms()},
      {"query_national_p99_ms_end_of_burst", main_run.query_national.p99_ms()},
      {"postgres_query_city_p99_ms", r.pg.city.p99_ms()},
      {"postgres_query_national_p99_ms", r.pg.national.p99_ms()},
      {"query_city_floor_p50_ms", h60.answer_floor.p50_ms()},
      {"query_city_floor_p99_ms", h60.answer_floor.p99_ms()},
      {"query_city_floor_async_p50_ms", h60.answer_floor_async.p50_ms()},
      {"query_city_floor_async_p99_ms", h60.answer_floor_async.p99_ms()},
      {"round_trip_p50_ms", h60.round_trip.p50_ms()},
      {"round_trip_p99_ms", h60.round_trip.p99_ms()},
      {"tcp_round_trip_p50_ms", h60.tcp_round_trip.p50_ms()},
      {"tcp_round_trip_p99_ms", h60.tcp_round_trip.p99_ms()},
      {"ward_idle_rss_mb", r.history.ward_idle_rss_mb},
      {"city_peak_rss_mb", CityPeakMb(r)},
      {"central_peak_rss_mb", CentralPeakMb(r)},
      {"disk_bytes_per_value", BytesPerValue(r)},
      {"postgres_disk_bytes_per_value", PgBytesPerValue(r)},
      {"startup_ms_60_months", h60.startup_ms_city},
      {"startup_ms_1_month", h1.startup_ms_city},
      {"reports_sent", static_cast<double>(n.sent)},
      {"reports_acknowledged", static_cast<double>(n.acknowledged)},
      {"values_mismatched", static_cast<double>(n.mismatched)},
      {"values_checked", static_cast<double>(n.checked)},
      {"postgres_values_mismatched",
       static_cast<double>(r.pg.check.mismatched)},
      {"run_minutes", r.minutes},
      {"cpu_steal_percent_ingest_tonghop", StealPercent(main_run.machine_city)},
      {"cpu_steal_percent_ingest_ceiling",
       StealPercent(main_run.machine_ceiling)},
      {"cpu_steal_percent_ingest_postgres",
       StealPercent(PgIngestMachine(r, top))},
      {"cpu_steal_percent_queries", 100 * h60.steal_share},
      {"postgres_query_city_p50_ms", r.pg.city.p50_ms()},
      {"postgres_query_national_p50_ms", r.pg.national.p50_ms()},
      {"cpu_us_per_push_city", main_run.cpu_city * 1e6 / acked},
      {"cpu_us_per_push_central", main_run.cpu_central * 1e6 / acked},
      {"cpu_us_per_push_ceiling",
       CeilingOf(r, "group", top).cpu_server * 1e6 /
           std::max<int64_t>(1, ceil_top.acknowledged)},
  };
  for (const HistoryPoint& p : r.history.points) {
    const std::string months =
        absl::StrCat(p.months, p.months == 1 ? "_month" : "_months");
    json["query_city_p99_ms_" + months] = p.query_city.p99_ms();
    json["query_national_p99_ms_" + months] = p.query_national.p99_ms();
    json["query_city_first_p99_ms_" + months] = p.first_city.p99_ms();
    json["query_national_first_p99_ms_" + months] = p.first_national.p99_ms();
  }
  for (int c : r.levels) {
    json[absl::StrCat("tonghop_ingest_reports_per_s_", c, "_clients")] =
        TonghopAt(r, c).city.per_second();
    json[absl::StrCat("ceiling_ingest_reports_per_s_", c, "_clients")] =
        CeilingOf(r, "group", c).load.per_second();
    json[absl::StrCat("postgres_ingest_reports_per_s_", c, "_clients")] =
        PgIngest(r, c).per_second();
  }
  return json;
}

absl::Status WriteDocs(const std::string& docs, const Results& r,
                       const std::string& tables) {
  const std::map<std::string, double> json = JsonFigures(r);
  std::string out = "{\n";
  size_t i = 0;
  for (const auto& [key, value] : json) {
    out += absl::StrFormat("  \"%s\": %.3f%s\n", key, value,
                           ++i < json.size() ? "," : "");
  }
  out += "}\n";
  std::ofstream json_out(docs + "/benchmarks.json");
  json_out << out;
  std::ifstream notes_in(docs + "/benchmarks-notes.md");
  std::string analysis((std::istreambuf_iterator<char>(notes_in)),
                       std::istreambuf_iterator<char>());
  std::ofstream md(docs + "/benchmarks.md");
  md << "# Benchmarks: the national month-end burst\n\n"
     << "Written by `make bench` (tools/bench, `tonghop-bench`); the same "
        "figures are in [benchmarks.json](benchmarks.json).\n\n"
     << "## The machine\n\n"
     << Machine() << "\n## The figures\n\n"
     << tables << "\n"
     << analysis;
  json_out.close();
  md.close();
  if (!json_out || !md) {
    return absl::InternalError(absl::StrCat(
        "cannot write benchmarks.json or benchmarks.md in ", docs));
  }
  return absl::OkStatus();
}

}  // namespace tonghop::bench
