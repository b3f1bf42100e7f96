// The outputs of remind --preview and reminders.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/render_reminders.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t k20260310T01Z = 1773104400;  // Tue 2026-03-10 08:00 +07:00
constexpr int64_t kDay = 86400;
constexpr int64_t kDue = 1773939600;  // 2026-03-20T00:00:00+07:00

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

v1::Reminder Reminder(const std::string& step, const std::string& kind,
                      const std::string& unit, const std::string& name,
                      const std::string& channel, int64_t due_time) {
  v1::Reminder r;
  r.set_id(absl::StrCat("2026-03.", step, ".", unit, ".", channel));
  r.set_node("31");
  r.set_period("2026-03");
  r.set_step(step);
  r.set_kind(kind);
  r.set_unit(unit);
  r.set_unit_name(name);
  r.set_channel(channel);
  *r.mutable_deadline() = At(kDue);
  *r.mutable_due_time() = At(due_time);
  return r;
}

// What a city node previews for March: a reminder to a ward through two
// channels, an overdue one, and the escalation to its own secretariat.
v1::ReminderList Preview() {
  v1::ReminderList list;
  *list.add_reminders() =
      Reminder("before-5", "reminder", "10525", "Phường Hồng Bàng", "inband",
               k20260310T01Z + 3 * kDay);
  *list.add_reminders() =
      Reminder("before-5", "reminder", "10525", "Phường Hồng Bàng", "webhook1",
               k20260310T01Z + 3 * kDay);
  *list.add_reminders() =
      Reminder("overdue-0", "overdue", "10507", "Phường Ngô Quyền", "email",
               kDue + 8 * 3600);
  v1::Reminder escalation =
      Reminder("escalation", "escalation", "31", "Thành phố Hải Phòng", "email",
               kDue + 8 * 3600 + 3 * kDay);
  escalation.add_missing("10507 Phường Ngô Quyền (chưa gửi)");
  escalation.add_missing("10525 Phường Hồng Bàng (tạm thời, chưa chốt)");
  *list.add_reminders() = escalation;
  return list;
}

// The same reminders after they went out.
v1::ReminderList Sent() {
  v1::ReminderList list = Preview();
  v1::Reminder* inband = list.mutable_reminders(0);
  inband->set_state(v1::Reminder::STATE_SENT);
  *inband->mutable_sent_time() = At(k20260310T01Z + 3 * kDay + 5);
  inband->set_subject("[tonghop] Nhắc gửi báo cáo kỳ 2026-03");
  inband->set_body("Kính gửi Phường Hồng Bàng (10525),\n\nĐơn vị chưa gửi.\n");
  v1::Reminder* webhook = list.mutable_reminders(1);
  webhook->set_state(v1::Reminder::STATE_PENDING);
  webhook->set_attempts(3);
  webhook->set_last_error("UNAVAILABLE: connect, refused");
  list.mutable_reminders(2)->set_state(v1::Reminder::STATE_SKIPPED);
  v1::Reminder* escalation = list.mutable_reminders(3);
  escalation->set_state(v1::Reminder::STATE_SENT);
  escalation->set_attempts(1);
  escalation->add_emails("vanphong@haiphong.gov.vn");
  escalation->add_emails("cu@haiphong.gov.vn");
  escalation->add_refused("cu@haiphong.gov.vn: 550 5.1.1 No such mailbox");
  *escalation->mutable_sent_time() = At(kDue + 8 * 3600 + 3 * kDay + 2);
  return list;
}

int ColumnOf(absl::string_view line, absl::string_view needle) {
  size_t at = line.find(needle);
  if (at == absl::string_view::npos) return -1;
  return DisplayWidth(line.substr(0, at));
}

TEST(RemindersRenderTest, WeekdayTimeInVietnam) {
  const std::vector<std::string> expected = {
      "T3 10/03/2026 08:00", "T4 11/03/2026 08:00", "T5 12/03/2026 08:00",
      "T6 13/03/2026 08:00", "T7 14/03/2026 08:00", "CN 15/03/2026 08:00",
      "T2 16/03/2026 08:00"};
  for (int d = 0; d < 7; ++d) {
    EXPECT_EQ(WeekdayTime(At(k20260310T01Z + d * kDay)), expected[d]);
  }
  // 17:30 UTC on Sunday is already Monday in Vietnam.
  EXPECT_EQ(WeekdayTime(At(k20260310T01Z + 5 * kDay + 16 * 3600 + 1800)),
            "T2 16/03/2026 00:30");
  EXPECT_EQ(WeekdayTime(At(k20260310T01Z + 59)), "T3 10/03/2026 08:00");
  EXPECT_EQ(WeekdayTime(At(k20260310T01Z), false), "—");
}

