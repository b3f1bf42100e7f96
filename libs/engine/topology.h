// A node's place in the hierarchy: its own unit, its expected children, and for
// each indicator which of them contribute. Built once at start from the config,
// the registry and the catalog; immutable afterwards (thread-safe to share).
#ifndef TONGHOP_LIBS_ENGINE_TOPOLOGY_H_
#define TONGHOP_LIBS_ENGINE_TOPOLOGY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

struct Child {
  const Unit* unit = nullptr;
  v1::ChildConfig::Kind kind = v1::ChildConfig::KIND_UNIT;
};

// Who contributes to one indicator at this node.
struct IndicatorPlan {
  const v1::Indicator* indicator = nullptr;
  bool own = false;  // the node's own unit reports a part itself
  std::vector<const Unit*>
      children;  // expected children that owe it, in child order
  // True when `unit` is one of `children` (constant time).
  bool Has(const Unit* unit) const { return child_set.contains(unit); }
  absl::flat_hash_set<const Unit*> child_set;  // the same units as `children`
};

class Topology {
 public:
  // Checks the config against the registry: the unit exists and its level
  // matches the role (central "VN", city, department, ward = commune); each
  // child is a direct child of the unit (an unknown "<unit>.<SUFFIX>" with a
  // name is registered as an internal office); no child twice. With no children
  // configured, a city expects all its communes and each department responsible
  // for an indicator in its scope, the central node every city.
  // INVALID_ARGUMENT naming the field (e.g. "children[3].code") otherwise.
  static absl::StatusOr<std::unique_ptr<Topology>> Build(
      const v1::NodeConfig& config, Registry* registry, const Catalog* catalog);

  const Unit& self() const { return *self_; }
  const std::vector<Child>& children() const { return children_; }
  // nullptr when `code` is not an expected child.
  const Child* FindChild(absl::string_view code) const;

  // OK when `unit` may submit to this node: its own unit, or a child of kind
  // UNIT. FAILED_PRECONDITION naming the unit otherwise.
  absl::Status AcceptsSubmitter(const Unit& unit) const;

  // The indicators of `frequency` that this node consolidates, sorted by code:
  // those its subtree owes and that its own unit or at least one expected child
  // reports.
  const std::vector<IndicatorPlan>& Plans(v1::Frequency frequency) const;

  // A city's default children: all its communes, then each department
  // responsible for an indicator in its scope.
  static std::vector<const Unit*> DefaultCityChildren(const Unit& city,
                                                      const Registry& registry,
                                                      const Catalog& catalog);

  const Catalog& catalog() const { return *catalog_; }
  const Registry& registry() const { return *registry_; }

  // What a stored consolidation depends on besides the figures, as a SHA-256
  // in hex: the rules' version (kRollupRulesVersion), the node's unit and, per
  // frequency, each plan's indicator (as the
  // catalog defines it, targets and all), whether the unit reports a part,
  // and its children with their kinds and the communes each is expected to
  // cover. Equal fingerprints consolidate equal figures alike; the engine
  // stores it and recomputes its periods when a start finds another one (the
  // children or the catalog changed). Stable for a given build and data.
  std::string Fingerprint() const;

 private:
  Topology() = default;

  const Unit* self_ = nullptr;
  const Registry* registry_ = nullptr;
  const Catalog* catalog_ = nullptr;
  std::vector<Child> children_;
  std::map<std::string, int, std::less<>> child_index_;
  std::map<v1::Frequency, std::vector<IndicatorPlan>> plans_;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ENGINE_TOPOLOGY_H_
