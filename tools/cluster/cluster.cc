// A local tonghop cluster of real tonghop-node processes (see cluster.h).
#include "tools/cluster/cluster.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/zone.h"
#include "libs/engine/config.h"
#include "libs/registry/registry.h"
#include "tools/cli/rpc.h"
#include "tools/cluster/process.h"
#include "tools/cluster/spec.h"

namespace tonghop::cluster {
namespace {

namespace fs = std::filesystem;

constexpr absl::Duration kStartTimeout = absl::Seconds(20);
constexpr absl::Duration kStopTimeout = absl::Seconds(10);
constexpr absl::Duration kKillTimeout = absl::Seconds(5);
constexpr absl::Duration kPoll = absl::Milliseconds(50);
constexpr int kLogTailLines = 20;

// RFC 3339 in Vietnam time, with the fraction of a second when there is one.
std::string FormatClock(absl::Time t) {
  absl::StatusOr<absl::TimeZone> zone = VietnamZone();
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", t,
                          zone.ok() ? *zone : absl::UTCTimeZone());
}

std::string PrintConfig(const v1::NodeConfig& config) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);  // names stay readable Vietnamese
  std::string text;
  printer.PrintToString(config, &text);
  return absl::StrCat(
      "# Written by tonghop-cluster up. The port was picked once and is "
      "kept.\n",
      text);
}

absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

int PortOf(const std::string& address) {
  int port = 0;
  size_t colon = address.rfind(':');
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(address).substr(colon + 1), &port)) {
    return 0;
  }
  return port;
}

// The integer in the file at `path`; 0 when missing or malformed.
int ReadIntFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  int value = 0;
  if (!text.ok() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &value))
    return 0;
  return value;
}

void RemoveFile(const std::string& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

// `dir` made absolute and normal. INVALID_ARGUMENT when empty or unusable.
absl::StatusOr<std::string> AbsoluteDir(const std::string& dir) {
  std::error_code ec;
  fs::path root = fs::absolute(dir, ec).lexically_normal();
  if (ec || dir.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("dir: bad path '", dir, "'"));
  }
  std::string text = root.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

absl::Status PrepareFolder(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot create ", path, ": ", ec.message()));
  }
  return absl::OkStatus();
}

// Creates `dir`; FAILED_PRECONDITION when it exists and is not an empty folder.
absl::Status PrepareEmptyFolder(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) &&
      (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec))) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir,
        " is not an empty folder (a stopped cluster there starts again with "
        "'--dir=DIR start'; or stop it with down, then remove it, "
        "or choose another --dir)"));
  }
  return PrepareFolder(dir);
}

// SIGKILL to a node this process just spawned (it may not have exec'd yet), and
// a bounded wait.
void KillSpawned(pid_t pid) {
  kill(pid, SIGKILL);
  for (absl::Duration waited; waited < kKillTimeout && IsAlive(pid);
       waited += kPoll) {
    absl::SleepFor(kPoll);
  }
}

std::string Tail(const std::string& log, int64_t offset) {
  return absl::StrCat("; last lines of ", log, ":\n",
                      LogTail(log, offset, kLogTailLines));
}

}  // namespace

Cluster::Cluster(std::string dir, std::string node_binary)
    : dir_(std::move(dir)), node_binary_(std::move(node_binary)) {}

Cluster::~Cluster() {
  if (down_on_destroy_) Down().IgnoreError();
}

