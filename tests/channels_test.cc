// The reminder channels against real receivers on loopback: Debian's aiosmtpd
// (python3 -m aiosmtpd, storing into a Maildir) for e-mail, a cpp-httplib
// server for webhooks.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/clock/clock.h"
#include "libs/remind/channels/email.h"
#include "libs/remind/channels/smtp_channel.h"
#include "libs/remind/channels/webhook_channel.h"
#include "tests/harness/mail.h"
#include "tests/harness/node_process.h"

extern char** environ;

namespace tonghop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::tonghop::testing::TempDir;
using namespace ::tonghop::testing;  // the mail receivers of
                                     // tests/harness/mail.h

const RealClock kClock;

ReminderMessage Message(const std::string& unit, const std::string& step,
                        const std::string& subject, const std::string& body) {
  ReminderMessage m;
  m.id = absl::StrCat("2026-03/", unit, "/", step, "/email");
  m.node = "31";
  m.period = "2026-03";
  m.unit = unit;
  m.step = step;
  m.kind = "reminder";
  absl::ParseTime(absl::RFC3339_full, "2026-03-23T08:00:00+07:00", &m.created,
                  nullptr);
  m.deadline = m.created + absl::Hours(24 * 5);
  m.subject = subject;
  m.body = body;
  m.emails = {"vanthu@phuong10525.haiphong.gov.vn",
              "lanhdao@phuong10525.haiphong.gov.vn"};
  return m;
}

int CountWithId(const std::vector<Stored>& stored, const std::string& id) {
  int n = 0;
  for (const Stored& s : stored) n += s.Get("Message-ID") == id ? 1 : 0;
  return n;
}

TEST(SmtpChannelTest, DeliversToARealServerAndRetriesAfterAnOutage) {
  TempDir dir;
  const std::string maildir = dir.path() + "/Maildir";
  const int port = FreePort();
  ASSERT_GT(port, 0);
  SmtpServer server(dir.path(), port, {"aiosmtpd.handlers.Mailbox", maildir});
  ASSERT_TRUE(server.Start().ok()) << ReadFile(server.log_path());

  SmtpChannel channel(SmtpOptions{server.url(), "nhac-viec@tonghop31.gov.vn",
                                  absl::Seconds(5)});
  EXPECT_EQ(channel.name(), "email:" + server.url());
  // The server's credentials stay out of `tonghop info`.
  EXPECT_EQ(SmtpChannel(
                SmtpOptions{"smtps://tonghop:bí-mật@mail.gov.vn:465", "a@b.vn"})
                .name(),
            "email:smtps://mail.gov.vn:465");
  std::vector<ReminderMessage> messages = {
      Message("10525", "before-5",
              "[Tổng hợp] Nhắc nộp báo cáo kỳ 2026-03 — Phường Hoàng Văn Thụ "
              "còn 5 ngày",
              "Kính gửi Phường Hoàng Văn Thụ,\nHạn nộp báo cáo kỳ 2026-03 là "
              "ngày 28/03/2026.\nTrân trọng."),
      Message("10525", "overdue-0", "[Tổng hợp] Quá hạn nộp báo cáo kỳ 2026-03",
              "Đơn vị chưa nộp báo cáo kỳ 2026-03; đề nghị nộp ngay.\n.\n"
              "(Dòng trên chỉ có một dấu chấm.)"),
  };
  for (const ReminderMessage& m : messages) {
    absl::Status s = channel.Send(m, nullptr);
    ASSERT_TRUE(s.ok()) << s << "\n" << ReadFile(server.log_path());
  }

  std::vector<Stored> stored = ReadMaildir(maildir);
  ASSERT_EQ(stored.size(), 2u);  // one copy per message, for both recipients
  for (const ReminderMessage& m : messages) {
    const std::string id = EmailMessageId(m);
    EXPECT_EQ(id,
              absl::StrCat("<2026-03.10525.", m.step, ".email@tonghop.31>"));
    ASSERT_EQ(CountWithId(stored, id), 1) << id;
    for (const Stored& s : stored) {
      if (s.Get("Message-ID") != id) continue;
      EXPECT_EQ(DecodeRfc2047(s.Get("Subject")), m.subject);
      EXPECT_EQ(DecodeBody(s.body),
                absl::StrReplaceAll(m.body, {{"\n", "\r\n"}}));
      EXPECT_EQ(s.Get("X-MailFrom"), "nhac-viec@tonghop31.gov.vn");
      EXPECT_EQ(s.Get("X-RcptTo"), absl::StrJoin(m.emails, ", "));
      EXPECT_EQ(s.Get("To"), absl::StrJoin(m.emails, ", "));
      EXPECT_EQ(s.Get("Date"), "Mon, 23 Mar 2026 08:00:00 +0700");
      EXPECT_EQ(s.Get("X-Tonghop-Step"), m.step);
      EXPECT_EQ(s.Get("X-Tonghop-Period"), "2026-03");
    }
  }

  // The server goes away: the send fails as retryable, within the timeout.
  server.Stop();
  ReminderMessage third = Message(
      "10526", "escalation", "[Tổng hợp] Báo cáo tổng hợp: đơn vị trễ hạn",
      "Danh sách đơn vị chưa nộp:\n10526 Phường Lê Thanh Nghị");
  SmtpChannel quick(SmtpOptions{server.url(), "nhac-viec@tonghop31.gov.vn",
                                absl::Seconds(2)});
  const absl::Time before = kClock.Now();
  absl::Status down = quick.Send(third, nullptr);
  EXPECT_TRUE(absl::IsUnavailable(down) || absl::IsDeadlineExceeded(down))
      << down;
  EXPECT_LT(kClock.Now() - before, absl::Seconds(3));
  EXPECT_THAT(std::string(down.message()), Not(HasSubstr("vanthu@")));

  // Back on the same port: the same message goes through, once.
  ASSERT_TRUE(server.Start().ok()) << ReadFile(server.log_path());
  absl::Status up = quick.Send(third, nullptr);
  ASSERT_TRUE(up.ok()) << up;
  stored = ReadMaildir(maildir);
  EXPECT_EQ(stored.size(), 3u);
  EXPECT_EQ(CountWithId(stored, EmailMessageId(third)), 1);
  for (const Stored& s : stored) {
    if (s.Get("Message-ID") == EmailMessageId(third)) {
      EXPECT_EQ(DecodeRfc2047(s.Get("Subject")), third.subject);
    }
  }
}

