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
//     node and central node (and into PostgreSQL by COPY); start-up time and
//     roll-up query latency at 1, 12 and 60 months; disk and memory.
// Prints one table; with --docs_dir writes benchmarks.md and benchmarks.json.
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "libs/base/status_macros.h"
#include "libs/base/usage.h"
#include "libs/engine/history.h"
#include "libs/store/db.h"
#include "rocksdb/version.h"
#include "tonghop/v1/node.grpc.pb.h"
#include "tools/bench/drive.h"
#include "tools/bench/nodes.h"
#include "tools/bench/postgres.h"
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
ABSL_FLAG(uint64_t, seed, 2026, "workload seed");

namespace tonghop::bench {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kCity[] = "79";  // Thành phố Hồ Chí Minh
constexpr int kNationalClients = 4;
// The pause before each month's bursts, for every system measured: tonghop's
// nodes take the month's new date in it (their tickers run every 100 ms).
constexpr std::chrono::milliseconds kSettle(300);

double Ms(SteadyTime a, SteadyTime b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void Progress(const std::string& line) {
  fprintf(stderr, "[bench] %s\n", line.c_str());
}

// 08:00 on the 17th of month `p`, Vietnam time: the month-end burst. A
// month's data window closes on the 14th and its reports are due at the city
// before the 20th (Decree 09; docs/architecture.md), so the burst falls
// between the two: final figures, on time.
absl::Time BurstTime(const Period& p) {
  return absl::FromCivil(absl::CivilSecond(p.year, p.index, 17, 8),
                         absl::FixedTimeZone(7 * 3600));
}

Period MonthAt(int year, int month, int offset) {
  int m = (year * 12 + month - 1) + offset;
  return Period{m / 12, PeriodType::kMonth, m % 12 + 1};
}

// One month of the burst workload.
struct MonthLoad {
  Period period;
  std::vector<v1::PushRequest> burst;     // to the city node, in send order
  std::vector<v1::PushRequest> finals;    // the city's leaves, newest each
  std::vector<v1::PushRequest> national;  // the other cities, to the central
  Totals totals;                          // every leaf of every city, newest
  // `burst` and `national` serialised, as the load generator sends them.
  std::vector<EncodedPush> burst_wire, national_wire;
};

// Every other city's leaves for `period` and its push built from them.
absl::Status OtherCities(Generator& gen, World& world, const Period& period,
                         absl::Time updated, MonthLoad& load) {
  for (const Unit* city : world.Cities()) {
    if (city->code == kCity) continue;
    std::vector<v1::PushRequest> leaves;
    for (const Unit* leaf : world.Leaves(*city)) {
      ASSIGN_OR_RETURN(v1::PushRequest p,
                       gen.LeafPush(*leaf, period, 1, updated));
      AddToTotals(p, load.totals);
      leaves.push_back(std::move(p));
    }
    ASSIGN_OR_RETURN(v1::PushRequest push,
                     gen.CityPush(*city, period, leaves, 1, updated));
    load.national.push_back(std::move(push));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MonthLoad>> MakeBursts(Generator& gen, World& world,
                                                  int months) {
  std::vector<MonthLoad> out;
  const Unit* city = world.registry().Find(kCity);
  for (int m = 0; m < months; ++m) {
    MonthLoad load;
    load.period = MonthAt(2022, 1, m);
    const absl::Time updated = BurstTime(load.period) - absl::Hours(1);
    ASSIGN_OR_RETURN(load.burst, Burst(gen, world, *city, load.period, 0.10,
                                       0.01, updated, &load.finals));
    for (const auto& p : load.finals) AddToTotals(p, load.totals);
    RETURN_IF_ERROR(OtherCities(gen, world, load.period, updated, load));
    load.burst_wire = Encode(load.burst);
    load.national_wire = Encode(load.national);
    load.national.clear();  // only the wire form is sent
    out.push_back(std::move(load));
  }
  return out;
}

absl::Status SetClock(const std::string& target, absl::Time t) {
  auto stub = v1::AdminService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::SetClockRequest request;
  *request.mutable_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
  v1::SetClockResponse response;
  grpc::Status s = stub->SetClock(&context, request, &response);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("SetClock on ", target, ": ", s.error_message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::GetRollupResponse> Rollup(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& period,
    const std::string& unit, bool breakdown) {
  auto stub = v1::ReportingService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::GetRollupRequest request;
  request.set_period(period);
  request.set_unit(unit);
  request.set_breakdown(breakdown);
  v1::GetRollupResponse response;
  grpc::Status s = stub->GetRollup(&context, request, &response);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("GetRollup ", period, ": ", s.error_message()));
  }
  return response;
}

// Runs `call` (one blocking RPC, 10 s deadline) `warmup` times unmeasured,
// then `iterations` times back to back, each call's latency measured.
LoadResult TimedCalls(
    int iterations, int warmup,
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  LoadResult r;
  r.clients = 1;
  SteadyTime t0 = std::chrono::steady_clock::now();
  for (int i = -warmup; i < iterations; ++i) {
    if (i == 0) t0 = std::chrono::steady_clock::now();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    const SteadyTime a = std::chrono::steady_clock::now();
    grpc::Status s = call(&context);
    if (i < 0) continue;  // warm-up
    ++r.sent;
    if (!s.ok()) {
      ++r.failed;
      continue;
    }
    ++r.acknowledged;
    r.latencies_ms.push_back(Ms(a, std::chrono::steady_clock::now()));
  }
  r.seconds = Ms(t0, std::chrono::steady_clock::now()) / 1000;
  return r;
}

// Runs the roll-up query of `period` (with breakdown) `iterations` times back
// to back on one connection, after `warmup` unmeasured ones.
LoadResult QueryLoopHere(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& period, const std::string& unit,
                         int iterations, int warmup);

// QueryLoopHere on a thread of its own: the client parses each answer, and a
// fresh thread's allocator arena is not the main thread's, which holds the
// whole generated workload (as a secretariat's client would not).
LoadResult QueryLoop(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& period, const std::string& unit,
                     int iterations, int warmup = 50) {
  LoadResult result;
  std::thread([&] {
    result = QueryLoopHere(channel, period, unit, iterations, warmup);
  }).join();
  return result;
}

LoadResult QueryLoopHere(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& period, const std::string& unit,
                         int iterations, int warmup) {
  auto stub = v1::ReportingService::NewStub(channel);
  v1::GetRollupRequest request;
  request.set_period(period);
  request.set_unit(unit);
  request.set_breakdown(true);
  return TimedCalls(iterations, warmup, [&](grpc::ClientContext* context) {
    // Parsed onto an arena, as a client parses a large answer: the city's
    // breakdown is thousands of small messages, and with the heap their
    // allocation and release cost the client more than the round trip.
    google::protobuf::Arena arena;
    auto* response =
        google::protobuf::Arena::CreateMessage<v1::GetRollupResponse>(&arena);
    return stub->GetRollup(context, request, response);
  });
}

// GetNodeInfo `iterations` times back to back on one connection, after 50
// unmeasured calls: the gRPC round trip on this machine, under any query.
LoadResult RoundTripLoop(const std::shared_ptr<grpc::Channel>& channel,
                         int iterations) {
  auto stub = v1::ReportingService::NewStub(channel);
  return TimedCalls(iterations, 50, [&](grpc::ClientContext* context) {
    v1::NodeInfo response;
    return stub->GetNodeInfo(context, v1::GetNodeInfoRequest(), &response);
  });
}

// How many of the central roll-up's values differ from the plain sums.
struct Check {
  int64_t checked = 0, mismatched = 0;
};
void CheckNational(const v1::GetRollupResponse& rollup, const Totals& totals,
                   Check& check) {
  for (const v1::ConsolidatedValue& v : rollup.report().values()) {
    auto it = totals.find(v.indicator());
    if (it == totals.end()) continue;
    ++check.checked;
    const IndicatorTotal& t = it->second;
    bool same = false;
    if (v.value().has_ratio()) {
      same = v.value().ratio().numerator() == t.numerator &&
             v.value().ratio().denominator() == t.denominator;
    } else {
      same = v.value().number() == t.number;
    }
    if (!same) {
      ++check.mismatched;
      if (check.mismatched <= 5) {
        Progress(absl::StrCat("MISMATCH ", rollup.report().period(), " ",
                              v.indicator(), ": ", v.value().ShortDebugString(),
                              " vs ", t.numerator, "/", t.denominator, " ",
                              t.number));
      }
    }
  }
}

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
};

// Month by month, the nodes' clocks move to the 17th and the load generator
// plays the month's pushes: the other 33 cities' roll-ups to the central node
// (before the city's burst, or with `national_during_burst` at the same time),
// the city's burst to the ceiling server (group commit, for comparison) and
// to the city node, in turn. Measuring the ceiling in the same months as
// tonghop, in the same rhythm (a pause of kSettle before each month), keeps
// the ratio between them clear of this shared virtual machine's drifts, which
// move either figure by up to a third from one minute to the next.
absl::StatusOr<TonghopRun> RunTonghop(const std::vector<MonthLoad>& months,
                                      World& world, int clients,
                                      const std::string& dir,
                                      const std::string& node_binary,
                                      const std::string& ceiling_binary,
                                      bool national_during_burst) {
  TonghopRun run;
  run.clients = clients;
  const absl::Time start = BurstTime(months.front().period) - absl::Hours(24);
  v1::NodeConfig central_config;
  central_config.set_unit("VN");
  central_config.set_role(v1::ROLE_CENTRAL);
  ASSIGN_OR_RETURN(auto central, Process::StartNode(node_binary, central_config,
                                                    dir + "/central", start));
  v1::NodeConfig city_config = world.CityConfig(*world.registry().Find(kCity));
  city_config.set_parent_address(central->target());
  ASSIGN_OR_RETURN(auto city, Process::StartNode(node_binary, city_config,
                                                 dir + "/city", start));
  ASSIGN_OR_RETURN(auto ceiling, Process::Start(ceiling_binary,
                                                {"--mode=group",
                                                 "--db=" + dir + "/ceiling/db",
                                                 "--listen=127.0.0.1:0"},
                                                dir + "/ceiling"));
  ClientPool city_clients(Connect(city->target(), clients));
  ClientPool ceiling_clients(Connect(ceiling->target(), clients));
  ClientPool central_clients(Connect(central->target(), kNationalClients));
  auto probe_channel = Connect(central->target(), 1).front();

  for (size_t m = 0; m < months.size(); ++m) {
    const MonthLoad& month = months[m];
    const std::string label = month.period.Label();
    const absl::Time t = BurstTime(month.period);
    RETURN_IF_ERROR(SetClock(central->target(), t));
    RETURN_IF_ERROR(SetClock(city->target(), t));
    // Let the nodes' tickers (every 100 ms) take the new date first: the
    // month's turn (finalising and reminding for the months before) happens
    // weeks before a burst in life, not during it.
    std::this_thread::sleep_for(kSettle);
    LoadResult national;
    std::thread others(
        [&] { national = central_clients.Run(month.national_wire); });
    if (!national_during_burst) others.join();
    // The ceiling's burst and the city's, in turn (alternating which goes
    // first, so that neither always follows the other).
    auto ceiling_burst = [&] {
      const double cpu0[2] = {ceiling->CpuSeconds(), OwnCpuSeconds()};
      run.ceiling.Merge(ceiling_clients.Run(month.burst_wire));
      run.cpu_ceiling += ceiling->CpuSeconds() - cpu0[0];
      run.cpu_ceiling_loadgen += OwnCpuSeconds() - cpu0[1];
    };
    if (m % 2 == 0) ceiling_burst();
    RevisionProbe probe(probe_channel, label, kCity);
    const double cpu0[3] = {city->CpuSeconds(), central->CpuSeconds(),
                            OwnCpuSeconds()};
    std::vector<SteadyTime> acked(month.burst.size());
    std::vector<char> ok(month.burst.size(), 0);
    LoadResult burst =
        city_clients.Run(month.burst_wire, [&](size_t i, SteadyTime at) {
          acked[i] = at;
          ok[i] = 1;
        });
    if (national_during_burst) others.join();
    run.cpu_city += city->CpuSeconds() - cpu0[0];
    run.cpu_central += central->CpuSeconds() - cpu0[1];
    run.cpu_loadgen += OwnCpuSeconds() - cpu0[2];
    run.city.Merge(burst);
    run.national.Merge(national);
    // Wait (at most 30 s) until the central node reflects every final push.
    const SteadyTime wait_start = std::chrono::steady_clock::now();
    size_t reflected = 0;
    while (Ms(wait_start, std::chrono::steady_clock::now()) < 30000) {
      reflected = 0;
      SteadyTime at;
      for (const auto& f : month.finals)
        reflected += probe.SeenAt(f.child(), f.revision(), &at);
      if (reflected == month.finals.size()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    run.not_reflected += month.finals.size() - reflected;
    if (m % 2 == 1) ceiling_burst();
    // Freshness of each first acknowledgement of a (leaf, revision).
    std::map<std::pair<std::string, int64_t>, SteadyTime> first_ack;
    for (size_t i = 0; i < month.burst.size(); ++i) {
      if (!ok[i]) continue;
      auto key =
          std::make_pair(month.burst[i].child(), month.burst[i].revision());
      auto it = first_ack.find(key);
      if (it == first_ack.end() || acked[i] < it->second)
        first_ack[key] = acked[i];
    }
    for (const auto& [key, at] : first_ack) {
      SteadyTime seen;
      if (probe.SeenAt(key.first, key.second, &seen))
        run.freshness_ms.push_back(std::max(0.0, Ms(at, seen)));
    }
    // Wait until the other cities' pushes are in too, then check the sums.
    absl::StatusOr<v1::GetRollupResponse> national_rollup;
    for (int attempt = 0; attempt < 100; ++attempt) {
      national_rollup = Rollup(probe_channel, label, "", false);
      if (!national_rollup.ok()) break;
      Check c;
      CheckNational(*national_rollup, month.totals, c);
      if (c.mismatched == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!national_rollup.ok()) return national_rollup.status();
    CheckNational(*national_rollup, month.totals, run.check);
  }
  run.ceiling.clients = clients;
  run.city_peak_rss_mb = city->PeakRssMb();
  run.central_peak_rss_mb = central->PeakRssMb();
  const std::string last = months.back().period.Label();
  run.query_city = QueryLoop(Connect(city->target(), 1).front(), last, "",
                             absl::GetFlag(FLAGS_query_iterations));
  run.query_national =
      QueryLoop(probe_channel, last, "", absl::GetFlag(FLAGS_query_iterations));
  RETURN_IF_ERROR(ceiling->Stop());
  RETURN_IF_ERROR(city->Stop());
  RETURN_IF_ERROR(central->Stop());
  return run;
}

// A ceiling run: its load, and the CPU seconds the server and the load
// generator used during the bursts.
struct CeilingRun {
  LoadResult load;
  double cpu_server = 0, cpu_loadgen = 0;
};

// The ceiling server in `mode` taking the months' bursts, each after `pause`.
absl::StatusOr<CeilingRun> RunCeiling(const std::vector<MonthLoad>& months,
                                      const std::string& mode, int clients,
                                      const std::string& dir,
                                      const std::string& binary,
                                      std::chrono::milliseconds pause) {
  ASSIGN_OR_RETURN(auto server,
                   Process::Start(binary,
                                  {"--mode=" + mode, "--db=" + dir + "/db",
                                   "--listen=127.0.0.1:0"},
                                  dir));
  CeilingRun run;
  {
    ClientPool pool(Connect(server->target(), clients));
    for (const MonthLoad& month : months) {
      std::this_thread::sleep_for(pause);
      const double server0 = server->CpuSeconds(), own0 = OwnCpuSeconds();
      run.load.Merge(pool.Run(month.burst_wire));
      run.cpu_server += server->CpuSeconds() - server0;
      run.cpu_loadgen += OwnCpuSeconds() - own0;
    }
  }
  run.load.clients = clients;
  RETURN_IF_ERROR(server->Stop());
  return run;
}

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
  std::vector<HistoryPoint> points;
  int64_t disk_bytes = 0, stored_values = 0;
  double ward_idle_rss_mb = 0;
  std::vector<FlatReport> flat;  // every leaf's report, for PostgreSQL
  Totals newest_totals;          // of the newest month
  std::string newest;            // its label
  Check check;
};

int CountValues(const v1::PushRequest& push) {
  int n = push.values_size();
  for (const auto& b : push.children()) n += b.values_size();
  return n;
}

absl::StatusOr<HistoryRun> RunHistory(Generator& gen, World& world,
                                      const std::string& dir,
                                      const std::string& node_binary,
                                      int history_months, bool flat) {
  HistoryRun run;
  const Unit* city = world.registry().Find(kCity);
  ASSIGN_OR_RETURN(const Topology* city_topo, world.NodeTopology(*city));
  ASSIGN_OR_RETURN(const Topology* central_topo,
                   world.NodeTopology(*world.registry().Find("VN")));
  v1::NodeConfig central_config;
  central_config.set_unit("VN");
  central_config.set_role(v1::ROLE_CENTRAL);
  v1::NodeConfig city_config = world.CityConfig(*city);
  const Period first = MonthAt(2026, 1, -history_months);
  const absl::Time start = BurstTime(MonthAt(2026, 1, 0));
  std::vector<int> checkpoints;
  for (int c : {1, 12, 60}) {
    if (c < history_months) checkpoints.push_back(c);
  }
  checkpoints.push_back(history_months);
  int loaded = 0;
  for (int checkpoint : checkpoints) {
    std::vector<std::pair<std::string, std::string>> city_records,
        central_records;
    for (; loaded < checkpoint; ++loaded) {
      const Period p = MonthAt(first.year, first.index, loaded);
      const absl::Time updated = BurstTime(p) - absl::Hours(48);
      std::vector<v1::PushRequest> city_pushes;
      run.newest_totals.clear();
      run.newest = p.Label();
      for (const Unit* c : world.Cities()) {
        std::vector<v1::PushRequest> leaves;
        for (const Unit* leaf : world.Leaves(*c)) {
          ASSIGN_OR_RETURN(v1::PushRequest lp,
                           gen.LeafPush(*leaf, p, 1, updated));
          AddToTotals(lp, run.newest_totals);
          if (flat) run.flat.push_back(Flatten(lp, c->code));
          leaves.push_back(std::move(lp));
        }
        ASSIGN_OR_RETURN(v1::PushRequest cp,
                         gen.CityPush(*c, p, leaves, 1, updated));
        run.stored_values += CountValues(cp) + cp.values_size();
        if (c->code == kCity) {
          for (const auto& l : leaves) run.stored_values += l.values_size();
          ASSIGN_OR_RETURN(auto records,
                           HistoryRecords(*city_topo, p, leaves, updated));
          city_records.insert(city_records.end(), records.begin(),
                              records.end());
        }
        city_pushes.push_back(std::move(cp));
      }
      ASSIGN_OR_RETURN(auto records,
                       HistoryRecords(*central_topo, p, city_pushes, updated));
      central_records.insert(central_records.end(), records.begin(),
                             records.end());
    }
    std::sort(city_records.begin(), city_records.end());
    std::sort(central_records.begin(), central_records.end());
    for (auto [path, records] :
         {std::make_pair(dir + "/city/data", &city_records),
          std::make_pair(dir + "/central/data", &central_records)}) {
      std::filesystem::create_directories(path);
      ASSIGN_OR_RETURN(auto db, Db::Open(path + "/db"));
      RETURN_IF_ERROR(db->Ingest(*records));
    }
    Progress(absl::StrCat("history: ", checkpoint, " months loaded"));
    HistoryPoint point;
    point.months = checkpoint;
    ASSIGN_OR_RETURN(auto central,
                     Process::StartNode(node_binary, central_config,
                                        dir + "/central", start));
    city_config.set_parent_address(central->target());
    ASSIGN_OR_RETURN(
        auto city_node,
        Process::StartNode(node_binary, city_config, dir + "/city", start));
    point.startup_ms_city = absl::ToDoubleMilliseconds(city_node->startup());
    point.startup_ms_central = absl::ToDoubleMilliseconds(central->startup());
    const int n = absl::GetFlag(FLAGS_query_iterations);
    auto central_channel = Connect(central->target(), 1).front();
    auto city_channel = Connect(city_node->target(), 1).front();
    for (int k = 0; k < loaded; ++k) {
      const std::string label = MonthAt(first.year, first.index, k).Label();
      point.first_city.Merge(QueryLoop(city_channel, label, "", 1, 0));
      point.first_national.Merge(QueryLoop(central_channel, label, "", 1, 0));
    }
    point.query_city = QueryLoop(city_channel, run.newest, "", n);
    point.query_national = QueryLoop(central_channel, run.newest, "", n);
    std::thread([&] {
      point.round_trip = RoundTripLoop(city_channel, n);
    }).join();
    ASSIGN_OR_RETURN(auto national,
                     Rollup(central_channel, run.newest, "", true));
    CheckNational(national, run.newest_totals, run.check);
    point.national_answer_bytes = static_cast<int64_t>(national.ByteSizeLong());
    ASSIGN_OR_RETURN(auto city_answer,
                     Rollup(city_channel, run.newest, "", true));
    point.city_answer_bytes = static_cast<int64_t>(city_answer.ByteSizeLong());
    if (checkpoint == history_months) {
      // A ward node of the city, idle: what a commune's server needs.
      v1::NodeConfig ward;
      ward.set_unit(world.Leaves(*city).front()->code);
      ward.set_role(v1::ROLE_WARD);
      ward.set_parent_address(city_node->target());
      ASSIGN_OR_RETURN(
          auto ward_node,
          Process::StartNode(node_binary, ward, dir + "/ward", start));
      std::this_thread::sleep_for(std::chrono::seconds(3));
      run.ward_idle_rss_mb = ward_node->RssMb();
      RETURN_IF_ERROR(ward_node->Stop());
    }
    RETURN_IF_ERROR(city_node->Stop());
    RETURN_IF_ERROR(central->Stop());
    if (checkpoint == history_months) {
      run.disk_bytes = DirectoryBytes(dir + "/city/data") +
                       DirectoryBytes(dir + "/central/data");
    }
    run.points.push_back(std::move(point));
  }
  return run;
}

// ---- Output --------------------------------------------------------------

std::string Fixed(double v, int digits = 1) {
  return absl::StrFormat("%.*f", digits, v);
}

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

std::string Ratio(double a, double b) {
  return b > 0 ? absl::StrFormat("%.2f×", a / b) : "–";
}

int Main() {
  const auto wall0 = std::chrono::steady_clock::now();
  std::vector<int> levels;
  for (absl::string_view s :
       absl::StrSplit(absl::GetFlag(FLAGS_clients), ',')) {
    int c = 0;
    if (!absl::SimpleAtoi(s, &c) || c < 1) {
      fprintf(stderr, "--clients: '%s' is not a positive number\n",
              std::string(s).c_str());
      return 2;
    }
    levels.push_back(c);
  }
  const int months = absl::GetFlag(FLAGS_months);
  const int history_months = absl::GetFlag(FLAGS_history_months);
  if (months < 1 || history_months < 1) {
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
  auto fail = [&](const absl::Status& s) {
    fprintf(stderr, "tonghop-bench: %s\n", s.ToString().c_str());
    return 1;
  };

  auto world_or = World::Load();
  if (!world_or.ok()) return fail(world_or.status());
  World& world = **world_or;
  Generator gen(world, absl::GetFlag(FLAGS_seed));
  Progress(absl::StrCat("generating ", months, " month-end bursts"));
  auto bursts = MakeBursts(gen, world, months);
  if (!bursts.ok()) return fail(bursts.status());

  // 1. tonghop, and the ceiling (group commit) in the same months.
  std::map<int, TonghopRun> tonghop;
  std::map<std::string, std::map<int, LoadResult>> ceiling;
  std::map<std::string, std::map<int, CeilingRun>> ceiling_runs;
  for (int c : levels) {
    Progress(absl::StrCat("tonghop and the ceiling: ", c, " clients"));
    const std::string dir = absl::StrCat(work, "/tonghop-", c);
    auto run =
        RunTonghop(*bursts, world, c, dir, absl::GetFlag(FLAGS_node_binary),
                   absl::GetFlag(FLAGS_ceiling_binary),
                   /*national_during_burst=*/false);
    if (!run.ok()) return fail(run.status());
    ceiling["group"][c] = run->ceiling;
    ceiling_runs["group"][c] = {run->ceiling, run->cpu_ceiling,
                                run->cpu_ceiling_loadgen};
    tonghop[c] = std::move(*run);
    std::filesystem::remove_all(dir);
  }
  // The top concurrency again, the other cities pushing to the central node
  // during the city's burst: the central node's work for them shares the two
  // cores with the city node under measurement.
  const int top_level = levels.back();
  Progress(absl::StrCat("tonghop, other cities during the burst: ", top_level,
                        " clients"));
  auto shared_run = RunTonghop(
      *bursts, world, top_level, work + "/tonghop-shared",
      absl::GetFlag(FLAGS_node_binary), absl::GetFlag(FLAGS_ceiling_binary),
      /*national_during_burst=*/true);
  if (!shared_run.ok()) return fail(shared_run.status());
  std::filesystem::remove_all(work + "/tonghop-shared");
  // 2. The ceiling's other modes.
  for (const std::string mode : {"echo", "put"}) {
    for (int c : levels) {
      Progress(absl::StrCat("ceiling ", mode, ": ", c, " clients"));
      const std::string dir = absl::StrCat(work, "/ceiling-", mode, "-", c);
      auto r = RunCeiling(*bursts, mode, c, dir,
                          absl::GetFlag(FLAGS_ceiling_binary), kSettle);
      if (!r.ok()) return fail(r.status());
      ceiling[mode][c] = r->load;
      ceiling_runs[mode][c] = std::move(*r);
      std::filesystem::remove_all(dir);
    }
  }
  // For reference: group commit with the bursts back to back, without the
  // pause (the machine never idles between them).
  {
    Progress(
        absl::StrCat("ceiling group, back to back: ", top_level, " clients"));
    const std::string dir = work + "/ceiling-continuous";
    auto r = RunCeiling(*bursts, "group", top_level, dir,
                        absl::GetFlag(FLAGS_ceiling_binary),
                        std::chrono::milliseconds(0));
    if (!r.ok()) return fail(r.status());
    ceiling["continuous"][top_level] = r->load;
    std::filesystem::remove_all(dir);
  }
  // 3. History in tonghop.
  const bool with_pg = absl::GetFlag(FLAGS_postgres);
  Progress(absl::StrCat("history: ", history_months, " months"));
  auto history =
      RunHistory(gen, world, work + "/history",
                 absl::GetFlag(FLAGS_node_binary), history_months, with_pg);
  if (!history.ok()) return fail(history.status());
  // 4. PostgreSQL.
  std::map<int, LoadResult> pg_ingest;
  LoadResult pg_city, pg_national;
  int64_t pg_bytes = 0, pg_values = 0;
  Check pg_check;
  if (with_pg) {
    auto pg = PgServer::Start(work);
    if (!pg.ok()) return fail(pg.status());
    for (int c : levels) {
      Progress(absl::StrCat("postgres: ", c, " clients"));
      absl::Status s = (*pg)->Truncate();
      if (!s.ok()) return fail(s);
      LoadResult total;
      for (const MonthLoad& month : *bursts) {
        std::this_thread::sleep_for(kSettle);  // the rhythm of tonghop's runs
        std::vector<FlatReport> flat;
        for (const auto& p : month.burst) flat.push_back(Flatten(p, kCity));
        auto r = (*pg)->Ingest(flat, c);
        if (!r.ok()) return fail(r.status());
        total.Merge(*r);
      }
      total.clients = c;
      pg_ingest[c] = std::move(total);
    }
    Progress("postgres: history");
    absl::Status s = (*pg)->Truncate();
    if (s.ok()) s = (*pg)->LoadHistory(history->flat);
    if (!s.ok()) return fail(s);
    for (const auto& r : history->flat) pg_values += r.values.size();
    const int n = absl::GetFlag(FLAGS_query_iterations);
    std::vector<PgRollupRow> rows;
    // On a fresh thread, as tonghop's queries (see QueryLoop).
    absl::StatusOr<LoadResult> city, national;
    std::thread([&] {
      city = (*pg)->QueryCity(history->newest, kCity, n, &rows);
      if (city.ok()) national = (*pg)->QueryNational(history->newest, n, &rows);
    }).join();
    if (!city.ok()) return fail(city.status());
    pg_city = std::move(*city);
    if (!national.ok()) return fail(national.status());
    pg_national = std::move(*national);
    for (const PgRollupRow& row : rows) {
      if (!row.group.empty()) continue;
      auto it = history->newest_totals.find(row.indicator);
      if (it == history->newest_totals.end()) continue;
      ++pg_check.checked;
      const IndicatorTotal& t = it->second;
      if (row.numerator != t.numerator || row.denominator != t.denominator ||
          row.number != t.number) {
        ++pg_check.mismatched;
      }
    }
    auto bytes = (*pg)->StoredBytes();
    if (!bytes.ok()) return fail(bytes.status());
    pg_bytes = *bytes;
  }
  if (own_work) std::filesystem::remove_all(work);

  // ---- The table --------------------------------------------------------
  const int top = levels.back();
  const TonghopRun& main_run = tonghop[top];
  const LoadResult& ceil_top = ceiling["group"][top];
  const HistoryPoint& h60 = history->points.back();
  const HistoryPoint& h1 = history->points.front();
  int64_t sent = 0, acked = 0, mismatched = history->check.mismatched,
          checked = history->check.checked, not_reflected = 0;
  const TonghopRun& shared = *shared_run;
  std::vector<const TonghopRun*> all_runs = {&shared};
  for (const auto& [c, run] : tonghop) all_runs.push_back(&run);
  for (const TonghopRun* run : all_runs) {
    sent += run->city.sent + run->national.sent;
    acked += run->city.acknowledged + run->national.acknowledged;
    mismatched += run->check.mismatched;
    checked += run->check.checked;
    not_reflected += run->not_reflected;
  }
  const double fresh50 = Percentile(main_run.freshness_ms, 0.5);
  const double fresh99 = Percentile(main_run.freshness_ms, 0.99);

  Table t;
  t.Add({"Figure", "tonghop", "ceiling", "PostgreSQL 15", "tonghop / ceiling",
         "tonghop / PostgreSQL"});
  for (int c : levels) {
    const LoadResult& a = tonghop[c].city;
    const LoadResult& g = ceiling["group"][c];
    const LoadResult& p = pg_ingest[c];
    t.Add({absl::StrCat("Ingest, reports/s, ", c, " clients"),
           Fixed(a.per_second(), 0),
           absl::StrCat(
               Fixed(g.per_second(), 0), " (put ",
               Fixed(ceiling["put"][c].per_second(), 0), ", echo ",
               Fixed(ceiling["echo"][c].per_second(), 0),
               c == top ? absl::StrCat(
                              "; back to back ",
                              Fixed(ceiling["continuous"][c].per_second(), 0))
                        : "",
               ")"),
           with_pg ? Fixed(p.per_second(), 0) : "–",
           Ratio(a.per_second(), g.per_second()),
           Ratio(a.per_second(), p.per_second())});
  }
  t.Add({absl::StrCat("Ingest, reports/s, ", top,
                      " clients, the other 33 cities pushing to the central "
                      "node during the city's burst"),
         Fixed(shared.city.per_second(), 0),
         Fixed(shared.ceiling.per_second(), 0), "–",
         Ratio(shared.city.per_second(), shared.ceiling.per_second()),
         Ratio(shared.city.per_second(), pg_ingest[top].per_second())});
  t.Add({absl::StrCat("Ingest, values/s, ", top, " clients"),
         Fixed(main_run.city.values_per_second(), 0),
         Fixed(ceil_top.values_per_second(), 0),
         with_pg ? Fixed(pg_ingest[top].values_per_second(), 0) : "–",
         Ratio(main_run.city.values_per_second(), ceil_top.values_per_second()),
         Ratio(main_run.city.values_per_second(),
               pg_ingest[top].values_per_second())});
  t.Add({absl::StrCat("Push latency p50 / p99, ms, ", top, " clients"),
         absl::StrCat(Fixed(main_run.city.p50_ms(), 2), " / ",
                      Fixed(main_run.city.p99_ms(), 2)),
         absl::StrCat(Fixed(ceil_top.p50_ms(), 2), " / ",
                      Fixed(ceil_top.p99_ms(), 2)),
         with_pg ? absl::StrCat(Fixed(pg_ingest[top].p50_ms(), 2), " / ",
                                Fixed(pg_ingest[top].p99_ms(), 2))
                 : "–",
         "", ""});
  {
    const double n = static_cast<double>(main_run.city.acknowledged);
    const CeilingRun& cr = ceiling_runs["group"][top];
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
  t.Add(
      {"Freshness ward → city → central, p50 / p99, ms (the other cities "
       "during the burst)",
       absl::StrCat(Fixed(fresh50, 1), " / ", Fixed(fresh99, 1), " (",
                    Fixed(Percentile(shared.freshness_ms, 0.5), 1), " / ",
                    Fixed(Percentile(shared.freshness_ms, 0.99), 1), ")"),
       "–", "–", "", ""});
  t.Add({absl::StrCat("City roll-up + per-ward breakdown (",
                      Fixed(h60.city_answer_bytes / 1024.0, 0),
                      " KiB), p50 / p99, ms (", history_months, " months)"),
         absl::StrCat(Fixed(h60.query_city.p50_ms(), 2), " / ",
                      Fixed(h60.query_city.p99_ms(), 2)),
         "–",
         with_pg ? absl::StrCat(Fixed(pg_city.p50_ms(), 2), " / ",
                                Fixed(pg_city.p99_ms(), 2))
                 : "–",
         "", Ratio(pg_city.p99_ms(), h60.query_city.p99_ms()) + " faster"});
  t.Add({absl::StrCat("National roll-up + per-city breakdown (",
                      Fixed(h60.national_answer_bytes / 1024.0, 0),
                      " KiB), p50 / p99, ms (", history_months, " months)"),
         absl::StrCat(Fixed(h60.query_national.p50_ms(), 2), " / ",
                      Fixed(h60.query_national.p99_ms(), 2)),
         "–",
         with_pg ? absl::StrCat(Fixed(pg_national.p50_ms(), 2), " / ",
                                Fixed(pg_national.p99_ms(), 2))
                 : "–",
         "",
         Ratio(pg_national.p99_ms(), h60.query_national.p99_ms()) + " faster"});
  t.Add(
      {"gRPC round trip on this machine (GetNodeInfo, one connection), "
       "p50 / p99, ms: the floor under both roll-ups",
       absl::StrCat(Fixed(h60.round_trip.p50_ms(), 2), " / ",
                    Fixed(h60.round_trip.p99_ms(), 2)),
       "–", "–", "", ""});
  t.Add({"City / national roll-up p99, ms, end of the burst",
         absl::StrCat(Fixed(main_run.query_city.p99_ms(), 2), " / ",
                      Fixed(main_run.query_national.p99_ms(), 2)),
         "–", "–", "", ""});
  for (const HistoryPoint& p : history->points) {
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
  double city_peak = 0, central_peak = 0;
  for (const auto& [c, run] : tonghop) {
    city_peak = std::max(city_peak, run.city_peak_rss_mb);
    central_peak = std::max(central_peak, run.central_peak_rss_mb);
  }
  t.Add({"Peak RSS, MiB: city node / central node (burst); ward node idle",
         absl::StrCat(Fixed(city_peak), " / ", Fixed(central_peak), "; ",
                      Fixed(history->ward_idle_rss_mb)),
         "–", "–", "", ""});
  const double bytes_per_value =
      history->stored_values > 0
          ? static_cast<double>(history->disk_bytes) / history->stored_values
          : 0;
  const double pg_bytes_per_value =
      pg_values > 0 ? static_cast<double>(pg_bytes) / pg_values : 0;
  t.Add({absl::StrCat("Disk bytes per stored value (", history_months,
                      " months)"),
         Fixed(bytes_per_value), "–", with_pg ? Fixed(pg_bytes_per_value) : "–",
         "", Ratio(bytes_per_value, pg_bytes_per_value)});
  t.Add({"Pushes sent / acknowledged / values mismatched (of checked)",
         absl::StrCat(sent, " / ", acked, " / ", mismatched, " (of ", checked,
                      ")"),
         "–",
         with_pg ? absl::StrCat("– / – / ", pg_check.mismatched, " (of ",
                                pg_check.checked, ")")
                 : "–",
         "", ""});
  const double minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0)
          .count() /
      60;
  // The goals, judged on this run's figures.
  Table goals;
  goals.Add({"Goal", "This run", "Met"});
  auto goal = [&](const std::string& what, const std::string& figure,
                  bool met) {
    goals.Add({what, figure, met ? "yes" : "no"});
  };
  const double vs_ceiling =
      main_run.city.per_second() / std::max(1e-9, ceil_top.per_second());
  const double vs_pg = with_pg ? main_run.city.per_second() /
                                     std::max(1e-9, pg_ingest[top].per_second())
                               : 0;
  goal(absl::StrCat("Ingest ≥ 70% of the ceiling at ", top, " clients"),
       absl::StrFormat("%.0f%%", 100 * vs_ceiling), vs_ceiling >= 0.7);
  if (with_pg) {
    goal(absl::StrCat("Ingest ≥ 3× PostgreSQL at ", top, " clients"),
         absl::StrFormat("%.2f×", vs_pg), vs_pg >= 3);
  }
  const double shared_fresh99 = Percentile(shared.freshness_ms, 0.99);
  goal(
      "Freshness p99 < 250 ms through two tiers (the other cities during the "
      "burst too)",
      absl::StrCat(Fixed(fresh99, 1), " ms (", Fixed(shared_fresh99, 1),
                   " ms)"),
      fresh99 < 250 && shared_fresh99 < 250);
  goal(absl::StrCat("Roll-up p99 < 5 ms (city; national), ", history_months,
                    " months stored"),
       absl::StrCat(Fixed(h60.query_city.p99_ms(), 2), " ms; ",
                    Fixed(h60.query_national.p99_ms(), 2), " ms"),
       h60.query_city.p99_ms() < 5 && h60.query_national.p99_ms() < 5);
  if (with_pg) {
    const double city_x = pg_city.p99_ms() / h60.query_city.p99_ms();
    const double national_x =
        pg_national.p99_ms() / h60.query_national.p99_ms();
    goal("Roll-up ≥ 10× faster than SQL, p99 (city)",
         absl::StrFormat("%.1f×", city_x), city_x >= 10);
    goal("Roll-up ≥ 10× faster than SQL, p99 (national)",
         absl::StrFormat("%.1f×", national_x), national_x >= 10);
  }
  goal("A ward node idles under 50 MB RSS",
       absl::StrCat(Fixed(history->ward_idle_rss_mb), " MiB"),
       history->ward_idle_rss_mb < 50);
  goal("A city node stays under 300 MB during the burst",
       absl::StrCat(Fixed(city_peak), " MiB"), city_peak < 300);
  const double growth =
      h60.query_city.p50_ms() / std::max(1e-9, h1.query_city.p50_ms());
  goal(absl::StrCat("Query cost independent of history (city p50, ",
                    history_months, " vs 1 month)"),
       absl::StrFormat("%.2f×", growth), growth < 1.5);
  goal("National roll-up equals the plain sums of what was sent",
       absl::StrCat(mismatched, " of ", checked, " values differ"),
       mismatched == 0);
  const std::string table = t.Markdown() + "\n" + goals.Markdown();
  const std::string notes = absl::StrCat(
      "Workload: ", months, " month-end bursts per concurrency at ", kCity,
      " (", world.Leaves(*world.registry().Find(kCity)).size(),
      " wards and departments; ", main_run.city.sent, " pushes at the city at ",
      top, " clients, plus ", main_run.national.sent,
      " from the other 33 cities to the central node), ", history_months,
      " months of national history. Freshness samples: ",
      main_run.freshness_ms.size(), "; pushes never reflected: ", not_reflected,
      ". Run time: ", Fixed(minutes, 1), " min.\n");
  printf("%s\n%s", table.c_str(), notes.c_str());

  const std::string docs = absl::GetFlag(FLAGS_docs_dir);
  if (!docs.empty()) {
    std::map<std::string, double> json = {
        {"tonghop_ingest_reports_per_s", main_run.city.per_second()},
        {"tonghop_ingest_values_per_s", main_run.city.values_per_second()},
        {"ceiling_ingest_reports_per_s", ceil_top.per_second()},
        {"tonghop_ingest_reports_per_s_national_during_burst",
         shared.city.per_second()},
        {"ceiling_ingest_reports_per_s_national_during_burst",
         shared.ceiling.per_second()},
        {"freshness_p99_ms_national_during_burst", shared_fresh99},
        {"ceiling_put_reports_per_s", ceiling["put"][top].per_second()},
        {"ceiling_echo_reports_per_s", ceiling["echo"][top].per_second()},
        {"ceiling_back_to_back_reports_per_s",
         ceiling["continuous"][top].per_second()},
        {"postgres_ingest_reports_per_s", pg_ingest[top].per_second()},
        {"push_latency_p50_ms", main_run.city.p50_ms()},
        {"push_latency_p99_ms", main_run.city.p99_ms()},
        {"freshness_p50_ms", fresh50},
        {"freshness_p99_ms", fresh99},
        {"query_city_p50_ms", h60.query_city.p50_ms()},
        {"query_city_p99_ms", h60.query_city.p99_ms()},
        {"query_national_p50_ms", h60.query_national.p50_ms()},
        {"query_national_p99_ms", h60.query_national.p99_ms()},
        {"query_city_answer_bytes", static_cast<double>(h60.city_answer_bytes)},
        {"query_national_answer_bytes",
         static_cast<double>(h60.national_answer_bytes)},
        {"query_city_p99_ms_end_of_burst", main_run.query_city.p99_ms()},
        {"query_national_p99_ms_end_of_burst",
         main_run.query_national.p99_ms()},
        {"postgres_query_city_p99_ms", pg_city.p99_ms()},
        {"postgres_query_national_p99_ms", pg_national.p99_ms()},
        {"round_trip_p50_ms", h60.round_trip.p50_ms()},
        {"round_trip_p99_ms", h60.round_trip.p99_ms()},
        {"ward_idle_rss_mb", history->ward_idle_rss_mb},
        {"city_peak_rss_mb", city_peak},
        {"central_peak_rss_mb", central_peak},
        {"disk_bytes_per_value", bytes_per_value},
        {"postgres_disk_bytes_per_value", pg_bytes_per_value},
        {"startup_ms_60_months", h60.startup_ms_city},
        {"startup_ms_1_month", h1.startup_ms_city},
        {"reports_sent", static_cast<double>(sent)},
        {"reports_acknowledged", static_cast<double>(acked)},
        {"values_mismatched", static_cast<double>(mismatched)},
        {"values_checked", static_cast<double>(checked)},
        {"postgres_values_mismatched",
         static_cast<double>(pg_check.mismatched)},
        {"run_minutes", minutes},
        {"cpu_us_per_push_city",
         main_run.cpu_city * 1e6 /
             std::max<int64_t>(1, main_run.city.acknowledged)},
        {"cpu_us_per_push_central",
         main_run.cpu_central * 1e6 /
             std::max<int64_t>(1, main_run.city.acknowledged)},
        {"cpu_us_per_push_ceiling",
         ceiling_runs["group"][top].cpu_server * 1e6 /
             std::max<int64_t>(1, ceil_top.acknowledged)},
    };
    for (const HistoryPoint& p : history->points) {
      const std::string months =
          absl::StrCat(p.months, p.months == 1 ? "_month" : "_months");
      json["query_city_p99_ms_" + months] = p.query_city.p99_ms();
      json["query_national_p99_ms_" + months] = p.query_national.p99_ms();
      json["query_city_first_p99_ms_" + months] = p.first_city.p99_ms();
      json["query_national_first_p99_ms_" + months] = p.first_national.p99_ms();
    }
    for (int c : levels) {
      json[absl::StrCat("tonghop_ingest_reports_per_s_", c, "_clients")] =
          tonghop[c].city.per_second();
      json[absl::StrCat("ceiling_ingest_reports_per_s_", c, "_clients")] =
          ceiling["group"][c].per_second();
      json[absl::StrCat("postgres_ingest_reports_per_s_", c, "_clients")] =
          pg_ingest[c].per_second();
    }
    std::string out = "{\n";
    size_t i = 0;
    for (const auto& [key, value] : json) {
      out += absl::StrFormat("  \"%s\": %.3f%s\n", key, value,
                             ++i < json.size() ? "," : "");
    }
    out += "}\n";
    std::ofstream(docs + "/benchmarks.json") << out;
    std::ifstream notes_in(docs + "/benchmarks-notes.md");
    std::string analysis((std::istreambuf_iterator<char>(notes_in)),
                         std::istreambuf_iterator<char>());
    std::ofstream md(docs + "/benchmarks.md");
    md << "# Benchmarks: the national month-end burst\n\n"
       << "Written by `make bench` (tools/bench, `tonghop-bench`); the same "
          "figures are in [benchmarks.json](benchmarks.json).\n\n"
       << "## The machine\n\n"
       << Machine() << "\n## The figures\n\n"
       << table << "\n"
       << notes << "\n"
       << analysis;
  }
  return mismatched == 0 && pg_check.mismatched == 0 ? 0 : 3;
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