TEST(RemindersRenderTest, KindAndStateNames) {
  EXPECT_EQ(ReminderKindLabelVi("reminder"), "nhắc");
  EXPECT_EQ(ReminderKindLabelVi("finalise"), "nhắc chốt");
  EXPECT_EQ(ReminderKindLabelVi("overdue"), "quá hạn");
  EXPECT_EQ(ReminderKindLabelVi("escalation"), "báo cáo chậm (văn phòng)");
  EXPECT_EQ(ReminderKindLabelVi("digest"), "tổng hợp hằng ngày");
  EXPECT_EQ(ReminderKindLabelVi("other"), "other");
  EXPECT_EQ(ReminderKindLabelVi(""), "—");
  EXPECT_EQ(ReminderStateName(v1::Reminder::STATE_PENDING), "pending");
  EXPECT_EQ(ReminderStateName(v1::Reminder::STATE_SENT), "sent");
  EXPECT_EQ(ReminderStateName(v1::Reminder::STATE_SKIPPED), "skipped");
  EXPECT_EQ(ReminderStateName(v1::Reminder::STATE_FAILED), "failed");
  EXPECT_EQ(ReminderStateName(v1::Reminder::STATE_SUPERSEDED), "superseded");
  EXPECT_EQ(ReminderStateLabelVi(v1::Reminder::STATE_SUPERSEDED),
            "bỏ qua (đã có lời nhắc mới hơn)");
  EXPECT_EQ(ReminderStateName(v1::Reminder::STATE_UNSPECIFIED), "");
  EXPECT_EQ(ReminderStateLabelVi(v1::Reminder::STATE_PENDING), "đang chờ gửi");
  EXPECT_EQ(ReminderStateLabelVi(v1::Reminder::STATE_SENT), "đã gửi");
  EXPECT_EQ(ReminderStateLabelVi(v1::Reminder::STATE_SKIPPED),
            "bỏ qua (đã chốt)");
  EXPECT_EQ(ReminderStateLabelVi(v1::Reminder::STATE_FAILED),
            "không gửi được (bị từ chối)");
  EXPECT_EQ(ReminderStateLabelVi(v1::Reminder::STATE_UNSPECIFIED), "—");
}

TEST(RemindersRenderTest, Csv) {
  EXPECT_EQ(RemindersCsv(v1::ReminderList()),
            "id,period,step,kind,unit,unit_name,channel,state,due_time,"
            "sent_time,attempts,last_error,missing,refused\n");
  std::vector<std::string> lines = absl::StrSplit(RemindersCsv(Sent()), '\n');
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[1],
            "2026-03.before-5.10525.inband,2026-03,before-5,reminder,10525,"
            "Phường Hồng Bàng,inband,sent,2026-03-13T08:00:00+07:00,"
            "2026-03-13T08:00:05+07:00,0,,,");
  EXPECT_EQ(lines[2],
            "2026-03.before-5.10525.webhook1,2026-03,before-5,reminder,10525,"
            "Phường Hồng Bàng,webhook1,pending,2026-03-13T08:00:00+07:00,,3,"
            "\"UNAVAILABLE: connect, refused\",,");
  EXPECT_THAT(lines[3], HasSubstr(",overdue,10507,Phường Ngô Quyền,email,"
                                  "skipped,2026-03-20T08:00:00+07:00,,0,,"));
  EXPECT_EQ(lines[4],
            "2026-03.escalation.31.email,2026-03,escalation,escalation,31,"
            "Thành phố Hải Phòng,email,sent,2026-03-23T08:00:00+07:00,"
            "2026-03-23T08:00:02+07:00,1,,\"10507 Phường Ngô Quyền (chưa gửi); "
            "10525 Phường Hồng Bàng (tạm thời, chưa chốt)\","
            "cu@haiphong.gov.vn: 550 5.1.1 No such mailbox");
  EXPECT_EQ(lines[5], "");
  // A preview's reminders have no state.
  EXPECT_THAT(RemindersCsv(Preview()),
              HasSubstr(",inband,,2026-03-13T08:00:00+07:00,,0,,,\n"));
}

