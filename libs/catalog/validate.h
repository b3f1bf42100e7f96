// Validation of a submission against the catalog and registry. Pure: no state,
// no I/O.
#ifndef TONGHOP_LIBS_CATALOG_VALIDATE_H_
#define TONGHOP_LIBS_CATALOG_VALIDATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/calendar/period.h"
#include "libs/catalog/catalog.h"
#include "tonghop/v1/node.pb.h"

namespace tonghop {

struct CheckedValue {
  const v1::Indicator* indicator = nullptr;
  bool clear = false;
  v1::Value value;  // canonical exact value; unset when clear
  std::string note;
};

struct CheckedSubmission {
  const Unit* unit = nullptr;
  Period period;
  std::vector<CheckedValue> values;  // in request order, one per indicator
};

// Returns the canonical submission, or the first problem, its message naming
// the field (and the indicator for a value):
//  INVALID_ARGUMENT     a missing or malformed field: unit, period,
//  idempotency_key, values,
//                       a value's parts (negative, above kMaxSubmittedValue,
//                       numerator > denominator,
//                       missing part, wrong kind for the measure, text that is
//                       not a decimal, rank 0 or beyond the number of
//                       cities, a percentage index above 100), an indicator
//                       given twice, an actor or note too long or with a
//                       control character;
//  NOT_FOUND            an unknown unit or indicator;
//  FAILED_PRECONDITION  `accepts_unit` refuses the unit (its status is
//  returned), or an
//                       indicator not reported at the unit's level, outside its
//                       scope, or of another frequency than the period's.
absl::StatusOr<CheckedSubmission> ValidateSubmission(
    const Catalog& catalog, const Registry& registry,
    const v1::SubmitRequest& request,
    const std::function<absl::Status(const Unit&)>& accepts_unit);

// The largest count, numerator or denominator one unit may submit (10^12).
// No indicator counts that much at one commune or department, and it keeps
// every sum exact in int64 at every level up to the national one (for up to
// 9 million submitting units), so that a roll-up never overflows above a
// value that was accepted below.
inline constexpr int64_t kMaxSubmittedValue = 1'000'000'000'000;

// Largest accepted lengths.
inline constexpr size_t kMaxIdempotencyKeyBytes = 128;
inline constexpr size_t kMaxNoteBytes = 2000;
inline constexpr size_t kMaxActorBytes = 200;  // a name and an office

// INVALID_ARGUMENT naming `field` when `text` is longer than `max_bytes` or
// holds a control character (tab, CR and LF allowed when `lines`): what a
// note or an actor may hold, for the receipts, the CSV and the e-mails they
// end up in.
absl::Status CheckText(absl::string_view field, absl::string_view text,
                       size_t max_bytes, bool lines);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CATALOG_VALIDATE_H_
