#include "tools/bench/workload.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/base/status_macros.h"
#include "libs/rollup/rollup.h"

namespace tonghop::bench {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

int64_t Uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

}  // namespace

absl::StatusOr<std::unique_ptr<World>> World::Load() {
  std::unique_ptr<World> world(new World());
  ASSIGN_OR_RETURN(world->registry_, Registry::LoadEmbedded());
  ASSIGN_OR_RETURN(world->catalog_, Catalog::LoadEmbedded(*world->registry_));
  return world;
}

std::vector<const Unit*> World::Leaves(const Unit& city) const {
  return Topology::DefaultCityChildren(city, *registry_, *catalog_);
}

v1::NodeConfig World::CityConfig(const Unit& city) const {
  v1::NodeConfig config;
  config.set_unit(city.code);
  config.set_role(v1::ROLE_CITY);
  for (const Unit* leaf : Leaves(city)) {
    v1::ChildConfig* child = config.add_children();
    child->set_code(leaf->code);
    child->set_kind(v1::ChildConfig::KIND_NODE);
  }
  return config;
}

absl::StatusOr<const Topology*> World::NodeTopology(const Unit& unit) {
  auto it = topologies_.find(unit.code);
  if (it != topologies_.end()) return it->second.get();
  v1::NodeConfig config;
  switch (unit.level) {
    case Level::kCentral:
      config.set_unit(unit.code);
      config.set_role(v1::ROLE_CENTRAL);
      break;
    case Level::kCity:
      config = CityConfig(unit);
      break;
    case Level::kCommune:
      config.set_unit(unit.code);
      config.set_role(v1::ROLE_WARD);
      break;
    case Level::kDepartment:
      config.set_unit(unit.code);
      config.set_role(v1::ROLE_DEPARTMENT);
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unit ", unit.code, " plays no node in the benchmark"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Topology> topology,
                   Topology::Build(config, registry_.get(), catalog_.get()));
  const Topology* raw = topology.get();
  topologies_[unit.code] = std::move(topology);
  return raw;
}

void AddToTotals(const v1::PushRequest& push, Totals& totals) {
  for (const v1::ConsolidatedValue& v : push.values()) {
    IndicatorTotal& t = totals[v.indicator()];
    switch (v.value().kind_case()) {
      case v1::Value::kRatio:
        t.numerator += v.value().ratio().numerator();
        t.denominator += v.value().ratio().denominator();
        break;
      case v1::Value::kNumber:
        t.number += v.value().number();
        break;
      default:
        continue;
    }
    ++t.leaves;
  }
}

size_t Generator::Pick(size_t n) {
  return static_cast<size_t>(Uniform(rng_, 0, static_cast<int64_t>(n) - 1));
}

absl::StatusOr<v1::PushRequest> Generator::LeafPush(const Unit& leaf,
                                                    const Period& period,
                                                    int64_t revision,
                                                    absl::Time updated) {
  ASSIGN_OR_RETURN(const Topology* topo, world_.NodeTopology(leaf));
  v1::PushRequest push;
  push.set_child(leaf.code);
  push.set_period(period.Label());
  push.set_revision(revision);
  *push.mutable_updated_time() = ToProto(updated);
  for (const IndicatorPlan& plan : topo->Plans(period.frequency())) {
    if (!plan.own) continue;
    const v1::Indicator& ind = *plan.indicator;
    v1::Value value;
    switch (ind.measure()) {
      case v1::MEASURE_RATIO: {
        int64_t den = Uniform(rng_, 20, 400);
        value.mutable_ratio()->set_denominator(den);
        value.mutable_ratio()->set_numerator(Uniform(rng_, den / 2, den));
        break;
      }
      case v1::MEASURE_COUNT:
        value.set_number(Uniform(rng_, 0, 12));
        break;
      case v1::MEASURE_RANK:
        value.set_number(Uniform(rng_, 1, 63));
        break;
      default:
        value.set_hundredths(Uniform(rng_, 5000, 10000));
        break;
    }
    v1::ConsolidatedValue own =
        UnitValue(world_.catalog(), leaf, period, ind, value, /*note=*/"");
    ASSIGN_OR_RETURN(
        *push.add_values(),
        ConsolidateIndicator(world_.catalog(), world_.registry(), leaf, period,
                             ind, {Contribution{&leaf, &own, true}}));
  }
  return push;
}

