// The hierarchy that tonghop-cluster starts: parsing a text-format
// tonghop.v1.ClusterSpec (proto/tonghop/v1/cluster.proto), checking it against
// the unit registry, and deriving each node's role, expected children, start
// order and NodeConfig.
//
// Only the shape of the spec is checked here (known node units, one root,
// parents that are nodes, no unit twice); whether each child is a direct child
// of its parent is left to tonghop-node itself, which refuses to start on such
// a config. Pure functions except ReadClusterSpecText (which reads a file);
// thread-compatible.
#ifndef TONGHOP_TOOLS_CLUSTER_SPEC_H_
#define TONGHOP_TOOLS_CLUSTER_SPEC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/registry/registry.h"
#include "tonghop/v1/cluster.pb.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop::cluster {

// One node of a checked spec.
struct NodePlan {
  std::string unit;    // "31"
  std::string parent;  // the parent node's unit; empty for the root
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // Its child nodes (KIND_NODE) in spec order, then its spec units (KIND_UNIT,
  // with their names when given) in spec order.
  std::vector<v1::ChildConfig> children;
};

// Parses a text-format ClusterSpec. INVALID_ARGUMENT with the parser's line and
// column.
absl::StatusOr<v1::ClusterSpec> ParseClusterSpec(const std::string& text);

// `text_or_path` is spec text when it contains '{' or a newline, else the path
// of a spec file, whose content is returned. NOT_FOUND when the file cannot be
// read.
absl::StatusOr<std::string> ReadClusterSpecText(
    const std::string& text_or_path);

// The role of a node whose unit is `code`, from the unit's level in `registry`:
// central, city, department, or ward for a commune. NOT_FOUND for a unit not in
// the registry; INVALID_ARGUMENT for an internal office, which runs no node.
absl::StatusOr<v1::Role> RoleOfUnit(const Registry& registry,
                                    const std::string& code);

// Checks `spec` and returns its nodes in start order: the root first, then
// breadth-first, each node's children in spec order (so every parent precedes
// its children). INVALID_ARGUMENT naming the entry otherwise, e.g.
//   "nodes[3].parent: 'XX' is not a node of the spec":
// a node unit that is empty, unknown to the registry or an internal office; no
// root or two roots; a parent that is not a node; a node not under the root (a
// cycle); a unit (node or plain unit) listed twice; a plain unit without code
// or whose parent is not a node.
absl::StatusOr<std::vector<NodePlan>> PlanCluster(const v1::ClusterSpec& spec,
                                                  const Registry& registry);

// The NodeConfig of `node`: listen_address "127.0.0.1:<port>", data_dir
// `data_dir`, parent_address "127.0.0.1:<parent_port>" (none when `parent_port`
// is 0), its children.
v1::NodeConfig MakeNodeConfig(const NodePlan& node, const std::string& data_dir,
                              int port, int parent_port);

// "127.0.0.1:<port>".
std::string LoopbackAddress(int port);

}  // namespace tonghop::cluster

#endif  // TONGHOP_TOOLS_CLUSTER_SPEC_H_
