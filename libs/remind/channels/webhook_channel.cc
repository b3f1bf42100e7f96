#include "libs/remind/channels/webhook_channel.h"

#include <curl/curl.h>

#include <algorithm>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "libs/remind/channels/curl_support.h"

namespace tonghop {
namespace {

using channels_internal::AppendToSlist;
using channels_internal::CheckSetopt;
using channels_internal::CurlEasy;
using channels_internal::CurlSlist;

// Discards the response body (libcurl would print it to stdout otherwise).
size_t DiscardBody(char*, size_t size, size_t count, void*) {
  return size * count;
}

bool IsHeaderValue(const std::string& value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return c >= 0x20 && c < 0x7f;
  });
}

absl::Status StatusOfHttp(long status) {
  if (status >= 200 && status < 300) return absl::OkStatus();
  std::string text = absl::StrCat("webhook: HTTP ", status);
  if (status >= 500 || status == 408 || status == 429) {
    return absl::UnavailableError(text);
  }
  return absl::FailedPreconditionError(text);
}

}  // namespace

WebhookChannel::WebhookChannel(WebhookOptions options)
    : options_(std::move(options)) {}

absl::Status WebhookChannel::Send(const ReminderMessage& message,
                                  std::vector<Refusal>* /*refused*/) {
  if (!IsHeaderValue(message.id)) {
    return absl::InvalidArgumentError(
        "webhook: message id is empty or not printable ASCII");
  }
  absl::StatusOr<CurlEasy> easy = channels_internal::NewCurlEasy();
  if (!easy.ok()) return easy.status();
  CURL* handle = easy->get();
  CurlSlist headers;
  for (const std::string& line :
       {std::string("Content-Type: application/json; charset=utf-8"),
        absl::StrCat("Idempotency-Key: ", message.id),
        std::string("Expect:")}) {  // no 100-continue round trip
    absl::Status s = AppendToSlist(headers, line);
    if (!s.ok()) return s;
  }
  char error_buffer[CURL_ERROR_SIZE];
  absl::Status s = channels_internal::SetCommonOptions(
      handle, options_.url, "http,https", options_.timeout, error_buffer);
  if (!s.ok()) return s;
  struct {
    CURLcode code;
    const char* name;
  } const results[] = {
      {curl_easy_setopt(handle, CURLOPT_POST, 1L), "POST"},
      {curl_easy_setopt(handle, CURLOPT_POSTFIELDS, message.json.data()),
       "POSTFIELDS"},
      {curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                        static_cast<curl_off_t>(message.json.size())),
       "POSTFIELDSIZE_LARGE"},
      {curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get()),
       "HTTPHEADER"},
      {curl_easy_setopt(handle, CURLOPT_USERAGENT, "tonghop"), "USERAGENT"},
      {curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &DiscardBody),
       "WRITEFUNCTION"},
  };
  for (const auto& result : results) {
    s = CheckSetopt(result.code, result.name);
    if (!s.ok()) return s;
  }
  CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    return channels_internal::TransferStatus(code, error_buffer, "webhook");
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  return StatusOfHttp(status);
}

}  // namespace tonghop
