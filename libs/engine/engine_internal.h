// Small helpers shared by the engine's source files (engine.cc, submit.cc,
// push.cc, finalize.cc, queries.cc, status.cc, reminders.cc). Internal: not
// part of the engine's API.
#ifndef TONGHOP_LIBS_ENGINE_ENGINE_INTERNAL_H_
#define TONGHOP_LIBS_ENGINE_ENGINE_INTERNAL_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "libs/catalog/validate.h"
#include "libs/store/db.h"
#include "tonghop/v1/node.pb.h"
#include "tonghop/v1/report.pb.h"
#include "tonghop/v1/store.pb.h"

namespace tonghop::engine_internal {

using google::protobuf::util::TimeUtil;

inline bool SameTime(const google::protobuf::Timestamp& a,
                     const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

// What makes two submissions under one key "the same content": unit, period and
// values.
inline std::string Fingerprint(const v1::SubmitRequest& request) {
  v1::SubmitRequest content;
  content.set_unit(request.unit());
  content.set_period(request.period());
  *content.mutable_values() = request.values();
  std::string bytes;
  google::protobuf::io::StringOutputStream out(&bytes);
  google::protobuf::io::CodedOutputStream coded(&out);
  coded.SetSerializationDeterministic(true);
  content.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

// Starts an asynchronous operation with a completion callback and waits for its
// result.
template <typename T, typename StartFn>
absl::StatusOr<T> Await(StartFn start) {
  absl::Mutex mu;
  bool finished = false;
  absl::StatusOr<T> result;
  start([&](absl::StatusOr<T> r) {
    absl::MutexLock lock(&mu);
    result = std::move(r);
    finished = true;
  });
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(&finished));
  return result;
}

inline bool SameValue(const v1::ReportValue* a, const CheckedValue& b) {
  if (a == nullptr) return b.clear;
  if (b.clear) return false;
  return a->value().SerializeAsString() == b.value.SerializeAsString() &&
         a->note() == b.note;
}

inline absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

// What a node's snapshot holds for one period: the units' reports, the child
// nodes' pushes, the consolidation (if stored) and the lock. DATA_LOSS when a
// stored value does not parse; the store's error otherwise. Defined in
// status.cc.
struct PeriodView {
  std::map<std::string, v1::UnitReport> reports;      // by unit code
  std::map<std::string, v1::ChildNodeReport> pushes;  // by child node code
  bool has_consolidated = false;
  v1::ConsolidatedReport consolidated;
  v1::LockRecord lock;
};
absl::StatusOr<PeriodView> ReadPeriod(const Db& db, const std::string& label,
                                      const Db::Snapshot* snapshot);

// The periods whose reminders and automatic steps may be running at `now`:
// recent months, quarters, halves, nine months and years. Defined in
// reminders.cc.
std::vector<Period> CandidatePeriods(absl::Time now, absl::TimeZone zone);

}  // namespace tonghop::engine_internal

#endif  // TONGHOP_LIBS_ENGINE_ENGINE_INTERNAL_H_
