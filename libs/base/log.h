// A tiny logging facade over stderr (Debian's Abseil has no absl/log); under
// systemd, journald collects it. Thread-safe: each line is written with one
// call.
#ifndef TONGHOP_LIBS_BASE_LOG_H_
#define TONGHOP_LIBS_BASE_LOG_H_

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tonghop {

enum class LogLevel { kInfo, kWarning, kError };

// Writes "<level> <message>\n" to stderr. Timestamps are left to journald / the
// caller.
void LogLine(LogLevel level, absl::string_view message);

template <typename... Args>
void LogInfo(const Args&... args) {
  LogLine(LogLevel::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  LogLine(LogLevel::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  LogLine(LogLevel::kError, absl::StrCat(args...));
}

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_LOG_H_
