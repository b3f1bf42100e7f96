#include "libs/catalog/validate.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/base/decimal.h"
#include "libs/base/status_macros.h"

namespace tonghop {
namespace {

absl::string_view ReportedByText(const v1::Indicator& ind) {
  switch (ind.reported_by()) {
    case v1::REPORTED_BY_COMMUNE:
      return "by communes";
    case v1::REPORTED_BY_DEPARTMENT:
      return "by its responsible department";
    default:
      return "by communes and its responsible department";
  }
}

std::string TooLarge(int64_t v) {
  return absl::StrCat(v, " is more than ", kMaxSubmittedValue,
                      ", the most one unit may report");
}

// Checks one value's shape for the indicator's measure and fills `out->value`.
// A rank is at most the registry's number of cities (the rank of a city among
// all of them; counted only for a rank).
absl::Status CheckShape(const v1::SubmittedValue& in, const v1::Indicator& ind,
                        const Registry& registry, absl::string_view where,
                        CheckedValue* out) {
  auto bad = [&](absl::string_view field, absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".", field, ": ", why));
  };
  switch (ind.measure()) {
    case v1::MEASURE_RATIO: {
      if (!in.has_ratio()) {
        return bad("ratio",
                   "a ratio indicator takes a numerator and a denominator");
      }
      const v1::Ratio& r = in.ratio();
      if (!r.has_numerator()) return bad("numerator", "missing");
      if (!r.has_denominator()) return bad("denominator", "missing");
      if (r.numerator() < 0)
        return bad("numerator", absl::StrCat(r.numerator(), " is negative"));
      if (r.denominator() < 0) {
        return bad("denominator",
                   absl::StrCat(r.denominator(), " is negative"));
      }
      if (r.numerator() > kMaxSubmittedValue)
        return bad("numerator", TooLarge(r.numerator()));
      if (r.denominator() > kMaxSubmittedValue)
        return bad("denominator", TooLarge(r.denominator()));
      if (r.denominator() == 0 && r.numerator() > 0) {
        return bad("denominator",
                   absl::StrCat("0 with a positive numerator ", r.numerator()));
      }
      if (r.numerator() > r.denominator()) {
        return bad(
            "numerator",
            absl::StrCat(r.numerator(), " is greater than the denominator ",
                         r.denominator()));
      }
      *out->value.mutable_ratio() = r;
      return absl::OkStatus();
    }
    case v1::MEASURE_COUNT:
    case v1::MEASURE_RANK: {
      if (in.kind_case() != v1::SubmittedValue::kNumber) {
        return bad(
            "number",
            absl::StrCat("a ",
                         ind.measure() == v1::MEASURE_COUNT ? "count" : "rank",
                         " indicator takes a whole number"));
      }
      if (in.number() < 0)
        return bad("number", absl::StrCat(in.number(), " is negative"));
      if (in.number() > kMaxSubmittedValue)
        return bad("number", TooLarge(in.number()));
      if (ind.measure() == v1::MEASURE_RANK && in.number() == 0) {
        return bad("number", "a rank starts at 1");
      }
      if (ind.measure() == v1::MEASURE_RANK &&
          in.number() > registry.CountLevel(Level::kCity)) {
        return bad(
            "number",
            absl::StrCat("rank ", in.number(), " is beyond the last of the ",
                         registry.CountLevel(Level::kCity), " cities"));
      }
      out->value.set_number(in.number());
      return absl::OkStatus();
    }
    case v1::MEASURE_INDEX: {
      if (in.kind_case() != v1::SubmittedValue::kIndex) {
        return bad("index", "an index indicator takes a decimal such as 87.25");
      }
      auto v = ParseHundredths(in.index());
      if (!v.ok()) return bad("index", v.status().message());
      if (ind.unit() == "%" && *v > 100'00) {
        return bad("index", absl::StrCat(in.index(),
                                         " is more than 100 (the index is a "
                                         "percentage)"));
      }
      out->value.set_hundredths(*v);
      return absl::OkStatus();
    }
    default:
      return absl::InternalError(
          absl::StrCat(where, ": indicator has no measure"));
  }
}

}  // namespace

