// A node's reporting calendar: when its children owe it their reports, and when
// it owes its parent its own (DeadlineConfig rules with defaults by level),
// plus the automatic finalisation and lock settings. Immutable after Build;
// thread-safe to share.
#ifndef TONGHOP_LIBS_ENGINE_NODE_CALENDAR_H_
#define TONGHOP_LIBS_ENGINE_NODE_CALENDAR_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/calendar/calendar.h"
#include "libs/registry/registry.h"
#include "tonghop/v1/config.pb.h"
#include "tonghop/v1/report.pb.h"

namespace tonghop {

class NodeCalendar {
 public:
  // `self` is the node's unit; `holidays` is the list to move deadlines with
  // (when an edge asks for it). FAILED_PRECONDITION when the Asia/Ho_Chi_Minh
  // zone data is missing.
  static absl::StatusOr<std::unique_ptr<NodeCalendar>> Build(
      const v1::NodeConfig& config, const Registry& registry, const Unit& self,
      Holidays holidays);

  // The first late instant of the children's reports for `period`.
  absl::Time ChildrenDue(const Period& period) const;
  // The first late instant of this node's report to its parent; nullopt for the
  // central node.
  std::optional<absl::Time> ParentDue(const Period& period) const;
  // When to finalise automatically (ParentDue - lead); nullopt when off or no
  // parent.
  std::optional<absl::Time> AutoFinalizeAt(const Period& period) const;
  // When to lock automatically (ChildrenDue + days); nullopt when off.
  std::optional<absl::Time> AutoLockAt(const Period& period) const;
  // True when `t` is before the end of the period's data window (figures are
  // estimates).
  bool BeforeWindowCloses(const Period& period, absl::Time t) const;
  // True when a figure `report` still holds was set before the period's data
  // window closed: the report includes estimates until each such figure is
  // set again after it (one figure revised later leaves the others estimates).
  bool HoldsEstimates(const Period& period, const v1::UnitReport& report) const;

  absl::TimeZone zone() const { return zone_; }
  const Holidays& holidays() const { return holidays_; }

 private:
  NodeCalendar() = default;

  absl::TimeZone zone_;
  Holidays holidays_;
  std::unique_ptr<EdgeCalendar> children_;
  std::unique_ptr<EdgeCalendar> parent_;  // null for the central node
  absl::Duration finalize_lead_ = absl::Hours(24);
  bool auto_finalize_ = true;
  int auto_lock_days_ = 0;
};

// The default recipient of reports sent to a unit of `level`.
Recipient RecipientOf(Level level);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ENGINE_NODE_CALENDAR_H_