absl::StatusOr<v1::PushRequest> Generator::CityPush(
    const Unit& city, const Period& period,
    const std::vector<v1::PushRequest>& leaves, int64_t revision,
    absl::Time updated) {
  ASSIGN_OR_RETURN(const Topology* topo, world_.NodeTopology(city));
  std::map<std::string, const v1::PushRequest*> by_leaf;
  for (const v1::PushRequest& p : leaves) by_leaf[p.child()] = &p;
  auto value_of = [&](const Unit* u,
                      const std::string& ind) -> const v1::ConsolidatedValue* {
    auto it = by_leaf.find(u->code);
    if (it == by_leaf.end()) return nullptr;
    for (const v1::ConsolidatedValue& v : it->second->values()) {
      if (v.indicator() == ind) return &v;
    }
    return nullptr;
  };
  v1::PushRequest push;
  push.set_child(city.code);
  push.set_period(period.Label());
  push.set_revision(revision);
  *push.mutable_updated_time() = ToProto(updated);
  for (const IndicatorPlan& plan : topo->Plans(period.frequency())) {
    std::vector<Contribution> contributions;
    for (const Unit* c : plan.children) {
      contributions.push_back({c, value_of(c, plan.indicator->code()), false});
    }
    ASSIGN_OR_RETURN(
        *push.add_values(),
        ConsolidateIndicator(world_.catalog(), world_.registry(), city, period,
                             *plan.indicator, contributions));
  }
  for (const Child& c : topo->children()) {
    auto it = by_leaf.find(c.unit->code);
    if (it == by_leaf.end()) continue;
    v1::ChildBreakdown* b = push.add_children();
    b->set_unit(c.unit->code);
    b->set_name(c.unit->name);
    b->set_revision(it->second->revision());
    *b->mutable_updated_time() = it->second->updated_time();
    *b->mutable_values() = it->second->values();
  }
  return push;
}

absl::StatusOr<std::vector<v1::PushRequest>> Burst(
    Generator& gen, World& world, const Unit& city, const Period& period,
    double corrections, double duplicates, absl::Time updated,
    std::vector<v1::PushRequest>* finals) {
  std::vector<v1::PushRequest> first;
  for (const Unit* leaf : world.Leaves(city)) {
    ASSIGN_OR_RETURN(v1::PushRequest p,
                     gen.LeafPush(*leaf, period, 1, updated));
    // The month-end submission is the ward's final report.
    *p.mutable_finalized_time() = p.updated_time();
    first.push_back(std::move(p));
  }
  std::shuffle(first.begin(), first.end(), gen.rng());
  *finals = first;
  std::vector<v1::PushRequest> later;
  const size_t n_corrections = static_cast<size_t>(
      corrections * static_cast<double>(first.size()) + 0.5);
  std::vector<size_t> order(first.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), gen.rng());
  for (size_t k = 0; k < n_corrections && k < order.size(); ++k) {
    const v1::PushRequest& old = first[order[k]];
    const Unit* leaf = world.registry().Find(old.child());
    ASSIGN_OR_RETURN(
        v1::PushRequest p,
        gen.LeafPush(*leaf, period, 2, updated + absl::Minutes(5)));
    // A correction after finalisation: a late revision of a final report.
    *p.mutable_finalized_time() = old.finalized_time();
    *p.mutable_late_revision_time() = p.updated_time();
    (*finals)[order[k]] = p;
    later.push_back(std::move(p));
  }
  const size_t n_duplicates = std::max<size_t>(
      1, static_cast<size_t>(duplicates * static_cast<double>(first.size()) +
                             0.5));
  for (size_t k = 0; k < n_duplicates; ++k) {
    later.push_back(first[gen.Pick(first.size())]);
  }
  std::shuffle(later.begin(), later.end(), gen.rng());
  // The second half of the burst interleaves first pushes and the later ones.
  std::vector<v1::PushRequest> out(first.begin(),
                                   first.begin() + first.size() / 2);
  std::vector<v1::PushRequest> rest(first.begin() + first.size() / 2,
                                    first.end());
  rest.insert(rest.end(), later.begin(), later.end());
  // Keep each correction after its first push: only shuffle, then move every
  // revision 2 behind the revision 1 of the same leaf when needed.
  std::shuffle(rest.begin(), rest.end(), gen.rng());
  std::map<std::string, size_t> first_at;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i].revision() == 1 && !first_at.count(rest[i].child()))
      first_at[rest[i].child()] = i;
  }
  std::stable_partition(rest.begin(), rest.end(), [&](const auto& p) {
    return p.revision() == 1 || !first_at.count(p.child());
  });
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

FlatReport Flatten(const v1::PushRequest& push, const std::string& city) {
  FlatReport r;
  r.period = push.period();
  r.city = city;
  r.unit = push.child();
  r.revision = push.revision();
  for (const v1::ConsolidatedValue& v : push.values()) {
    FlatValue f;
    f.indicator = v.indicator();
    if (v.value().has_ratio()) {
      f.ratio = true;
      f.numerator = v.value().ratio().numerator();
      f.denominator = v.value().ratio().denominator();
    } else {
      f.ratio = false;
      f.number = v.value().number();
    }
    r.values.push_back(std::move(f));
  }
  return r;
}

}  // namespace tonghop::bench
