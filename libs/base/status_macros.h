// RETURN_IF_ERROR / ASSIGN_OR_RETURN: Debian's Abseil 20220623 ships no status
// macros.
#ifndef TONGHOP_LIBS_BASE_STATUS_MACROS_H_
#define TONGHOP_LIBS_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TONGHOP_CONCAT_INNER_(a, b) a##b
#define TONGHOP_CONCAT_(a, b) TONGHOP_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    const absl::Status tonghop_status_ = (expr);       \
    if (!tonghop_status_.ok()) return tonghop_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F())` declares x from F()'s value or returns F()'s
// status.
#define ASSIGN_OR_RETURN(lhs, expr)                                            \
  TONGHOP_ASSIGN_OR_RETURN_IMPL_(TONGHOP_CONCAT_(tonghop_statusor_, __LINE__), \
                                 lhs, expr)
#define TONGHOP_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return statusor.status();             \
  lhs = *std::move(statusor)

#endif  // TONGHOP_LIBS_BASE_STATUS_MACROS_H_