absl::StatusOr<std::unique_ptr<Cluster>> Cluster::Up(
    const std::string& spec_text_or_path, const std::string& dir,
    const std::string& node_binary, absl::Time start_time) {
  ASSIGN_OR_RETURN(std::string text, ReadClusterSpecText(spec_text_or_path));
  ASSIGN_OR_RETURN(std::unique_ptr<Cluster> cluster,
                   Create(text, dir, node_binary));
  if (access(node_binary.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("node binary ", node_binary,
                     " is not executable: ", std::strerror(errno)));
  }
  RETURN_IF_ERROR(PrepareEmptyFolder(cluster->dir_));
  ASSIGN_OR_RETURN(std::vector<int> ports,
                   PickFreePorts(static_cast<int>(cluster->nodes_.size())));
  std::map<std::string, int> port_of;
  for (size_t i = 0; i < cluster->nodes_.size(); ++i) {
    Node& node = cluster->nodes_[i];
    port_of[node.plan.unit] = ports[i];
    int parent_port = node.plan.parent.empty()
                          ? 0
                          : port_of.at(node.plan.parent);  // parents come first
    node.config =
        MakeNodeConfig(node.plan, node.folder + "/data", ports[i], parent_port);
    RETURN_IF_ERROR(PrepareFolder(node.folder + "/data"));
    RETURN_IF_ERROR(WriteFileAtomically(node.folder + "/node.textproto",
                                        PrintConfig(node.config)));
  }
  RETURN_IF_ERROR(WriteFileAtomically(cluster->dir_ + "/spec.textproto", text));
  // The file itself (a symbolic link re-pointed later must not change the
  // build the cluster runs).
  std::error_code ec;
  const std::filesystem::path binary =
      std::filesystem::canonical(node_binary, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("node binary ", node_binary, ": ", ec.message()));
  }
  RETURN_IF_ERROR(WriteFileAtomically(cluster->dir_ + "/node_binary",
                                      binary.string() + "\n"));
  RETURN_IF_ERROR(WriteFileAtomically(cluster->dir_ + "/clock",
                                      FormatClock(start_time) + "\n"));

  for (const Node& node : cluster->nodes_) {
    absl::Status s = cluster->StartNode(node);
    if (!s.ok()) {
      cluster->Down().IgnoreError();
      return absl::Status(
          s.code(), absl::StrCat(s.message(), "\n(nodes stopped; the folder ",
                                 cluster->dir_, " is kept for inspection)"));
    }
  }
  return cluster;
}

absl::StatusOr<std::string> Cluster::RecordedNodeBinary(
    const std::string& dir) {
  ASSIGN_OR_RETURN(std::string root, AbsoluteDir(dir));
  absl::StatusOr<std::string> text = ReadFile(root + "/node_binary");
  if (!text.ok() || absl::StripAsciiWhitespace(*text).empty()) {
    return absl::NotFoundError(absl::StrCat(root, " records no node binary"));
  }
  return std::string(absl::StripAsciiWhitespace(*text));
}

absl::StatusOr<std::unique_ptr<Cluster>> Cluster::Open(
    const std::string& dir, const std::string& node_binary) {
  ASSIGN_OR_RETURN(std::string root, AbsoluteDir(dir));
  absl::StatusOr<std::string> text = ReadFile(root + "/spec.textproto");
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat(
        root, " holds no cluster (no spec.textproto; start one with up)"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Cluster> cluster,
                   Create(*text, root, node_binary));
  for (Node& node : cluster->nodes_) {
    ASSIGN_OR_RETURN(node.config,
                     LoadNodeConfig(node.folder + "/node.textproto"));
  }
  return cluster;
}

absl::StatusOr<std::unique_ptr<Cluster>> Cluster::Create(
    const std::string& spec_text, const std::string& dir,
    const std::string& node_binary) {
  ASSIGN_OR_RETURN(v1::ClusterSpec spec, ParseClusterSpec(spec_text));
  ASSIGN_OR_RETURN(std::unique_ptr<Registry> registry,
                   Registry::LoadEmbedded());
  ASSIGN_OR_RETURN(std::vector<NodePlan> plan, PlanCluster(spec, *registry));
  ASSIGN_OR_RETURN(std::string root, AbsoluteDir(dir));
  std::unique_ptr<Cluster> cluster(new Cluster(root, node_binary));
  for (NodePlan& p : plan) {
    Node node;
    node.name = registry->Find(p.unit)->name;
    node.folder = absl::StrCat(root, "/", p.unit);
    node.plan = std::move(p);
    cluster->nodes_.push_back(std::move(node));
  }
  return cluster;
}

const Cluster::Node* Cluster::Find(const std::string& unit) const {
  for (const Node& node : nodes_) {
    if (node.config.unit() == unit) return &node;
  }
  return nullptr;
}

absl::StatusOr<const Cluster::Node*> Cluster::FindOrNotFound(
    const std::string& unit) const {
  const Node* node = Find(unit);
  if (node == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "unit: '", unit, "' is not a node of the cluster in ", dir_));
  }
  return node;
}

pid_t Cluster::RunningPid(const Node& node) const {
  pid_t pid = ReadIntFile(node.folder + "/pid");
  std::string marker =
      absl::StrCat("--config=", node.folder, "/node.textproto");
  return IsRunning(pid, marker) ? pid : 0;
}

absl::Status Cluster::Start(const std::string& unit) {
  ASSIGN_OR_RETURN(const Node* node, FindOrNotFound(unit));
  return StartNode(*node);
}