// A handler that refuses: "refused*" recipients with 550, "later*" with 450,
// and after DATA a message to any "spam*" recipient with 554; it keeps the
// recipients of each message it takes, one line per message, in accepted.txt.
constexpr char kRefusingHandler[] = R"(
import os

class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("later"):
            return "450 4.2.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(a.startswith("spam") for a in envelope.rcpt_tos):
            return "554 5.7.1 Message refused"
        path = os.path.join(os.path.dirname(__file__), "accepted.txt")
        with open(path, "a") as f:
            f.write(" ".join(envelope.rcpt_tos) + "\n")
        return "250 OK"
)";

TEST(SmtpChannelTest, MapsRefusalsAndTimeouts) {
  TempDir dir;
  std::ofstream(dir.path() + "/refusing.py") << kRefusingHandler;
  const int port = FreePort();
  SmtpServer server(dir.path(), port, {"refusing.Refusing"});
  ASSERT_TRUE(server.Start().ok()) << ReadFile(server.log_path());
  SmtpChannel channel(SmtpOptions{server.url(), "Tổng hợp <a@tonghop.gov.vn>",
                                  absl::Seconds(5)});
  ReminderMessage m = Message("10525", "before-5", "Nhắc việc", "Nội dung");

  // A refused recipient does not refuse the message for the others: it is
  // sent to them, and the refusals are reported.
  m.emails = {"refused@x.vn", "ok@x.vn", "later@x.vn", "ok2@x.vn"};
  std::vector<Refusal> refused;
  absl::Status s = channel.Send(m, &refused);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].recipient, 0);
  EXPECT_THAT(refused[0].reply, HasSubstr("550 5.1.1 No such mailbox"));
  EXPECT_EQ(refused[1].recipient, 2);
  EXPECT_THAT(refused[1].reply, HasSubstr("450"));
  EXPECT_EQ(ReadFile(dir.path() + "/accepted.txt"), "ok@x.vn ok2@x.vn\n");

  // Every recipient refused for good: the message is refused for good, and
  // each refusal is reported.
  m.emails = {"refused@x.vn", "refused2@x.vn"};
  refused.clear();
  s = channel.Send(m, &refused);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[1].recipient, 1);
  EXPECT_THAT(refused[1].reply, HasSubstr("550 5.1.1 No such mailbox"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("550"));
  EXPECT_THAT(std::string(s.message()), Not(HasSubstr("refused@")));

  m.emails = {"later@x.vn"};
  s = channel.Send(m, nullptr);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("450"));

  m.emails = {"spam@x.vn"};
  s = channel.Send(m, nullptr);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("554"));

  m.emails.clear();
  EXPECT_TRUE(absl::IsFailedPrecondition(channel.Send(m, nullptr)));
  m.emails = {"ok@x.vn>\r\nRCPT TO:<spy@x.vn"};
  EXPECT_TRUE(absl::IsInvalidArgument(channel.Send(m, nullptr)));

  // A server that accepts the connection but never greets: DEADLINE_EXCEEDED.
  int silent = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(silent, 4), 0);
  ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  SmtpChannel stuck(
      SmtpOptions{absl::StrCat("smtp://127.0.0.1:", ntohs(addr.sin_port)),
                  "a@b.vn", absl::Milliseconds(500)});
  m.emails = {"ok@x.vn"};
  const absl::Time before = kClock.Now();
  s = stuck.Send(m, nullptr);
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_LT(kClock.Now() - before, absl::Seconds(3));
  close(silent);
}

