#include "tools/bench/ingest.h"

#include <algorithm>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "libs/base/status_macros.h"
#include "tools/bench/nodes.h"

namespace tonghop::bench {
namespace {

// The other cities push to the central node from this many clients.
constexpr int kNationalClients = 4;

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

}  // namespace

absl::Time BurstTime(const Period& p) {
  return absl::FromCivil(absl::CivilSecond(p.year, p.index, 17, 8),
                         absl::FixedTimeZone(7 * 3600));
}

Period MonthAt(int year, int month, int offset) {
  int m = (year * 12 + month - 1) + offset;
  return Period{m / 12, PeriodType::kMonth, m % 12 + 1};
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

absl::StatusOr<TonghopRun> RunTonghop(const std::vector<MonthLoad>& months,
                                      World& world, int clients,
                                      const std::string& dir,
                                      const BenchSetup& setup,
                                      bool national_during_burst) {
  TonghopRun run;
  run.clients = clients;
  const absl::Time start = BurstTime(months.front().period) - absl::Hours(24);
  v1::NodeConfig central_config;
  central_config.set_unit("VN");
  central_config.set_role(v1::ROLE_CENTRAL);
  ASSIGN_OR_RETURN(auto central,
                   Process::StartNode(setup.node_binary, central_config,
                                      dir + "/central", start));
  v1::NodeConfig city_config = world.CityConfig(*world.registry().Find(kCity));
  city_config.set_parent_address(central->target());
  ASSIGN_OR_RETURN(auto city, Process::StartNode(setup.node_binary, city_config,
                                                 dir + "/city", start));
  ASSIGN_OR_RETURN(auto ceiling, Process::Start(setup.ceiling_binary,
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
      const MachineCpu machine0 = MachineCpuNow();
      run.ceiling.Merge(ceiling_clients.Run(month.burst_wire));
      AddInterval(machine0, MachineCpuNow(), run.machine_ceiling);
      run.cpu_ceiling += ceiling->CpuSeconds() - cpu0[0];
      run.cpu_ceiling_loadgen += OwnCpuSeconds() - cpu0[1];
    };
    if (m % 2 == 0) ceiling_burst();
    RevisionProbe probe(probe_channel, label, kCity);
    const double cpu0[3] = {city->CpuSeconds(), central->CpuSeconds(),
                            OwnCpuSeconds()};
    const MachineCpu machine0 = MachineCpuNow();
    std::vector<SteadyTime> acked(month.burst.size());
    std::vector<char> ok(month.burst.size(), 0);
    LoadResult burst =
        city_clients.Run(month.burst_wire, [&](size_t i, SteadyTime at) {
          acked[i] = at;
          ok[i] = 1;
        });
    AddInterval(machine0, MachineCpuNow(), run.machine_city);
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
                             setup.query_iterations);
  run.query_national =
      QueryLoop(probe_channel, last, "", setup.query_iterations);
  RETURN_IF_ERROR(ceiling->Stop());
  RETURN_IF_ERROR(city->Stop());
  RETURN_IF_ERROR(central->Stop());
  return run;
}

// A ceiling run: its load, and the CPU seconds the server and the load

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

}  // namespace tonghop::bench
