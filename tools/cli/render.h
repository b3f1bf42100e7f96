// What the tonghop CLI prints: pure functions of the response messages, so that
// every output format is unit-tested without a server. Thread-compatible. Every
// text ends with "\n".
#ifndef TONGHOP_TOOLS_CLI_RENDER_H_
#define TONGHOP_TOOLS_CLI_RENDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "tonghop/v1/catalog.pb.h"
#include "tonghop/v1/node.pb.h"
#include "tonghop/v1/report.pb.h"
#include "tools/cli/sheet.h"

namespace tonghop::cli {

// "—": shown for a value or a time that is not there.
inline constexpr absl::string_view kNone = "—";
// Starts every CSV the CLI writes: Excel (on a Vietnamese Windows too) reads
// the file as UTF-8 only with it, and shows the units' names garbled without.
inline constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

// google.protobuf.Timestamp -> absl::Time.
absl::Time FromProtoTime(const google::protobuf::Timestamp& t);
// An instant in Vietnam time ("2026-03-10T08:00:00+07:00").
std::string VietnamTime(const google::protobuf::Timestamp& t);

// A Decree 09 data window "2026-02-15..2026-03-14" as "15/02/2026–14/03/2026";
// kNone when empty; any other text as is.
std::string WindowText(absl::string_view window);

// A value as people read it: "45/50 (90.00%)" for a ratio ("0/0" when the
// denominator is 0), "5" for a count or rank, "87.25" for an index, kNone when
// `value` is null or unset.
std::string ValueText(const v1::Value* value);

// --- rollup ---------------------------------------------------------------

// The rollup CSV columns, in order.
std::vector<std::string> RollupCsvColumns();

// One row per value of the report's unit, then (with a breakdown) one row per
// value of each child, in the order of the message; titled "Tổng hợp <unit>
// <period>". RollupCsv: its header and rows, LF line ends, no BOM.
Sheet RollupSheet(const v1::GetRollupResponse& response);
std::string RollupCsv(const v1::GetRollupResponse& response);

// The human-readable roll-up: a title with the unit, the period, the data
// window ("kỳ số liệu 15/02/2026–14/03/2026", "(số ước tính)" when the figures
// include estimates), then the revision, the report's state ("đã chốt lúc T bởi
// A", or "tạm thời (chưa chốt)") and its last late revision, then an aligned
// table (Chỉ tiêu, Giá trị, Tử số/Mẫu số, Chỉ tiêu KH, Đánh giá, Báo cáo, Đơn
// vị đạt: how many children met their own target), then a section per child.
std::string RollupTable(const v1::GetRollupResponse& response);

// --- series ----------------------------------------------------------------

// The rollup CSV's columns, one row per period and indicator (row "total"),
// oldest period first; titled "Chuỗi <unit> <first>..<last>".
Sheet SeriesSheet(const v1::GetSeriesResponse& series);
// A title (unit, first and last period), then a row per indicator with a
// column per period (its value as the rollup table shows it, "—" for none),
// and a last row with each period's state (đã chốt, tạm thời, chưa có).
std::string SeriesTable(const v1::GetSeriesResponse& series);

// --- other commands -------------------------------------------------------

// `message` as pretty JSON with proto field names and every primitive field;
// ends with "\n". INTERNAL when protobuf cannot print it.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// The template CSV: a UTF-8 BOM, then the header
//   indicator,numerator,denominator,value,note,name_vi,unit,measure,target
// and one row per owed indicator with the value columns empty. CRLF line ends
// (RFC 4180, as Excel writes them).
std::string TemplateCsv(const v1::GetTemplateResponse& response);

// The catalog as a sheet ("Danh mục chỉ tiêu"), CSV (LF, no BOM) or an
// aligned table, with the columns
//   code,measure,frequency,reported_by,responsible,target,target_years,name_vi
Sheet CatalogSheet(const v1::Catalog& catalog);
std::string CatalogCsv(const v1::Catalog& catalog);
std::string CatalogTable(const v1::Catalog& catalog);

// The receipt of a submission: revision, received time, replay, one line per
// change.
std::string Receipt(const v1::SubmitRequest& request,
                    const v1::SubmitResponse& response);

// GetNodeInfo as "key: value" lines, then one line per reminder channel:
//   channel <key> (<name>): <pending> pending, <sent> sent[, last error: <e>]
std::string NodeInfoText(const v1::NodeInfo& info);
// The node's clock: "2026-03-10T08:00:00+07:00 (simulated clock)".
std::string ClockText(const v1::NodeInfo& info);

}  // namespace tonghop::cli

#endif  // TONGHOP_TOOLS_CLI_RENDER_H_
