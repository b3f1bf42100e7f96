// Values CSV -> SubmittedValue rows, validated against the indicators'
// measures.
#include "tools/cli/csv_values.h"

#include <algorithm>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "libs/base/csv.h"
#include "libs/base/decimal.h"
#include "libs/base/status_macros.h"
#include "libs/catalog/catalog.h"
#include "libs/catalog/validate.h"

namespace tonghop::cli {
namespace {

// One data row, trimmed.
struct Row {
  int line = 0;
  std::string indicator, numerator, denominator, value, note;
  bool note_quoted = false;
};

// Whether the note is digits alone and unquoted: after a figure, what an
// unquoted comma split off it (a decimal comma, or a thousands separator).
// A person who means such a note puts it in quotes.
bool NoteIsTheFigureRest(const Row& row) {
  return !row.note_quoted && !row.note.empty() &&
         absl::c_all_of(row.note, absl::ascii_isdigit);
}

// A refusal of such a row: "value: 'V' then note 'N': <why>" and the hint.
std::string SplitFigure(const Row& row, absl::string_view why) {
  return absl::StrCat("value: '", row.value, "' then note '", row.note,
                      "': ", why,
                      " (a note of digits alone must be in quotes)");
}

bool IsClearWord(absl::string_view value) {
  // "xoá" and "xóa" are both in use (old and new accent placement), in any
  // common case.
  static const char* const kWords[] = {"xoá", "xóa", "Xoá",
                                       "Xóa", "XOÁ", "XÓA"};
  if (absl::EqualsIgnoreCase(value, "clear")) return true;
  for (const char* word : kWords) {
    if (value == word) return true;
  }
  return false;
}

class RowParser {
 public:
  RowParser(absl::string_view file_name, const MeasureMap& measures)
      : file_name_(file_name), measures_(measures) {}

  // Fills `out` from a value row whose indicator is set and which has a value
  // part.
  absl::Status Parse(const Row& row, v1::SubmittedValue* out) {
    prefix_ = absl::StrCat(file_name_, ": line ", row.line, " (", row.indicator,
                           "): ");
    out->set_indicator(row.indicator);
    // What the node checks, checked before anything is sent.
    if (absl::Status note = CheckText("note", row.note, kMaxNoteBytes,
                                      /*lines=*/true);
        !note.ok()) {
      return Error(note.message());
    }
    out->set_note(row.note);
    if (IsClearWord(row.value)) {
      if (!row.numerator.empty() || !row.denominator.empty()) {
        return Error(
            "value: '" + row.value +
            "' clears the indicator: leave numerator and denominator empty");
      }
      out->set_clear(true);
      return absl::OkStatus();
    }
    auto it = measures_.find(row.indicator);
    v1::Measure measure =
        it == measures_.end() ? v1::MEASURE_UNSPECIFIED : it->second;
    if (!row.numerator.empty() || !row.denominator.empty()) {
      return ParseRatio(row, measure, out);
    }
    return ParseValue(row, measure, out);
  }

 private:
  absl::Status Error(absl::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(prefix_, message));
  }

  absl::Status ParseRatio(const Row& row, v1::Measure measure,
                          v1::SubmittedValue* out) {
    if (!row.value.empty()) {
      return Error("give numerator and denominator, or value, not both");
    }
    if (measure != v1::MEASURE_RATIO && measure != v1::MEASURE_UNSPECIFIED) {
      return Error(absl::StrCat(
          "numerator/denominator given, but ", row.indicator, " is ",
          absl::StartsWith(MeasureName(measure), "i") ? "an " : "a ",
          MeasureName(measure), ": put the figure in value"));
    }
    // Before the catalog is asked (the first pass), the indicator may be a
    // count given in the wrong column: say where its figure goes too.
    const absl::string_view why =
        measure == v1::MEASURE_RATIO
            ? " (a ratio needs both parts)"
            : " (a ratio needs both parts; a count, rank or index goes in "
              "value)";
    if (row.numerator.empty())
      return Error(absl::StrCat("numerator: missing", why));
    if (row.denominator.empty()) {
      return Error(absl::StrCat("denominator: missing", why));
    }
    auto numerator = ParseNonNegativeInt(row.numerator);
    if (!numerator.ok()) {
      return Error(absl::StrCat("numerator: ", numerator.status().message()));
    }
    auto denominator = ParseNonNegativeInt(row.denominator);
    if (!denominator.ok()) {
      return Error(
          absl::StrCat("denominator: ", denominator.status().message()));
    }
    if (*numerator > *denominator) {
      return Error(absl::StrCat("numerator ", *numerator,
                                " is greater than denominator ", *denominator));
    }
    out->mutable_ratio()->set_numerator(*numerator);
    out->mutable_ratio()->set_denominator(*denominator);
    return absl::OkStatus();
  }

