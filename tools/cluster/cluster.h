// A local tonghop cluster: the hierarchy of a ClusterSpec (spec.h) run as real
// tonghop-node processes on loopback, each with its own data folder, all on one
// simulated clock.
//
// Everything lives in one folder DIR, so that a later process can reattach with
// Open:
//   DIR/spec.textproto          the spec as given to Up
//   DIR/clock                   the cluster's simulated time (RFC 3339)
//   DIR/<unit>/node.textproto   the node's tonghop.v1.NodeConfig; its port is
//                               picked once by Up and kept, so a stopped or
//                               killed node restarts on the same address
//   DIR/<unit>/data/            the node's data folder (RocksDB)
//   DIR/<unit>/node.log         stdout and stderr, appended across starts
//   DIR/<unit>/pid              the process started last
//   DIR/<unit>/port             written by the node once it serves
//
// A node is started as
//   tonghop-node --config=DIR/<unit>/node.textproto --clock=simulated
//                --start_time=<DIR/clock> --port_file=DIR/<unit>/port
// in its own session (it outlives the Cluster object and the process that
// started it). A node counts as running when its recorded pid is a live,
// non-zombie process whose command line carries its --config argument (a
// recycled pid is never signalled); nodes started by this process are reaped
// when they exit.
//
// Every wait is bounded: a start at most 20 s, a stop 10 s before SIGKILL, an
// RPC 10 s. Thread-compatible: one thread drives a Cluster (or guard it
// yourself).
#ifndef TONGHOP_TOOLS_CLUSTER_CLUSTER_H_
#define TONGHOP_TOOLS_CLUSTER_CLUSTER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tonghop/v1/config.pb.h"
#include "tools/cluster/spec.h"

namespace tonghop::cluster {

// One node as seen now.
struct NodeView {
  std::string unit;    // "31"
  std::string name;    // from the registry, "Thành phố Hải Phòng"
  std::string parent;  // the parent node's unit; empty for the root
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string address;  // "127.0.0.1:PORT", fixed for the cluster's life
  pid_t pid = 0;        // 0 when not running
  bool running = false;
};

class Cluster {
 public:
  // Checks the spec (`spec_text_or_path`: spec text, or a file path; see
  // ReadClusterSpecText), writes the state folder `dir` (created; it must be
  // missing or empty), picks one free loopback port per node and starts every
  // node, parents before children, with its simulated clock at `start_time`.
  // `node_binary` is the tonghop-node executable. INVALID_ARGUMENT for a bad
  // spec (nothing is written); FAILED_PRECONDITION when `dir` is not empty or
  // `node_binary` is not executable; when a node does not come up, the nodes
  // already started are stopped, the folder is left for inspection, and the
  // error (FAILED_PRECONDITION when the node exited, DEADLINE_EXCEEDED after 20
  // s) carries the last lines of its log.
  static absl::StatusOr<std::unique_ptr<Cluster>> Up(
      const std::string& spec_text_or_path, const std::string& dir,
      const std::string& node_binary, absl::Time start_time);

  // Reattaches to the folder of an earlier Up (possibly from another process),
  // starting and stopping nothing; `node_binary` is what later starts use.
  // NOT_FOUND when `dir` holds no cluster; INVALID_ARGUMENT when its files do
  // not parse.
  static absl::StatusOr<std::unique_ptr<Cluster>> Open(
      const std::string& dir, const std::string& node_binary);
  // The tonghop-node executable Up started the cluster of `dir` with (its
  // absolute path, recorded in DIR/node_binary), so that a later start or
  // restart runs the same build. NOT_FOUND when none is recorded.
  static absl::StatusOr<std::string> RecordedNodeBinary(const std::string& dir);

  // Leaves the nodes running, unless set_down_on_destroy(true) (for tests: then
  // Down()).
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  void set_down_on_destroy(bool down) { down_on_destroy_ = down; }

  // SIGTERM, then SIGKILL if the node has not exited after 10 s. OK when it was
  // not running. NOT_FOUND for a unit that is not a node of the cluster.
  absl::Status Stop(const std::string& unit);
  // SIGKILL (a crash); waits until it is gone. OK when it was not running.
  // NOT_FOUND as Stop.
  absl::Status Kill(const std::string& unit);
  // Starts a stopped node with its config and port, its clock at the cluster's
  // time; returns once it serves. FAILED_PRECONDITION when it is already
  // running, or when it exits at start (with its log tail); DEADLINE_EXCEEDED
  // (the process is killed) when it does not serve within 20 s; NOT_FOUND as
  // Stop.
  absl::Status Start(const std::string& unit);
  // Stop (when running), then Start: same address.
  absl::Status Restart(const std::string& unit);
  // Starts every node that is not running, parents before children (as after
  // Down); tries them all and returns the first error.
  absl::Status StartAll();
  // Stops every node, children before parents; tries them all and returns the
  // first error.
  absl::Status Down();

  // Moves every running node's simulated clock to `t` (AdminService.SetClock)
  // and records `t` in DIR/clock, which nodes that are down get when they
  // start. INVALID_ARGUMENT when `t` is before the cluster's time. DIR/clock is
  // written first; then every running node is called, and the first failure is
  // returned naming the units that refused or could not be reached. Each
  // node holds the automatic steps that fall due within the move for
  // kSettlePerTier per tier of nodes below it (SetClockRequest.settle), so
  // that its children's steps of the same move (an automatic finalisation)
  // reach it first.
  absl::Status SetClock(absl::Time t);
  static constexpr absl::Duration kSettlePerTier = absl::Seconds(2);
  // SetClock(CurrentTime() + d). INVALID_ARGUMENT for a negative `d`.
  absl::Status AdvanceClock(absl::Duration d);
  // The cluster's simulated time, from DIR/clock. NOT_FOUND / INVALID_ARGUMENT
  // when unreadable.
  absl::StatusOr<absl::Time> CurrentTime() const;

  // "127.0.0.1:PORT"; empty for a unit that is not a node of the cluster.
  std::string Address(const std::string& unit) const;
  // False for a unit that is not a node of the cluster.
  bool Running(const std::string& unit) const;
  // Every node, in start order (root first).
  std::vector<NodeView> Nodes() const;

  const std::string& dir() const { return dir_; }
  // DIR/<unit>/node.log.
  std::string LogPath(const std::string& unit) const;

 private:
  struct Node {
    NodePlan plan;          // from the spec: unit, parent, role, children
    v1::NodeConfig config;  // as written in DIR/<unit>/node.textproto
    std::string name;       // from the registry
    std::string folder;     // DIR/<unit>
  };

  Cluster(std::string dir, std::string node_binary);
  // Parses and plans `spec_text`; the nodes have no config yet.
  static absl::StatusOr<std::unique_ptr<Cluster>> Create(
      const std::string& spec_text, const std::string& dir,
      const std::string& node_binary);

  const Node* Find(const std::string& unit) const;
  absl::StatusOr<const Node*> FindOrNotFound(const std::string& unit) const;
  // The pid in DIR/<unit>/pid when that process is the node and still runs;
  // else 0.
  pid_t RunningPid(const Node& node) const;
  absl::Status StartNode(const Node& node);
  absl::Status WaitServing(const Node& node, pid_t pid, int64_t log_offset);
  absl::Status EndNode(const Node& node, int signal);

  std::string dir_;
  std::string node_binary_;
  std::vector<Node> nodes_;  // start order
  bool down_on_destroy_ = false;
};

}  // namespace tonghop::cluster

#endif  // TONGHOP_TOOLS_CLUSTER_CLUSTER_H_
