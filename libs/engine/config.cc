#include "libs/engine/config.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "libs/base/file.h"
#include "libs/base/status_macros.h"

namespace tonghop {
namespace {

// Collects the text-format parser's first error with its position.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (text_.empty())
      text_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                           message);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// An address given as host:port ("127.0.0.1:50051", "[::1]:50051",
// "localhost:50051") must end in a port within min_port..65535; gRPC reads
// "127.0.0.1:99999" as port 34463 without a word. Other gRPC forms (a scheme
// such as "dns:///" or "unix:") are left to gRPC.
absl::Status CheckHostPort(absl::string_view field, absl::string_view address,
                           int min_port) {
  if (absl::StartsWith(address, "unix:") || absl::StrContains(address, ":/"))
    return absl::OkStatus();
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: ", field, ": '", address, "' ", why,
                     " (host:port, e.g. 127.0.0.1:50051 or [::1]:50051)"));
  };
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return bad("has no port");
  absl::string_view host = address.substr(0, colon);
  absl::string_view port_text = address.substr(colon + 1);
  if (host.empty()) return bad("has no host");
  if (host.front() == '[' ? host.back() != ']' || host.size() < 3
                          : absl::StrContains(host, ":")) {
    return bad("is not a host (an IPv6 address goes in brackets)");
  }
  int port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(port_text, &port) || port < min_port || port > 65535) {
    return bad(absl::StrCat("does not end in a port ", min_port, "-65535"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::NodeConfig> ParseNodeConfig(const std::string& text) {
  v1::NodeConfig config;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", errors.text()));
  }
  if (config.unit().empty())
    return absl::InvalidArgumentError("config: unit is required");
  if (config.role() == v1::ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "config: role is required (ROLE_CENTRAL, ROLE_CITY, ROLE_DEPARTMENT or "
        "ROLE_WARD)");
  }
  if (config.listen_address().empty()) {
    return absl::InvalidArgumentError("config: listen_address is required");
  }
  if (config.data_dir().empty())
    return absl::InvalidArgumentError("config: data_dir is required");
  if (absl::Status s =
          CheckHostPort("listen_address", config.listen_address(), 0);
      !s.ok()) {
    return s;
  }
  if (!config.parent_address().empty()) {
    if (absl::Status s =
            CheckHostPort("parent_address", config.parent_address(), 1);
        !s.ok()) {
      return s;
    }
  }
  if (config.auto_finalize_lead_hours() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: auto_finalize_lead_hours: ", config.auto_finalize_lead_hours(),
        " is negative (hours before the deadline; 0 or unset: 24)"));
  }
  if (config.auto_lock_days() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: auto_lock_days: ", config.auto_lock_days(),
                     " is negative (days after the children's deadline; 0 or "
                     "unset: never)"));
  }
  if (config.role() == v1::ROLE_CENTRAL && !config.parent_address().empty()) {
    return absl::InvalidArgumentError(
        "config: parent_address: the central node has no parent");
  }
  for (const auto& [name, deadlines] :
       {std::pair{"children_deadlines", &config.children_deadlines()},
        std::pair{"parent_deadlines", &config.parent_deadlines()}}) {
    for (const auto& [period, rule] :
         {std::pair{"monthly", &deadlines->monthly()},
          std::pair{"quarterly", &deadlines->quarterly()},
          std::pair{"half_yearly", &deadlines->half_yearly()},
          std::pair{"nine_months", &deadlines->nine_months()},
          std::pair{"annual", &deadlines->annual()}}) {
      if (rule->day() < 0 || rule->day() > 31) {
        return absl::InvalidArgumentError(
            absl::StrCat("config: ", name, ".", period, ".day: ", rule->day(),
                         " is not a day of the month (1-31; 0 or unset: the "
                         "default)"));
      }
      if (rule->month() < 0 || rule->month() > 12) {
        return absl::InvalidArgumentError(absl::StrCat(
            "config: ", name, ".", period, ".month: ", rule->month(),
            " is not a month (1-12; 0 or unset: the period's last month)"));
      }
      // A named month has a fixed length (February: 29, leap or not), so a
      // day past it is a typing error, not "the month's end".
      static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30,
                                        31, 31, 30, 31, 30, 31};
      if (rule->month() > 0 && rule->day() > kDaysIn[rule->month() - 1]) {
        return absl::InvalidArgumentError(absl::StrCat(
            "config: ", name, ".", period, ".day: ", rule->day(),
            " is past the end of month ", rule->month(), " (",
            kDaysIn[rule->month() - 1],
            rule->month() == 2 ? " days in a leap year)" : " days)"));
      }
    }
  }
  for (int i = 0; i < config.channels().webhook_urls_size(); ++i) {
    const std::string& url = config.channels().webhook_urls(i);
    if (!absl::StartsWith(url, "http://") &&
        !absl::StartsWith(url, "https://")) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: channels.webhook_urls[", i, "]: '", url,
                       "' is not an http:// or https:// address"));
    }
  }
  const v1::ReminderChannels& channels = config.channels();
  if (!channels.smtp_url().empty()) {
    if (!absl::StartsWith(channels.smtp_url(), "smtp://") &&
        !absl::StartsWith(channels.smtp_url(), "smtps://")) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: channels.smtp_url: '", channels.smtp_url(),
                       "' is not an smtp:// or smtps:// address"));
    }
  }
  const v1::ReminderPolicy& reminders = config.reminders();
  if (reminders.hour() < 0 || reminders.hour() > 23) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: reminders.hour: ", reminders.hour(),
                     " is not an hour of the day (0-23; 0 or unset: 8)"));
  }
  for (int i = 0; i < reminders.before_days_size(); ++i) {
    if (reminders.before_days(i) < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: reminders.before_days[", i, "]: ", reminders.before_days(i),
          " is not a number of days before the deadline (1 or more)"));
    }
  }
  for (int i = 0; i < reminders.overdue_days_size(); ++i) {
    if (reminders.overdue_days(i) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: reminders.overdue_days[", i,
                       "]: ", reminders.overdue_days(i), " is negative"));
    }
  }
  if (reminders.escalation_day() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: reminders.escalation_day: ", reminders.escalation_day(),
        " is negative"));
  }
  if (reminders.max_retry_seconds() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config: reminders.max_retry_seconds: ", reminders.max_retry_seconds(),
        " is negative"));
  }
  return config;
}

absl::StatusOr<v1::NodeConfig> LoadNodeConfig(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path, "config"));
  auto config = ParseNodeConfig(text);
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace tonghop