  absl::Status ParseValue(const Row& row, v1::Measure measure,
                          v1::SubmittedValue* out) {
    switch (measure) {
      case v1::MEASURE_RATIO:
        return Error(absl::StrCat(
            "value: ", row.indicator,
            " is a ratio: give numerator and denominator, not value"));
      case v1::MEASURE_COUNT:
      case v1::MEASURE_RANK: {
        // "1,500" unquoted, with a thousands separator, would be 1 with the
        // note "500".
        if (NoteIsTheFigureRest(row)) {
          return Error(SplitFigure(row,
                                   "a comma splits the figure in two; write "
                                   "the number without a separator"));
        }
        auto number = ParseNonNegativeInt(row.value);
        if (!number.ok()) {
          return Error(absl::StrCat("value: ", number.status().message()));
        }
        if (measure == v1::MEASURE_RANK && *number == 0) {
          return Error("value: a rank starts at 1");
        }
        out->set_number(*number);
        return absl::OkStatus();
      }
      case v1::MEASURE_INDEX: {
        // A decimal comma, as Vietnamese writes it: "87,25" in quotes is
        // 87.25; unquoted, its comma splits the figure into value and note.
        std::string value = row.value;
        if (std::count(value.begin(), value.end(), ',') == 1)
          std::replace(value.begin(), value.end(), ',', '.');
        if (value.find('.') == std::string::npos && NoteIsTheFigureRest(row)) {
          if (row.note.size() > 2) {  // 87,255 or 1,500: neither is an index
            return Error(SplitFigure(
                row,
                "a comma splits the figure in two, and an index takes at "
                "most 2 decimal places and no thousands separator"));
          }
          return Error(SplitFigure(
              row,
              absl::StrCat("a decimal comma splits the figure in two; "
                           "write ",
                           row.value, ".", row.note, " (with a dot), or \"",
                           row.value, ",", row.note, "\" in quotes")));
        }
        auto hundredths = ParseHundredths(value);
        if (!hundredths.ok()) {
          // Quoted as the user wrote it, not as converted ("1.234,5").
          return Error(absl::StrCat(
              "value: ",
              absl::StrReplaceAll(hundredths.status().message(),
                                  {{absl::StrCat("'", value, "'"),
                                    absl::StrCat("'", row.value, "'")}})));
        }
        out->set_index(value);
        return absl::OkStatus();
      }
      default: {
        // Not in the catalog: sent as given, for the server to refuse with its
        // own message.
        auto number = ParseNonNegativeInt(row.value);
        if (number.ok()) {
          out->set_number(*number);
        } else {
          out->set_index(row.value);
        }
        return absl::OkStatus();
      }
    }
  }

  absl::string_view file_name_;
  const MeasureMap& measures_;
  std::string prefix_;
};

}  // namespace

MeasureMap MeasuresOf(const v1::Catalog& catalog) {
  MeasureMap measures;
  for (const v1::Indicator& indicator : catalog.indicators()) {
    measures[indicator.code()] = indicator.measure();
  }
  return measures;
}

const std::vector<std::string>& ValuesCsvColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "indicator", "numerator", "denominator", "value", "note"};
  return *kColumns;
}

namespace {

// The rows of a values CSV, addressed by column. Unlike CsvTable, a comment row
// may have any number of fields.
struct ValuesTable {
  std::map<std::string, int, std::less<>> columns;
  std::vector<CsvRow> rows;  // data rows, comments removed

