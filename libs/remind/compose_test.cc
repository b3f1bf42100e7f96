// Tests of the words of a reminder (Compose), the webhook's JSON document
// (ReminderJson) and the deadline's day (DueDayText).
#include "libs/remind/compose.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "libs/base/csv.h"
#include "libs/calendar/zone.h"
#include "tonghop/v1/remind.pb.h"

namespace tonghop {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kNode[] = "Thành phố Hải Phòng";
constexpr char kNodeCode[] = "31";
constexpr char kUnit[] = "11311";
constexpr char kUnitName[] = "Phường Hồng Bàng";
constexpr char kWindow[] = "2026-02-15..2026-03-14";
constexpr char kWindowText[] = "15/02/2026 đến 14/03/2026";
constexpr char kOwed1[] = "QD11-01 Tỉ lệ cán bộ, công chức có trình độ đại học";
constexpr char kOwed2[] = "QD11-07 Số doanh nghiệp khoa học và công nghệ";

absl::Time T(const std::string& rfc3339) {
  absl::StatusOr<absl::Time> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339 << ": " << t.status();
  return t.ok() ? *t : absl::InfinitePast();
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

class ComposeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<absl::TimeZone> zone = VietnamZone();
    ASSERT_TRUE(zone.ok()) << zone.status();
    zone_ = *zone;
  }

  // A unit's reminder for period 2026-03, deadline "before 20/03/2026".
  v1::Reminder UnitReminder(const std::string& step, const std::string& kind,
                            const std::string& at) const {
    v1::Reminder r;
    r.set_id(absl::StrCat("2026-03.", step, ".", kUnit, ".email"));
    r.set_node(kNodeCode);
    r.set_period("2026-03");
    r.set_step(step);
    r.set_kind(kind);
    r.set_unit(kUnit);
    r.set_unit_name(kUnitName);
    r.set_channel("email");
    *r.mutable_deadline() = ToProto(T("2026-03-20T00:00:00+07:00"));
    *r.mutable_due_time() = ToProto(T(at));
    r.add_emails("vanthu@honghang.haiphong.gov.vn");
    r.add_emails("ketoan.hb@gmail.com");
    return r;
  }

  // The node's own escalation or digest, listing the units still missing.
  v1::Reminder SecretariatReminder(const std::string& step,
                                   const std::string& kind,
                                   const std::string& at) const {
    v1::Reminder r = UnitReminder(step, kind, at);
    r.set_id(absl::StrCat("2026-03.", step, ".", kNodeCode, ".email"));
    r.set_unit(kNodeCode);
    r.set_unit_name(kNode);
    r.clear_emails();
    r.add_emails("vanphong@haiphong.gov.vn");
    r.add_missing("11311 Phường Hồng Bàng (chưa gửi)");
    r.add_missing("11320 Phường Ngô Quyền (tạm thời, chưa chốt)");
    r.add_missing("SKHCN Sở Khoa học và Công nghệ (chưa gửi)");
    return r;
  }

  ComposeInput Input(const std::string& now, int64_t revision) const {
    ComposeInput in;
    in.node_name = kNode;
    in.window = kWindow;
    in.now = T(now);
    in.zone = zone_;
    in.owed = {kOwed1, kOwed2};
    in.revision = revision;
    return in;
  }

  // What every message carries: valid UTF-8, a one-line subject naming the
  // period and the deadline day, and a body naming the period, the deadline
  // day, the data window and the reminder's id.
  static void ExpectCommon(const v1::Reminder& r) {
    EXPECT_TRUE(IsValidUtf8(r.subject())) << r.subject();
    EXPECT_TRUE(IsValidUtf8(r.body())) << r.body();
    EXPECT_THAT(r.subject(), Not(HasSubstr("\n")));
    EXPECT_THAT(r.subject(), Not(HasSubstr("\r")));
    // The period as an official writes it, not its label.
    EXPECT_THAT(r.subject(), HasSubstr("tháng 3/2026"));
    EXPECT_THAT(r.subject(), Not(HasSubstr("2026-03")));
    EXPECT_THAT(r.subject(), HasSubstr("20/03/2026"));
    EXPECT_THAT(r.body(), HasSubstr("tháng 3/2026"));
    EXPECT_THAT(r.body(), HasSubstr("20/03/2026"));
    EXPECT_THAT(r.body(), HasSubstr(kWindowText));
    EXPECT_THAT(r.body(), HasSubstr(r.id()));
    EXPECT_THAT(r.body(), HasSubstr(kNode));
    // Never the ISO texts where the Vietnamese dates belong.
    EXPECT_THAT(r.body(), Not(HasSubstr(kWindow)));
    EXPECT_THAT(r.body(), Not(HasSubstr("2026-03-20")));
    // The addresses are for the envelope, not the words.
    EXPECT_THAT(r.body(), Not(HasSubstr("@")));
  }

