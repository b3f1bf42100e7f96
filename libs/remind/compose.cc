#include "libs/remind/compose.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/calendar/period.h"

namespace tonghop {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string WindowText(const std::string& window) {
  // "2026-02-15..2026-03-14" -> "15/02/2026 đến 14/03/2026"
  if (window.size() != 22) return window;
  auto dmy = [](absl::string_view iso) {
    return absl::StrCat(iso.substr(8, 2), "/", iso.substr(5, 2), "/",
                        iso.substr(0, 4));
  };
  return absl::StrCat(dmy(window.substr(0, 10)), " đến ",
                      dmy(window.substr(12, 10)));
}

// "tháng 3/2026" for "2026-03" (Period::NameVi); "kỳ <label>" for a label
// that does not parse.
std::string PeriodText(const std::string& label) {
  absl::StatusOr<Period> period = ParsePeriod(label);
  return period.ok() ? period->NameVi() : absl::StrCat("kỳ ", label);
}

}  // namespace

std::string DueDayText(absl::Time due, absl::TimeZone zone) {
  return absl::FormatTime("%d/%m/%Y", due, zone);
}

void Compose(const ComposeInput& in, v1::Reminder& r) {
  const absl::Time due = FromProto(r.deadline());
  const std::string due_text = DueDayText(due, in.zone);
  const std::string who = absl::StrCat(r.unit_name(), " (", r.unit(), ")");
  const std::string period = PeriodText(r.period());
  const bool to_secretariat = r.kind() == "escalation" || r.kind() == "digest";
  // Escalations and digests go to the node's own unit: its secretariat.
  std::string body = absl::StrCat(
      "Kính gửi ", to_secretariat ? "bộ phận tổng hợp báo cáo, " : "", who,
      ",\n\n");
  if (to_secretariat) {
    r.set_subject(absl::StrCat(
        r.kind() == "escalation" ? "[tonghop] Báo cáo chậm "
                                 : "[tonghop] Tổng hợp hằng ngày báo cáo ",
        period, ": ", r.missing_size(),
        " đơn vị chưa chốt báo cáo (hạn trước ngày ", due_text, ")"));
    absl::StrAppend(&body, "Đến ",
                    absl::FormatTime("%H:%M ngày %d/%m/%Y", in.now, in.zone),
                    ", các đơn vị sau chưa chốt báo cáo ", period,
                    " (số liệu từ ", WindowText(in.window), ") gửi ",
                    in.node_name, ", hạn nộp trước ngày ", due_text, ":\n\n");
    for (const std::string& m : r.missing())
      absl::StrAppend(&body, "  - ", m, "\n");
    absl::StrAppend(&body, "\nĐề nghị Văn phòng đôn đốc các đơn vị trên.\n");
  } else {
    const bool late = r.kind() == "overdue";
    const bool finalise = in.revision > 0;
    r.set_subject(absl::StrCat("[tonghop] ", late ? "Quá hạn" : "Nhắc", " ",
                               finalise ? "chốt báo cáo" : "gửi báo cáo", " ",
                               period, " — ", r.unit_name(),
                               " (hạn trước ngày ", due_text, ")"));
    if (finalise) {
      absl::StrAppend(&body, "Đơn vị đã gửi số liệu tạm thời ", period,
                      " (số liệu từ ", WindowText(in.window), ", phiên bản ",
                      in.revision, ") nhưng chưa chốt báo cáo gửi ",
                      in.node_name, ".");
    } else {
      absl::StrAppend(&body, "Đơn vị chưa gửi báo cáo ", period,
                      " (số liệu từ ", WindowText(in.window), ") cho ",
                      in.node_name, ".");
    }
    absl::StrAppend(&body,
                    late ? " Hạn nộp (trước ngày " : " Hạn nộp: trước ngày ",
                    due_text, late ? ") đã qua." : " (giờ Việt Nam).", "\n");
    if (!in.owed.empty()) {
      absl::StrAppend(&body, "\nCác chỉ tiêu còn thiếu:\n");
      for (const std::string& o : in.owed)
        absl::StrAppend(&body, "  - ", o, "\n");
    }
    absl::StrAppend(&body,
                    finalise ? "\nĐề nghị đơn vị rà soát và chốt báo cáo"
                             : "\nĐề nghị đơn vị gửi báo cáo",
                    late ? " ngay.\n" : " đúng hạn.\n");
  }
  absl::StrAppend(&body, "\n(Thư tự động của hệ thống tonghop, ", in.node_name,
                  ". Mã nhắc: ", r.id(), ")\n");
  r.set_body(body);
}

std::string ReminderJson(const v1::Reminder& r) {
  v1::Reminder doc = r;
  doc.clear_emails();  // addresses stay out of third-party systems
  doc.clear_state();
  doc.clear_attempts();
  doc.clear_last_error();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  auto status =
      google::protobuf::util::MessageToJsonString(doc, &json, options);
  if (!status.ok()) return "{}";
  // The delivery's own bookkeeping is no part of the message: without it the
  // document would say "STATE_UNSPECIFIED" and 0 attempts to the receiver.
  google::protobuf::Struct fields;
  if (!google::protobuf::util::JsonStringToMessage(json, &fields).ok())
    return json;
  for (const char* key : {"state", "attempts", "lastError", "sentTime"})
    fields.mutable_fields()->erase(key);
  // Times in Vietnam time with their offset (a receiver that shows the date
  // shows the deadline's day, not the UTC evening before); protobuf's JSON
  // parser reads them back as the same instants.
  for (const char* key : {"deadline", "dueTime"}) {
    auto it = fields.mutable_fields()->find(key);
    if (it == fields.mutable_fields()->end()) continue;
    absl::Time t;
    if (!absl::ParseTime(absl::RFC3339_full, it->second.string_value(), &t,
                         nullptr)) {
      continue;
    }
    it->second.set_string_value(
        absl::FormatTime(absl::RFC3339_sec, t, absl::FixedTimeZone(7 * 3600)));
  }
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(fields, &out).ok())
    return json;
  return out;
}

}  // namespace tonghop
