#include "tools/bench/history_run.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/base/file.h"
#include "libs/base/status_macros.h"
#include "libs/engine/history.h"
#include "libs/store/db.h"
#include "tools/bench/drive.h"
#include "tools/bench/nodes.h"
#include "tools/bench/tcp_round_trip.h"

namespace tonghop::bench {
namespace {

// Indicator values in `push`, its breakdown's included.
int CountValues(const v1::PushRequest& push) {
  int n = push.values_size();
  for (const auto& b : push.children()) n += b.values_size();
  return n;
}

// Times `n` roll-ups of `period` per system and query into `point`, in
// blocks of kQueryBlock, each system in turn (see RunHistory; `floor` and
// `async_floor`, when not null, the city's answer from a server doing nothing,
// over the callback and the async API), after 50
// unmeasured ones each, and a few unmeasured ones at the start of every block:
// each block measures a system already at work, as a run of one system alone
// would, not its first answer after the other system had the machine.
absl::Status TimeRollups(const std::shared_ptr<grpc::Channel>& city,
                         const std::shared_ptr<grpc::Channel>& central,
                         const std::shared_ptr<grpc::Channel>& floor,
                         const std::shared_ptr<grpc::Channel>& async_floor,
                         const std::string& period, int n,
                         RollupsBeside* beside, HistoryPoint& point) {
  constexpr int kWarmup = 50, kBlockWarmup = 5;
  const MachineCpu cpu0 = MachineCpuNow();
  for (int done = 0; done < n; done += kQueryBlock) {
    const int block = std::min(kQueryBlock, n - done);
    const int warmup = done == 0 ? kWarmup : kBlockWarmup;
    point.query_city.Merge(QueryLoop(city, period, "", block, warmup));
    if (floor != nullptr) {
      point.answer_floor.Merge(QueryLoop(floor, period, "", block, warmup));
    }
    if (async_floor != nullptr) {
      point.answer_floor_async.Merge(
          QueryLoop(async_floor, period, "", block, warmup));
    }
    if (beside != nullptr) {
      RETURN_IF_ERROR(beside->City(period, warmup).status());
      ASSIGN_OR_RETURN(LoadResult b, beside->City(period, block));
      point.beside_city.Merge(b);
    }
    point.query_national.Merge(QueryLoop(central, period, "", block, warmup));
    if (beside != nullptr) {
      RETURN_IF_ERROR(beside->National(period, warmup).status());
      ASSIGN_OR_RETURN(LoadResult b, beside->National(period, block));
      point.beside_national.Merge(b);
    }
  }
  point.steal_share = StealShare(cpu0, MachineCpuNow());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HistoryRun> RunHistory(Generator& gen, World& world,
                                      const std::string& dir,
                                      const BenchSetup& setup,
                                      int history_months,
                                      RollupsBeside* beside) {
  const bool flat = beside != nullptr;
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
                     Process::StartNode(setup.node_binary, central_config,
                                        dir + "/central", start));
    city_config.set_parent_address(central->target());
    ASSIGN_OR_RETURN(auto city_node,
                     Process::StartNode(setup.node_binary, city_config,
                                        dir + "/city", start));
    point.startup_ms_city = absl::ToDoubleMilliseconds(city_node->startup());
    point.startup_ms_central = absl::ToDoubleMilliseconds(central->startup());
    const int n = setup.query_iterations;
    auto central_channel = Connect(central->target(), 1).front();
    auto city_channel = Connect(city_node->target(), 1).front();
    for (int k = 0; k < loaded; ++k) {
      const std::string label = MonthAt(first.year, first.index, k).Label();
      point.first_city.Merge(QueryLoop(city_channel, label, "", 1, 0));
      point.first_national.Merge(QueryLoop(central_channel, label, "", 1, 0));
    }
    RollupsBeside* side = checkpoint == history_months ? beside : nullptr;
    if (side != nullptr) {
      Progress("history: loading it beside, for the roll-ups side by side");
      RETURN_IF_ERROR(side->Load(run.flat));
    }
    // With every month stored, the floor under the city's query: its answer,
    // the same bytes, from a server that does nothing else, over the callback
    // API as the node serves it and over the async API.
    std::unique_ptr<Process> answering, async_answering;
    std::shared_ptr<grpc::Channel> floor_channel, async_floor_channel;
    if (checkpoint == history_months) {
      ASSIGN_OR_RETURN(auto answer, Rollup(city_channel, run.newest, "", true));
      const std::string answer_dir = dir + "/answer";
      std::filesystem::create_directories(answer_dir);
      RETURN_IF_ERROR(WriteWholeFile(answer_dir + "/answer.bin",
                                     "the city's answer",
                                     answer.SerializeAsString()));
      ASSIGN_OR_RETURN(
          answering,
          Process::Start(
              setup.ceiling_binary,
              {"--mode=answer", "--answer_file=" + answer_dir + "/answer.bin",
               "--listen=127.0.0.1:0"},
              answer_dir));
      floor_channel = Connect(answering->target(), 1).front();
      ASSIGN_OR_RETURN(
          async_answering,
          Process::Start(setup.ceiling_binary,
                         {"--mode=answer", "--api=async",
                          "--answer_file=" + answer_dir + "/answer.bin",
                          "--listen=127.0.0.1:0"},
                         answer_dir + "/async"));
      async_floor_channel = Connect(async_answering->target(), 1).front();
    }
    RETURN_IF_ERROR(TimeRollups(city_channel, central_channel, floor_channel,
                                async_floor_channel, run.newest, n, side,
                                point));
    if (answering != nullptr) RETURN_IF_ERROR(answering->Stop());
    if (async_answering != nullptr) RETURN_IF_ERROR(async_answering->Stop());
    point.round_trip = RoundTripLoop(city_channel, n);
    {
      ASSIGN_OR_RETURN(auto echo, Process::Start(setup.tcp_echo_binary, {},
                                                 dir + "/tcp-echo"));
      ASSIGN_OR_RETURN(point.tcp_round_trip, TcpRoundTripLoop(echo->port(), n));
    }
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
          Process::StartNode(setup.node_binary, ward, dir + "/ward", start));
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

}  // namespace tonghop::bench
