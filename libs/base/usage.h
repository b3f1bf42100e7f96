// The --help text of tonghop's programs. Abseil's --help lists the flags of a
// file named after the program (tonghop-node.cc); every program here defines
// its flags in a main.cc, so --help alone printed "No flags matched".
#ifndef TONGHOP_LIBS_BASE_USAGE_H_
#define TONGHOP_LIBS_BASE_USAGE_H_

#include "absl/strings/string_view.h"

namespace tonghop {

// Sets the usage message and makes --help list the flags defined in
// `main_file` (pass __FILE__ from the program's main.cc). Call before
// absl::ParseCommandLine.
void SetUsage(absl::string_view message, absl::string_view main_file);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_USAGE_H_
