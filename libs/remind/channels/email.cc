#include "libs/remind/channels/email.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"

namespace tonghop {
namespace {

constexpr char kCrlf[] = "\r\n";
constexpr size_t kMaxLine = 78;           // RFC 5322 2.1.1, without the CRLF
constexpr size_t kMaxWordInput = 45;      // 60 base64 chars: a 72-char word
constexpr size_t kEncodedWordExtra = 12;  // "=?UTF-8?B?" + "?="
constexpr size_t kBodyLine = 76;          // RFC 2045 6.8

bool IsPrintableAscii(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// Drops control characters (CR, LF, ...) so a value cannot end its header.
std::string WithoutControls(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) out.push_back(c);
  }
  return out;
}

std::string Sanitize(absl::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '-') {
      c = '.';
    }
  }
  return out;
}

// The longest input (a multiple of 3, at most 45 bytes) whose encoded-word
// ends a line starting at `column` no later than column 78.
size_t WordInputLimit(size_t column) {
  size_t room = kMaxLine - std::min(kMaxLine, column + kEncodedWordExtra);
  return std::min(kMaxWordInput, room / 4 * 3);
}

// `name: value`, raw when it is short printable ASCII, else encoded-words.
std::string Header(absl::string_view name, absl::string_view value) {
  if (IsPrintableAscii(value) && name.size() + 2 + value.size() <= kMaxLine) {
    return absl::StrCat(name, ": ", value, kCrlf);
  }
  return absl::StrCat(name, ": ", EncodeHeaderWords(value, name.size() + 2),
                      kCrlf);
}

// "From: ..." for a bare address or "Display Name <address>".
std::string FromHeader(absl::string_view from) {
  std::string address = WithoutControls(MailboxAddress(from));
  size_t open = from.find('<');
  std::string display =
      open == absl::string_view::npos
          ? ""
          : WithoutControls(absl::StripAsciiWhitespace(from.substr(0, open)));
  if (display.size() >= 2 && display.front() == '"' && display.back() == '"') {
    display = display.substr(1, display.size() - 2);
  }
  if (display.empty()) return absl::StrCat("From: ", address, kCrlf);
  std::string phrase;
  if (IsPrintableAscii(display)) {
    phrase = "\"";
    for (char c : display) {
      if (c == '"' || c == '\\') phrase.push_back('\\');
      phrase.push_back(c);
    }
    phrase.push_back('"');
  } else {
    phrase = EncodeHeaderWords(display, 6);
  }
  return absl::StrCat("From: ", phrase, " <", address, ">", kCrlf);
}

// "To: a, b, ...", folded before an address that would pass column 78.
std::string ToHeader(const std::vector<std::string>& emails) {
  std::string out = "To:";
  size_t column = out.size();
  for (size_t i = 0; i < emails.size(); ++i) {
    std::string address = WithoutControls(emails[i]);
    std::string piece = absl::StrCat(address, i + 1 < emails.size() ? "," : "");
    if (i > 0 && column + 1 + piece.size() > kMaxLine) {
      out += kCrlf;
      column = 0;
    }
    absl::StrAppend(&out, " ", piece);
    column += 1 + piece.size();
  }
  return absl::StrCat(out, kCrlf);
}

// The body with CRLF line ends, base64 in lines of 76.
std::string BodyBase64(absl::string_view body) {
  std::string canonical;
  canonical.reserve(body.size() + body.size() / 32);
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') {
      canonical += kCrlf;
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
    } else if (body[i] == '\n') {
      canonical += kCrlf;
    } else {
      canonical.push_back(body[i]);
    }
  }
  std::string encoded;
  absl::Base64Escape(canonical, &encoded);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kBodyLine * 2 + 2);
  for (size_t i = 0; i < encoded.size(); i += kBodyLine) {
    absl::StrAppend(&out, absl::string_view(encoded).substr(i, kBodyLine),
                    kCrlf);
  }
  return out;
}

}  // namespace

absl::StatusOr<absl::TimeZone> LoadVietnamTimeZone() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Ho_Chi_Minh", &zone)) {
    return absl::FailedPreconditionError(
        "time zone Asia/Ho_Chi_Minh is missing (install tzdata)");
  }
  return zone;
}

