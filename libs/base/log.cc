#include "libs/base/log.h"

#include <unistd.h>

#include <string>

namespace tonghop {

void LogLine(LogLevel level, absl::string_view message) {
  const char* tag = level == LogLevel::kInfo      ? "I "
                    : level == LogLevel::kWarning ? "W "
                                                  : "E ";
  std::string line = absl::StrCat(tag, message, "\n");
  // One write() per line keeps lines from different threads whole.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace tonghop
