// The default idempotency key of `tonghop submit`: one per run of the command.
// A key names one intent to store a file: the node answers a key it has seen
// with its first result and stores nothing. Were the key the file's content
// alone, submitting A, then B, then A again (a correction taken back) would
// leave B stored while the receipt said "already received". A run of the same
// file again gets a new key and stores nothing either, because the node keeps
// a report whose figures a submission does not change.
#ifndef TONGHOP_TOOLS_CLI_IDEMPOTENCY_H_
#define TONGHOP_TOOLS_CLI_IDEMPOTENCY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tonghop::cli {

// "cli-" followed by the lowercase hex SHA-256 of the unit, the period, the
// file's exact bytes and the run's `invocation` (each length-prefixed, so no
// two inputs share a key): 68 characters. Pure.
std::string DefaultIdempotencyKey(absl::string_view unit,
                                  absl::string_view period,
                                  absl::string_view file_bytes,
                                  absl::string_view invocation);

// 16 random bytes (OpenSSL's RAND_bytes) in lowercase hex: a run's invocation.
// UNAVAILABLE if OpenSSL has no randomness to give.
absl::StatusOr<std::string> NewInvocation();

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_IDEMPOTENCY_H_
