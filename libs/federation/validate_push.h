// Validation of a child node's push against the catalog. Pure.
#ifndef TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_
#define TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_

#include "absl/status/statusor.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "tonghop/v1/federation.pb.h"

namespace tonghop {

// Checks a push from `child` (already known to be an expected child node): the period label,
// a positive revision, and each value — a known indicator, owed in the child's subtree, of the
// period's frequency, given once, with a well-formed exact value (non-negative parts, numerator
// at most the denominator) and coverage (0 <= reported <= expected, for both depths).
// INVALID_ARGUMENT naming the field otherwise. Returns the parsed period.
absl::StatusOr<Period> ValidatePush(const Catalog& catalog, const Unit& child,
                                    const v1::PushRequest& request);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_