// A webhook receiver on 127.0.0.1 recording every request.
class HookServer {
 public:
  struct Request {
    std::string path, body, key, content_type;
  };

  HookServer() {
    auto record = [this](const httplib::Request& req, httplib::Response& res,
                         int status) {
      absl::MutexLock lock(&mu_);
      requests_.push_back({req.path, req.body,
                           req.get_header_value("Idempotency-Key"),
                           req.get_header_value("Content-Type")});
      res.status = status;
      res.set_content("{}", "application/json");
    };
    server_.Post("/hook",
                 [record](const httplib::Request& req, httplib::Response& res) {
                   record(req, res, 204);
                 });
    server_.Post("/fail500",
                 [record](const httplib::Request& req, httplib::Response& res) {
                   record(req, res, 500);
                 });
    server_.Post("/fail400",
                 [record](const httplib::Request& req, httplib::Response& res) {
                   record(req, res, 400);
                 });
    server_.Post("/slow", [](const httplib::Request&, httplib::Response& res) {
      absl::SleepFor(absl::Milliseconds(1500));
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");  // listening from here on
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HookServer() {
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }
  std::vector<Request> requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::vector<Request> requests_ ABSL_GUARDED_BY(mu_);
};

TEST(WebhookChannelTest, PostsTheJsonWithItsIdempotencyKey) {
  HookServer server;
  ReminderMessage m = Message("10532", "escalation", "", "");
  m.id = "2026-03/10532/escalation/webhook1";
  m.json = R"({"kind":"escalation","period":"2026-03","unit":"10532",)"
           R"("missing":["10532 Phường Lê Thanh Nghị"],"note":"Quá hạn\n"})";

  WebhookChannel channel(WebhookOptions{server.url("/hook"), absl::Seconds(5)});
  EXPECT_EQ(channel.name(), "webhook:" + server.url("/hook"));
  absl::Status s = channel.Send(m, nullptr);
  ASSERT_TRUE(s.ok()) << s;
  std::vector<HookServer::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].body, m.json);
  EXPECT_EQ(requests[0].key, m.id);
  EXPECT_EQ(requests[0].content_type, "application/json; charset=utf-8");

  s = WebhookChannel(WebhookOptions{server.url("/fail500"), absl::Seconds(5)})
          .Send(m, nullptr);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("500"));

  s = WebhookChannel(WebhookOptions{server.url("/fail400"), absl::Seconds(5)})
          .Send(m, nullptr);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("400"));
  EXPECT_EQ(server.requests().size(), 3u);

  const absl::Time before = kClock.Now();
  s = WebhookChannel(
          WebhookOptions{server.url("/slow"), absl::Milliseconds(300)})
          .Send(m, nullptr);
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_LT(kClock.Now() - before, absl::Seconds(1));

  ReminderMessage bad = m;
  bad.id = "id\r\nX-Injected: 1";
  EXPECT_TRUE(absl::IsInvalidArgument(channel.Send(bad, nullptr)));
}

TEST(WebhookChannelTest, NothingListeningIsUnavailable) {
  const int port = FreePort();
  ASSERT_GT(port, 0);
  ReminderMessage m = Message("10525", "before-5", "", "");
  m.json = "{}";
  absl::Status s =
      WebhookChannel(
          WebhookOptions{absl::StrCat("http://127.0.0.1:", port, "/hook"),
                         absl::Seconds(2)})
          .Send(m, nullptr);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
}

}  // namespace
}  // namespace tonghop
