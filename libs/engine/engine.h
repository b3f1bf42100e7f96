// The node engine: accepts submissions, keeps each period's consolidated report current, and
// answers queries. Data flow: request -> validation (catalog) -> one writer thread that
// group-commits synced RocksDB batches holding the new unit report, the recomputed
// consolidation, the idempotency record and the audit entry -> callbacks.
//
// Thread-safety: all public methods may be called from any thread. Submit never blocks on
// I/O: validation runs on the caller's thread, the durable write on the writer thread, and
// `done` runs on the writer thread after the batch is synced (or failed). Queries read a
// RocksDB snapshot and never wait for the writer.
#ifndef TONGHOP_LIBS_ENGINE_ENGINE_H_
#define TONGHOP_LIBS_ENGINE_ENGINE_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/catalog/validate.h"
#include "libs/clock/clock.h"
#include "libs/engine/topology.h"
#include "libs/store/db.h"
#include "tonghop/v1/node.pb.h"

namespace tonghop {

class Engine {
 public:
  struct Options {
    const Topology* topology = nullptr;  // not owned; outlives the engine
    const Clock* clock = nullptr;        // not owned
    Db* db = nullptr;                    // not owned
    int max_group = 512;                 // most submissions committed in one batch
  };
  using SubmitDone = std::function<void(absl::StatusOr<v1::SubmitResponse>)>;

  // Reads the audit sequence and starts the writer thread. Errors from the database.
  static absl::StatusOr<std::unique_ptr<Engine>> Start(const Options& options);
  // Finishes the queued submissions, then stops the writer.
  ~Engine();

  // Validates `request` now (calling `done` at once on failure; see libs/catalog/validate.h for
  // the codes) and queues it. The submission is acknowledged (done with OK) only after the
  // synced write that holds it. A reused key with the same content gives the first response
  // with `replayed` set; with other content ALREADY_EXISTS. OUT_OF_RANGE when a consolidated
  // sum would overflow int64; UNAVAILABLE while shutting down; the store's error when the
  // write fails (nothing of the submission is then kept).
  void Submit(v1::SubmitRequest request, SubmitDone done);
  // Submit, waiting for the result (tests and tools; never on a gRPC callback thread).
  absl::StatusOr<v1::SubmitResponse> SubmitAndWait(v1::SubmitRequest request);

  // The consolidated report of this node (request.unit empty or the node's unit), or the
  // report of one child; with breakdown, each contributor's values. INVALID_ARGUMENT for a
  // bad period; NOT_FOUND for an unknown unit; FAILED_PRECONDITION for a unit outside this
  // node's subtree.
  absl::StatusOr<v1::GetRollupResponse> GetRollup(const v1::GetRollupRequest& request) const;
  // The indicators `unit` owes this node for `period`, with the targets in force.
  absl::StatusOr<v1::GetTemplateResponse> GetTemplate(const v1::GetTemplateRequest& request) const;

  const Topology& topology() const { return *options_.topology; }

 private:
  struct Pending {
    v1::SubmitRequest request;
    CheckedSubmission checked;
    SubmitDone done;
  };
  // The writer's view of one period (writer thread only).
  struct PeriodState {
    Period period;
    std::map<std::string, v1::UnitReport> reports;  // by unit code
    // unit -> indicator -> the unit's value as a contribution
    std::map<std::string, std::map<std::string, v1::ConsolidatedValue>> contributions;
    v1::ConsolidatedReport consolidated;  // values in Plans(frequency) order
  };

  explicit Engine(const Options& options) : options_(options) {}
  void WriterLoop();
  void CommitGroup(std::deque<Pending>& group);
  absl::StatusOr<v1::SubmitResponse> Apply(Pending& op, absl::Time now, Batch& batch,
                                           std::map<std::string, std::string>& group_keys,
                                           std::map<std::string, PeriodState*>& dirty);
  absl::StatusOr<PeriodState*> LoadPeriod(const Period& period);
  // Recomputes the consolidated value of plan `i` in `state`.
  absl::Status Recompute(PeriodState& state, size_t i) const;
  void SetContributions(PeriodState& state, const v1::UnitReport& report) const;

  const Options options_;
  std::thread writer_;

  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  // Writer thread only.
  std::map<std::string, std::unique_ptr<PeriodState>> periods_;
  uint64_t audit_sequence_ = 0;
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ENGINE_ENGINE_H_