absl::Status Cluster::StartNode(const Node& node) {
  const std::string& unit = node.config.unit();
  if (pid_t pid = RunningPid(node); pid != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("node ", unit, " is already running (pid ", pid, ")"));
  }
  ASSIGN_OR_RETURN(absl::Time now, CurrentTime());
  std::string log = node.folder + "/node.log";
  RemoveFile(node.folder + "/port");
  int64_t offset = FileSize(log);
  absl::StatusOr<pid_t> pid = Spawn(
      node_binary_,
      {absl::StrCat("--config=", node.folder, "/node.textproto"),
       "--clock=simulated", absl::StrCat("--start_time=", FormatClock(now)),
       absl::StrCat("--port_file=", node.folder, "/port")},
      log);
  if (!pid.ok())
    return Prefixed(pid.status(), absl::StrCat("node ", unit, ": "));
  absl::Status written =
      WriteFileAtomically(node.folder + "/pid", absl::StrCat(*pid, "\n"));
  if (!written.ok()) {
    KillSpawned(*pid);
    return Prefixed(written, absl::StrCat("node ", unit, ": "));
  }
  return WaitServing(node, *pid, offset);
}

absl::Status Cluster::WaitServing(const Node& node, pid_t pid,
                                  int64_t log_offset) {
  const std::string& unit = node.config.unit();
  const std::string log = node.folder + "/node.log";
  const int want = PortOf(node.config.listen_address());
  for (absl::Duration waited; waited < kStartTimeout; waited += kPoll) {
    if (int port = ReadIntFile(node.folder + "/port"); port > 0) {
      if (port == want) return absl::OkStatus();
      KillSpawned(pid);
      RemoveFile(node.folder + "/pid");
      return absl::InternalError(absl::StrCat("node ", unit, " served on port ",
                                              port, ", not its configured ",
                                              want, "; killed"));
    }
    if (!IsAlive(pid)) {  // our own child: its pid cannot be recycled before we
                          // reap it
      RemoveFile(node.folder + "/pid");
      return absl::FailedPreconditionError(absl::StrCat(
          "node ", unit, " exited at start", Tail(log, log_offset)));
    }
    absl::SleepFor(kPoll);
  }
  KillSpawned(pid);
  RemoveFile(node.folder + "/pid");
  return absl::DeadlineExceededError(absl::StrCat(
      "node ", unit, " did not serve within ",
      absl::FormatDuration(kStartTimeout), "; killed", Tail(log, log_offset)));
}

absl::Status Cluster::EndNode(const Node& node, int signal) {
  pid_t pid = RunningPid(node);
  std::string marker =
      absl::StrCat("--config=", node.folder, "/node.textproto");
  absl::Status s = absl::OkStatus();
  if (pid != 0) {
    s = SignalAndWait(pid, marker, signal,
                      signal == SIGKILL ? kKillTimeout : kStopTimeout);
    if (absl::IsDeadlineExceeded(s) && signal != SIGKILL) {
      s = SignalAndWait(pid, marker, SIGKILL, kKillTimeout);
    }
  }
  if (!s.ok())
    return Prefixed(s, absl::StrCat("node ", node.config.unit(), ": "));
  RemoveFile(node.folder + "/pid");
  RemoveFile(node.folder + "/port");
  return absl::OkStatus();
}

absl::Status Cluster::Stop(const std::string& unit) {
  ASSIGN_OR_RETURN(const Node* node, FindOrNotFound(unit));
  return EndNode(*node, SIGTERM);
}

absl::Status Cluster::Kill(const std::string& unit) {
  ASSIGN_OR_RETURN(const Node* node, FindOrNotFound(unit));
  return EndNode(*node, SIGKILL);
}

absl::Status Cluster::Restart(const std::string& unit) {
  ASSIGN_OR_RETURN(const Node* node, FindOrNotFound(unit));
  RETURN_IF_ERROR(EndNode(*node, SIGTERM));
  return StartNode(*node);
}

absl::Status Cluster::StartAll() {
  absl::Status first = absl::OkStatus();
  for (const Node& node : nodes_) {  // start order: parents first
    if (RunningPid(node) != 0) continue;
    absl::Status s = StartNode(node);
    if (first.ok()) first = s;
  }
  return first;
}

absl::Status Cluster::Down() {
  absl::Status first = absl::OkStatus();
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    absl::Status s = EndNode(*it, SIGTERM);
    if (first.ok()) first = s;
  }
  return first;
}

absl::StatusOr<absl::Time> Cluster::CurrentTime() const {
  ASSIGN_OR_RETURN(std::string text, ReadFile(dir_ + "/clock"));
  absl::StatusOr<absl::Time> t =
      ParseRfc3339(std::string(absl::StripAsciiWhitespace(text)));
  if (!t.ok()) return Prefixed(t.status(), absl::StrCat(dir_, "/clock: "));
  return t;
}

