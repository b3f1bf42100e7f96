#include "libs/engine/topology.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/rollup/rollup.h"
#include "openssl/evp.h"

namespace tonghop {
namespace {

Level LevelOf(v1::Role role) {
  switch (role) {
    case v1::ROLE_CENTRAL:
      return Level::kCentral;
    case v1::ROLE_CITY:
      return Level::kCity;
    case v1::ROLE_DEPARTMENT:
      return Level::kDepartment;
    default:
      return Level::kCommune;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Topology>> Topology::Build(
    const v1::NodeConfig& config, Registry* registry, const Catalog* catalog) {
  std::unique_ptr<Topology> t(new Topology);
  t->registry_ = registry;
  t->catalog_ = catalog;
  t->self_ = registry->Find(config.unit());
  if (t->self_ == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: unit '", config.unit(), "' is not in the registry"));
  }
  if (t->self_->level != LevelOf(config.role())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: role ", v1::Role_Name(config.role()), " does not fit unit ",
        config.unit(), ", a ", LevelName(t->self_->level)));
  }
  auto add = [&](const Unit* unit, v1::ChildConfig::Kind kind) {
    t->child_index_[unit->code] = static_cast<int>(t->children_.size());
    t->children_.push_back(Child{unit, kind});
  };
  for (int i = 0; i < config.children_size(); ++i) {
    const v1::ChildConfig& c = config.children(i);
    std::string field = absl::StrCat("config: children[", i, "]");
    if (c.code().empty())
      return absl::InvalidArgumentError(absl::StrCat(field, ".code: required"));
    if (c.kind() != v1::ChildConfig::KIND_NODE &&
        c.kind() != v1::ChildConfig::KIND_UNIT) {
      // Which one decides whether the child's pushes or its officers'
      // submissions are accepted: never guessed.
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".kind: required for ", c.code(),
          " (KIND_NODE: runs its own node; KIND_UNIT: submits here)"));
    }
    if (registry->Find(c.code()) == nullptr &&
        c.code().find('.') != std::string::npos && !c.name().empty()) {
      absl::Status s = registry->AddOffice(c.code(), c.name());
      if (!s.ok())
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".code: ", s.message()));
    }
    const Unit* unit = registry->Find(c.code());
    if (unit == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".code: '", c.code(),
          "' is not in the registry (an internal office needs a name)"));
    }
    if (unit->parent != t->self_->code) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".code: ", c.code(), " is not a direct child of ",
                       config.unit()));
    }
    if (t->child_index_.count(c.code())) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".code: ", c.code(), " listed twice"));
    }
    if (c.kind() == v1::ChildConfig::KIND_UNIT) {
      // A unit submits only what it owes itself; one that owes nothing
      // (a city, whose figures are its wards') could never report.
      bool owes = false;
      for (const v1::Indicator& ind : catalog->proto().indicators())
        owes = owes || catalog->OwesDirectly(*unit, ind);
      if (!owes) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".kind: KIND_UNIT, but ", c.code(), " (",
            LevelName(unit->level),
            ") submits no indicator of the catalog itself",
            unit->level == Level::kCity
                ? "; a city reports through its own node: KIND_NODE"
                : ""));
      }
    }
    add(unit, c.kind());
  }
  if (config.children().empty()) {
    if (t->self_->level == Level::kCity) {
      for (const Unit* u :
           DefaultCityChildren(*t->self_, *registry, *catalog)) {
        add(u, v1::ChildConfig::KIND_UNIT);
      }
    } else if (t->self_->level == Level::kCentral) {
      for (const Unit* city : registry->Cities())
        add(city, v1::ChildConfig::KIND_NODE);
    }
  }
  // Reminders go to the children, escalations and digests to the node's own
  // unit: an address for anyone else would never be written to.
  for (int i = 0; i < config.channels().contacts_size(); ++i) {
    const std::string& unit = config.channels().contacts(i).unit();
    if (unit != t->self_->code && !t->child_index_.count(unit)) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: channels.contacts[", i, "].unit: '", unit,
                       "' is neither this node's unit (", t->self_->code,
                       ") nor one of its children"));
    }
  }
  // Plans per frequency: the indicators this node's subtree owes, and who
  // contributes.
  for (const v1::Indicator& ind : catalog->proto().indicators()) {
    if (!catalog->OwesInSubtree(*t->self_, ind)) continue;
    IndicatorPlan plan;
    plan.indicator = &ind;
    plan.own = catalog->OwesDirectly(*t->self_, ind);
    for (const Child& c : t->children_) {
      if (catalog->OwesInSubtree(*c.unit, ind)) {
        plan.children.push_back(c.unit);
        plan.child_set.insert(c.unit);
      }
    }
    // Nobody here or below reports it (e.g. Huế's indicators at a central node
    // that expects only other cities): it could never have a value at this
    // node.
    if (!plan.own && plan.children.empty()) continue;
    t->plans_[ind.frequency()].push_back(std::move(plan));
  }
  for (auto& [freq, plans] : t->plans_) {
    std::sort(plans.begin(), plans.end(),
              [](const IndicatorPlan& a, const IndicatorPlan& b) {
                return a.indicator->code() < b.indicator->code();
              });
  }
  return t;
}

std::vector<const Unit*> Topology::DefaultCityChildren(const Unit& city,
                                                       const Registry& registry,
                                                       const Catalog& catalog) {
  std::vector<const Unit*> out = registry.CommunesOf(city.province);
  for (const Unit* d : registry.DepartmentsOf(city.province)) {
    for (const v1::Indicator& ind : catalog.proto().indicators()) {
      if (catalog.OwesDirectly(*d, ind)) {
        out.push_back(d);
        break;
      }
    }
  }
  return out;
}

const Child* Topology::FindChild(absl::string_view code) const {
  auto it = child_index_.find(code);
  return it == child_index_.end() ? nullptr : &children_[it->second];
}

absl::Status Topology::AcceptsSubmitter(const Unit& unit) const {
  if (unit.code == self_->code) return absl::OkStatus();
  const Child* child = FindChild(unit.code);
  if (child == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit: ", unit.code, " (", unit.name, ") is neither this node's unit ",
        self_->code, " nor one of its expected children"));
  }
  if (child->kind == v1::ChildConfig::KIND_NODE) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit: ", unit.code,
        " runs its own node, which pushes its consolidated report; submit "
        "to that node"));
  }
  return absl::OkStatus();
}

std::string Topology::Fingerprint() const {
  std::string text =
      absl::StrCat("rules ", kRollupRulesVersion, "\nunit ", self_->code, "\n");
  for (const auto& [frequency, plans] : plans_) {
    for (const IndicatorPlan& plan : plans) {
      std::string indicator;
      google::protobuf::io::StringOutputStream stream(&indicator);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      plan.indicator->SerializeToCodedStream(&coded);
      coded.Trim();
      absl::StrAppend(&text, "plan ", frequency, " ", plan.own ? "own " : "",
                      absl::BytesToHexString(indicator), "\n");
      for (const Unit* child : plan.children) {
        const Child* c = FindChild(child->code);
        absl::StrAppend(
            &text, " ", child->code, " ", c == nullptr ? 0 : c->kind, " ",
            ExpectedCommunes(*catalog_, *registry_, *child, *plan.indicator),
            "\n");
      }
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), size));
}

const std::vector<IndicatorPlan>& Topology::Plans(
    v1::Frequency frequency) const {
  static const auto* kNone = new std::vector<IndicatorPlan>;
  auto it = plans_.find(frequency);
  return it == plans_.end() ? *kNone : it->second;
}

}  // namespace tonghop
