#include "libs/remind/schedule.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tonghop {
namespace {

constexpr int kQuietEnd = 7;     // no message before 07:00
constexpr int kQuietStart = 20;  // nor from 20:00
constexpr int kMovedHour = 8;

bool Allowed(absl::CivilSecond t, const Holidays& holidays) {
  return holidays.IsWorkingDay(absl::CivilDay(t)) && t.hour() >= kQuietEnd &&
         t.hour() < kQuietStart;
}

// `nominal` moved off quiet time: backwards before the deadline, forwards after
// it.
absl::CivilSecond Move(absl::CivilSecond nominal, bool before,
                       const Holidays& holidays) {
  if (Allowed(nominal, holidays)) return nominal;
  absl::CivilDay day(nominal);
  if (before) {
    // The same day's 08:00 is fine when the nominal hour is after the quiet
    // start.
    if (nominal.hour() >= kQuietStart && holidays.IsWorkingDay(day)) {
      return absl::CivilSecond(day) + kMovedHour * 3600;
    }
    do {
      --day;
    } while (!holidays.IsWorkingDay(day));
  } else {
    if (nominal.hour() < kQuietEnd && holidays.IsWorkingDay(day)) {
      return absl::CivilSecond(day) + kMovedHour * 3600;
    }
    do {
      ++day;
    } while (!holidays.IsWorkingDay(day));
  }
  return absl::CivilSecond(day) + kMovedHour * 3600;
}

}  // namespace

bool MaySendAt(absl::Time t, const Holidays& holidays, absl::TimeZone zone) {
  return Allowed(absl::ToCivilSecond(t, zone), holidays);
}

v1::ReminderPolicy WithDefaults(const v1::ReminderPolicy& policy) {
  v1::ReminderPolicy p = policy;
  if (p.before_days().empty()) {
    for (int d : {5, 2, 1}) p.add_before_days(d);
  }
  if (p.overdue_days().empty()) {
    for (int d : {0, 2}) p.add_overdue_days(d);
  }
  if (p.escalation_day() <= 0) p.set_escalation_day(1);
  if (p.hour() <= 0 || p.hour() > 23) p.set_hour(8);
  if (p.max_retry_seconds() <= 0) p.set_max_retry_seconds(300);
  return p;
}

std::vector<ReminderStep> StepsFor(const v1::ReminderPolicy& raw,
                                   absl::Time due, absl::Time until,
                                   const Holidays& holidays,
                                   absl::TimeZone zone) {
  const v1::ReminderPolicy policy = WithDefaults(raw);
  const absl::CivilDay d(absl::ToCivilSecond(due, zone));
  std::vector<ReminderStep> steps;
  std::vector<int>
      distance;  // |days from D| of each step, to merge by nearness
  auto add = [&](ReminderStep::Kind kind, std::string id, absl::CivilDay day) {
    absl::CivilSecond nominal = absl::CivilSecond(day) + policy.hour() * 3600;
    bool before = absl::FromCivil(nominal, zone) < due;
    absl::CivilSecond moved = Move(nominal, before, holidays);
    // A reminder moved back must still come before the deadline (it always
    // does: backwards), and an overdue step moved forward stays after it.
    steps.push_back(
        ReminderStep{kind, std::move(id), absl::FromCivil(moved, zone)});
    distance.push_back(static_cast<int>(day > d ? day - d : d - day));
  };
  for (int n : policy.before_days()) {
    if (n > 0)
      add(ReminderStep::Kind::kReminder, absl::StrCat("before-", n), d - n);
  }
  for (int n : policy.overdue_days()) {
    if (n >= 0)
      add(ReminderStep::Kind::kOverdue, absl::StrCat("overdue-", n), d + n);
  }
  add(ReminderStep::Kind::kEscalation, "escalation",
      d + policy.escalation_day());
  if (!policy.digest_off()) {
    // One digest per working day after the day the escalation actually goes, up
    // to `until`.
    const absl::CivilDay escalated(absl::ToCivilSecond(steps.back().at, zone));
    for (absl::CivilDay day = escalated + 1;
         absl::FromCivil(absl::CivilSecond(day), zone) <= until &&
         day - d < 400;
         ++day) {
      if (!holidays.IsWorkingDay(day)) continue;
      add(ReminderStep::Kind::kDigest,
          absl::StrFormat("digest-%04d-%02d-%02d", day.year(), day.month(),
                          day.day()),
          day);
      if (steps.back().at > until) {  // judged on when it actually goes
        steps.pop_back();
        distance.pop_back();
        break;
      }
    }
  }
  std::vector<size_t> order(steps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return steps[a].at < steps[b].at;
  });
  // Steps to the units that landed on the same instant are sent once: keep the
  // one nearest the deadline day, whatever the order of the policy's lists.
  std::vector<ReminderStep> out;
  int out_distance = 0;
  for (size_t i : order) {
    const ReminderStep& s = steps[i];
    bool to_units = s.kind == ReminderStep::Kind::kReminder ||
                    s.kind == ReminderStep::Kind::kOverdue;
    if (!out.empty() && to_units && out.back().at == s.at &&
        out.back().kind == s.kind) {
      if (distance[i] < out_distance) {
        out.back() = s;
        out_distance = distance[i];
      }
      continue;
    }
    out.push_back(s);
    out_distance = distance[i];
  }
  return out;
}

}  // namespace tonghop
