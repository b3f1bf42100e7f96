// Internal to libs/remind/channels: libcurl set-up shared by the SMTP and
// webhook channels. Not part of the channels' API.
#ifndef TONGHOP_LIBS_REMIND_CHANNELS_CURL_SUPPORT_H_
#define TONGHOP_LIBS_REMIND_CHANNELS_CURL_SUPPORT_H_

#include <curl/curl.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tonghop::channels_internal {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// A fresh easy handle. Calls curl_global_init once per process (thread-safe,
// never cleaned up). INTERNAL when libcurl cannot be initialised.
absl::StatusOr<CurlEasy> NewCurlEasy();

// Appends a copy of `line` to `list`; RESOURCE_EXHAUSTED when out of memory.
absl::Status AppendToSlist(CurlSlist& list, const std::string& line);

// Sets the options every channel uses: `url`, the allowed `protocols`
// ("smtp,smtps"), no signals, the overall and connect timeouts, and
// `error_buffer` (CURL_ERROR_SIZE bytes, owned by the caller, which must
// outlive the transfer). INTERNAL when libcurl refuses an option.
absl::Status SetCommonOptions(CURL* handle, const std::string& url,
                              const char* protocols, absl::Duration timeout,
                              char* error_buffer);

// Returns INTERNAL naming `option` when `code` is not CURLE_OK.
absl::Status CheckSetopt(CURLcode code, absl::string_view option);

// Maps a failed transfer to a status: timeout -> DEADLINE_EXCEEDED; a receiver
// that cannot be reached or dropped the connection -> UNAVAILABLE; a bad URL ->
// INVALID_ARGUMENT; TLS or login problems -> FAILED_PRECONDITION; others ->
// UNKNOWN. The message starts with `what` and holds libcurl's description.
absl::Status TransferStatus(CURLcode code, const char* error_buffer,
                            absl::string_view what);

}  // namespace tonghop::channels_internal

#endif  // TONGHOP_LIBS_REMIND_CHANNELS_CURL_SUPPORT_H_
