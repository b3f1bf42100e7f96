// The outputs of finalize, lock, status and laggards (render_status.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/calendar/zone.h"
#include "tools/cli/render.h"
#include "tools/cli/render_status.h"

namespace tonghop::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// An RFC 3339 instant as a proto timestamp.
google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  absl::Time t = ParseRfc3339(rfc3339).value();
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

absl::Time At(const std::string& rfc3339) {
  return ParseRfc3339(rfc3339).value();
}

v1::Rates Rates(int expected, int final_count, int on_time) {
  v1::Rates r;
  r.set_expected(expected);
  r.set_final(final_count);
  r.set_on_time(on_time);
  return r;
}

v1::UnitStatus* AddChild(v1::StatusReport* s, const std::string& unit,
                         const std::string& name, v1::ReportState state,
                         int64_t revision) {
  v1::UnitStatus* us = s->add_children();
  us->set_unit(unit);
  us->set_name(name);
  us->set_state(state);
  us->set_revision(revision);
  *us->mutable_due() = s->children_due();
  return us;
}

// Hải Phòng's secretariat on 17/03 at 21:00, before the children's deadline.
v1::StatusReport CityStatus() {
  v1::StatusReport s;
  s.set_unit("31");
  s.set_period("2026-03");
  s.set_window("2026-02-15..2026-03-14");
  *s.mutable_now() = Ts("2026-03-17T21:00:00+07:00");
  *s.mutable_children_due() = Ts("2026-03-20T00:00:00+07:00");
  v1::UnitStatus* self = s.mutable_self();
  self->set_unit("31");
  self->set_name("Thành phố Hải Phòng");
  self->set_state(v1::REPORT_STATE_PROVISIONAL);
  self->set_revision(5);
  *self->mutable_due() = Ts("2026-03-25T00:00:00+07:00");
  *self->mutable_leaves() = Rates(4, 1, 1);
  v1::UnitStatus* done = AddChild(&s, "10507", "Phường Hồng Bàng",
                                  v1::REPORT_STATE_FINAL_ON_TIME, 3);
  *done->mutable_finalized_time() = Ts("2026-03-15T09:00:00+07:00");
  *done->mutable_received_time() = Ts("2026-03-15T09:00:00+07:00");
  AddChild(&s, "31.SKHCN", "Sở Khoa học và Công nghệ",
           v1::REPORT_STATE_NOT_SUBMITTED, 0);
  v1::UnitStatus* draft =
      AddChild(&s, "10525", "Phường Lê Chân", v1::REPORT_STATE_PROVISIONAL, 2);
  *draft->mutable_updated_time() = Ts("2026-03-16T10:00:00+07:00");
  *draft->mutable_received_time() = Ts("2026-03-16T10:00:00+07:00");
  AddChild(&s, "10510", "Xã An Lão", v1::REPORT_STATE_NOT_SUBMITTED, 0);
  *s.mutable_direct() = Rates(4, 1, 1);
  *s.mutable_leaves() = Rates(4, 1, 1);
  return s;
}

// The central node on 27/03 at 09:30: Hải Phòng finalised late and revised
// later; Cần Thơ has sent nothing; the period was locked automatically.
v1::StatusReport CentralStatus() {
  v1::StatusReport s;
  s.set_unit("VN");
  s.set_period("2026-03");
  s.set_window("2026-02-15..2026-03-14");
  *s.mutable_now() = Ts("2026-03-27T09:30:00+07:00");
  *s.mutable_children_due() = Ts("2026-03-25T00:00:00+07:00");
  v1::UnitStatus* self = s.mutable_self();
  self->set_unit("VN");
  self->set_name("Ban Chỉ đạo của Chính phủ");
  self->set_state(v1::REPORT_STATE_FINAL_ON_TIME);
  self->set_revision(9);
  *self->mutable_finalized_time() = Ts("2026-03-27T09:00:00+07:00");
  *self->mutable_leaves() = Rates(221, 100, 90);
  v1::UnitStatus* hp =
      AddChild(&s, "31", "Thành phố Hải Phòng", v1::REPORT_STATE_FINAL_LATE, 7);
  hp->set_node(true);
  *hp->mutable_finalized_time() = Ts("2026-03-25T10:00:00+07:00");
  *hp->mutable_received_time() = Ts("2026-03-25T10:00:05+07:00");
  *hp->mutable_late_revision_time() = Ts("2026-03-26T08:00:00+07:00");
  *hp->mutable_late_revision_received_time() = Ts("2026-03-26T08:01:00+07:00");
  *hp->mutable_leaves() = Rates(118, 100, 90);
  v1::UnitStatus* ct = AddChild(&s, "92", "Thành phố Cần Thơ",
                                v1::REPORT_STATE_NOT_SUBMITTED, 0);
  ct->set_node(true);
  *ct->mutable_leaves() = Rates(103, 0, 0);
  *s.mutable_direct() = Rates(2, 1, 0);
  *s.mutable_leaves() = Rates(221, 100, 90);
  v1::LockRecord* lock = s.mutable_lock();
  lock->set_locked(true);
  lock->set_auto_lock_done(true);
  v1::LockEvent* event = lock->add_events();
  event->set_locked(true);
  event->set_actor("auto");
  *event->mutable_time() = Ts("2026-03-27T00:00:00+07:00");
  return s;
}