  // A unit's message: its name in the subject, its name and code in the body,
  // and each indicator it still owes.
  static void ExpectToUnit(const v1::Reminder& r) {
    ExpectCommon(r);
    EXPECT_THAT(r.subject(), HasSubstr(kUnitName));
    EXPECT_THAT(r.subject(), HasSubstr("báo cáo tháng 3/2026"));
    EXPECT_THAT(r.body(), HasSubstr(kUnitName));
    EXPECT_THAT(r.body(), HasSubstr(kUnit));
    EXPECT_THAT(r.body(), HasSubstr(kOwed1));
    EXPECT_THAT(r.body(), HasSubstr(kOwed2));
  }

  absl::TimeZone zone_;
};

TEST_F(ComposeTest, ReminderNothingSubmitted) {
  v1::Reminder r =
      UnitReminder("before-5", "reminder", "2026-03-13T08:00:00+07:00");
  Compose(Input("2026-03-13T08:00:05+07:00", /*revision=*/0), r);
  ExpectToUnit(r);
  EXPECT_THAT(r.subject(), HasSubstr("Nhắc gửi báo cáo"));
  EXPECT_THAT(r.body(), HasSubstr("chưa gửi báo cáo"));
  EXPECT_THAT(r.body(), HasSubstr("trước ngày 20/03/2026"));
  EXPECT_THAT(r.body(), HasSubstr("đúng hạn"));
  // Not the words of a late or provisional report.
  EXPECT_THAT(r.subject(), Not(HasSubstr("Quá hạn")));
  EXPECT_THAT(r.body(), Not(HasSubstr("đã qua")));
  EXPECT_THAT(r.body(), Not(HasSubstr("tạm thời")));
  EXPECT_THAT(r.body(), Not(HasSubstr("chốt")));
  // The other fields are left alone.
  EXPECT_EQ(r.step(), "before-5");
  EXPECT_EQ(r.emails_size(), 2);
}

TEST_F(ComposeTest, ReminderProvisionalAsksToFinalise) {
  v1::Reminder r =
      UnitReminder("before-1", "reminder", "2026-03-19T08:00:00+07:00");
  Compose(Input("2026-03-19T08:00:00+07:00", /*revision=*/2), r);
  ExpectToUnit(r);
  EXPECT_THAT(r.subject(), HasSubstr("chốt báo cáo"));
  EXPECT_THAT(r.subject(), Not(HasSubstr("gửi báo cáo")));
  EXPECT_THAT(r.body(), HasSubstr("tạm thời"));
  EXPECT_THAT(r.body(), HasSubstr("phiên bản 2"));
  EXPECT_THAT(r.body(), HasSubstr("chưa chốt báo cáo"));
  EXPECT_THAT(r.body(), HasSubstr("chốt báo cáo đúng hạn"));
  EXPECT_THAT(r.body(), Not(HasSubstr("chưa gửi báo cáo")));
}

TEST_F(ComposeTest, Overdue) {
  v1::Reminder r =
      UnitReminder("overdue-0", "overdue", "2026-03-20T08:00:00+07:00");
  Compose(Input("2026-03-20T08:00:00+07:00", /*revision=*/0), r);
  ExpectToUnit(r);
  EXPECT_THAT(r.subject(), HasSubstr("Quá hạn"));
  EXPECT_THAT(r.body(), HasSubstr("(trước ngày 20/03/2026) đã qua"));
  EXPECT_THAT(r.body(), HasSubstr("ngay"));
  EXPECT_THAT(r.body(), Not(HasSubstr("đúng hạn")));
}

TEST_F(ComposeTest, OverdueProvisional) {
  v1::Reminder r =
      UnitReminder("overdue-2", "overdue", "2026-03-23T08:00:00+07:00");
  Compose(Input("2026-03-23T08:00:00+07:00", /*revision=*/1), r);
  ExpectToUnit(r);
  EXPECT_THAT(r.subject(), HasSubstr("Quá hạn chốt báo cáo"));
  EXPECT_THAT(r.body(), HasSubstr("tạm thời"));
  EXPECT_THAT(r.body(), HasSubstr("đã qua"));
}

