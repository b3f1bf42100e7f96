// Reading a whole file, and replacing one whole, with errors that say which
// file and why.
#ifndef TONGHOP_LIBS_BASE_FILE_H_
#define TONGHOP_LIBS_BASE_FILE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tonghop {

// The bytes of the file at `path`. NOT_FOUND "<what>: cannot read <path>:
// <the system's reason>" (without "<what>: " when `what` is empty) when it
// cannot be opened or read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          absl::string_view what);

// Writes the file at `path` whole or not at all: `write` fills a fresh file
// of a unique name in the same folder (given its path), which is then
// renamed onto `path`, so that a failure (a full disk, an error of `write`)
// leaves no trace and any earlier file at `path` as it was. Symbolic links
// at `path` are followed (the file they name is replaced, or made, and the
// links kept); a file that was there keeps its permissions, a new one gets
// 0666 less the umask.
// Errors: FAILED_PRECONDITION "<what>: cannot write <path>: <why>" when
// `path` names something other than a regular file (a folder, a FIFO, a
// device) or the folder cannot take the file, and `write`'s own error
// otherwise (after removing the fresh file). Thread-safe for different
// paths.
absl::Status WriteFileReplacing(
    const std::string& path, absl::string_view what,
    const std::function<absl::Status(const std::string& fresh_path)>& write);

// WriteFileReplacing with `bytes` as the content.
absl::Status WriteWholeFile(const std::string& path, absl::string_view what,
                            absl::string_view bytes);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_FILE_H_
