// tonghop-bench: the national month-end burst benchmark (docs/benchmarks.md).
//
// One run, on loopback, with real processes:
//  1. Ingest. For each concurrency (1, 16, 64 clients): a fresh central node
//     and a fresh Hồ Chí Minh City node (79, every commune and department as a
//     child node) on simulated clocks, and the ceiling server in group-commit
//     mode. Month after month the clocks move to the 17th (after the data
//     window, before the deadline of the 20th), and after a pause (kSettle)
//     the load generator plays the month: the other 33 cities push their
//     roll-ups straight to the central node, then the city's 168 wards and its
//     departments push their reports (10% corrected, 1% duplicated) as fast as
//     they are taken, to the ceiling server and to the city node in turn. A
//     probe watches the central node's copy of the city's breakdown for
//     freshness; at each month's end the national roll-up is checked against
//     plain sums of what was sent. Then the top concurrency once more with the
//     other cities pushing during the city's burst.
//  2. The ceiling's other modes (echo, one synced Put per RPC) take the same
//     pushes at the same concurrencies, in the same rhythm.
//  3. PostgreSQL 15 takes the same reports, one transaction each, in the same
//     rhythm.
//  4. History: 60 months of national data loaded in bulk into a fresh city
//     node and central node; start-up time and roll-up query latency at 1, 12
//     and 60 months; disk and memory. At 60 months PostgreSQL loads the same
//     history by COPY while the nodes run, and the same roll-ups by SQL are
//     timed in blocks alternating with tonghop's (history_run.h), with the
//     hypervisor's steal over those minutes.
// Prints one table; with --docs_dir writes benchmarks.md and benchmarks.json.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "libs/base/status_macros.h"
#include "libs/base/usage.h"
#include "tools/bench/history_run.h"
#include "tools/bench/ingest.h"
#include "tools/bench/postgres.h"
#include "tools/bench/report.h"
#include "tools/bench/workload.h"

ABSL_FLAG(int, months, 54,
          "month-end bursts per concurrency (about 190 pushes each at the city "
          "node: 54 gives each figure over 10,000 pushes)");
ABSL_FLAG(int, history_months, 60, "months of national history loaded in bulk");
ABSL_FLAG(std::string, clients, "1,16,64", "concurrencies of the ingest runs");
ABSL_FLAG(int, query_iterations, 1000, "roll-up queries per measurement");
ABSL_FLAG(bool, postgres, true, "also measure PostgreSQL 15");
ABSL_FLAG(std::string, work_dir, "",
          "scratch folder (default: a new one under /tmp, removed at the end)");
ABSL_FLAG(std::string, docs_dir, "",
          "write benchmarks.md and benchmarks.json here (default: only print)");
ABSL_FLAG(std::string, node_binary, TONGHOP_NODE_BINARY, "tonghop-node");
ABSL_FLAG(std::string, ceiling_binary, TONGHOP_CEILING_BINARY,
          "tonghop-bench-ceiling");
ABSL_FLAG(std::string, tcp_echo_binary, TONGHOP_TCP_ECHO_BINARY,
          "tonghop-bench-tcp-echo");
ABSL_FLAG(uint64_t, seed, 2026, "workload seed");

