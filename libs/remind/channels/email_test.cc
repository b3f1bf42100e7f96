#include "libs/remind/channels/email.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::Time At(const std::string& rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error))
      << error;
  return t;
}

ReminderMessage Sample() {
  ReminderMessage m;
  m.id = "2026-03/10525/before-5/email";
  m.node = "31";
  m.period = "2026-03";
  m.unit = "10525";
  m.unit_name = "Phường Hoàng Văn Thụ";
  m.step = "before-5";
  m.kind = "reminder";
  m.deadline = At("2026-03-28T00:00:00+07:00");
  m.created = At("2026-03-23T08:00:00+07:00");
  m.subject =
      "[Tổng hợp] Nhắc nộp báo cáo kỳ 2026-03 — Phường Hoàng Văn Thụ còn 5 "
      "ngày trước hạn chót";
  m.body =
      "Kính gửi Phường Hoàng Văn Thụ,\n\nHạn nộp báo cáo kỳ 2026-03 là "
      "00:00 ngày 28/03/2026 (giờ Việt Nam).\nĐề nghị đơn vị hoàn thành và "
      "nộp báo cáo đúng hạn.\n\nTrân trọng,\nHệ thống Tổng hợp — đơn vị 31";
  m.emails = {"vanthu@hoangvanthu.haiphong.gov.vn", "lanhdao@haiphong.gov.vn"};
  return m;
}

struct Parsed {
  std::multimap<std::string, std::string> headers;  // unfolded values
  std::string body;
};

// Splits a CRLF message into unfolded headers and the body.
Parsed Parse(const std::string& email) {
  Parsed parsed;
  size_t end = email.find("\r\n\r\n");
  EXPECT_NE(end, std::string::npos);
  std::vector<std::string> lines = absl::StrSplit(email.substr(0, end), "\r\n");
  std::vector<std::string> unfolded;
  for (const std::string& line : lines) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      EXPECT_FALSE(unfolded.empty());
      unfolded.back() += line;
    } else {
      unfolded.push_back(line);
    }
  }
  for (const std::string& line : unfolded) {
    size_t colon = line.find(':');
    EXPECT_NE(colon, std::string::npos) << line;
    parsed.headers.emplace(
        line.substr(0, colon),
        std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1))));
  }
  parsed.body = email.substr(end + 4);
  return parsed;
}

std::string Header(const Parsed& parsed, const std::string& name) {
  EXPECT_EQ(parsed.headers.count(name), 1u) << name;
  auto it = parsed.headers.find(name);
  return it == parsed.headers.end() ? "" : it->second;
}

