// Validation of a child node's push against the catalog. Pure.
#ifndef TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_
#define TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "tonghop/v1/federation.pb.h"

namespace tonghop {

// The largest part (denominator, count) a child node may push: 10^4 units
// below it each at kMaxSubmittedValue (10^16), far above what all the
// communes, departments and offices under a city can report, and low enough
// that up to 900 children's pushes still sum exactly in int64: a buggy child
// cannot push its parent's sums to the overflow that would then refuse every
// other child's figures.
inline constexpr int64_t kMaxPushedValue = 10'000'000'000'000'000;

// Checks a push from `child` (already known to be an expected child node): the
// period label, a positive revision, and each value — a known indicator, owed
// in the child's subtree, of the period's frequency, given once, with a
// well-formed exact value (both ratio parts, none negative, numerator at most
// the denominator; a rank from 1) and coverage (0 <= reported <= expected at
// both depths, communes_expected at most the communes below the unit in the
// registry, 0 <= children_met <= children_judged), no denominator or count
// above `max_part`. The breakdown may name only the child or units directly
// below it, with values checked alike. INVALID_ARGUMENT naming the field
// otherwise. Returns the parsed period.
absl::StatusOr<Period> ValidatePush(const Catalog& catalog,
                                    const Registry& registry, const Unit& child,
                                    const v1::PushRequest& request,
                                    int64_t max_part = kMaxPushedValue);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_FEDERATION_VALIDATE_PUSH_H_