absl::Status Cluster::SetClock(absl::Time t) {
  ASSIGN_OR_RETURN(absl::Time now, CurrentTime());
  if (t < now) {
    return absl::InvalidArgumentError(
        absl::StrCat("time: ", FormatClock(t), " is before the cluster's time ",
                     FormatClock(now), " (it never goes back)"));
  }
  RETURN_IF_ERROR(WriteFileAtomically(dir_ + "/clock", FormatClock(t) + "\n"));
  v1::SetClockRequest request;
  int64_t seconds = absl::ToUnixSeconds(t);
  request.mutable_time()->set_seconds(seconds);
  request.mutable_time()->set_nanos(static_cast<int32_t>(
      (t - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  // The tiers of nodes below each node (0 for a leaf) and each node's depth
  // (0 for the root). Children come after their parent in nodes_: a walk
  // from the end sees a node's children before it, one from the start its
  // parent.
  std::map<std::string, int> tiers;
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    const std::string& parent = it->plan.parent;
    if (parent.empty()) continue;
    tiers[parent] = std::max(tiers[parent], tiers[it->plan.unit] + 1);
  }
  std::map<std::string, int> depth;
  std::map<int, std::vector<size_t>> by_depth;  // indices into nodes_
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const NodePlan& plan = nodes_[i].plan;
    depth[plan.unit] = plan.parent.empty() ? 0 : depth[plan.parent] + 1;
    by_depth[depth[plan.unit]].push_back(i);
  }
  // Parents before children, and the nodes of one depth all at once (at most
  // kParallel calls in flight), so that a parent's hold is not spent waiting
  // for the calls to its wards one by one.
  constexpr size_t kParallel = 16;
  std::vector<absl::Status> results(nodes_.size(), absl::OkStatus());
  for (const auto& [unused, indices] : by_depth) {
    for (size_t first = 0; first < indices.size(); first += kParallel) {
      std::vector<std::thread> calls;
      for (size_t k = first; k < std::min(indices.size(), first + kParallel);
           ++k) {
        const size_t i = indices[k];
        const Node& node = nodes_[i];
        if (RunningPid(node) == 0) continue;  // it gets DIR/clock at start
        v1::SetClockRequest mine = request;
        *mine.mutable_settle() =
            google::protobuf::util::TimeUtil::NanosecondsToDuration(
                absl::ToInt64Nanoseconds(kSettlePerTier *
                                         tiers[node.plan.unit]));
        calls.emplace_back([&results, &node, i, mine] {
          cli::NodeClient client(node.config.listen_address());
          results[i] = client.SetClock(mine).status();
        });
      }
      for (std::thread& call : calls) call.join();
    }
  }
  absl::StatusCode code = absl::StatusCode::kOk;
  std::vector<std::string> failures;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (results[i].ok()) continue;
    if (code == absl::StatusCode::kOk) code = results[i].code();
    failures.push_back(
        absl::StrCat(nodes_[i].config.unit(), ": ", results[i].message()));
  }
  if (failures.empty()) return absl::OkStatus();
  return absl::Status(
      code, absl::StrCat("SetClock failed on ", absl::StrJoin(failures, "; ")));
}

absl::Status Cluster::AdvanceClock(absl::Duration d) {
  if (d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("by: ", absl::FormatDuration(d),
                     " is negative (time never goes back)"));
  }
  ASSIGN_OR_RETURN(absl::Time now, CurrentTime());
  return SetClock(now + d);
}

std::string Cluster::Address(const std::string& unit) const {
  const Node* node = Find(unit);
  return node == nullptr ? "" : node->config.listen_address();
}

bool Cluster::Running(const std::string& unit) const {
  const Node* node = Find(unit);
  return node != nullptr && RunningPid(*node) != 0;
}

std::vector<NodeView> Cluster::Nodes() const {
  std::vector<NodeView> views;
  for (const Node& node : nodes_) {
    NodeView v;
    v.unit = node.config.unit();
    v.name = node.name;
    v.parent = node.plan.parent;
    v.role = node.config.role();
    v.address = node.config.listen_address();
    v.pid = RunningPid(node);
    v.running = v.pid != 0;
    views.push_back(std::move(v));
  }
  return views;
}

std::string Cluster::LogPath(const std::string& unit) const {
  const Node* node = Find(unit);
  return node == nullptr ? "" : node->folder + "/node.log";
}

}  // namespace tonghop::cluster
