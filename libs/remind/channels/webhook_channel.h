// Reminders by webhook: one HTTP POST of the message's JSON document per
// message, over libcurl.
#ifndef TONGHOP_LIBS_REMIND_CHANNELS_WEBHOOK_CHANNEL_H_
#define TONGHOP_LIBS_REMIND_CHANNELS_WEBHOOK_CHANNEL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/remind/message.h"

namespace tonghop {

struct WebhookOptions {
  std::string url;  // "https://example.gov.vn/hooks/tonghop" (http or https)
  absl::Duration timeout = absl::Seconds(10);  // the whole request
};

// Thread-compatible (no shared state; concurrent Sends on one object are safe
// too, each using its own connection).
class WebhookChannel final : public Channel {
 public:
  explicit WebhookChannel(WebhookOptions options);

  std::string name() const override { return "webhook:" + options_.url; }

  // POSTs message.json unchanged with "Content-Type: application/json;
  // charset=utf-8" and "Idempotency-Key: <message.id>", blocking at most the
  // timeout; redirects are not followed and the response body is discarded.
  // Returns:
  //   OK for a 2xx answer (`refused` is left as it is);
  //   UNAVAILABLE when the receiver cannot be reached or drops the
  //     connection, and for HTTP 5xx, 408 and 429 (retry later);
  //   DEADLINE_EXCEEDED when the timeout passes;
  //   FAILED_PRECONDITION for any other status (4xx, 3xx), named in the
  //     message;
  //   INVALID_ARGUMENT for a message.id that is empty or not printable ASCII
  //     (it is a header value), or a malformed url.
  absl::Status Send(const ReminderMessage& message,
                    std::vector<Refusal>* refused) override;

 private:
  const WebhookOptions options_;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_CHANNELS_WEBHOOK_CHANNEL_H_