TEST_F(ComposeTest, NothingOwedListsNoIndicators) {
  v1::Reminder r =
      UnitReminder("before-2", "reminder", "2026-03-18T08:00:00+07:00");
  ComposeInput in = Input("2026-03-18T08:00:00+07:00", 0);
  in.owed.clear();
  Compose(in, r);
  EXPECT_THAT(r.body(), Not(HasSubstr("Các chỉ tiêu còn thiếu")));
  EXPECT_THAT(r.body(), HasSubstr(r.id()));
}

TEST_F(ComposeTest, Escalation) {
  v1::Reminder r = SecretariatReminder("escalation", "escalation",
                                       "2026-03-23T08:00:00+07:00");
  Compose(Input("2026-03-23T08:00:00+07:00", 0), r);
  ExpectCommon(r);
  EXPECT_THAT(r.subject(), HasSubstr("Báo cáo chậm"));
  EXPECT_THAT(r.subject(), HasSubstr("3 đơn vị"));
  // Every missing unit, by code and name, with its state.
  for (const std::string& m : r.missing()) {
    EXPECT_THAT(r.body(), HasSubstr(m));
  }
  EXPECT_THAT(r.body(), HasSubstr("11311 Phường Hồng Bàng"));
  EXPECT_THAT(r.body(), HasSubstr("11320 Phường Ngô Quyền"));
  EXPECT_THAT(r.body(), HasSubstr("SKHCN Sở Khoa học và Công nghệ"));
  EXPECT_THAT(r.body(), HasSubstr("tạm thời, chưa chốt"));
  // Addressed to the node's own secretariat, as of now.
  EXPECT_THAT(r.body(),
              StartsWith(absl::StrCat("Kính gửi bộ phận tổng hợp báo cáo, ",
                                      kNode, " (", kNodeCode, "),\n")));
  EXPECT_THAT(r.body(), HasSubstr("08:00 ngày 23/03/2026"));
}

TEST_F(ComposeTest, Digest) {
  v1::Reminder r = SecretariatReminder("digest-2026-03-24", "digest",
                                       "2026-03-24T08:00:00+07:00");
  r.mutable_missing()->RemoveLast();
  Compose(Input("2026-03-24T08:00:00+07:00", 0), r);
  ExpectCommon(r);
  EXPECT_THAT(r.subject(), HasSubstr("Tổng hợp hằng ngày"));
  EXPECT_THAT(r.subject(), HasSubstr("2 đơn vị"));
  EXPECT_THAT(r.subject(), Not(HasSubstr("Báo cáo chậm")));
  EXPECT_THAT(r.body(), HasSubstr("11311 Phường Hồng Bàng (chưa gửi)"));
  EXPECT_THAT(r.body(),
              HasSubstr("11320 Phường Ngô Quyền (tạm thời, chưa chốt)"));
  EXPECT_THAT(r.body(), Not(HasSubstr("SKHCN")));
  EXPECT_THAT(r.body(), HasSubstr("08:00 ngày 24/03/2026"));
}

TEST_F(ComposeTest, TimesAreVietnamTimeWhateverTheInstantsZone) {
  // 01:00Z is 08:00 in Vietnam; the deadline 19 March 17:00Z is 20 March
  // 00:00 in Vietnam.
  v1::Reminder r = SecretariatReminder("digest-2026-03-25", "digest",
                                       "2026-03-25T01:00:00Z");
  *r.mutable_deadline() = ToProto(T("2026-03-19T17:00:00Z"));
  Compose(Input("2026-03-25T01:00:00Z", 0), r);
  EXPECT_THAT(r.subject(), HasSubstr("20/03/2026"));
  EXPECT_THAT(r.body(), HasSubstr("08:00 ngày 25/03/2026"));
  EXPECT_THAT(r.body(), Not(HasSubstr("19/03/2026")));
}

// ---------------------------------------------------------------------------
// ReminderJson

