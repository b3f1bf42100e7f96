#include "libs/base/usage.h"

#include <string>

#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace tonghop {

void SetUsage(absl::string_view message, absl::string_view main_file) {
  absl::SetProgramUsageMessage(message);
  // Abseil hands a flag's file name over with or without its leading
  // slashes, depending on the version.
  while (absl::ConsumePrefix(&main_file, "/")) {
  }
  absl::FlagsUsageConfig config;
  auto ours = [file = std::string(main_file)](absl::string_view path) {
    return absl::EndsWith(path, file);
  };
  config.contains_helpshort_flags = ours;  // --help
  config.contains_help_flags = ours;
  absl::SetFlagsUsageConfig(config);
}

}  // namespace tonghop
