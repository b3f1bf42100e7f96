#include "libs/remind/channels/smtp_channel.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "libs/remind/channels/curl_support.h"
#include "libs/remind/channels/email.h"

namespace tonghop {
namespace {

using channels_internal::AppendToSlist;
using channels_internal::CheckSetopt;
using channels_internal::CurlEasy;
using channels_internal::CurlSlist;

// Feeds the built message to libcurl (which adds dot-stuffing and the final
// "CRLF.CRLF").
struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data->size() - upload->offset);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// Follows the SMTP dialogue (libcurl's debug callback) to learn which
// recipients the server refused: each "RCPT TO" command, then its reply.
struct RcptTracker {
  int sent = 0;      // RCPT commands so far
  int waiting = -1;  // the recipient whose reply is due, or -1
  std::vector<Refusal> refused;
};

int TrackRcpt(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* tracker = static_cast<RcptTracker*>(user);
  absl::string_view line(data, size);
  if (type == CURLINFO_HEADER_OUT && absl::StartsWith(line, "RCPT TO:")) {
    tracker->waiting = tracker->sent++;
  } else if (type == CURLINFO_HEADER_IN && tracker->waiting >= 0 &&
             line.size() >= 3 && (line.size() == 3 || line[3] != '-')) {
    // The last line of the reply to that RCPT.
    if (line[0] == '4' || line[0] == '5') {
      tracker->refused.push_back(
          Refusal{tracker->waiting,
                  std::string(absl::StripTrailingAsciiWhitespace(line))});
    }
    tracker->waiting = -1;
  }
  return 0;
}

absl::Status Validate(const ReminderMessage& message, const std::string& from) {
  if (message.emails.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("email: message ", message.id, " has no recipient"));
  }
  if (message.id.empty()) {
    return absl::InvalidArgumentError("email: message without id");
  }
  if (!IsPlainAddress(MailboxAddress(from))) {
    return absl::InvalidArgumentError("email: the sender is not an address");
  }
  for (size_t i = 0; i < message.emails.size(); ++i) {
    if (!IsPlainAddress(message.emails[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("email: recipient #", i + 1, " of message ", message.id,
                       " is not an address"));
    }
  }
  return absl::OkStatus();
}

// The status of a failed transaction: by the server's last reply when it
// refused (4xx temporary, 5xx permanent), else by the transport failure.
absl::Status FailureStatus(CURL* handle, CURLcode code,
                           const char* error_buffer) {
  long reply = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  if (reply >= 400 && reply < 600) {
    std::string text = absl::StrCat("email: the server refused with ", reply);
    if (error_buffer[0] != '\0')
      absl::StrAppend(&text, " (", error_buffer, ")");
    if (reply < 500) return absl::UnavailableError(text);
    return absl::FailedPreconditionError(text);
  }
  return channels_internal::TransferStatus(code, error_buffer, "email");
}

}  // namespace

SmtpChannel::SmtpChannel(SmtpOptions options) : options_(std::move(options)) {}

std::string SmtpChannel::name() const {
  absl::string_view url = options_.url;
  const size_t scheme = url.find("://");
  if (scheme != absl::string_view::npos) {
    const size_t authority = scheme + 3;
    const size_t end = url.find('/', authority);
    const size_t at = url.substr(0, end).rfind('@');
    if (at != absl::string_view::npos && at >= authority) {
      return absl::StrCat("email:", url.substr(0, authority),
                          url.substr(at + 1));
    }
  }
  return absl::StrCat("email:", url);
}

absl::Status SmtpChannel::Send(const ReminderMessage& message,
                               std::vector<Refusal>* refused) {
  absl::Status valid = Validate(message, options_.from);
  if (!valid.ok()) return valid;
  absl::StatusOr<absl::TimeZone> zone = LoadVietnamTimeZone();
  if (!zone.ok()) return zone.status();
  const std::string data = BuildEmail(message, options_.from, *zone);
  const std::string sender = MailboxAddress(options_.from);

  absl::StatusOr<CurlEasy> easy = channels_internal::NewCurlEasy();
  if (!easy.ok()) return easy.status();
  CURL* handle = easy->get();
  CurlSlist recipients;
  for (const std::string& address : message.emails) {
    absl::Status s = AppendToSlist(recipients, address);
    if (!s.ok()) return s;
  }
  char error_buffer[CURL_ERROR_SIZE];
  absl::Status s = channels_internal::SetCommonOptions(
      handle, options_.url, "smtp,smtps", options_.timeout, error_buffer);
  if (!s.ok()) return s;
  Upload upload{&data};
  RcptTracker tracker;
  struct {
    CURLcode code;
    const char* name;
  } const results[] = {
      {curl_easy_setopt(handle, CURLOPT_MAIL_FROM, sender.c_str()),
       "MAIL_FROM"},
      {curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get()),
       "MAIL_RCPT"},
      {curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L), "UPLOAD"},
      {curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadUpload),
       "READFUNCTION"},
      {curl_easy_setopt(handle, CURLOPT_READDATA, &upload), "READDATA"},
      // A refused recipient does not refuse the message for the others
      // (libcurl 7.69 to 8.1 spell it so; later ones keep the name).
      {curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L),
       "MAIL_RCPT_ALLOWFAILS"},
      {curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, &TrackRcpt),
       "DEBUGFUNCTION"},
      {curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &tracker), "DEBUGDATA"},
      {curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L), "VERBOSE"},
  };
  for (const auto& result : results) {
    s = CheckSetopt(result.code, result.name);
    if (!s.ok()) return s;
  }
  CURLcode code = curl_easy_perform(handle);
  // Refused recipients are reported whether or not the others took it (when
  // every one was refused, the message fails with them).
  if (refused != nullptr) {
    refused->insert(refused->end(), tracker.refused.begin(),
                    tracker.refused.end());
  }
  if (code != CURLE_OK) return FailureStatus(handle, code, error_buffer);
  return absl::OkStatus();
}

}  // namespace tonghop