namespace tonghop::bench {
namespace {

// 1 and 2: tonghop with the ceiling (group commit) in the same months at each
// concurrency, the top one again with the other cities during the burst, and
// the ceiling's other modes.
absl::Status RunIngest(const std::vector<MonthLoad>& bursts, World& world,
                       const std::string& work, const BenchSetup& setup,
                       Results& r) {
  for (int c : r.levels) {
    Progress(absl::StrCat("tonghop and the ceiling: ", c, " clients"));
    const std::string dir = absl::StrCat(work, "/tonghop-", c);
    ASSIGN_OR_RETURN(TonghopRun run,
                     RunTonghop(bursts, world, c, dir, setup,
                                /*national_during_burst=*/false));
    r.ceiling["group"][c] = {run.ceiling, run.cpu_ceiling,
                             run.cpu_ceiling_loadgen};
    r.tonghop[c] = std::move(run);
    std::filesystem::remove_all(dir);
  }
  // The top concurrency again, the other cities pushing to the central node
  // during the city's burst: the central node's work for them shares the two
  // cores with the city node under measurement.
  const int top = r.levels.back();
  Progress(absl::StrCat("tonghop, other cities during the burst: ", top,
                        " clients"));
  ASSIGN_OR_RETURN(
      r.shared, RunTonghop(bursts, world, top, work + "/tonghop-shared", setup,
                           /*national_during_burst=*/true));
  std::filesystem::remove_all(work + "/tonghop-shared");
  for (const std::string mode : {"echo", "put"}) {
    for (int c : r.levels) {
      Progress(absl::StrCat("ceiling ", mode, ": ", c, " clients"));
      const std::string dir = absl::StrCat(work, "/ceiling-", mode, "-", c);
      ASSIGN_OR_RETURN(
          r.ceiling[mode][c],
          RunCeiling(bursts, mode, c, dir, setup.ceiling_binary, kSettle));
      std::filesystem::remove_all(dir);
    }
  }
  // For reference: group commit with the bursts back to back, without the
  // pause (the machine never idles between them).
  Progress(absl::StrCat("ceiling group, back to back: ", top, " clients"));
  const std::string dir = work + "/ceiling-continuous";
  ASSIGN_OR_RETURN(r.ceiling["continuous"][top],
                   RunCeiling(bursts, "group", top, dir, setup.ceiling_binary,
                              std::chrono::milliseconds(0)));
  std::filesystem::remove_all(dir);
  return absl::OkStatus();
}

// 3: PostgreSQL takes the same bursts at each concurrency, in the same
// rhythm.
absl::Status RunPostgresIngest(const std::vector<MonthLoad>& bursts,
                               PgServer& pg, Results& r) {
  for (int c : r.levels) {
    Progress(absl::StrCat("postgres: ", c, " clients"));
    RETURN_IF_ERROR(pg.Truncate());
    LoadResult total;
    for (const MonthLoad& month : bursts) {
      std::this_thread::sleep_for(kSettle);  // the rhythm of tonghop's runs
      std::vector<FlatReport> flat;
      for (const auto& p : month.burst) flat.push_back(Flatten(p, kCity));
      const MachineCpu machine0 = MachineCpuNow();
      ASSIGN_OR_RETURN(LoadResult one, pg.Ingest(flat, c));
      AddInterval(machine0, MachineCpuNow(), r.pg.ingest_machine[c]);
      total.Merge(one);
    }
    total.clients = c;
    r.pg.ingest[c] = std::move(total);
  }
  return pg.Truncate();
}

// 4: PostgreSQL beside tonghop in the history phase: the history by COPY and
// the same roll-ups by SQL (on a thread of their own, as tonghop's queries;
// see QueryLoop), keeping the last national answer to check against the plain
// sums.
class PgBeside : public RollupsBeside {
 public:
  PgBeside(PgServer& pg, std::vector<PgRollupRow>& rows)
      : pg_(pg), rows_(rows) {}

  absl::Status Load(const std::vector<FlatReport>& history) override {
    return pg_.LoadHistory(history);
  }
  absl::StatusOr<LoadResult> City(const std::string& period, int n) override {
    return OnThread([&] { return pg_.QueryCity(period, kCity, n, nullptr); });
  }
  absl::StatusOr<LoadResult> National(const std::string& period,
                                      int n) override {
    return OnThread([&] { return pg_.QueryNational(period, n, &rows_); });
  }

