// A reminder as the channels send it, and the channel contract. The core
// (libs/remind) decides who is reminded of what and when; a Channel only
// delivers one message.
#ifndef TONGHOP_LIBS_REMIND_MESSAGE_H_
#define TONGHOP_LIBS_REMIND_MESSAGE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tonghop {

struct ReminderMessage {
  // Stable for (period, unit, step, channel): the e-mail's Message-ID local
  // part and the webhook's Idempotency-Key, so that the one resend a crash can
  // cause is recognisable.
  std::string id;
  std::string node;    // the sending node's unit code ("31")
  std::string period;  // "2026-03"
  std::string
      unit;  // the reminded unit ("10525"), or the node's own for an escalation
  std::string unit_name;
  std::string
      step;  // "before-5", "overdue-0", "escalation", "digest-2026-03-23"
  std::string
      kind;  // "reminder", "finalise", "overdue", "escalation", "digest"
  absl::Time deadline;  // the first late instant
  absl::Time created;   // when it is sent (the node's clock): the e-mail's Date
  std::vector<std::string>
      missing;  // escalation/digest: "10532 Phường Lê Thanh Nghị" lines
  std::string subject;              // Vietnamese, UTF-8
  std::string body;                 // Vietnamese, UTF-8, plain text
  std::vector<std::string> emails;  // recipients for the e-mail channel
  std::string json;                 // the webhook document
};

// A recipient the receiver refused while it took the message for the others.
struct Refusal {
  int recipient = 0;  // index into ReminderMessage::emails
  std::string reply;  // the server's reply ("550 5.1.1 No such mailbox")
};

// Delivers messages through one medium. Implementations must be
// thread-compatible; each channel is driven by one sender thread.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string name() const = 0;  // "email", "webhook:<url>"
  // Delivers `message`, blocking up to the channel's timeout. OK only when the
  // receiver has accepted it (SMTP 250 after DATA; HTTP 2xx). The recipients
  // it refused are appended to `refused` (when not null), whether it took the
  // message for the others or not. UNAVAILABLE / DEADLINE_EXCEEDED for a
  // receiver that cannot be reached or refuses for now (retry later);
  // FAILED_PRECONDITION when there is nothing to send to (no recipient) or the
  // receiver refused the message for good; INVALID_ARGUMENT for a message it
  // cannot send.
  virtual absl::Status Send(const ReminderMessage& message,
                            std::vector<Refusal>* refused) = 0;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_MESSAGE_H_