TEST(RemindersRenderTest, PreviewTable) {
  std::string table = RemindPreviewTable("2026-03", Preview());
  std::vector<std::string> lines = absl::StrSplit(table, '\n');
  ASSERT_EQ(lines.size(), 11u) << table;
  EXPECT_EQ(lines[0],
            "Lời nhắc dự kiến — kỳ 2026-03 (xem trước: không gửi gì; nút tự "
            "gửi khi đến hạn)");
  EXPECT_EQ(lines[1], "Hạn nộp của đơn vị trực thuộc: trước ngày 20/03/2026");
  EXPECT_EQ(lines[2], "");
  EXPECT_THAT(lines[3], StartsWith("Thời điểm            Bước        Loại"));
  EXPECT_THAT(lines[3], EndsWith("Kênh      Số đơn vị chưa chốt"));
  EXPECT_EQ(lines[5],
            "T6 13/03/2026 08:00  before-5    nhắc                      "
            "10525  Phường Hồng Bàng     inband");
  EXPECT_THAT(lines[6], HasSubstr("  webhook1"));
  EXPECT_THAT(lines[7], StartsWith("T6 20/03/2026 08:00  overdue-0   quá hạn"));
  EXPECT_EQ(lines[8],
            "T2 23/03/2026 08:00  escalation  báo cáo chậm (văn phòng)  "
            "31     Thành phố Hải Phòng  email                       2");
  EXPECT_EQ(ColumnOf(lines[3], "Mã"), ColumnOf(lines[8], "31"));
  EXPECT_EQ(lines[9], "(4 lời nhắc)");
  EXPECT_EQ(lines[10], "");
}

TEST(RemindersRenderTest, EmptyPreview) {
  EXPECT_EQ(RemindPreviewTable("2026-03", v1::ReminderList()),
            "Lời nhắc dự kiến — kỳ 2026-03 (xem trước: không gửi gì; nút tự "
            "gửi khi đến hạn)\n\nKhông có lời nhắc nào.\n");
}

TEST(RemindersRenderTest, SentTable) {
  std::string table = RemindersTable(Sent(), "2026-03", true, false);
  std::vector<std::string> lines = absl::StrSplit(table, '\n');
  ASSERT_EQ(lines.size(), 13u) << table;
  EXPECT_EQ(lines[0], "Lời nhắc nút đã lập và gửi — kỳ 2026-03");
  EXPECT_THAT(lines[2], StartsWith("Đến hạn              Bước"));
  EXPECT_THAT(lines[2], EndsWith("Kênh      Trạng thái        Gửi lúc"));
  EXPECT_THAT(lines[4], EndsWith("inband    đã gửi            "
                                 "T6 13/03/2026 08:00"));
  EXPECT_THAT(lines[5], EndsWith("webhook1  đang chờ gửi      —"));
  EXPECT_THAT(lines[6], EndsWith("email     bỏ qua (đã chốt)  —"));
  EXPECT_THAT(lines[7], EndsWith("email     đã gửi            "
                                 "T2 23/03/2026 08:00"));
  // The sent time (the due time's twin) lines up with its header.
  EXPECT_EQ(ColumnOf(lines[2], "Gửi lúc"),
            DisplayWidth(lines[4]) - DisplayWidth("T6 13/03/2026 08:00"));
  EXPECT_EQ(lines[8],
            "(4 lời nhắc: 2 đã gửi, 1 đang chờ gửi, 1 bỏ qua (đã chốt))");
  EXPECT_EQ(lines[9], "Lỗi gửi:");
  EXPECT_EQ(lines[10],
            "  2026-03.before-5.10525.webhook1: 3 lần thử; lỗi gần nhất: "
            "UNAVAILABLE: connect, refused");
  EXPECT_EQ(lines[11],
            "  2026-03.escalation.31.email: đã gửi, trừ địa chỉ bị từ chối: "
            "cu@haiphong.gov.vn: 550 5.1.1 No such mailbox");
  EXPECT_THAT(table, Not(HasSubstr("Tiêu đề")));

  // Refused for good: not tried again, and counted apart.
  v1::ReminderList refused = Sent();
  refused.mutable_reminders(1)->set_state(v1::Reminder::STATE_FAILED);
  refused.mutable_reminders(1)->set_last_error(
      "FAILED_PRECONDITION: webhook: HTTP 404");
  const std::string failed = RemindersTable(refused, "2026-03", true, false);
  EXPECT_THAT(failed, HasSubstr("webhook1  không gửi được (bị từ chối)"));
  EXPECT_THAT(failed, HasSubstr("(4 lời nhắc: 2 đã gửi, 1 không gửi được (bị "
                                "từ chối), 1 bỏ qua (đã chốt))"));
  EXPECT_THAT(failed, HasSubstr("lỗi gần nhất: FAILED_PRECONDITION: webhook: "
                                "HTTP 404"));

  // Sent after failures: how many attempts it took stays visible.
  v1::ReminderList retried = Sent();
  retried.mutable_reminders(3)->set_attempts(4);
  EXPECT_THAT(
      RemindersTable(retried, "2026-03", true, false),
      HasSubstr("email     đã gửi (sau 4 lần thử)  T2 23/03/2026 08:00"));
}

