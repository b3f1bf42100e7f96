// The e-mail a reminder becomes: an RFC 5322 message with RFC 2047 encoded
// headers and a base64 text/plain UTF-8 body. Pure functions; thread-safe.
#ifndef TONGHOP_LIBS_REMIND_CHANNELS_EMAIL_H_
#define TONGHOP_LIBS_REMIND_CHANNELS_EMAIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/remind/message.h"

namespace tonghop {

// The zone every Date header is written in. FAILED_PRECONDITION when the
// zone data (tzdata) is missing.
absl::StatusOr<absl::TimeZone> LoadVietnamTimeZone();

// "<ID@tonghop.NODE>": `message.id` and `message.node` with every character
// outside [A-Za-z0-9.-] replaced by '.'; "<ID@tonghop>" when the node is empty.
// Stable: the same message always gets the same Message-ID.
std::string EmailMessageId(const ReminderMessage& message);

// The bare address of a mailbox: "a@b" for "Name <a@b>" or "a@b".
std::string MailboxAddress(absl::string_view mailbox);

// A plain "local@domain": printable ASCII without spaces or the characters
// that would end the address in an SMTP command or a header. What the e-mail
// channel sends to and from (a node's config is checked with it at start).
bool IsPlainAddress(absl::string_view address);

// RFC 2047 "B" encoded-words (UTF-8) for `text`, separated by CRLF + space,
// each holding whole UTF-8 characters of at most 45 bytes, so that no line is
// longer than 78 characters when the first word starts at column
// `first_column` (e.g. 9 after "Subject: "). "" for an empty `text`.
std::string EncodeHeaderWords(absl::string_view text, size_t first_column);

// The RFC 5322 date-time of `t` in `zone`: "Mon, 23 Mar 2026 08:00:00 +0700".
std::string Rfc5322Date(absl::Time t, const absl::TimeZone& zone);

// The complete message (headers and body, CRLF line ends, no trailing
// "CRLF.CRLF"): Date (message.created in `zone`), From (`from`, a bare
// address or "Name <address>"), To (every address in message.emails), Subject
// (encoded-words), Message-ID (EmailMessageId), MIME-Version, Content-Type
// text/plain; charset=UTF-8, Content-Transfer-Encoding: base64,
// Auto-Submitted: auto-generated, X-Tonghop-Step and X-Tonghop-Period; then
// the body with its line ends made CRLF (the canonical form of text), base64
// in lines of 76. Header values are never allowed to break the header: CR and
// LF in `from` or the addresses are dropped, and non-ASCII step/period values
// are encoded. Addresses are not validated here (SmtpChannel::Send does).
std::string BuildEmail(const ReminderMessage& message, const std::string& from,
                       const absl::TimeZone& zone);
// As above in Asia/Ho_Chi_Minh; if its zone data is missing, in the fixed
// +0700 offset (Vietnam's since 1975), never UTC.
std::string BuildEmail(const ReminderMessage& message, const std::string& from);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_REMIND_CHANNELS_EMAIL_H_
