// Checking a cluster spec and deriving each node's plan and config (see
// spec.h).
#include "tools/cluster/spec.h"

#include <deque>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace tonghop::cluster {
namespace {

// Keeps the text-format parser's first error with its position.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (text_.empty()) {
      text_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                           message);
    }
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

absl::Status Invalid(const std::string& field, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

// Where each code was first listed ("nodes[2]", "units[0]"), to refuse it
// twice.
using Seen = std::map<std::string, std::string>;

absl::Status CheckNodes(const v1::ClusterSpec& spec, const Registry& registry,
                        Seen* seen, int* root) {
  *root = -1;
  for (int i = 0; i < spec.nodes_size(); ++i) {
    const v1::ClusterSpec::Node& n = spec.nodes(i);
    std::string field = absl::StrCat("nodes[", i, "]");
    if (n.unit().empty()) return Invalid(field + ".unit", "required");
    absl::StatusOr<v1::Role> role = RoleOfUnit(registry, n.unit());
    if (!role.ok())
      return Invalid(field + ".unit", std::string(role.status().message()));
    auto [it, fresh] = seen->emplace(n.unit(), field);
    if (!fresh) {
      return Invalid(field + ".unit",
                     absl::StrCat("'", n.unit(), "' is listed twice (also ",
                                  it->second, ")"));
    }
    if (n.parent().empty()) {
      if (*root >= 0) {
        return Invalid(
            field, absl::StrCat("a second root (no parent) besides nodes[",
                                *root, "] '", spec.nodes(*root).unit(), "'"));
      }
      *root = i;
    }
  }
  if (spec.nodes().empty()) return Invalid("nodes", "the spec has no nodes");
  if (*root < 0) return Invalid("nodes", "no root: every node has a parent");
  for (int i = 0; i < spec.nodes_size(); ++i) {
    const v1::ClusterSpec::Node& n = spec.nodes(i);
    if (n.parent().empty()) continue;
    std::string field = absl::StrCat("nodes[", i, "].parent");
    auto it = seen->find(n.parent());
    if (it == seen->end()) {
      return Invalid(
          field, absl::StrCat("'", n.parent(), "' is not a node of the spec"));
    }
    if (n.parent() == n.unit())
      return Invalid(field, "a node cannot be its own parent");
  }
  return absl::OkStatus();
}

absl::Status CheckUnits(const v1::ClusterSpec& spec, Seen* seen) {
  for (int i = 0; i < spec.units_size(); ++i) {
    const v1::ClusterSpec::Unit& u = spec.units(i);
    std::string field = absl::StrCat("units[", i, "]");
    if (u.code().empty()) return Invalid(field + ".code", "required");
    if (u.parent().empty()) return Invalid(field + ".parent", "required");
    auto parent = seen->find(u.parent());
    if (parent == seen->end() || parent->second.rfind("nodes[", 0) != 0) {
      return Invalid(
          field + ".parent",
          absl::StrCat("'", u.parent(), "' is not a node of the spec"));
    }
    auto [it, fresh] = seen->emplace(u.code(), field);
    if (!fresh) {
      return Invalid(field + ".code",
                     absl::StrCat("'", u.code(), "' is listed twice (also ",
                                  it->second, ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ClusterSpec> ParseClusterSpec(const std::string& text) {
  v1::ClusterSpec spec;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &spec)) {
    return absl::InvalidArgumentError(absl::StrCat("spec: ", errors.text()));
  }
  return spec;
}

absl::StatusOr<std::string> ReadClusterSpecText(
    const std::string& text_or_path) {
  if (text_or_path.find_first_of("{\n") != std::string::npos)
    return text_or_path;
  std::ifstream in(text_or_path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(
        absl::StrCat("spec: cannot read ", text_or_path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<v1::Role> RoleOfUnit(const Registry& registry,
                                    const std::string& code) {
  const Unit* unit = registry.Find(code);
  if (unit == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("'", code, "' is not in the registry"));
  }
  switch (unit->level) {
    case Level::kCentral:
      return v1::ROLE_CENTRAL;
    case Level::kCity:
      return v1::ROLE_CITY;
    case Level::kDepartment:
      return v1::ROLE_DEPARTMENT;
    case Level::kCommune:
      return v1::ROLE_WARD;
    case Level::kOffice:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", code, "' is an internal office, which runs no node"));
}

absl::StatusOr<std::vector<NodePlan>> PlanCluster(const v1::ClusterSpec& spec,
                                                  const Registry& registry) {
  Seen seen;
  int root = -1;
  if (absl::Status s = CheckNodes(spec, registry, &seen, &root); !s.ok())
    return s;
  if (absl::Status s = CheckUnits(spec, &seen); !s.ok()) return s;

  // Breadth-first from the root; each node's children in spec order.
  std::vector<NodePlan> plan;
  std::map<std::string, int> index;  // unit -> position in `plan`
  std::deque<int> queue = {root};
  while (!queue.empty()) {
    const v1::ClusterSpec::Node& n = spec.nodes(queue.front());
    queue.pop_front();
    NodePlan node;
    node.unit = n.unit();
    node.parent = n.parent();
    node.role = *RoleOfUnit(registry, n.unit());
    for (int i = 0; i < spec.nodes_size(); ++i) {
      if (spec.nodes(i).parent() != n.unit()) continue;
      v1::ChildConfig child;
      child.set_code(spec.nodes(i).unit());
      child.set_kind(v1::ChildConfig::KIND_NODE);
      node.children.push_back(std::move(child));
      queue.push_back(i);
    }
    for (const v1::ClusterSpec::Unit& u : spec.units()) {
      if (u.parent() != n.unit()) continue;
      v1::ChildConfig child;
      child.set_code(u.code());
      child.set_kind(v1::ChildConfig::KIND_UNIT);
      child.set_name(u.name());
      node.children.push_back(std::move(child));
    }
    index[node.unit] = static_cast<int>(plan.size());
    plan.push_back(std::move(node));
  }
  for (int i = 0; i < spec.nodes_size(); ++i) {
    if (index.count(spec.nodes(i).unit()) == 0) {
      return Invalid(
          absl::StrCat("nodes[", i, "]"),
          absl::StrCat("'", spec.nodes(i).unit(), "' is not under the root '",
                       spec.nodes(root).unit(),
                       "' (its parents form a cycle)"));
    }
  }
  return plan;
}

v1::NodeConfig MakeNodeConfig(const NodePlan& node, const std::string& data_dir,
                              int port, int parent_port) {
  v1::NodeConfig config;
  config.set_unit(node.unit);
  config.set_role(node.role);
  config.set_listen_address(LoopbackAddress(port));
  config.set_data_dir(data_dir);
  if (parent_port > 0) config.set_parent_address(LoopbackAddress(parent_port));
  for (const v1::ChildConfig& child : node.children)
    *config.add_children() = child;
  return config;
}

std::string LoopbackAddress(int port) {
  return absl::StrCat("127.0.0.1:", port);
}

}  // namespace tonghop::cluster