TEST(RemindersRenderTest, ReceivedTableAndEmpty) {
  v1::ReminderList list;
  v1::Reminder r = Reminder("before-5", "reminder", "31", "Thành phố Hải Phòng",
                            "inband", k20260310T01Z + 3 * kDay);
  r.set_node("VN");
  r.set_state(v1::Reminder::STATE_SENT);
  *r.mutable_sent_time() = At(k20260310T01Z + 3 * kDay);
  *list.add_reminders() = r;
  std::string table = RemindersTable(list, "", false, false);
  EXPECT_THAT(table, StartsWith("Lời nhắc gửi đến nút này — mọi kỳ\n\n"));
  EXPECT_THAT(table, HasSubstr("31  Thành phố Hải Phòng  inband  đã gửi"));
  EXPECT_THAT(table, EndsWith("\n(1 lời nhắc)\n"));
  // Of every period, each row names its period: the same step of a month and
  // of its quarter are two rows that differ there.
  EXPECT_THAT(table, StartsWith("Lời nhắc gửi đến nút này — mọi kỳ\n\nKỳ "));
  v1::Reminder quarter = r;
  quarter.set_period("2026-Q1");
  *list.add_reminders() = quarter;
  table = RemindersTable(list, "", false, false);
  EXPECT_THAT(table, HasSubstr("\n2026-03  "));
  EXPECT_THAT(table, HasSubstr("\n2026-Q1  "));
  // Of one period, the title names it and the rows do not.
  EXPECT_THAT(RemindersTable(list, "2026-03", false, false),
              Not(HasSubstr("\nKỳ ")));
  EXPECT_EQ(RemindersTable(v1::ReminderList(), "2026-03", false, true),
            "Lời nhắc gửi đến nút này — kỳ 2026-03\n\nKhông có lời nhắc "
            "nào.\n");
  EXPECT_EQ(RemindersTable(v1::ReminderList(), "", true, false),
            "Lời nhắc nút đã lập và gửi — mọi kỳ\n\nKhông có lời nhắc nào.\n");
  // --full names the sender of what was received.
  EXPECT_THAT(RemindersTable(list, "", false, true),
              HasSubstr("\n  Từ nút: VN\n"));
}

TEST(RemindersRenderTest, FullTextShowsSubjectAndBody) {
  std::string table = RemindersTable(Sent(), "2026-03", true, true);
  EXPECT_THAT(table, HasSubstr("\nNội dung từng lời nhắc\n\n"
                               "[1/4] 2026-03.before-5.10525.inband\n"
                               "  T6 13/03/2026 08:00 — nhắc — 10525 Phường "
                               "Hồng Bàng — kênh inband — đã gửi\n"
                               "  Tiêu đề: [tonghop] Nhắc gửi báo cáo kỳ "
                               "2026-03\n"
                               "  Nội dung:\n"
                               "    Kính gửi Phường Hồng Bàng (10525),\n"
                               "\n"
                               "    Đơn vị chưa gửi.\n"
                               "\n[2/4] "));
  EXPECT_THAT(table, HasSubstr("  Tiêu đề: —\n  Nội dung: —\n"));
  EXPECT_THAT(table, HasSubstr("[4/4] 2026-03.escalation.31.email\n"
                               "  T2 23/03/2026 08:00 — báo cáo chậm (văn "
                               "phòng) — 31 Thành phố Hải Phòng — kênh email "
                               "— đã gửi\n"
                               "  Gửi tới: vanphong@haiphong.gov.vn, "
                               "cu@haiphong.gov.vn\n"));
  EXPECT_THAT(table, Not(HasSubstr("Từ nút")));  // sent: the node is this one
  EXPECT_THAT(table, EndsWith("  Nội dung: —\n"));
}

}  // namespace
}  // namespace tonghop::cli
