// Outputs of the submit, template, catalog, info and clock commands, and the
// shared helpers.
#include "tools/cli/render.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "libs/calendar/period.h"
#include "libs/calendar/zone.h"
#include "libs/catalog/catalog.h"
#include "libs/catalog/target.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

std::vector<std::string> CatalogRow(const v1::Indicator& indicator) {
  std::string years;
  if (indicator.target_from_year() != 0 || indicator.target_to_year() != 0) {
    years = absl::StrCat(indicator.target_from_year(), "..",
                         indicator.target_to_year());
  }
  return {indicator.code(),
          std::string(MeasureName(indicator.measure())),
          std::string(FrequencyName(indicator.frequency())),
          std::string(ReportedByName(indicator.reported_by())),
          indicator.responsible_code(),
          indicator.target().text(),
          years,
          indicator.name_vi()};
}

const std::vector<std::string>& CatalogColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "code",        "measure", "frequency",    "reported_by",
      "responsible", "target",  "target_years", "name_vi"};
  return *kColumns;
}

}  // namespace

absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string VietnamTime(const google::protobuf::Timestamp& t) {
  return FormatVietnamTime(FromProtoTime(t));
}

std::string WindowText(absl::string_view window) {
  if (window.empty()) return std::string(kNone);
  size_t dots = window.find("..");
  absl::CivilDay first, last;
  if (dots == absl::string_view::npos ||
      !absl::ParseCivilTime(window.substr(0, dots), &first) ||
      !absl::ParseCivilTime(window.substr(dots + 2), &last)) {
    return std::string(window);
  }
  auto day = [](absl::CivilDay d) {
    return absl::StrFormat("%02d/%02d/%04d", d.day(), d.month(), d.year());
  };
  return absl::StrCat(day(first), "–", day(last));
}