std::string EmailMessageId(const ReminderMessage& message) {
  std::string domain = message.node.empty()
                           ? "tonghop"
                           : absl::StrCat("tonghop.", Sanitize(message.node));
  return absl::StrCat("<", Sanitize(message.id), "@", domain, ">");
}

bool IsPlainAddress(absl::string_view address) {
  size_t at = address.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 == address.size()) {
    return false;
  }
  return std::all_of(address.begin(), address.end(), [](char c) {
    return c > 0x20 && c < 0x7f && std::strchr("<>,;\"\\()[]", c) == nullptr;
  });
}

std::string MailboxAddress(absl::string_view mailbox) {
  size_t open = mailbox.rfind('<');
  if (open != absl::string_view::npos) {
    size_t close = mailbox.find('>', open);
    if (close != absl::string_view::npos) {
      return std::string(mailbox.substr(open + 1, close - open - 1));
    }
  }
  return std::string(absl::StripAsciiWhitespace(mailbox));
}

std::string EncodeHeaderWords(absl::string_view text, size_t first_column) {
  std::string out;
  size_t limit = WordInputLimit(first_column);
  if (limit < 3 && !text.empty()) {  // no room left on the first line
    out = "\r\n ";
    limit = WordInputLimit(1);
  }
  bool first = true;
  while (!text.empty()) {
    size_t n = std::min(limit, text.size());
    if (n < text.size()) {
      // Keep UTF-8 sequences whole: never cut before a continuation byte.
      size_t whole = n;
      while (whole > 0 &&
             (static_cast<unsigned char>(text[whole]) & 0xc0) == 0x80) {
        --whole;
      }
      if (whole > 0) n = whole;
    }
    if (!first) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(text.substr(0, n)),
                    "?=");
    text.remove_prefix(n);
    first = false;
    limit = WordInputLimit(1);
  }
  return out;
}

std::string Rfc5322Date(absl::Time t, const absl::TimeZone& zone) {
  static const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu",
                                      "Fri", "Sat", "Sun"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) {
    t = absl::UnixEpoch();  // keep the header well-formed
  }
  absl::CivilSecond civil = absl::ToCivilSecond(t, zone);
  // absl::Weekday counts from Monday = 0.
  int weekday = static_cast<int>(absl::GetWeekday(civil));
  return absl::StrCat(kDays[weekday], ", ", absl::FormatTime("%d ", t, zone),
                      kMonths[civil.month() - 1],
                      absl::FormatTime(" %Y %H:%M:%S %z", t, zone));
}

std::string BuildEmail(const ReminderMessage& message, const std::string& from,
                       const absl::TimeZone& zone) {
  std::string out;
  absl::StrAppend(&out, "Date: ", Rfc5322Date(message.created, zone), kCrlf);
  out += FromHeader(from);
  out += ToHeader(message.emails);
  if (message.subject.empty()) {
    absl::StrAppend(&out, "Subject:", kCrlf);
  } else {
    absl::StrAppend(&out, "Subject: ", EncodeHeaderWords(message.subject, 9),
                    kCrlf);
  }
  absl::StrAppend(&out, "Message-ID: ", EmailMessageId(message), kCrlf);
  absl::StrAppend(&out, "MIME-Version: 1.0", kCrlf);
  absl::StrAppend(&out, "Content-Type: text/plain; charset=UTF-8", kCrlf);
  absl::StrAppend(&out, "Content-Transfer-Encoding: base64", kCrlf);
  absl::StrAppend(&out, "Auto-Submitted: auto-generated", kCrlf);
  out += Header("X-Tonghop-Step", message.step);
  out += Header("X-Tonghop-Period", message.period);
  out += kCrlf;
  out += BodyBase64(message.body);
  return out;
}

std::string BuildEmail(const ReminderMessage& message,
                       const std::string& from) {
  absl::StatusOr<absl::TimeZone> zone = LoadVietnamTimeZone();
  return BuildEmail(message, from,
                    zone.ok() ? *zone : absl::FixedTimeZone(7 * 60 * 60));
}

}  // namespace tonghop
