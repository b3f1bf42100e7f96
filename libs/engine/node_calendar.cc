#include "libs/engine/node_calendar.h"

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/zone.h"
#include "libs/engine/engine_internal.h"

namespace tonghop {

Recipient RecipientOf(Level level) {
  switch (level) {
    case Level::kCentral:
      return Recipient::kCentral;
    case Level::kCity:
      return Recipient::kCity;
    default:  // a ward (its offices), a department (its divisions)
      return Recipient::kWard;
  }
}

absl::StatusOr<std::unique_ptr<NodeCalendar>> NodeCalendar::Build(
    const v1::NodeConfig& config, const Registry& registry, const Unit& self,
    Holidays holidays) {
  std::unique_ptr<NodeCalendar> c(new NodeCalendar);
  ASSIGN_OR_RETURN(c->zone_, VietnamZone());
  c->self_ = self.code;
  c->holidays_ = std::move(holidays);
  c->children_ = std::make_unique<EdgeCalendar>(
      config.children_deadlines(), DefaultDeadlines(RecipientOf(self.level)),
      &c->holidays_);
  if (const Unit* parent = registry.Find(self.parent)) {
    c->parent_ = std::make_unique<EdgeCalendar>(
        config.parent_deadlines(), DefaultDeadlines(RecipientOf(parent->level)),
        &c->holidays_);
  }
  if (config.auto_finalize_lead_hours() > 0) {
    c->finalize_lead_ = absl::Hours(config.auto_finalize_lead_hours());
  }
  c->auto_finalize_ = !config.auto_finalize_off();
  c->auto_lock_days_ = config.auto_lock_days();
  if (c->parent_) {
    // Units must owe this node before it owes its parent: a node cannot
    // consolidate figures not yet due. Checked on every period of two years
    // (the rules repeat each year; holidays may move single deadlines).
    struct Type {
      PeriodType type;
      int count;
      const char* field;
    };
    for (const Type& t : {Type{PeriodType::kMonth, 12, "monthly"},
                          Type{PeriodType::kQuarter, 4, "quarterly"},
                          Type{PeriodType::kHalfYear, 2, "half_yearly"},
                          Type{PeriodType::kNineMonths, 1, "nine_months"},
                          Type{PeriodType::kYear, 1, "annual"}}) {
      for (int year : {2026, 2027}) {
        for (int i = 1; i <= t.count; ++i) {
          const Period p{year, t.type, i};
          const absl::Time children = c->ChildrenDue(p);
          const absl::Time parent = *c->ParentDue(p);
          if (children <= parent) continue;
          return absl::InvalidArgumentError(absl::StrCat(
              "config: children_deadlines.", t.field, ": the units owe ",
              p.Label(), " by ", FormatVietnamTime(children),
              ", after this node owes it to its parent (",
              FormatVietnamTime(parent), ", parent_deadlines.", t.field, ")"));
        }
      }
    }
  }
  return c;
}

absl::Time NodeCalendar::ChildrenDue(const Period& period) const {
  return children_->Due(period, zone_);
}

std::optional<absl::Time> NodeCalendar::ParentDue(const Period& period) const {
  if (!parent_) return std::nullopt;
  return parent_->Due(period, zone_);
}

std::optional<absl::Time> NodeCalendar::AutoFinalizeAt(
    const Period& period) const {
  if (!auto_finalize_ || !parent_) return std::nullopt;
  return parent_->Due(period, zone_) - finalize_lead_;
}

std::optional<absl::Time> NodeCalendar::AutoLockAt(const Period& period) const {
  if (auto_lock_days_ <= 0) return std::nullopt;
  return ChildrenDue(period) + absl::Hours(24) * auto_lock_days_;
}

absl::Time NodeCalendar::UnitDue(const Period& period,
                                 const std::string& unit) const {
  const absl::Time children = ChildrenDue(period);
  if (unit != self_) return children;
  return ParentDue(period).value_or(children);
}

bool NodeCalendar::BeforeWindowCloses(const Period& period,
                                      absl::Time t) const {
  return t <
         absl::FromCivil(absl::CivilSecond(WindowOf(period).last + 1), zone_);
}

bool NodeCalendar::IsEstimate(const Period& period, absl::Time due,
                              absl::Time set) const {
  return BeforeWindowCloses(period, due) && BeforeWindowCloses(period, set);
}

bool NodeCalendar::HoldsEstimates(const Period& period,
                                  const v1::UnitReport& report) const {
  const absl::Time due = UnitDue(period, report.unit());
  if (!BeforeWindowCloses(period, due)) return false;
  for (const v1::ReportValue& v : report.values()) {
    if (BeforeWindowCloses(period,
                           engine_internal::FromProto(v.updated_time()))) {
      return true;
    }
  }
  return false;
}

}  // namespace tonghop
