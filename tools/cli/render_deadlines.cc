// The outputs of finalize, lock/unlock and laggards.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/cli/render.h"
#include "tools/cli/render_status.h"
#include "tools/cli/text_output.h"

namespace tonghop::cli {
namespace {

std::string ActorText(absl::string_view actor) {
  if (actor == "auto") return "tự động";
  if (actor.empty()) return std::string(kNone);
  return std::string(actor);
}

// The first late instant of a laggard: its own due, else the children's.
const google::protobuf::Timestamp* DueOf(const v1::StatusReport& status,
                                         const v1::UnitStatus& us) {
  if (us.has_due()) return &us.due();
  if (status.has_children_due()) return &status.children_due();
  return nullptr;
}

std::string PhraseOf(const v1::StatusReport& status, const v1::UnitStatus& us) {
  const google::protobuf::Timestamp* due = DueOf(status, us);
  if (due == nullptr || !status.has_now()) return std::string(kNone);
  return DeadlinePhrase(FromProtoTime(status.now()), FromProtoTime(*due));
}

}  // namespace

std::string FinalizeText(const v1::FinalizeRequest& request,
                         const v1::FinalizeResponse& response) {
  std::string what = request.unit().empty()
                         ? std::string("báo cáo tổng hợp của nút")
                         : absl::StrCat("báo cáo của đơn vị ", request.unit());
  std::string finalized = response.has_finalized_time()
                              ? ShortTime(response.finalized_time())
                              : std::string(kNone);
  std::string out;
  if (response.already_final()) {
    absl::StrAppend(&out, "Kỳ ", request.period(), ": ", what,
                    " đã được chốt trước đó; không có gì thay đổi.\n",
                    "Chốt lần đầu lúc: ", finalized, "\n");
  } else {
    absl::StrAppend(&out, "Kỳ ", request.period(), ": đã chốt ", what, ".\n",
                    "Chốt lúc: ", finalized, "\n");
  }
  if (!response.has_due()) {
    absl::StrAppend(&out, "Hạn nộp: — (không có hạn nộp lên cấp trên)\n");
    return out;
  }
  absl::StrAppend(&out, "Hạn nộp: ", DueText(response.due(), true),
                  " (trễ hạn từ ", ShortTime(response.due()), ")\n",
                  "Đánh giá: ", response.on_time() ? "đúng hạn" : "trễ hạn",
                  "\n");
  return out;
}

std::string LockText(absl::string_view period, const v1::LockRecord& lock) {
  std::string out =
      absl::StrCat("Kỳ ", period, ": ",
                   lock.locked() ? "đang khoá (không nhận báo cáo, số liệu "
                                   "gửi lên hay việc chốt cho đến khi mở khoá)"
                                 : "không khoá",
                   "\n");
  if (!lock.locked() && lock.auto_lock_done()) {
    absl::StrAppend(&out,
                    "(đã qua lần khoá tự động: kỳ này không tự khoá lại)\n");
  }
  if (lock.events().empty()) {
    absl::StrAppend(&out, "Lịch sử: (chưa có)\n");
    return out;
  }
  absl::StrAppend(&out, "Lịch sử:\n");
  TextTable table({"Thời điểm", "Thao tác", "Người thực hiện"});
  for (const v1::LockEvent& event : lock.events()) {
    table.AddRow({ShortTime(event.time(), event.has_time()),
                  event.locked() ? "khoá" : "mở khoá",
                  ActorText(event.actor())});
  }
  absl::StrAppend(&out, table.Render("  "));
  return out;
}

std::vector<const v1::UnitStatus*> Laggards(const v1::StatusReport& status) {
  std::vector<const v1::UnitStatus*> out;
  for (const v1::UnitStatus& us : status.children()) {
    if (us.state() == v1::REPORT_STATE_NOT_SUBMITTED ||
        us.state() == v1::REPORT_STATE_PROVISIONAL) {
      out.push_back(&us);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const v1::UnitStatus* a, const v1::UnitStatus* b) {
              bool a_missing = a->state() == v1::REPORT_STATE_NOT_SUBMITTED;
              bool b_missing = b->state() == v1::REPORT_STATE_NOT_SUBMITTED;
              if (a_missing != b_missing) return a_missing;
              return a->unit() < b->unit();
            });
  return out;
}

namespace {

const std::vector<SheetColumn>& LaggardsColumns() {
  using K = CellKind;
  static const auto* const kColumns =
      new std::vector<SheetColumn>{{"unit"},
                                   {"name"},
                                   {"state"},
                                   {"revision", K::kInteger},
                                   {"updated_time", K::kTime},
                                   {"due", K::kTime},
                                   {"seconds_to_due", K::kInteger},
                                   {"due_text"}};
  return *kColumns;
}

}  // namespace

std::vector<std::string> LaggardsCsvColumns() {
  return ColumnNames(LaggardsColumns());
}

Sheet LaggardsSheet(const v1::StatusReport& status) {
  Sheet sheet{absl::StrCat("Chưa chốt ", status.unit(), " ", status.period()),
              LaggardsColumns(),
              {}};
  for (const v1::UnitStatus* us : Laggards(status)) {
    const google::protobuf::Timestamp* due = DueOf(status, *us);
    std::string seconds;
    if (due != nullptr && status.has_now()) {
      absl::Duration left = absl::Floor(
          FromProtoTime(*due) - FromProtoTime(status.now()), absl::Seconds(1));
      seconds = absl::StrCat(absl::ToInt64Seconds(left));
    }
    sheet.rows.push_back(
        {us->unit(), us->name(), std::string(ReportStateName(us->state())),
         absl::StrCat(us->revision()),
         us->has_updated_time() ? VietnamTime(us->updated_time()) : "",
         due != nullptr ? VietnamTime(*due) : "", seconds,
         PhraseOf(status, *us)});
  }
  return sheet;
}

std::string LaggardsCsv(const v1::StatusReport& status) {
  return SheetCsv(LaggardsSheet(status));
}

std::string LaggardsTable(const v1::StatusReport& status) {
  std::string out = absl::StrCat(
      "Đơn vị chưa chốt báo cáo — đơn vị ", status.unit(), " — kỳ ",
      status.period(), "\n",
      "Giờ của nút: ", ShortTime(status.now(), status.has_now()),
      " (giờ Việt Nam); hạn nộp của đơn vị trực thuộc: ",
      DueText(status.children_due(), status.has_children_due()), "\n\n");
  std::vector<const v1::UnitStatus*> laggards = Laggards(status);
  if (status.children().empty()) {
    absl::StrAppend(&out, "Nút không có đơn vị trực thuộc.\n");
    return out;
  }
  if (laggards.empty()) {
    // Every child finalised; some may have done so late, which is not
    // "nobody was late".
    int late = 0;
    for (const v1::UnitStatus& us : status.children())
      late += us.state() == v1::REPORT_STATE_FINAL_LATE;
    absl::StrAppend(&out, "Tất cả ", status.children_size(),
                    " đơn vị đã chốt báo cáo");
    if (late > 0) {
      absl::StrAppend(&out, " (", late,
                      " đơn vị chốt trễ hạn; xem lệnh status)");
    }
    absl::StrAppend(&out, ".\n");
    return out;
  }
  TextTable table(
      {"Mã", "Tên", "Trạng thái", "Phiên bản", "Cập nhật", "Thời hạn"},
      {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight});
  for (const v1::UnitStatus* us : laggards) {
    table.AddRow(
        {us->unit(), us->name(), std::string(ReportStateLabelVi(us->state())),
         us->revision() > 0 ? absl::StrCat(us->revision()) : std::string(kNone),
         ShortTime(us->updated_time(), us->has_updated_time()),
         PhraseOf(status, *us)});
  }
  absl::StrAppend(&out, table.Render(), "(", laggards.size(), "/",
                  status.children_size(), " đơn vị chưa chốt báo cáo)\n");
  return out;
}

}  // namespace tonghop::cli