  std::string Get(const CsvRow& row, absl::string_view column) const {
    auto it = columns.find(column);
    if (it == columns.end()) return "";
    return std::string(absl::StripAsciiWhitespace(row.fields[it->second]));
  }
  bool Quoted(const CsvRow& row, absl::string_view column) const {
    auto it = columns.find(column);
    return it != columns.end() && row.quoted[it->second];
  }
};

// A row whose indicator starts with '#'; or, written by hand with fewer fields
// than the header (e.g. "# tháng 3"), whose first field does.
bool IsComment(const CsvRow& row, int indicator_column, size_t header_size) {
  auto starts_comment = [](absl::string_view field) {
    return absl::StartsWith(absl::StripLeadingAsciiWhitespace(field), "#");
  };
  if (row.fields.size() == header_size) {
    return starts_comment(row.fields[indicator_column]);
  }
  return starts_comment(row.fields[0]);
}

absl::StatusOr<ValuesTable> ReadTable(absl::string_view text,
                                      absl::string_view file_name) {
  if (std::string problem = Utf8Problem(text); !problem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, ": ", problem));
  }
  auto rows = ParseCsv(text);
  if (!rows.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": ", rows.status().message()));
  }
  if (rows->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": empty file (no header line)"));
  }
  ValuesTable table;
  const CsvRow& header = rows->front();
  for (int i = 0; i < static_cast<int>(header.fields.size()); ++i) {
    std::string name(absl::StripAsciiWhitespace(header.fields[i]));
    if (!table.columns.emplace(name, i).second) {
      return absl::InvalidArgumentError(absl::StrCat(file_name, ": line ",
                                                     header.line, ": column '",
                                                     name, "' appears twice"));
    }
  }
  for (const std::string& name : ValuesCsvColumns()) {
    if (!table.columns.count(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ": line ", header.line, ": missing column '", name,
          "' (the header must contain "
          "indicator,numerator,denominator,value,note)"));
    }
  }
  int indicator_column = table.columns.find("indicator")->second;
  for (size_t r = 1; r < rows->size(); ++r) {
    CsvRow& row = (*rows)[r];
    if (IsComment(row, indicator_column, header.fields.size())) continue;
    if (row.fields.size() != header.fields.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", row.line, ": ", row.fields.size(),
                       " fields, the header has ", header.fields.size()));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

absl::StatusOr<std::vector<v1::SubmittedValue>> ParseValuesCsv(
    absl::string_view text, absl::string_view file_name,
    const MeasureMap& measures, std::vector<int>* lines) {
  ASSIGN_OR_RETURN(ValuesTable table, ReadTable(text, file_name));
  if (lines != nullptr) lines->clear();
  std::vector<v1::SubmittedValue> values;
  std::map<std::string, int, std::less<>> first_line;  // indicator -> line
  RowParser parser(file_name, measures);
  for (const CsvRow& csv_row : table.rows) {
    Row row{csv_row.line,
            table.Get(csv_row, "indicator"),
            table.Get(csv_row, "numerator"),
            table.Get(csv_row, "denominator"),
            table.Get(csv_row, "value"),
            table.Get(csv_row, "note"),
            table.Quoted(csv_row, "note")};
    bool has_value = !row.numerator.empty() || !row.denominator.empty() ||
                     !row.value.empty();
    if (row.indicator.empty()) {
      if (!has_value && row.note.empty()) continue;  // a row of empty fields
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", row.line, ": indicator: missing"));
    }
    if (!has_value) {
      if (row.note.empty()) continue;  // an unfilled template row
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", row.line, " (", row.indicator,
                       "): a note without a value: fill numerator and "
                       "denominator, or value (or 'clear')"));
    }
    auto [it, inserted] = first_line.emplace(row.indicator, row.line);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", row.line, " (", row.indicator,
                       "): given twice (first at line ", it->second, ")"));
    }
    v1::SubmittedValue value;
    RETURN_IF_ERROR(parser.Parse(row, &value));
    values.push_back(std::move(value));
    if (lines != nullptr) lines->push_back(row.line);
  }
  if (values.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ": no values to submit (every row is empty or a comment)"));
  }
  return values;
}

absl::Status WithFileLine(const absl::Status& status,
                          absl::string_view file_name,
                          const std::vector<int>& lines) {
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, "values[")) return status;
  const size_t close = message.find(']');
  size_t index = 0;
  if (close == absl::string_view::npos ||
      !absl::SimpleAtoi(message.substr(0, close), &index) ||
      index >= lines.size()) {
    return status;
  }
  return absl::Status(
      status.code(),
      absl::StrCat(file_name, ": line ", lines[index], ": ", status.message()));
}

}  // namespace tonghop::cli
