#include "libs/calendar/zone.h"

#include "absl/strings/str_cat.h"

namespace tonghop {

absl::StatusOr<absl::TimeZone> VietnamZone() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone;
    if (!absl::LoadTimeZone("Asia/Ho_Chi_Minh", z)) {
      delete z;
      return static_cast<absl::TimeZone*>(nullptr);
    }
    return z;
  }();
  if (zone == nullptr) {
    return absl::FailedPreconditionError(
        "time zone Asia/Ho_Chi_Minh is not available (install the tzdata "
        "package)");
  }
  return *zone;
}

std::string FormatVietnamTime(absl::Time t) {
  auto zone = VietnamZone();
  // Without zone data we still print an unambiguous instant, in UTC, marked as
  // such.
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t,
                          zone.ok() ? *zone : absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseRfc3339(const std::string& text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text,
        "' is not an RFC 3339 time (e.g. 2026-03-10T08:00:00+07:00)"));
  }
  return t;
}

}  // namespace tonghop
