// The words of a reminder: Vietnamese subject and body, and the webhook's JSON.
// Pure.
#ifndef TONGHOP_LIBS_REMIND_COMPOSE_H_
#define TONGHOP_LIBS_REMIND_COMPOSE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tonghop/v1/remind.pb.h"

namespace tonghop {

struct ComposeInput {
  std::string node_name;  // "Thành phố Hải Phòng"
  std::string window;     // "2026-02-15..2026-03-14"
  absl::Time now;
  absl::TimeZone zone;
  // For a unit's reminder: the indicators it still owes ("QD11-01 Tỉ lệ cán bộ
  // ..."), and the revision of its provisional report (0: nothing submitted).
  std::vector<std::string> owed;
  int64_t revision = 0;
};

// Fills `reminder.subject`, `.body` from its kind, period, unit, deadline and
// missing list.
void Compose(const ComposeInput& in, v1::Reminder& reminder);

// The webhook document: the reminder's fields as JSON (camelCase names, RFC
// 3339 times in Vietnam time, "2026-03-20T00:00:00+07:00"), without the e-mail
// addresses and the delivery's bookkeeping (state, attempts, last error, sent
// time).
std::string ReminderJson(const v1::Reminder& reminder);

// "20/03/2026" for the day before `due` is the last on-time day: the text
// "trước ngày 20/03/2026" names the first late day.
std::string DueDayText(absl::Time due, absl::TimeZone zone);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_COMPOSE_H_
