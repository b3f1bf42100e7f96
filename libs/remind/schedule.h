// When a node reminds: the steps of a reminder policy around one deadline,
// after moving each off weekends, holidays and quiet hours. Pure;
// thread-compatible.
#ifndef TONGHOP_LIBS_REMIND_SCHEDULE_H_
#define TONGHOP_LIBS_REMIND_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/calendar.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

struct ReminderStep {
  enum class Kind { kReminder, kOverdue, kEscalation, kDigest };
  Kind kind = Kind::kReminder;
  std::string id;  // "before-5", "overdue-0", "escalation", "digest-2026-03-23"
  absl::Time at;   // when it falls due
};

// The policy with its defaults filled in: before 5, 2, 1 days; overdue 0, 2;
// escalation 1; daily digest; 08:00.
v1::ReminderPolicy WithDefaults(const v1::ReminderPolicy& policy);

// The steps around the deadline whose first late instant is `due` (00:00 of day
// D), sorted by time: reminders at D - n days, overdue notices at D + n, the
// escalation at D + e, then a digest each working day after the escalation up
// to and including `until`. A step that falls on a weekend, a holiday, or
// outside 07:00-20:00 moves to the previous working day at 08:00 when it is
// before the deadline, to the next working day at 08:00 after it. Two steps
// that land on the same instant are sent once (the one nearer the deadline is
// kept).
// True when a message may go out at `t`: a working day, 07:00-20:00 in
// `zone`.
bool MaySendAt(absl::Time t, const Holidays& holidays, absl::TimeZone zone);

std::vector<ReminderStep> StepsFor(const v1::ReminderPolicy& policy,
                                   absl::Time due, absl::Time until,
                                   const Holidays& holidays,
                                   absl::TimeZone zone);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_SCHEDULE_H_
