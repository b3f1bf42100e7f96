// Targets: parsing the catalog's notation and judging exact values against it.
#ifndef TONGHOP_LIBS_CATALOG_TARGET_H_
#define TONGHOP_LIBS_CATALOG_TARGET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tonghop/v1/catalog.pb.h"
#include "tonghop/v1/report.pb.h"

namespace tonghop {

// Parses "=100", ">=80", "<=5", "75..80" (bounds: decimals, at most 2 places).
// An empty text gives a Target with OP_UNSPECIFIED (no target).
// INVALID_ARGUMENT otherwise.
absl::StatusOr<v1::Target> ParseTarget(absl::string_view text);

// True when `target` states a target (op set).
inline bool HasTarget(const v1::Target& target) {
  return target.op() != v1::Target::OP_UNSPECIFIED;
}

// The status of `value` (which may be unset: no data) for an indicator of
// `measure` against `target` (OP_UNSPECIFIED: none in force). Precedence: no
// data (nothing, or 0/0), then no target, then met / not met judged on the
// exact value.
v1::TargetStatus JudgeTarget(v1::Measure measure, const v1::Value* value,
                             const v1::Target& target);

// Machine names "met", "not_met", "no_data", "no_target", "in_progress".
absl::string_view StatusName(v1::TargetStatus status);
// Vietnamese labels "đạt", "chưa đạt", "chưa có số liệu", "không có chỉ tiêu",
// "đang thực hiện".
absl::string_view StatusLabelVi(v1::TargetStatus status);

// The value as people read it: "80.00" (percent, ratio), "5" (count, rank),
// "87.25" (index),
// "" when unset or 0/0.
std::string DisplayValue(const v1::Value& value);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_CATALOG_TARGET_H_