 private:
  template <typename F>
  static absl::StatusOr<LoadResult> OnThread(F f) {
    absl::StatusOr<LoadResult> result;
    std::thread([&] { result = f(); }).join();
    return result;
  }
  PgServer& pg_;
  std::vector<PgRollupRow>& rows_;  // the last national answer
};

// Checks PostgreSQL's national totals (rows of group "") against the plain
// sums of the newest month.
void CheckPostgres(const std::vector<PgRollupRow>& rows, Results& r) {
  for (const PgRollupRow& row : rows) {
    if (!row.group.empty()) continue;
    auto it = r.history.newest_totals.find(row.indicator);
    if (it == r.history.newest_totals.end()) continue;
    ++r.pg.check.checked;
    const IndicatorTotal& t = it->second;
    if (row.numerator != t.numerator || row.denominator != t.denominator ||
        row.number != t.number) {
      ++r.pg.check.mismatched;
    }
  }
}

// The whole run in `work`; fills `r`.
absl::Status Run(const std::string& work, Results& r) {
  const auto wall0 = std::chrono::steady_clock::now();
  const BenchSetup setup{absl::GetFlag(FLAGS_node_binary),
                         absl::GetFlag(FLAGS_ceiling_binary),
                         absl::GetFlag(FLAGS_tcp_echo_binary),
                         absl::GetFlag(FLAGS_query_iterations)};
  ASSIGN_OR_RETURN(std::unique_ptr<World> world, World::Load());
  Generator gen(*world, absl::GetFlag(FLAGS_seed));
  r.city_leaves = world->Leaves(*world->registry().Find(kCity)).size();
  Progress(absl::StrCat("generating ", r.months, " month-end bursts"));
  ASSIGN_OR_RETURN(auto bursts, MakeBursts(gen, *world, r.months));
  RETURN_IF_ERROR(RunIngest(bursts, *world, work, setup, r));
  std::unique_ptr<PgServer> pg;
  if (r.with_pg) {
    ASSIGN_OR_RETURN(pg, PgServer::Start(work));
    RETURN_IF_ERROR(RunPostgresIngest(bursts, *pg, r));
  }
  Progress(absl::StrCat("history: ", r.history_months, " months"));
  std::vector<PgRollupRow> rows;
  std::unique_ptr<PgBeside> beside;
  if (pg) beside = std::make_unique<PgBeside>(*pg, rows);
  ASSIGN_OR_RETURN(r.history, RunHistory(gen, *world, work + "/history", setup,
                                         r.history_months, beside.get()));
  if (pg) {
    const HistoryPoint& full = r.history.points.back();
    r.pg.city = full.beside_city;
    r.pg.national = full.beside_national;
    for (const auto& report : r.history.flat)
      r.pg.values += report.values.size();
    CheckPostgres(rows, r);
    ASSIGN_OR_RETURN(r.pg.bytes, pg->StoredBytes());
  }
  r.minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0)
          .count() /
      60;
  return absl::OkStatus();
}

int Main() {
  Results r;
  for (absl::string_view s :
       absl::StrSplit(absl::GetFlag(FLAGS_clients), ',')) {
    int c = 0;
    if (!absl::SimpleAtoi(s, &c) || c < 1) {
      fprintf(stderr, "--clients: '%s' is not a positive number\n",
              std::string(s).c_str());
      return 2;
    }
    r.levels.push_back(c);
  }
  r.months = absl::GetFlag(FLAGS_months);
  r.history_months = absl::GetFlag(FLAGS_history_months);
  r.with_pg = absl::GetFlag(FLAGS_postgres);
  if (r.months < 1 || r.history_months < 1) {
    fprintf(stderr, "--months and --history_months must be at least 1\n");
    return 2;
  }
  std::string work = absl::GetFlag(FLAGS_work_dir);
  const bool own_work = work.empty();
  if (own_work) {
    char tmpl[] = "/tmp/tonghop-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      perror("mkdtemp");
      return 1;
    }
    work = tmpl;
    // PostgreSQL runs as `postgres`, which must be able to enter it.
    chmod(tmpl, 0755);
  }
  std::filesystem::create_directories(work);
  absl::Status s = Run(work, r);
  if (own_work) std::filesystem::remove_all(work);
  if (!s.ok()) {
    fprintf(stderr, "tonghop-bench: %s\n", s.ToString().c_str());
    return 1;
  }
  const std::string tables = Tables(r);
  printf("%s", tables.c_str());
  const std::string docs = absl::GetFlag(FLAGS_docs_dir);
  if (!docs.empty()) {
    s = WriteDocs(docs, r, tables);
    if (!s.ok()) {
      fprintf(stderr, "tonghop-bench: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  return CountRuns(r).mismatched == 0 && r.pg.check.mismatched == 0 ? 0 : 3;
}

}  // namespace
}  // namespace tonghop::bench

int main(int argc, char** argv) {
  tonghop::SetUsage(
      "tonghop-bench [--months=54 --history_months=60 --clients=1,16,64 "
      "--docs_dir=docs]: the national month-end burst benchmark",
      __FILE__);
  absl::ParseCommandLine(argc, argv);
  // As in tonghop-node: Debian's Abseil checks every lock for deadlocks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return tonghop::bench::Main();
}
