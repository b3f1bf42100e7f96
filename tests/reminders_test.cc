// Reminders with real processes and real receivers on loopback, on the
// simulated clock: a city with three wards, one of which never reports. Walking
// through March 2026, assert exactly which reminders each channel received and
// when, that the punctual ward gets none, that the overdue notices and the
// escalation name only the missing ward, that a restart in the middle sends
// nothing twice, and that an SMTP server down for a day delays e-mails without
// losing them. Then a server that refuses some addresses for good: the others
// still get their e-mail, and a message refused for good is not retried.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "libs/calendar/zone.h"
#include "tests/harness/mail.h"
#include "tests/harness/node_process.h"

namespace tonghop::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Records every webhook POST: its Idempotency-Key and body.
class WebhookReceiver {
 public:
  WebhookReceiver() {
    server_.Post("/hook", [this](const httplib::Request& req,
                                 httplib::Response& res) {
      absl::MutexLock lock(&mu_);
      received_.emplace_back(req.get_header_value("Idempotency-Key"), req.body);
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/hook");
  }
  std::vector<std::pair<std::string, std::string>> received() {
    absl::MutexLock lock(&mu_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<std::pair<std::string, std::string>> received_
      ABSL_GUARDED_BY(mu_);
};

// What arrived by e-mail: "step unit" -> count, from the Maildir.
std::multiset<std::string> Mails(const std::string& maildir) {
  std::multiset<std::string> out;
  for (const Stored& m : ReadMaildir(maildir)) {
    out.insert(absl::StrCat(m.Get("X-Tonghop-Step"), " ", m.Get("To")));
  }
  return out;
}

// What arrived by webhook: "step unit" from the ids
// "<period>.<step>.<unit>.<channel>".
std::multiset<std::string> Hooks(WebhookReceiver& hooks) {
  std::multiset<std::string> out;
  for (const auto& [key, body] : hooks.received()) {
    std::vector<std::string> parts = absl::StrSplit(key, '.');
    if (parts.size() >= 3) out.insert(absl::StrCat(parts[1], " ", parts[2]));
  }
  return out;
}

// A Maildir (new, cur, tmp) under `dir`; its path.
std::string NewMaildir(const std::string& dir) {
  const std::string maildir = dir + "/maildir";
  for (const char* sub : {"new", "cur", "tmp"})
    std::filesystem::create_directories(maildir + "/" + sub);
  return maildir;
}

// Hải Phòng's city node (31) with `wards` as its unit children; no channels.
v1::NodeConfig HaiPhongCity(const std::vector<const char*>& wards) {
  v1::NodeConfig config;
  config.set_unit("31");
  config.set_role(v1::ROLE_CITY);
  for (const char* code : wards) {
    auto* c = config.add_children();
    c->set_code(code);
    c->set_kind(v1::ChildConfig::KIND_UNIT);
  }
  return config;
}

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 400; ++i) {  // at most 20 s
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

class RemindersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    maildir_ = NewMaildir(dir_.path());
    smtp_port_ = FreePort();
    smtp_ = std::make_unique<SmtpServer>(
        dir_.path(), smtp_port_,
        std::vector<std::string>{"aiosmtpd.handlers.Mailbox", maildir_});
    ASSERT_TRUE(smtp_->Start().ok()) << ReadFile(smtp_->log_path());

    v1::NodeConfig config = HaiPhongCity({"10525", "10507", "10532"});
    for (const char* code : {"10525", "10507", "10532"}) {
      auto* contact = config.mutable_channels()->add_contacts();
      contact->set_unit(code);
      contact->add_emails(absl::StrCat("vanphong@", code, ".haiphong.gov.vn"));
    }
    auto* secretariat = config.mutable_channels()->add_contacts();
    secretariat->set_unit("31");
    secretariat->add_emails("vanphong@skhcn.haiphong.gov.vn");
    config.mutable_channels()->set_smtp_url(smtp_->url());
    config.mutable_channels()->set_smtp_from("tonghop@skhcn.haiphong.gov.vn");
    config.mutable_channels()->add_webhook_urls(hooks_.url());
    config.mutable_reminders()->set_max_retry_seconds(
        2);  // a quick retry in the test
    auto node = NodeProcess::Start(dir_.path() + "/city", config);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
  }

  void SetClock(const std::string& t) {
    v1::SetClockRequest request;
    auto time = ParseRfc3339(t);
    ASSERT_TRUE(time.ok());
    request.mutable_time()->set_seconds(absl::ToUnixSeconds(*time));
    v1::SetClockResponse response;
    ASSERT_TRUE(
        node_->Admin()->SetClock(Context().get(), request, &response).ok());
  }
  void Submit(const std::string& unit, const std::string& key) {
    v1::SubmitRequest request;
    request.set_unit(unit);
    request.set_period("2026-03");
    request.set_idempotency_key(key);
    auto* v = request.add_values();
    v->set_indicator("QD11-01");
    v->mutable_ratio()->set_numerator(4);
    v->mutable_ratio()->set_denominator(5);
    v1::SubmitResponse response;
    ASSERT_TRUE(
        node_->Reporting()->Submit(Context().get(), request, &response).ok());
  }
  void Finalize(const std::string& unit) {
    v1::FinalizeRequest request;
    request.set_unit(unit);
    request.set_period("2026-03");
    v1::FinalizeResponse response;
    ASSERT_TRUE(
        node_->Reporting()->Finalize(Context().get(), request, &response).ok());
  }
  // Moves the clock and waits until both channels hold exactly `mails` and
  // `hooks` counts.
  void Step(const std::string& t, size_t mails, size_t hooks) {
    SetClock(t);
    EXPECT_TRUE(WaitFor([&] {
      return Mails(maildir_).size() >= mails && Hooks(hooks_).size() >= hooks;
    })) << t
        << ": " << Mails(maildir_).size() << " mails, " << Hooks(hooks_).size()
        << " hooks";
    std::this_thread::sleep_for(
        std::chrono::milliseconds(300));  // room for an extra one
    EXPECT_EQ(Mails(maildir_).size(), mails) << t;
    EXPECT_EQ(Hooks(hooks_).size(), hooks) << t;
  }

  TempDir dir_;
  std::string maildir_;
  int smtp_port_ = 0;
  std::unique_ptr<SmtpServer> smtp_;
  WebhookReceiver hooks_;
  std::unique_ptr<NodeProcess> node_;
};

std::string To(const std::string& unit) {
  return absl::StrCat("vanphong@", unit, ".haiphong.gov.vn");
}

TEST_F(RemindersTest, AMonthOfRemindersEachSentOnceThroughEachChannel) {
  // 12 March: 10525 reports and finalises; 10507 sends provisional figures;
  // 10532 nothing.
  SetClock("2026-03-12T09:00:00+07:00");
  Submit("10525", "a");
  Finalize("10525");
  Submit("10507", "b");

  // 15 March is a Sunday: the "5 days before" reminder goes on Friday 13 March
  // at 08:00.
  Step("2026-03-13T09:00:00+07:00", 2, 2);
  Step("2026-03-18T09:00:00+07:00", 4, 4);  // 2 days before

  // A restart in the middle sends nothing twice.
  ASSERT_EQ(WIFSIGNALED(node_->Stop(SIGKILL)), true);
  ASSERT_TRUE(node_->Restart().ok());
  Step("2026-03-18T10:00:00+07:00", 4, 4);
  Step("2026-03-19T09:00:00+07:00", 6, 6);  // 1 day before

  // 10507 finalises in the afternoon: no more reminders for it.
  SetClock("2026-03-19T15:00:00+07:00");
  Finalize("10507");
  Step("2026-03-20T09:00:00+07:00", 7, 7);  // overdue on the day: 10532 only

  // 21 March (escalation) and 22 March (overdue +2) fall on the weekend: Monday
  // 23 March.
  Step("2026-03-23T09:00:00+07:00", 9, 9);

  // The SMTP server is down for a day: the 24 March digest goes by webhook at
  // once and by e-mail once the server is back.
  smtp_->Stop();
  Step("2026-03-24T09:00:00+07:00", 9, 10);
  v1::NodeInfo info;
  ASSERT_TRUE(
      node_->Reporting()
          ->GetNodeInfo(Context().get(), v1::GetNodeInfoRequest(), &info)
          .ok());
  bool email_failing = false;
  for (const auto& c : info.channels()) {
    if (c.key() == "email")
      email_failing = !c.last_error().empty() && c.pending() > 0;
  }
  EXPECT_TRUE(email_failing) << info.ShortDebugString();
  ASSERT_TRUE(smtp_->Start().ok());
  SetClock("2026-03-25T07:30:00+07:00");  // the next day, before its own digest
  EXPECT_TRUE(WaitFor([&] { return Mails(maildir_).size() == 10; }))
      << Mails(maildir_).size();

  const std::multiset<std::string> expected = {
      "before-5 " + To("10507"),
      "before-5 " + To("10532"),
      "before-2 " + To("10507"),
      "before-2 " + To("10532"),
      "before-1 " + To("10507"),
      "before-1 " + To("10532"),
      "overdue-0 " + To("10532"),
      "overdue-2 " + To("10532"),
      "escalation vanphong@skhcn.haiphong.gov.vn",
      "digest-2026-03-24 vanphong@skhcn.haiphong.gov.vn"};
  EXPECT_EQ(Mails(maildir_), expected);
  const std::multiset<std::string> expected_hooks = {
      "before-5 10507",      "before-5 10532",  "before-2 10507",
      "before-2 10532",      "before-1 10507",  "before-1 10532",
      "overdue-0 10532",     "overdue-2 10532", "escalation 31",
      "digest-2026-03-24 31"};
  EXPECT_EQ(Hooks(hooks_), expected_hooks);

  // When they went, in local time (the clock moved in steps of a day: each
  // went at the step's 09:00; the digest once the server was back), and what
  // the words say.
  for (const Stored& m : ReadMaildir(maildir_)) {
    const std::string step = m.Get("X-Tonghop-Step");
    const std::string body = DecodeBody(m.body);
    if (step == "before-5") {
      EXPECT_EQ(m.Get("Date"), "Fri, 13 Mar 2026 09:00:00 +0700");
    }
    if (step == "overdue-2" || step == "escalation") {
      EXPECT_EQ(m.Get("Date"), "Mon, 23 Mar 2026 09:00:00 +0700");
    }
    if (step == "digest-2026-03-24") {
      EXPECT_EQ(m.Get("Date"), "Wed, 25 Mar 2026 07:30:00 +0700");
    }
    if (step == "escalation" || step == "digest-2026-03-24") {
      EXPECT_THAT(body, HasSubstr("10532"));
      EXPECT_THAT(body, Not(HasSubstr("10507 ")));
      EXPECT_THAT(body, Not(HasSubstr("10525 ")));
    }
    if (m.Get("To") == To("10507")) {
      EXPECT_THAT(body,
                  HasSubstr("tạm thời"));  // provisional: asked to finalise
    }
    EXPECT_THAT(m.Get("Message-ID"), HasSubstr("@tonghop.31>"));
  }
  // Each webhook call carries a distinct key: nothing was sent twice.
  std::set<std::string> keys;
  for (const auto& [key, body] : hooks_.received())
    EXPECT_TRUE(keys.insert(key).second) << key;

  // The node lists what it sent, with the escalation naming the missing ward
  // only.
  v1::ListRemindersRequest list;
  list.set_period("2026-03");
  list.set_sent(true);
  v1::ReminderList sent;
  ASSERT_TRUE(
      node_->Reporting()->ListReminders(Context().get(), list, &sent).ok());
  int escalations = 0;
  for (const auto& r : sent.reminders()) {
    EXPECT_NE(r.unit(), "10525");
    if (r.kind() == "escalation") {
      ++escalations;
      ASSERT_EQ(r.missing_size(), 1);
      EXPECT_THAT(r.missing(0), HasSubstr("10532"));
    }
  }
  EXPECT_EQ(escalations, 3);  // in-band, e-mail, webhook

  // The in-band escalation and digests reach the node's own secretariat: its
  // default list (what it received) shows them.
  list.set_sent(false);
  v1::ReminderList received;
  ASSERT_TRUE(
      node_->Reporting()->ListReminders(Context().get(), list, &received).ok());
  int own_escalations = 0, own_digests = 0;
  for (const auto& r : received.reminders()) {
    EXPECT_EQ(r.unit(), "31") << r.id();
    EXPECT_EQ(r.channel(), "inband") << r.id();
    own_escalations += r.kind() == "escalation";
    own_digests += r.kind() == "digest";
  }
  EXPECT_EQ(own_escalations, 1);
  EXPECT_GE(own_digests, 1);
}

// Moves the simulated clock of `node` to `t` (RFC 3339).
void SetNodeClock(NodeProcess& node, const std::string& t) {
  v1::SetClockRequest request;
  request.mutable_time()->set_seconds(absl::ToUnixSeconds(*ParseRfc3339(t)));
  v1::SetClockResponse response;
  ASSERT_TRUE(node.Admin()->SetClock(Context().get(), request, &response).ok());
}

// The e-mail reminders `node` planned, by "step unit".
std::map<std::string, v1::Reminder> SentEmails(NodeProcess& node) {
  v1::ListRemindersRequest request;
  request.set_sent(true);
  v1::ReminderList list;
  EXPECT_TRUE(
      node.Reporting()->ListReminders(Context().get(), request, &list).ok());
  std::map<std::string, v1::Reminder> out;
  for (const v1::Reminder& r : list.reminders()) {
    if (r.channel() == "email") out[absl::StrCat(r.step(), " ", r.unit())] = r;
  }
  return out;
}

// Refuses "gone*" recipients with 550 and keeps the recipients of every
// message it takes, one line per message, in accepted.txt beside itself.
constexpr char kGoneHandler[] = R"(
import os

class Gone:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("gone"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(os.path.dirname(__file__), "accepted.txt")
        with open(path, "a") as f:
            f.write(" ".join(sorted(envelope.rcpt_tos)) + "\n")
        return "250 OK"
)";

TEST(RemindersRefusedTest,
     ARefusedAddressHoldsBackNoOneAndARefusalForGoodIsNotRetried) {
  TempDir dir;
  std::ofstream(dir.path() + "/gone.py") << kGoneHandler;
  SmtpServer smtp(dir.path(), FreePort(), {"gone.Gone"});
  ASSERT_TRUE(smtp.Start().ok()) << ReadFile(smtp.log_path());
  v1::NodeConfig config = HaiPhongCity({"10507", "10532"});
  auto* stale = config.mutable_channels()->add_contacts();
  stale->set_unit("10507");
  stale->add_emails("gone@10507.haiphong.gov.vn");  // left the office
  stale->add_emails("vanphong@10507.haiphong.gov.vn");
  auto* lost = config.mutable_channels()->add_contacts();
  lost->set_unit("10532");
  lost->add_emails("gone@10532.haiphong.gov.vn");
  config.mutable_channels()->set_smtp_url(smtp.url());
  config.mutable_channels()->set_smtp_from("tonghop@skhcn.haiphong.gov.vn");
  config.mutable_reminders()->set_max_retry_seconds(1);
  auto node = NodeProcess::Start(dir.path() + "/city", config);
  ASSERT_TRUE(node.ok()) << node.status();

  // 13 March, 08:00: "5 days before" to both wards, neither has reported.
  ASSERT_NO_FATAL_FAILURE(SetNodeClock(**node, "2026-03-13T09:00:00+07:00"));
  auto email_of = [&](const std::string& unit) {
    return SentEmails(**node)["before-5 " + unit];
  };
  ASSERT_TRUE(WaitFor([&] {
    return email_of("10507").state() == v1::Reminder::STATE_SENT &&
           email_of("10532").state() == v1::Reminder::STATE_FAILED;
  })) << email_of("10507").ShortDebugString()
      << "\n"
      << email_of("10532").ShortDebugString();
  // Three times the longest backoff: a refusal for good is not tried again.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const v1::Reminder sent = email_of("10507");
  EXPECT_EQ(sent.attempts(), 1);
  ASSERT_EQ(sent.refused_size(), 1);
  EXPECT_THAT(sent.refused(0), HasSubstr("gone@10507.haiphong.gov.vn: 550"));
  const v1::Reminder failed = email_of("10532");
  EXPECT_EQ(failed.state(), v1::Reminder::STATE_FAILED);
  EXPECT_EQ(failed.attempts(), 1);
  EXPECT_THAT(failed.last_error(), HasSubstr("550"));
  ASSERT_EQ(failed.refused_size(), 1);
  EXPECT_THAT(
      failed.refused(0),
      HasSubstr("gone@10532.haiphong.gov.vn: 550 5.1.1 No such mailbox"));
  EXPECT_EQ(ReadFile(dir.path() + "/accepted.txt"),
            "vanphong@10507.haiphong.gov.vn\n");
}

// A receiver down over several steps gets the current one when it returns,
// not each step that fell due meanwhile; a node whose clock passes both the
// escalation and a digest at once sends its secretariat the digest only.
TEST(RemindersCatchUpTest, AReceiverDownGetsOnlyTheCurrentStep) {
  TempDir dir;
  const std::string maildir = NewMaildir(dir.path());
  const int smtp_port = FreePort();
  SmtpServer smtp(dir.path(), smtp_port,
                  {"aiosmtpd.handlers.Mailbox", maildir});
  v1::NodeConfig config = HaiPhongCity({"10507"});
  for (const char* unit : {"10507", "31"}) {
    auto* contact = config.mutable_channels()->add_contacts();
    contact->set_unit(unit);
    contact->add_emails(absl::StrCat("vanphong@", unit, ".haiphong.gov.vn"));
  }
  config.mutable_channels()->set_smtp_url(smtp.url());  // not started yet
  config.mutable_channels()->set_smtp_from("tonghop@skhcn.haiphong.gov.vn");
  config.mutable_reminders()->set_max_retry_seconds(1);
  auto node = NodeProcess::Start(dir.path() + "/city", config);
  ASSERT_TRUE(node.ok()) << node.status();
  auto set_clock = [&](const std::string& t) { SetNodeClock(**node, t); };
  auto sent = [&]() {
    std::map<std::string, v1::Reminder::State> out;  // step unit -> state
    for (const auto& [key, r] : SentEmails(**node)) out[key] = r.state();
    return out;
  };
  // 13 March: "5 days before", the server down; 18 March: "2 days before".
  set_clock("2026-03-13T09:00:00+07:00");
  ASSERT_TRUE(WaitFor([&] { return sent().count("before-5 10507") > 0; }));
  set_clock("2026-03-18T09:00:00+07:00");
  ASSERT_TRUE(WaitFor([&] { return sent().count("before-2 10507") > 0; }));
  ASSERT_TRUE(smtp.Start().ok()) << ReadFile(smtp.log_path());
  ASSERT_TRUE(WaitFor(
      [&] { return sent()["before-2 10507"] == v1::Reminder::STATE_SENT; }));
  EXPECT_EQ(sent()["before-5 10507"], v1::Reminder::STATE_SUPERSEDED);
  EXPECT_EQ(Mails(maildir).size(), 1u);

  // From the 18th to the 25th at once: past the deadline (20th), the
  // escalation (23rd) and the first digests.
  set_clock("2026-03-25T09:00:00+07:00");
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& [key, state] : sent()) {
      if (absl::StartsWith(key, "digest") && state == v1::Reminder::STATE_SENT)
        return true;
    }
    return false;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int digests = 0;
  for (const auto& [key, state] : sent()) {
    EXPECT_FALSE(absl::StartsWith(key, "escalation")) << key;
    digests += absl::StartsWith(key, "digest");
  }
  EXPECT_EQ(digests, 1);
  // The audit log says which step took the escalation's place.
  v1::ListAuditRequest request;
  request.set_period("2026-03");
  v1::AuditLog log;
  ASSERT_TRUE(
      (*node)->Reporting()->ListAudit(Context().get(), request, &log).ok());
  int replacing = 0;
  for (const v1::AuditEntry& e : log.entries()) {
    if (absl::StartsWith(e.action(), "remind digest-") &&
        absl::StrContains(e.action(), ", replacing escalation")) {
      ++replacing;
    }
  }
  EXPECT_EQ(replacing, 1);
}

}  // namespace
}  // namespace tonghop::testing
