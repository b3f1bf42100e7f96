// Reading a whole file, with an error that says which file and why.
#ifndef TONGHOP_LIBS_BASE_FILE_H_
#define TONGHOP_LIBS_BASE_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tonghop {

// The bytes of the file at `path`. NOT_FOUND "<what>: cannot read <path>:
// <the system's reason>" (without "<what>: " when `what` is empty) when it
// cannot be opened or read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          absl::string_view what);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_FILE_H_