absl::Status CheckText(absl::string_view field, absl::string_view text,
                       size_t max_bytes, bool lines) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": longer than ", max_bytes, " bytes"));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool allowed = lines && (c == '\t' || c == '\n' || c == '\r');
    if ((c < 0x20 || c == 0x7f) && !allowed) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: holds the control character U+%04X at byte %d of %d (%s)", field,
          c, i + 1, text.size(),
          lines ? "line breaks and tabs are the only ones allowed"
                : "none is allowed"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CheckedSubmission> ValidateSubmission(
    const Catalog& catalog, const Registry& registry,
    const v1::SubmitRequest& request,
    const std::function<absl::Status(const Unit&)>& accepts_unit) {
  CheckedSubmission out;
  if (request.unit().empty())
    return absl::InvalidArgumentError("unit: required");
  out.unit = registry.Find(request.unit());
  if (out.unit == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unit: '", request.unit(), "' is not a known unit"));
  }
  absl::Status accepted = accepts_unit(*out.unit);
  if (!accepted.ok()) return accepted;
  auto period = ParsePeriodField(request.period());
  if (!period.ok()) return period.status();
  out.period = *period;
  if (request.idempotency_key().empty()) {
    return absl::InvalidArgumentError("idempotency_key: required");
  }
  if (request.idempotency_key().size() > kMaxIdempotencyKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "idempotency_key: longer than ", kMaxIdempotencyKeyBytes, " bytes"));
  }
  RETURN_IF_ERROR(
      CheckText("actor", request.actor(), kMaxActorBytes, /*lines=*/false));
  if (request.values().empty()) {
    return absl::InvalidArgumentError(
        "values: a submission needs at least one value");
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.values_size(); ++i) {
    const v1::SubmittedValue& in = request.values(i);
    std::string where = absl::StrCat("values[", i, "]");
    if (in.indicator().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".indicator: required"));
    }
    absl::StrAppend(&where, " (", in.indicator(), ")");
    const v1::Indicator* ind = catalog.Find(in.indicator());
    if (ind == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          where, ".indicator: '", in.indicator(), "' is not in the catalog"));
    }
    if (!seen.insert(in.indicator()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ".indicator: given more than once in one submission"));
    }
    absl::Status note = CheckText(absl::StrCat(where, ".note"), in.note(),
                                  kMaxNoteBytes, /*lines=*/true);
    if (!note.ok()) return note;
    CheckedValue value;
    value.indicator = ind;
    value.note = in.note();
    if (in.kind_case() == v1::SubmittedValue::kClear) {
      if (!in.clear()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ".clear: must be true when set"));
      }
      value.clear = true;
    } else if (in.kind_case() == v1::SubmittedValue::KIND_NOT_SET) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": no value (and not a clear)"));
    } else {
      absl::Status shape = CheckShape(in, *ind, registry, where, &value);
      if (!shape.ok()) return shape;
    }
    if (!Catalog::InScope(*ind, out.unit->province)) {
      return absl::FailedPreconditionError(
          absl::StrCat(where, ".indicator: only units of province(s) ",
                       absl::StrJoin(ind->scopes(), ", "), " report it; unit ",
                       out.unit->code, " is in ", out.unit->province));
    }
    if (!catalog.OwesDirectly(*out.unit, *ind)) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, ".indicator: reported ", ReportedByText(*ind),
          ind->responsible_code().empty()
              ? ""
              : absl::StrCat(" (", ind->responsible_code(), ")"),
          ", not by ", LevelName(out.unit->level), " ", out.unit->code));
    }
    if (ind->frequency() != out.period.frequency()) {
      const absl::string_view frequency = FrequencyName(ind->frequency());
      const bool vowel =
          !frequency.empty() && absl::string_view("aeiou").find(frequency[0]) !=
                                    absl::string_view::npos;
      return absl::FailedPreconditionError(
          absl::StrCat(where, ".indicator: ", vowel ? "an " : "a ", frequency,
                       " indicator; period ", out.period.Label(), " takes ",
                       FrequencyName(out.period.frequency()), " indicators"));
    }
    out.values.push_back(std::move(value));
  }
  return out;
}

}  // namespace tonghop
