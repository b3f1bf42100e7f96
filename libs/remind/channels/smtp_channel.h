// Reminders by e-mail: one SMTP transaction per message, over libcurl.
#ifndef TONGHOP_LIBS_REMIND_CHANNELS_SMTP_CHANNEL_H_
#define TONGHOP_LIBS_REMIND_CHANNELS_SMTP_CHANNEL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/remind/message.h"

namespace tonghop {

struct SmtpOptions {
  std::string url;   // "smtp://127.0.0.1:2525" (smtps:// for implicit TLS)
  std::string from;  // "nhac-viec@tonghop.gov.vn" or "Name <address>"
  absl::Duration timeout = absl::Seconds(10);  // the whole transaction
};

// Thread-compatible (no shared state; concurrent Sends on one object are safe
// too, each using its own connection).
class SmtpChannel final : public Channel {
 public:
  explicit SmtpChannel(SmtpOptions options);

  // "email:smtp://mail.example.gov.vn:25": the server, without any
  // user:password in its url, and never a recipient's address.
  std::string name() const override;

  // Sends BuildEmail(message, from) to every address in message.emails in
  // one transaction, blocking at most the timeout. Returns:
  //   OK once the server answered 250 after DATA, having accepted at least
  //     one recipient; each recipient it refused (4xx or 5xx to RCPT) is
  //     appended to `refused` (when not null) and does not get it;
  //   FAILED_PRECONDITION when message.emails is empty or the
  //     Asia/Ho_Chi_Minh zone data is missing; also when the server refuses
  //     the sender, every recipient or the message with a 5xx code (named in
  //     the message; the refused recipients appended to `refused` too);
  //   UNAVAILABLE when the server cannot be reached, drops the connection or
  //     answers 4xx (a temporary refusal): retry later;
  //   DEADLINE_EXCEEDED when the timeout passes;
  //   INVALID_ARGUMENT for an empty message.id, or a sender/recipient that is
  //     not a plain ASCII address "local@domain" (no spaces, controls or
  //     "<>,;"), or a malformed url.
  // Status messages never contain the recipients' addresses.
  absl::Status Send(const ReminderMessage& message,
                    std::vector<Refusal>* refused) override;

 private:
  const SmtpOptions options_;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_CHANNELS_SMTP_CHANNEL_H_