// Decodes a run of "=?UTF-8?B?...?=" words separated by folding whitespace.
std::string DecodeWords(const std::string& value) {
  std::string out;
  for (absl::string_view word :
       absl::StrSplit(value, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    EXPECT_TRUE(absl::ConsumePrefix(&word, "=?UTF-8?B?")) << word;
    EXPECT_TRUE(absl::ConsumeSuffix(&word, "?=")) << word;
    std::string chunk;
    EXPECT_TRUE(absl::Base64Unescape(word, &chunk)) << word;
    // Whole characters only: no word starts with a continuation byte.
    if (!chunk.empty()) {
      EXPECT_NE(static_cast<unsigned char>(chunk[0]) & 0xc0, 0x80);
    }
    out += chunk;
  }
  return out;
}

TEST(EmailTest, CrlfLineEndsAndShortLines) {
  std::string email = BuildEmail(Sample(), "nhac-viec@tonghop.gov.vn");
  ASSERT_TRUE(absl::EndsWith(email, "\r\n"));
  for (size_t i = 0; i < email.size(); ++i) {
    if (email[i] == '\n') {
      ASSERT_TRUE(i > 0 && email[i - 1] == '\r') << i;
    }
    if (email[i] == '\r') {
      ASSERT_EQ(email[i + 1], '\n') << i;
    }
  }
  for (absl::string_view line : absl::StrSplit(email, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
  }
}

TEST(EmailTest, Headers) {
  std::string email = BuildEmail(Sample(), "nhac-viec@tonghop.gov.vn");
  Parsed parsed = Parse(email);
  EXPECT_EQ(Header(parsed, "Date"), "Mon, 23 Mar 2026 08:00:00 +0700");
  EXPECT_EQ(Header(parsed, "From"), "nhac-viec@tonghop.gov.vn");
  EXPECT_EQ(Header(parsed, "To"),
            "vanthu@hoangvanthu.haiphong.gov.vn, lanhdao@haiphong.gov.vn");
  EXPECT_EQ(Header(parsed, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(parsed, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(Header(parsed, "Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(Header(parsed, "X-Tonghop-Step"), "before-5");
  EXPECT_EQ(Header(parsed, "X-Tonghop-Period"), "2026-03");
  EXPECT_EQ(Header(parsed, "Auto-Submitted"), "auto-generated");
  EXPECT_EQ(Header(parsed, "Message-ID"),
            "<2026-03.10525.before-5.email@tonghop.31>");
}

TEST(EmailTest, SubjectDecodesToTheVietnameseSubject) {
  ReminderMessage m = Sample();
  Parsed parsed = Parse(BuildEmail(m, "nhac-viec@tonghop.gov.vn"));
  std::string subject = Header(parsed, "Subject");
  EXPECT_THAT(subject, HasSubstr("?= =?UTF-8?B?"));  // several words
  EXPECT_EQ(DecodeWords(subject), m.subject);
  for (absl::string_view word : absl::StrSplit(subject, ' ')) {
    EXPECT_LE(word.size(), 75u);  // RFC 2047 2
  }
}

TEST(EmailTest, EncodedWordsKeepCharactersWholeAtEveryBoundary) {
  // Three-byte characters, shifted so every split position is exercised.
  for (int shift = 0; shift < 3; ++shift) {
    std::string text = std::string(shift, 'a');
    for (int i = 0; i < 40; ++i) text += "Ử";
    for (size_t column : {0, 9, 30, 70, 77}) {
      std::string words = EncodeHeaderWords(text, column);
      EXPECT_EQ(DecodeWords(words), text);
      bool first = true;
      for (absl::string_view line : absl::StrSplit(words, "\r\n")) {
        EXPECT_LE(line.size() + (first ? column : 0), 78u);
        first = false;
      }
    }
  }
  EXPECT_EQ(EncodeHeaderWords("", 9), "");
}

TEST(EmailTest, BodyDecodesBackWithCrlfLineEnds) {
  ReminderMessage m = Sample();
  Parsed parsed = Parse(BuildEmail(m, "nhac-viec@tonghop.gov.vn"));
  std::string joined;
  for (absl::string_view line :
       absl::StrSplit(parsed.body, "\r\n", absl::SkipEmpty())) {
    EXPECT_LE(line.size(), 76u);
    joined.append(line.data(), line.size());
  }
  std::string decoded;
  ASSERT_TRUE(absl::Base64Unescape(joined, &decoded));
  EXPECT_EQ(decoded, absl::StrReplaceAll(m.body, {{"\n", "\r\n"}}));
}

TEST(EmailTest, MessageIdIsStableAndSanitised) {
  ReminderMessage m = Sample();
  EXPECT_EQ(EmailMessageId(m), "<2026-03.10525.before-5.email@tonghop.31>");
  EXPECT_EQ(BuildEmail(m, "a@b.vn"), BuildEmail(m, "a@b.vn"));
  m.id = "kỳ 2026-03/đơn vị:10525>\r\nBcc: x@y";
  m.node = "3 1";
  std::string id = EmailMessageId(m);
  EXPECT_TRUE(absl::StartsWith(id, "<k"));
  EXPECT_TRUE(absl::EndsWith(id, "@tonghop.3.1>"));
  for (char c : id.substr(1, id.size() - 2)) {
    EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                c == '.' || c == '-' || c == '@')
        << id;
  }
  m.node.clear();
  EXPECT_TRUE(absl::EndsWith(EmailMessageId(m), "@tonghop>"));
}

TEST(EmailTest, DateIsInVietnamTime) {
  absl::StatusOr<absl::TimeZone> zone = LoadVietnamTimeZone();
  ASSERT_TRUE(zone.ok()) << zone.status();
  // 20:00 UTC on Sunday is 03:00 on Monday in Hà Nội.
  EXPECT_EQ(Rfc5322Date(At("2026-03-22T20:00:00Z"), *zone),
            "Mon, 23 Mar 2026 03:00:00 +0700");
  EXPECT_EQ(Rfc5322Date(At("2026-01-01T00:00:00+07:00"), *zone),
            "Thu, 01 Jan 2026 00:00:00 +0700");
}

TEST(EmailTest, HeaderValuesCannotInjectHeaders) {
  ReminderMessage m = Sample();
  m.step = "before-5\r\nBcc: spy@example.com";
  m.emails = {"a@b.vn\r\nBcc: spy@example.com"};
  std::string email = BuildEmail(m, "x@y.vn\r\nBcc: spy@example.com");
  Parsed parsed = Parse(email);
  EXPECT_EQ(parsed.headers.count("Bcc"), 0u);
  EXPECT_EQ(DecodeWords(Header(parsed, "X-Tonghop-Step")), m.step);
}

TEST(EmailTest, FromWithVietnameseDisplayNameAndManyRecipients) {
  ReminderMessage m = Sample();
  m.emails.clear();
  for (int i = 0; i < 12; ++i) {
    m.emails.push_back("phong" + std::to_string(i) + "@haiphong.gov.vn");
  }
  std::string email =
      BuildEmail(m, "Hệ thống Tổng hợp <nhac-viec@tonghop.gov.vn>");
  Parsed parsed = Parse(email);
  std::string from = Header(parsed, "From");
  ASSERT_TRUE(absl::EndsWith(from, " <nhac-viec@tonghop.gov.vn>")) << from;
  EXPECT_EQ(DecodeWords(from.substr(0, from.find(" <"))), "Hệ thống Tổng hợp");
  std::string to = Header(parsed, "To");
  EXPECT_EQ(std::vector<std::string>(absl::StrSplit(to, ", ")), m.emails);
  EXPECT_THAT(email, Not(HasSubstr("\r\n\r\n\r\n")));
  EXPECT_EQ(MailboxAddress("Tên <a@b.vn>"), "a@b.vn");
  EXPECT_EQ(MailboxAddress(" a@b.vn "), "a@b.vn");
}

}  // namespace
}  // namespace tonghop