TEST(StatusRenderTest, StateNamesAndLabels) {
  EXPECT_EQ(ReportStateName(v1::REPORT_STATE_NOT_SUBMITTED), "not_submitted");
  EXPECT_EQ(ReportStateName(v1::REPORT_STATE_PROVISIONAL), "provisional");
  EXPECT_EQ(ReportStateName(v1::REPORT_STATE_FINAL_ON_TIME), "final_on_time");
  EXPECT_EQ(ReportStateName(v1::REPORT_STATE_FINAL_LATE), "final_late");
  EXPECT_EQ(ReportStateName(v1::REPORT_STATE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(ReportStateLabelVi(v1::REPORT_STATE_NOT_SUBMITTED), "chưa gửi");
  EXPECT_EQ(ReportStateLabelVi(v1::REPORT_STATE_PROVISIONAL),
            "tạm thời (chưa chốt)");
  EXPECT_EQ(ReportStateLabelVi(v1::REPORT_STATE_FINAL_ON_TIME),
            "đã chốt, đúng hạn");
  EXPECT_EQ(ReportStateLabelVi(v1::REPORT_STATE_FINAL_LATE),
            "đã chốt, trễ hạn");
  EXPECT_EQ(ReportStateLabelVi(v1::REPORT_STATE_UNSPECIFIED), "—");
  EXPECT_EQ(ReportStateName(v1::REPORT_STATE_NOT_EXPECTED), "not_expected");
  EXPECT_EQ(ReportStateLabelVi(v1::REPORT_STATE_NOT_EXPECTED),
            "không phải báo cáo kỳ này");
}

// A node that owes nothing for the period is told so, with no deadline.
TEST(StatusRenderTest, ANodeOwingNothingHasNoDeadlineLine) {
  v1::StatusReport s = CityStatus();
  s.mutable_self()->set_state(v1::REPORT_STATE_NOT_EXPECTED);
  s.mutable_self()->clear_due();
  s.mutable_self()->set_revision(0);
  s.mutable_self()->clear_finalized_time();
  const std::string table = StatusTable(s);
  EXPECT_THAT(table,
              HasSubstr("Báo cáo của đơn vị: không phải báo cáo kỳ này\n"));
  EXPECT_THAT(table, Not(HasSubstr("hạn nộp lên cấp trên")));
  EXPECT_THAT(table, Not(HasSubstr("Toàn quốc")));  // not the central node
  EXPECT_THAT(table, Not(HasSubstr("nút trung ương")));
}

TEST(StatusRenderTest, RatesAreExactAndRoundHalfUp) {
  EXPECT_EQ(PercentText(2, 3), "66.67%");
  EXPECT_EQ(PercentText(1, 3), "33.33%");
  EXPECT_EQ(PercentText(0, 0), "—");
  EXPECT_EQ(PercentText(0, 5), "0.00%");
  EXPECT_EQ(PercentText(5, 5), "100.00%");
  EXPECT_EQ(PercentText(1, 800), "0.13%");         // 0.125 -> up
  EXPECT_EQ(PercentText(1, 1600), "0.06%");        // 0.0625 -> down
  EXPECT_EQ(PercentText(19999, 25000), "80.00%");  // 79.996
  EXPECT_EQ(RateText(7, 10), "7/10 (70.00%)");
  EXPECT_EQ(RateText(2, 3), "2/3 (66.67%)");
  EXPECT_EQ(RateText(0, 0), "0/0 (—)");
}

TEST(StatusRenderTest, DeadlinePhraseRoundsDownAndTurnsAtTheDueInstant) {
  absl::Time due = At("2026-03-20T00:00:00+07:00");
  auto phrase = [&](absl::Duration before_due) {
    return DeadlinePhrase(due - before_due, due);
  };
  EXPECT_EQ(phrase(absl::Hours(51)), "còn 2 ngày 3 giờ");
  EXPECT_EQ(phrase(absl::Hours(52) - absl::Seconds(1)), "còn 2 ngày 3 giờ");
  EXPECT_EQ(phrase(absl::Hours(24)), "còn 1 ngày 0 giờ");
  EXPECT_EQ(phrase(absl::Hours(24) - absl::Seconds(1)), "còn 0 ngày 23 giờ");
  EXPECT_EQ(phrase(absl::Hours(1)), "còn 0 ngày 1 giờ");
  EXPECT_EQ(phrase(absl::Seconds(1)), "còn 0 ngày 0 giờ");
  EXPECT_EQ(phrase(absl::Nanoseconds(1)), "còn 0 ngày 0 giờ");
  EXPECT_EQ(phrase(absl::ZeroDuration()), "quá hạn 0 ngày 0 giờ");
  EXPECT_EQ(phrase(-absl::Seconds(1)), "quá hạn 0 ngày 0 giờ");
  EXPECT_EQ(phrase(-absl::Hours(1)), "quá hạn 0 ngày 1 giờ");
  EXPECT_EQ(phrase(-absl::Hours(28)), "quá hạn 1 ngày 4 giờ");
  EXPECT_EQ(phrase(-(absl::Hours(29) - absl::Seconds(1))),
            "quá hạn 1 ngày 4 giờ");
  EXPECT_EQ(phrase(-absl::Hours(24 * 40)), "quá hạn 40 ngày 0 giờ");
  EXPECT_EQ(DeadlinePhrase(due, absl::InfiniteFuture()), "—");
}

TEST(StatusRenderTest, TimesAndDeadlinesInVietnamTime) {
  EXPECT_EQ(ShortTime(Ts("2026-03-19T17:00:00Z")), "20/03/2026 00:00");
  EXPECT_EQ(ShortTime(Ts("2026-03-19T23:59:59+07:00")), "19/03/2026 23:59");
  EXPECT_EQ(ShortTime(Ts("2026-03-19T17:00:00Z"), false), "—");
  EXPECT_EQ(DueText(Ts("2026-03-20T00:00:00+07:00"), true),
            "trước ngày 20/03/2026");
  EXPECT_EQ(DueText(Ts("2026-03-20T00:00:00Z"), true),
            "trước 20/03/2026 07:00");
  EXPECT_EQ(DueText(Ts("2026-03-20T00:00:00+07:00"), false), "—");
  EXPECT_EQ(WindowText("2026-02-15..2026-03-14"), "15/02/2026–14/03/2026");
  EXPECT_EQ(WindowText(""), "—");
  EXPECT_EQ(WindowText("odd"), "odd");
}

TEST(StatusRenderTest, StatusCsvHasTheNodeFirstThenEachChild) {
  EXPECT_EQ(
      StatusCsv(CentralStatus()),
      "unit,name,state,revision,finalized_time,received_time,"
      "late_revision_time,due,leaves_expected,leaves_final,leaves_on_time\n"
      "VN,Ban Chỉ đạo của Chính phủ,final_on_time,9,"
      "2026-03-27T09:00:00+07:00,,,,221,100,90\n"
      "31,Thành phố Hải Phòng,final_late,7,2026-03-25T10:00:00+07:00,"
      "2026-03-25T10:00:05+07:00,2026-03-26T08:01:00+07:00,"
      "2026-03-25T00:00:00+07:00,118,100,90\n"
      "92,Thành phố Cần Thơ,not_submitted,0,,,,2026-03-25T00:00:00+07:00,"
      "103,0,0\n");
  std::vector<std::string> lines =
      absl::StrSplit(StatusCsv(CityStatus()), '\n');
  ASSERT_EQ(lines.size(), 7u);  // header, node, 4 children, ""
  EXPECT_EQ(lines[1],
            "31,Thành phố Hải Phòng,provisional,5,,,,"
            "2026-03-25T00:00:00+07:00,4,1,1");
  EXPECT_EQ(lines[2],
            "10507,Phường Hồng Bàng,final_on_time,3,2026-03-15T09:00:00+07:00,"
            "2026-03-15T09:00:00+07:00,,2026-03-20T00:00:00+07:00,,,");
  EXPECT_EQ(lines[3],
            "31.SKHCN,Sở Khoa học và Công nghệ,not_submitted,0,,,,"
            "2026-03-20T00:00:00+07:00,,,");
  EXPECT_EQ(lines[4],
            "10525,Phường Lê Chân,provisional,2,,2026-03-16T10:00:00+07:00,,"
            "2026-03-20T00:00:00+07:00,,,");
}

TEST(StatusRenderTest, CityStatusTable) {
  EXPECT_EQ(
      StatusTable(CityStatus()),
      "Tình hình báo cáo — đơn vị 31 (Thành phố Hải Phòng) — kỳ 2026-03\n"
      "Kỳ số liệu: 15/02/2026–14/03/2026\n"
      "Giờ của nút: 17/03/2026 21:00 (giờ Việt Nam)\n"
      "Hạn nộp của đơn vị trực thuộc: trước ngày 20/03/2026\n"
      "Khoá sổ: không khoá\n"
      "Báo cáo của đơn vị: tạm thời (chưa chốt), phiên bản 5; hạn nộp lên "
      "cấp trên: trước ngày 25/03/2026\n"
      "\n"
      "Mã        Tên                       Trạng thái            Phiên bản  "
      "Chốt lúc          Nhận lúc          Nộp/sửa muộn\n"
      "--------  ------------------------  --------------------  ---------  "
      "----------------  ----------------  ------------\n"
      "10507     Phường Hồng Bàng          đã chốt, đúng hạn             3  "
      "15/03/2026 09:00  15/03/2026 09:00\n"
      "31.SKHCN  Sở Khoa học và Công nghệ  chưa gửi                      —  "
      "—                 —\n"
      "10525     Phường Lê Chân            tạm thời (chưa chốt)          2  "
      "—                 16/03/2026 10:00\n"
      "10510     Xã An Lão                 chưa gửi                      —  "
      "—                 —\n"
      "\n"
      "Tỉ lệ              Báo cáo (đã chốt)      Đúng hạn\n"
      "-----------------  -----------------  ------------\n"
      "Đơn vị trực thuộc       1/4 (25.00%)  1/4 (25.00%)\n");
}

TEST(StatusRenderTest, CentralStatusTableShowsCityRatesAndNationalTotals) {
  std::string table = StatusTable(CentralStatus());
  EXPECT_THAT(table, HasSubstr("Khoá sổ: đang khoá (khoá tự động lúc "
                               "27/03/2026 00:00)\n"));
  EXPECT_THAT(table,
              HasSubstr("Báo cáo của đơn vị: đã chốt, phiên bản 9, chốt lúc "
                        "27/03/2026 09:00; hạn nộp lên cấp trên: — (nút trung "
                        "ương)\n"));
  std::vector<std::string> lines = absl::StrSplit(table, '\n');
  EXPECT_THAT(lines[7], HasSubstr("Cấp dưới đã chốt  Cấp dưới đúng hạn"));
  EXPECT_THAT(lines[9], HasSubstr("đã chốt, trễ hạn"));
  EXPECT_THAT(lines[9], HasSubstr("25/03/2026 10:00  25/03/2026 10:00  "
                                  "26/03/2026 08:01"));
  EXPECT_THAT(lines[9], testing::EndsWith("  100/118             90/118"));
  EXPECT_THAT(lines[10], testing::EndsWith("  0/103              0/103"));
  EXPECT_THAT(table, HasSubstr("Đơn vị trực thuộc              1/2 (50.00%)"
                               "      0/2 (0.00%)\n"));
  EXPECT_THAT(table, HasSubstr("Toàn quốc (cấp xã và sở)   100/221 (45.25%)  "
                               "90/221 (40.72%)\n"));
}

TEST(StatusRenderTest, LeafRatesOnlyWhenTheyDifferOrAtTheCentralNode) {
  v1::StatusReport s = CityStatus();
  EXPECT_THAT(StatusTable(s), Not(HasSubstr("Cấp xã và sở")));
  *s.mutable_leaves() = Rates(3, 2, 1);
  EXPECT_THAT(StatusTable(s), HasSubstr("Cấp xã và sở            2/3 (66.67%)  "
                                        "1/3 (33.33%)\n"));
  v1::StatusReport empty;
  empty.set_unit("10525");
  *empty.mutable_self()->mutable_due() = Ts("2026-03-20T00:00:00+07:00");
  *empty.mutable_children_due() = Ts("2026-03-15T00:00:00+07:00");
  std::string table = StatusTable(empty);
  EXPECT_THAT(table, HasSubstr("(không có đơn vị trực thuộc nào"));
  // No children's deadline where no child owes anything.
  EXPECT_THAT(table, HasSubstr("Hạn nộp của đơn vị trực thuộc: —\n"));
  EXPECT_THAT(table, HasSubstr("0/0 (—)"));
}

TEST(StatusRenderTest, LaggardsNotSubmittedFirstThenByCode) {
  v1::StatusReport s = CityStatus();
  std::vector<std::string> codes;
  for (const v1::UnitStatus* us : Laggards(s)) codes.push_back(us->unit());
  EXPECT_THAT(codes, ElementsAre("10510", "31.SKHCN", "10525"));
  EXPECT_EQ(
      LaggardsTable(s),
      "Đơn vị chưa chốt báo cáo — đơn vị 31 — kỳ 2026-03\n"
      "Giờ của nút: 17/03/2026 21:00 (giờ Việt Nam); hạn nộp của đơn vị trực "
      "thuộc: trước ngày 20/03/2026\n"
      "\n"
      "Mã        Tên                       Trạng thái            Phiên bản  "
      "Cập nhật          Thời hạn\n"
      "--------  ------------------------  --------------------  ---------  "
      "----------------  ----------------\n"
      "10510     Xã An Lão                 chưa gửi                      —  "
      "—                 còn 2 ngày 3 giờ\n"
      "31.SKHCN  Sở Khoa học và Công nghệ  chưa gửi                      —  "
      "—                 còn 2 ngày 3 giờ\n"
      "10525     Phường Lê Chân            tạm thời (chưa chốt)          2  "
      "16/03/2026 10:00  còn 2 ngày 3 giờ\n"
      "(3/4 đơn vị chưa chốt báo cáo)\n");
  EXPECT_EQ(LaggardsCsv(s),
            "unit,name,state,revision,updated_time,due,seconds_to_due,"
            "due_text\n"
            "10510,Xã An Lão,not_submitted,0,,2026-03-20T00:00:00+07:00,"
            "183600,còn 2 ngày 3 giờ\n"
            "31.SKHCN,Sở Khoa học và Công nghệ,not_submitted,0,,"
            "2026-03-20T00:00:00+07:00,183600,còn 2 ngày 3 giờ\n"
            "10525,Phường Lê Chân,provisional,2,2026-03-16T10:00:00+07:00,"
            "2026-03-20T00:00:00+07:00,183600,còn 2 ngày 3 giờ\n");
}

TEST(StatusRenderTest, LaggardsAfterTheDeadline) {
  v1::StatusReport s = CentralStatus();
  std::string table = LaggardsTable(s);
  EXPECT_THAT(table, HasSubstr("92  Thành phố Cần Thơ  chưa gửi"));
  EXPECT_THAT(table, HasSubstr("quá hạn 2 ngày 9 giờ\n"));
  EXPECT_THAT(table, HasSubstr("(1/2 đơn vị chưa chốt báo cáo)"));
  EXPECT_THAT(LaggardsCsv(s), HasSubstr(",-207000,quá hạn 2 ngày 9 giờ\n"));
}

TEST(StatusRenderTest, NoLaggards) {
  v1::StatusReport s = CityStatus();
  for (v1::UnitStatus& us : *s.mutable_children()) {
    us.set_state(v1::REPORT_STATE_FINAL_LATE);
  }
  EXPECT_THAT(
      LaggardsTable(s),
      testing::EndsWith(absl::StrCat(
          "\n\nTất cả ", s.children_size(), " đơn vị đã chốt báo cáo (",
          s.children_size(), " đơn vị chốt trễ hạn; xem lệnh status).\n")));
  for (v1::UnitStatus& us : *s.mutable_children()) {
    us.set_state(v1::REPORT_STATE_FINAL_ON_TIME);
  }
  EXPECT_THAT(LaggardsTable(s),
              testing::EndsWith(absl::StrCat("\n\nTất cả ", s.children_size(),
                                             " đơn vị đã chốt báo cáo.\n")));
  EXPECT_EQ(LaggardsCsv(s),
            "unit,name,state,revision,updated_time,due,seconds_to_due,"
            "due_text\n");
}

TEST(StatusRenderTest, FinalizeText) {
  v1::FinalizeRequest request;
  request.set_period("2026-03");
  v1::FinalizeResponse response;
  *response.mutable_finalized_time() = Ts("2026-03-18T09:00:00+07:00");
  *response.mutable_due() = Ts("2026-03-25T00:00:00+07:00");
  response.set_on_time(true);
  EXPECT_EQ(FinalizeText(request, response),
            "Kỳ 2026-03: đã chốt báo cáo tổng hợp của nút.\n"
            "Chốt lúc: 18/03/2026 09:00\n"
            "Hạn nộp: trước ngày 25/03/2026 (trễ hạn từ "
            "25/03/2026 00:00)\n"
            "Đánh giá: đúng hạn\n");
  request.set_unit("10525");
  response.set_on_time(false);
  response.set_already_final(true);
  *response.mutable_due() = Ts("2026-03-15T00:00:00+07:00");
  EXPECT_EQ(FinalizeText(request, response),
            "Kỳ 2026-03: báo cáo của đơn vị 10525 đã được chốt trước đó; "
            "không có gì thay đổi.\n"
            "Chốt lần đầu lúc: 18/03/2026 09:00\n"
            "Hạn nộp: trước ngày 15/03/2026 (trễ hạn từ "
            "15/03/2026 00:00)\n"
            "Đánh giá: trễ hạn\n");
  response.clear_due();  // the central node's own report
  EXPECT_THAT(
      FinalizeText(request, response),
      testing::EndsWith("Hạn nộp: — (không có hạn nộp lên cấp trên)\n"));
}

TEST(StatusRenderTest, LockText) {
  v1::LockRecord lock;
  EXPECT_EQ(LockText("2026-03", lock),
            "Kỳ 2026-03: không khoá\nLịch sử: (chưa có)\n");
  lock.set_locked(true);
  v1::LockEvent* event = lock.add_events();
  event->set_locked(true);
  event->set_actor("auto");
  *event->mutable_time() = Ts("2026-03-27T00:00:00+07:00");
  EXPECT_THAT(LockText("2026-03", lock),
              testing::StartsWith("Kỳ 2026-03: đang khoá (không nhận"));
  lock.set_locked(false);
  lock.set_auto_lock_done(true);
  event = lock.add_events();
  event->set_locked(false);
  event->set_actor("Nguyễn Văn A");
  *event->mutable_time() = Ts("2026-03-27T09:30:00+07:00");
  EXPECT_EQ(LockText("2026-03", lock),
            "Kỳ 2026-03: không khoá\n"
            "(đã qua lần khoá tự động: kỳ này không tự khoá lại)\n"
            "Lịch sử:\n"
            "  Thời điểm         Thao tác  Người thực hiện\n"
            "  ----------------  --------  ---------------\n"
            "  27/03/2026 00:00  khoá      tự động\n"
            "  27/03/2026 09:30  mở khoá   Nguyễn Văn A\n");
}

}  // namespace
}  // namespace tonghop::cli
