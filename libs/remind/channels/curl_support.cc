#include "libs/remind/channels/curl_support.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace tonghop::channels_internal {
namespace {

// curl_global_init is not re-entrant with other libcurl calls on every build;
// a function-local static makes the first caller run it once.
CURLcode GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

long ToMillis(absl::Duration d) {
  int64_t ms = absl::ToInt64Milliseconds(d);
  // 0 means "no timeout" to libcurl: every wait here is bounded.
  return static_cast<long>(std::clamp<int64_t>(ms, 1, INT32_MAX));
}

}  // namespace

absl::StatusOr<CurlEasy> NewCurlEasy() {
  CURLcode init = GlobalInit();
  if (init != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("curl_global_init: ", curl_easy_strerror(init)));
  }
  CurlEasy handle(curl_easy_init());
  if (handle == nullptr) return absl::InternalError("curl_easy_init failed");
  return handle;
}

absl::Status AppendToSlist(CurlSlist& list, const std::string& line) {
  curl_slist* appended = curl_slist_append(list.get(), line.c_str());
  if (appended == nullptr) {
    return absl::ResourceExhaustedError("curl_slist_append failed");
  }
  list.release();  // `appended` is the same list, grown (or a new one)
  list.reset(appended);
  return absl::OkStatus();
}

absl::Status CheckSetopt(CURLcode code, absl::string_view option) {
  if (code == CURLE_OK) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("curl_easy_setopt(", option,
                                          "): ", curl_easy_strerror(code)));
}

absl::Status SetCommonOptions(CURL* handle, const std::string& url,
                              const char* protocols, absl::Duration timeout,
                              char* error_buffer) {
  error_buffer[0] = '\0';
  absl::Status s =
      CheckSetopt(curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer),
                  "ERRORBUFFER");
  if (!s.ok()) return s;
  struct {
    CURLcode code;
    const char* name;
  } const results[] = {
      {curl_easy_setopt(handle, CURLOPT_URL, url.c_str()), "URL"},
      {curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, protocols),
       "PROTOCOLS_STR"},
      {curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL"},
      {curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, ToMillis(timeout)),
       "TIMEOUT_MS"},
      {curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, ToMillis(timeout)),
       "CONNECTTIMEOUT_MS"},
  };
  for (const auto& result : results) {
    s = CheckSetopt(result.code, result.name);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status TransferStatus(CURLcode code, const char* error_buffer,
                            absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", curl_easy_strerror(code));
  if (error_buffer != nullptr && error_buffer[0] != '\0') {
    absl::StrAppend(&message, " (", error_buffer, ")");
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return absl::UnavailableError(message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(message);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_USE_SSL_FAILED:
    case CURLE_LOGIN_DENIED:
      return absl::FailedPreconditionError(message);
    case CURLE_OUT_OF_MEMORY:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::UnknownError(message);
  }
}

}  // namespace tonghop::channels_internal
