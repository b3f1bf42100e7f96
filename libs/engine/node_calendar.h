// A node's reporting calendar: when its children owe it their reports, and when
// it owes its parent its own (DeadlineConfig rules with defaults by level),
// plus the automatic finalisation and lock settings. Immutable after Build;
// thread-safe to share.
#ifndef TONGHOP_LIBS_ENGINE_NODE_CALENDAR_H_
#define TONGHOP_LIBS_ENGINE_NODE_CALENDAR_H_

#include <memory>
#include <optional>
#include <string>

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
  // The first late instant of `unit`'s figures for `period`: the node's own
  // unit's part travels in the node's report, due to the parent (at the
  // central node, which has none, the children's); a child's are due with the
  // children's.
  absl::Time UnitDue(const Period& period, const std::string& unit) const;
  // True when `t` is before the end of the period's data window.
  bool BeforeWindowCloses(const Period& period, absl::Time t) const;
  // True when a figure of `period` set at `set` by a unit due at `due` is an
  // estimate ("ước thực hiện"): the unit owes its report before the data
  // window closes (the annual report, due in November for a year whose window
  // closes on 14 December), and the figure was set before the close. A report
  // due when its window closes or later (every monthly one: units before the
  // 15th, the window to the 14th) holds the actual figures.
  bool IsEstimate(const Period& period, absl::Time due, absl::Time set) const;
  // True when a figure `report` still holds is an estimate (IsEstimate, with
  // the UnitDue of report.unit()): the report includes estimates until each
  // such figure is set again, or confirmed, after the window closed (one figure
  // revised later leaves the others estimates).
  bool HoldsEstimates(const Period& period, const v1::UnitReport& report) const;

  absl::TimeZone zone() const { return zone_; }
  const Holidays& holidays() const { return holidays_; }

 private:
  NodeCalendar() = default;

  std::string self_;  // the node's unit code
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
