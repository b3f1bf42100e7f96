// Vietnam's time zone, loaded once. Every civil time in tonghop is
// Asia/Ho_Chi_Minh, whatever the host's TZ.
#ifndef TONGHOP_LIBS_CALENDAR_ZONE_H_
#define TONGHOP_LIBS_CALENDAR_ZONE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tonghop {

// Asia/Ho_Chi_Minh. FAILED_PRECONDITION when the zone data (tzdata) is missing:
// callers must refuse to run rather than fall back to UTC.
absl::StatusOr<absl::TimeZone> VietnamZone();

// "2026-03-10T08:00:00+07:00" for an instant, in Vietnam time.
std::string FormatVietnamTime(absl::Time t);

// Parses RFC 3339 ("2026-03-10T08:00:00+07:00", "2026-03-10T01:00:00Z").
// INVALID_ARGUMENT.
absl::StatusOr<absl::Time> ParseRfc3339(const std::string& text);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CALENDAR_ZONE_H_