std::string ValueText(const v1::Value* value) {
  if (value == nullptr || value->kind_case() == v1::Value::KIND_NOT_SET) {
    return std::string(kNone);
  }
  if (value->has_ratio()) {
    std::string parts = absl::StrCat(value->ratio().numerator(), "/",
                                     value->ratio().denominator());
    std::string percent = DisplayValue(*value);
    return percent.empty() ? parts : absl::StrCat(parts, " (", percent, "%)");
  }
  return DisplayValue(*value);
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {  // protobuf's own util::Status: translated here
    return absl::InternalError(
        absl::StrCat("cannot print JSON: ", status.ToString()));
  }
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

std::string TemplateCsv(const v1::GetTemplateResponse& response) {
  constexpr absl::string_view kEol = "\r\n";
  std::string out = absl::StrCat(
      kUtf8Bom, CsvLine({"indicator", "numerator", "denominator", "value",
                         "note", "name_vi", "unit", "measure", "target"},
                        kEol));
  for (int i = 0; i < response.indicators_size(); ++i) {
    const v1::Indicator& indicator = response.indicators(i);
    std::string target =
        i < response.targets_size() ? response.targets(i).text() : "";
    absl::StrAppend(
        &out, CsvLine({indicator.code(), "", "", "", "", indicator.name_vi(),
                       indicator.unit(),
                       std::string(MeasureName(indicator.measure())), target},
                      kEol));
  }
  if (response.indicators().empty()) {
    // A comment row (the values file ignores it) rather than a bare header,
    // e.g. for a department that owes only annual indicators, in a month.
    absl::StrAppend(
        &out, CsvLine({"# Đơn vị không có chỉ tiêu nào phải báo cáo cho kỳ này",
                       "", "", "", "", "", "", "", ""},
                      kEol));
  }
  return out;
}

Sheet CatalogSheet(const v1::Catalog& catalog) {
  Sheet sheet{"Danh mục chỉ tiêu", {}, {}};
  for (const std::string& name : CatalogColumns()) {
    sheet.columns.push_back({name});
  }
  for (const v1::Indicator& indicator : catalog.indicators()) {
    sheet.rows.push_back(CatalogRow(indicator));
  }
  return sheet;
}

std::string CatalogCsv(const v1::Catalog& catalog) {
  return SheetCsv(CatalogSheet(catalog));
}

std::string CatalogTable(const v1::Catalog& catalog) {
  TextTable table(CatalogColumns());
  for (const v1::Indicator& indicator : catalog.indicators()) {
    table.AddRow(CatalogRow(indicator));
  }
  return absl::StrCat(table.Render(), "(", catalog.indicators_size(),
                      " chỉ tiêu)\n");
}

std::string Receipt(const v1::SubmitRequest& request,
                    const v1::SubmitResponse& response) {
  // Nothing new stored: the revision is the one already there, not one made
  // at the time shown.
  const bool unchanged = response.changes().empty() && !response.replayed();
  std::string out = absl::StrCat(
      "Đơn vị: ", request.unit(), "\nKỳ: ", request.period(),
      "\nPhiên bản: ", response.revision(),
      unchanged ? " (giữ nguyên, không tạo phiên bản mới)" : "", "\nNhận lúc: ",
      ShortTime(response.received_time(), response.has_received_time()),
      response.has_received_time() ? " (giờ Việt Nam)" : "", "\n");
  if (response.replayed()) {
    absl::StrAppend(
        &out,
        "Lần gửi này đã được nhận trước đó; không có gì thay đổi\n"
        "(khoá --idempotency_key này đã dùng rồi: muốn gửi lại tệp thành "
        "một phiên bản mới, hãy dùng một khoá khác)\n");
  }
  if (response.changes().empty()) {
    absl::StrAppend(&out,
                    "Thay đổi: không (các số liệu này đã được lưu trước đó)\n");
    return out;
  }
  absl::StrAppend(
      &out, response.replayed() ? "Thay đổi của lần gửi đầu: " : "Thay đổi: ",
      response.changes_size(), "\n");
  int width = 0;
  for (const v1::ValueChange& change : response.changes()) {
    width = std::max(width, DisplayWidth(change.indicator()));
  }
  for (const v1::ValueChange& change : response.changes()) {
    // The same figure both sides: the revision changed the note only.
    const bool note_only = change.has_old_value() && change.has_new_value() &&
                           change.old_value().SerializeAsString() ==
                               change.new_value().SerializeAsString();
    absl::StrAppend(
        &out, "  ", Pad(change.indicator(), width), "  ",
        ValueText(change.has_old_value() ? &change.old_value() : nullptr),
        " → ",
        ValueText(change.has_new_value() ? &change.new_value() : nullptr),
        change.confirmed() ? "  (xác nhận: không còn là số ước tính)"
        : note_only        ? "  (chỉ đổi ghi chú)"
                           : "",
        "\n");
  }
  return out;
}

std::string NodeInfoText(const v1::NodeInfo& info) {
  std::string children =
      info.children().empty()
          ? std::string("none")
          : absl::StrCat(info.children_size(), " (",
                         absl::StrJoin(info.children(), ", "), ")");
  std::string out = absl::StrCat(
      "unit: ", info.unit(), "\nname: ", info.name(), "\nrole: ", info.role(),
      "\nchildren: ", children,
      "\nnow: ", info.has_now() ? VietnamTime(info.now()) : std::string(kNone),
      "\nclock: ", info.simulated_clock() ? "simulated" : "real", "\nparent: ",
      info.parent_address().empty() ? std::string(kNone)
                                    : info.parent_address(),
      "\noutbox: ", info.outbox_pending(), " period(s) not yet delivered",
      info.last_push_error().empty()
          ? ""
          : absl::StrCat("\nlast delivery error: ", info.last_push_error()),
      "\n");
  if (info.has_tls_certificate_expiry()) {
    absl::StrAppend(&out, "tls: certificate valid until ",
                    ShortTime(info.tls_certificate_expiry()));
    if (info.has_tls_crl_next_update()) {
      absl::StrAppend(&out, "; revocation list until ",
                      ShortTime(info.tls_crl_next_update()));
    }
    absl::StrAppend(&out, "\n");
  }
  for (const std::string& warning : info.warnings()) {
    absl::StrAppend(&out, "warning: ", warning, "\n");
  }
  for (const v1::ChannelStatus& channel : info.channels()) {
    absl::StrAppend(&out, "channel ", channel.key(), " (", channel.name(),
                    "): ", channel.pending(), " pending, ", channel.sent(),
                    " sent since start",
                    channel.last_error().empty()
                        ? ""
                        : absl::StrCat(", last error: ", channel.last_error()),
                    "\n");
  }
  return out;
}

std::string ClockText(const v1::NodeInfo& info) {
  return absl::StrCat(
      info.has_now() ? VietnamTime(info.now()) : std::string(kNone), " (",
      info.simulated_clock() ? "simulated" : "real", " clock)\n");
}

}  // namespace tonghop::cli