TEST_F(ComposeTest, JsonParsesBackWithoutTheAddresses) {
  v1::Reminder r =
      UnitReminder("before-5", "reminder", "2026-03-13T08:00:00+07:00");
  Compose(Input("2026-03-13T08:00:00+07:00", 0), r);
  r.set_state(v1::Reminder::STATE_PENDING);
  r.set_attempts(3);
  r.set_last_error("550 5.1.1 <vanthu@honghang.haiphong.gov.vn>: unknown");
  const std::string json = ReminderJson(r);
  EXPECT_TRUE(IsValidUtf8(json));

  v1::Reminder back;
  auto status = google::protobuf::util::JsonStringToMessage(json, &back);
  ASSERT_TRUE(status.ok()) << status << "\n" << json;
  EXPECT_EQ(back.id(), "2026-03.before-5.11311.email");
  EXPECT_EQ(back.node(), kNodeCode);
  EXPECT_EQ(back.period(), "2026-03");
  EXPECT_EQ(back.unit(), kUnit);
  EXPECT_EQ(back.unit_name(), kUnitName);
  EXPECT_EQ(back.step(), "before-5");
  EXPECT_EQ(back.kind(), "reminder");
  EXPECT_EQ(back.channel(), "email");
  EXPECT_EQ(back.subject(), r.subject());
  EXPECT_EQ(back.body(), r.body());
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(back.deadline()),
            absl::ToUnixNanos(T("2026-03-20T00:00:00+07:00")));
  EXPECT_EQ(TimeUtil::TimestampToNanoseconds(back.due_time()),
            absl::ToUnixNanos(T("2026-03-13T08:00:00+07:00")));

  // No address, anywhere in the document.
  EXPECT_THAT(back.emails(), IsEmpty());
  EXPECT_THAT(json, Not(HasSubstr("@")));
  EXPECT_THAT(json, Not(HasSubstr("vanthu")));
  EXPECT_THAT(json, Not(HasSubstr("ketoan.hb")));
  EXPECT_THAT(back.last_error(), IsEmpty());
  // Nor the delivery's bookkeeping.
  EXPECT_THAT(json, Not(HasSubstr("\"state\"")));
  EXPECT_THAT(json, Not(HasSubstr("\"attempts\"")));
  EXPECT_THAT(json, Not(HasSubstr("STATE_")));

  // camelCase names and RFC 3339 times.
  EXPECT_THAT(json, HasSubstr("\"unitName\""));
  EXPECT_THAT(json, HasSubstr("\"dueTime\""));
  // In Vietnam time: the deadline's own day, not the UTC evening before.
  EXPECT_THAT(json, HasSubstr("\"deadline\":\"2026-03-20T00:00:00+07:00\""));
  EXPECT_THAT(json, HasSubstr("\"dueTime\":\"2026-03-13T08:00:00+07:00\""));
  EXPECT_THAT(json, Not(HasSubstr("2026-03-19T17:00:00Z")));

  // The reminder itself is not changed.
  EXPECT_EQ(r.emails_size(), 2);
}

TEST_F(ComposeTest, JsonOfAnEscalationCarriesTheMissingList) {
  v1::Reminder r = SecretariatReminder("escalation", "escalation",
                                       "2026-03-23T08:00:00+07:00");
  Compose(Input("2026-03-23T08:00:00+07:00", 0), r);
  const std::string json = ReminderJson(r);
  v1::Reminder back;
  auto status = google::protobuf::util::JsonStringToMessage(json, &back);
  ASSERT_TRUE(status.ok()) << status << "\n" << json;
  EXPECT_EQ(back.kind(), "escalation");
  EXPECT_EQ(back.step(), "escalation");
  EXPECT_EQ(back.unit(), kNodeCode);
  ASSERT_EQ(back.missing_size(), 3);
  EXPECT_EQ(back.missing(1), "11320 Phường Ngô Quyền (tạm thời, chưa chốt)");
  EXPECT_THAT(back.emails(), IsEmpty());
  EXPECT_THAT(json, Not(HasSubstr("@")));
}

// ---------------------------------------------------------------------------
// DueDayText

TEST_F(ComposeTest, DueDayTextNamesTheFirstLateDay) {
  EXPECT_EQ(DueDayText(T("2026-03-20T00:00:00+07:00"), zone_), "20/03/2026");
  EXPECT_EQ(DueDayText(T("2026-03-19T17:00:00Z"), zone_), "20/03/2026");
  EXPECT_EQ(DueDayText(T("2026-02-20T00:00:00+07:00"), zone_), "20/02/2026");
  EXPECT_EQ(DueDayText(T("2026-01-15T00:00:00+07:00"), zone_), "15/01/2026");
  EXPECT_EQ(DueDayText(T("2027-01-01T00:00:00+07:00"), zone_), "01/01/2027");
  EXPECT_EQ(DueDayText(T("2026-12-01T00:00:00+07:00"), zone_), "01/12/2026");
}

}  // namespace
}  // namespace tonghop
