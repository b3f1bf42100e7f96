// The default idempotency key of `tonghop submit`: re-running the same command
// with the same file is harmless, because the node returns the first result for
// a key it has seen.
#ifndef TONGHOP_TOOLS_CLI_IDEMPOTENCY_H_
#define TONGHOP_TOOLS_CLI_IDEMPOTENCY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tonghop::cli {

// "cli-" followed by the lowercase hex SHA-256 of the unit, the period and the
// file's exact bytes (each length-prefixed, so no two inputs share a key): 68
// characters. Pure.
std::string DefaultIdempotencyKey(absl::string_view unit,
                                  absl::string_view period,
                                  absl::string_view file_bytes);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_IDEMPOTENCY_H_
