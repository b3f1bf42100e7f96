// Validation of a child node's push against the catalog. Pure.
#ifndef TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_
#define TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_

#include "absl/status/statusor.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "tonghop/v1/federation.pb.h"

namespace tonghop {

// Checks a push from `child` (already known to be an expected child node): the
// period label, a positive revision, and each value — a known indicator, owed
// in the child's subtree, of the period's frequency, given once, with a
// well-formed exact value (both ratio parts, none negative, numerator at most
// the denominator; a rank from 1) and coverage (0 <= reported <= expected at
// both depths, communes_expected at most the communes below the unit in the
// registry, 0 <= children_met <= children_judged). The breakdown may name
// only the child or units directly below it, with values checked alike.
// INVALID_ARGUMENT naming the field otherwise. Returns the parsed period.
absl::StatusOr<Period> ValidatePush(const Catalog& catalog,
                                    const Registry& registry, const Unit& child,
                                    const v1::PushRequest& request);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_
