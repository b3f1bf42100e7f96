// The node engine: accepts submissions, keeps each period's consolidated report
// current, and answers queries. Data flow: request -> validation (catalog) ->
// one writer thread that group-commits synced RocksDB batches holding the new
// unit report, the recomputed consolidation, the idempotency record and the
// audit entry -> callbacks.
//
// Thread-safety: all public methods may be called from any thread. Submit never
// blocks on I/O: validation runs on the caller's thread, the durable write on
// the writer thread, and `done` runs after the batch is synced (or failed): on
// the completer thread when more operations wait (so that the writer takes the
// next group while the answers go out), else on the writer thread. Queries read
// a RocksDB snapshot and never wait for the writer.
#ifndef TONGHOP_LIBS_ENGINE_ENGINE_H_
#define TONGHOP_LIBS_ENGINE_ENGINE_H_

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/base/serial_executor.h"
#include "libs/catalog/validate.h"
#include "libs/clock/clock.h"
#include "libs/engine/history.h"
#include "libs/engine/node_calendar.h"
#include "libs/engine/topology.h"
#include "libs/federation/parent_link.h"
#include "libs/federation/validate_push.h"
#include "libs/rollup/rollup.h"
#include "libs/store/db.h"
#include "tonghop/v1/node.pb.h"
#include "tonghop/v1/store.pb.h"

namespace tonghop {
namespace engine_internal {
struct PeriodView;
}  // namespace engine_internal

class Engine final : public OutboxSource {
 public:
  struct Options {
    const Topology* topology = nullptr;  // not owned; outlives the engine
    const Clock* clock = nullptr;        // not owned
    Db* db = nullptr;                    // not owned
    int max_group = 512;  // most operations committed in one batch
    // The largest part a child node may push (ValidatePush); raised only by
    // the tests of the writer's overflow refusal, which cannot be reached
    // otherwise.
    int64_t max_pushed_value = kMaxPushedValue;
    // With a parent: every change of a consolidation also writes its outbox
    // entry (same batch), and `on_outbox` runs after the write (on the writer
    // thread; keep it short).
    bool has_parent = false;
    std::function<void()> on_outbox;
    // Deadlines, automatic finalisation and lock; not owned. Null: the defaults
    // for the node's level, without holidays.
    const NodeCalendar* calendar = nullptr;
    // How often the ticker checks for automatic finalisations and locks (real
    // time).
    absl::Duration tick = absl::Milliseconds(100);
    // Reminders to the units below (null or `off`: none). Channel keys in use
    // besides "inband" ("email" when e-mail is configured, "webhook1".. per
    // URL), the e-mail addresses of each unit (the secretariat under the node's
    // own unit), and a hook run after new reminders are stored (the
    // dispatcher's Notify). Not owned.
    const v1::ReminderPolicy* reminders = nullptr;
    // After a start, a step that fell due while the node was down waits this
    // long (real time, counted in ticks) before it is planned, so that the
    // reports the units' nodes kept in their outboxes meanwhile arrive first
    // (their senders retry every few seconds): nobody is told late who was
    // not.
    absl::Duration catch_up = absl::Seconds(30);
    std::vector<std::string> channels;
    std::map<std::string, std::vector<std::string>> contacts;
    std::function<void()> on_reminders;
  };
  using SubmitDone = std::function<void(absl::StatusOr<v1::SubmitResponse>)>;
  using PushDone = std::function<void(absl::StatusOr<v1::PushResponse>)>;
  using FinalizeDone =
      std::function<void(absl::StatusOr<v1::FinalizeResponse>)>;
  using LockDone = std::function<void(absl::StatusOr<v1::LockRecord>)>;

  // Reads the audit sequence and starts the writer thread. Errors from the
  // database.
  static absl::StatusOr<std::unique_ptr<Engine>> Start(const Options& options);
  // The time of the last audit entry in `db` (every change a node records is
  // audited); nullopt for a database with none. DATA_LOSS when it does not
  // parse. A simulated clock restarts from here at the earliest.
  static absl::StatusOr<std::optional<absl::Time>> LastRecordedTime(
      const Db& db);
  // Finishes the queued submissions, then stops the writer.
  ~Engine();

  // Validates `request` now (calling `done` at once on failure; see
  // libs/catalog/validate.h for the codes) and queues it. The submission is
  // acknowledged (done with OK) only after the synced write that holds it. A
  // reused key with the same content gives the first response with `replayed`
  // set; with other content ALREADY_EXISTS. OUT_OF_RANGE when a consolidated
  // sum would overflow int64; UNAVAILABLE while shutting down; the store's
  // error when the write fails (nothing of the submission is then kept).
  void Submit(v1::SubmitRequest request, SubmitDone done);
  // Submit, waiting for the result (tests and tools; never on a gRPC callback
  // thread).
  absl::StatusOr<v1::SubmitResponse> SubmitAndWait(v1::SubmitRequest request);

  // A child node's consolidated report (federation). Validates on the caller's
  // thread (FAILED_PRECONDITION for a unit that is not an expected child node,
  // INVALID_ARGUMENT for a malformed report); then, on the writer: a revision
  // not newer than the stored one answers `stale` and changes nothing; a newer
  // one is stored with the recomputed consolidation (and the outbox entry) in
  // one synced batch before `done` runs.
  void Push(v1::PushRequest request, PushDone done);
  absl::StatusOr<v1::PushResponse> PushAndWait(v1::PushRequest request);

  // Finalises a unit child's report, or this node's consolidated report (`unit`
  // empty or the node's own). See ReportingService.Finalize in node.proto for
  // the codes.
  void Finalize(v1::FinalizeRequest request, FinalizeDone done);
  absl::StatusOr<v1::FinalizeResponse> FinalizeAndWait(
      v1::FinalizeRequest request);
  // Locks or unlocks a period, recording who and when.
  void SetLock(v1::SetLockRequest request, LockDone done);
  absl::StatusOr<v1::LockRecord> SetLockAndWait(v1::SetLockRequest request);
  // Who has reported for a period against the deadline (status.cc).
  absl::StatusOr<v1::StatusReport> GetStatus(
      const v1::GetStatusRequest& request) const;
  const NodeCalendar& calendar() const { return *calendar_; }

  // Reminders (reminders.cc): those received from the parent and the in-band
  // escalations and digests this node addressed to its own unit (default),
  // those this node planned (`sent`), or a preview for a period.
  // INVALID_ARGUMENT for a bad period.
  absl::StatusOr<v1::ReminderList> ListReminders(
      const v1::ListRemindersRequest& request) const;
  // The in-band reminders for child node `child` above `after`
  // (FederationService). `after` is what the child holds: the first fetch
  // that raises it records it (durably, through the writer), and until then
  // ListReminders shows the reminders above it as not yet fetched.
  absl::StatusOr<v1::ReminderList> FetchReminders(const std::string& child,
                                                  int64_t after);
  // False when a planned reminder no longer applies (the unit finalised, the
  // period locked).
  bool StillApplies(const v1::Reminder& reminder) const;
  // For ListReminders: an in-band reminder to a child node that the child has
  // not confirmed holding is shown pending, with why, whatever its record says
  // (stored is not yet received).
  void ShowWhetherFetched(v1::Reminder& reminder) const;

  // The audit log (audit.cc): the entries after request.after_sequence whose
  // period and unit match the request's (empty: any), at most request.limit
  // of them (0: 100), reading at most kAuditScan entries. See
  // ReportingService.ListAudit in node.proto for the codes.
  absl::StatusOr<v1::AuditLog> ListAudit(
      const v1::ListAuditRequest& request) const;
  static constexpr int kAuditScan = 10000;

  // OutboxSource, for the uploader.
  absl::StatusOr<std::vector<Item>> PendingOutbox() const override;
  absl::StatusOr<v1::PushRequest> BuildPush(
      const std::string& period) const override;
  void Delivered(const std::string& period, int64_t revision) override;
  void ParentAhead(const std::string& period, int64_t parent_revision) override;
  std::string self_unit() const override;
  int64_t InboxHighWater() const override;
  void ReceivedReminders(const v1::ReminderList& reminders) override;

  // The consolidated report of this node (request.unit empty or the node's
  // unit), or the report of one child; with breakdown, each contributor's
  // values. INVALID_ARGUMENT for a bad period; NOT_FOUND for an unknown unit;
  // FAILED_PRECONDITION for a unit outside this node's subtree.
  absl::StatusOr<v1::GetRollupResponse> GetRollup(
      const v1::GetRollupRequest& request) const;
  // The consolidated reports of `request.unit` (as GetRollup) for each period
  // from first_period to last_period, oldest first, at one snapshot. See
  // ReportingService.GetSeries in node.proto for the codes.
  absl::StatusOr<v1::GetSeriesResponse> GetSeries(
      const v1::GetSeriesRequest& request) const;
  static constexpr size_t kSeriesMax = 120;
  // GetRollup's answer serialised, for the gRPC service. Answers are kept
  // until the next write: the same request between writes returns the same
  // bytes without reading the store.
  absl::StatusOr<std::shared_ptr<const std::string>> GetRollupBytes(
      const v1::GetRollupRequest& request) const;
  // The indicators `unit` owes this node for `period`, with the targets in
  // force.
  absl::StatusOr<v1::GetTemplateResponse> GetTemplate(
      const v1::GetTemplateRequest& request) const;

  const Topology& topology() const { return *options_.topology; }

  // A simulated clock's jump (AdminService.SetClock with a settle time):
  // the automatic steps that fall due after `from` (reminders, the automatic
  // finalisation and lock) wait `hold` of real time from the ticker's next
  // tick, so that the child nodes, whose clocks jump too, finalise and push
  // first; a unit that finalised within the jump is then not reminded, and a
  // period does not lock before their reports arrive. A second hold while
  // one runs extends it (the earliest `from`, the later end). Call it before
  // the clock moves. Thread-safe.
  void HoldSteps(absl::Time from, absl::Duration hold);

 private:
  // One queued operation for the writer.
  struct Pending {
    enum class Kind {
      kSubmit,
      kPush,
      kDelivered,
      kParentAhead,
      kFinalize,
      kLock,
      kPlanReminders,
      kInbox,
      kRecompute,
      kFetched
    } kind = Kind::kSubmit;
    v1::SubmitRequest request;  // kSubmit
    CheckedSubmission checked;
    SubmitDone submit_done;
    v1::PushRequest push;  // kPush
    std::string
        breakdown;  // kPush: its PushedBreakdown, encoded once moved out
    // kPush: set while a deferred DoPush has swapped `push` into this child's
    // stored record (`push` then holds the record's previous push); empty
    // when `push` holds the request.
    std::string moved_into;
    Period period;  // kPush, kDelivered
    PushDone push_done;
    int64_t delivered_revision = 0;  // kDelivered; kParentAhead: the parent's
    std::string unit;  // kFinalize: the unit child, or "" for the node's report
    std::string actor;       // kFinalize, kLock
    bool automatic = false;  // kFinalize, kLock: by the ticker
    bool locked = false;     // kLock
    FinalizeDone finalize_done;
    LockDone lock_done;
    std::vector<v1::Reminder> reminders;  // kPlanReminders, kInbox
    std::string step;                     // kPlanReminders: the step's id
    // kPlanReminders: a step that fell due before `step` and was never
    // planned (the node was down): recorded as planned, with no reminder.
    std::string superseded_step;
    // kRecompute: Topology::Fingerprint, stored with the last period's
    // recomputation (empty for the others).
    std::string fingerprint;
    int64_t fetched =
        0;  // kFetched: the child's (in `unit`) confirmed sequence
  };
  // Runs once the group's batch is written (or failed) with the write's status.
  using Finish = std::function<void(const absl::Status& written)>;
  // The writer's view of one period (writer thread only).
  struct PeriodState {
    Period period;
    std::map<std::string, v1::UnitReport> reports;      // by unit code
    std::map<std::string, v1::ChildNodeReport> pushes;  // by child node code
    ContributionMap contributions;  // unit -> indicator -> its value

    v1::ConsolidatedReport consolidated;  // values in Plans(frequency) order
    v1::LockRecord lock;
    uint64_t last_used = 0;  // LoadPeriod's use counter at its last load
  };
  // A period this group changed: its consolidation gets a new revision (and
  // outbox entry).
  struct DirtyPeriod {
    PeriodState* state = nullptr;
    // Plans whose consolidation pushes in this group changed, brought up to
    // date once at the group's end (a group of pushes only; UpdateStalePlan).
    std::set<size_t> stale_plans;
    // Per such plan, what the group's pushes so far made of it: the running
    // sums (numerators and denominators, or values), so that a push that
    // would overflow is refused at its turn, and how the coverage moved
    // (CoverageOf after minus before), with which the group's end updates the
    // plan in place (ApplyChange) rather than over every contributor.
    struct Staged {
      std::pair<int64_t, int64_t> sums;
      CoveragePart moved;
    };
    std::map<size_t, Staged> staged;
    bool figures = false;  // a submission or push changed figures (not only a
                           // finalisation)
    // Figures, or only the confirmation of estimates (which is never late):
    // the report's estimate flag is judged again.
    bool estimates = false;
    bool late =
        false;  // one of those changes came after finalisation or the deadline
  };
  using Dirty = std::map<std::string, DirtyPeriod>;
  // Marks `state` changed; `figures` for a change of figures, judged late or
  // not now.
  void MarkDirty(Dirty& dirty, PeriodState* state, bool figures,
                 absl::Time now) const;

  explicit Engine(const Options& options) : options_(options) {}
  void Enqueue(Pending op);
  void WriterLoop();
  // Commits `group`, then runs its finishes, or hands them to the completer
  // when operations wait.
  void CommitGroup(std::deque<Pending> group);
  // Applies and writes `group` as one batch; adds its operations' finishes to
  // `finishes` and sets `written` to the write's status (OK when nothing
  // needed writing). With `defer` (a group of pushes only), each changed plan
  // is brought up to date once at the end (UpdateStalePlan) instead of
  // recomputed once per push; when that fails (an overflow), nothing is
  // written, the in-memory state is dropped and false is returned (the
  // finishes must then be dropped), so that the caller replays the group push
  // by push.
  bool CommitGroupOnce(std::deque<Pending>& group, bool defer,
                       std::vector<Finish>& finishes, absl::Status& written);
  Finish ApplySubmit(Pending& op, absl::Time now, Batch& batch,
                     std::map<std::string, std::string>& group_keys,
                     Dirty& dirty);
  absl::StatusOr<v1::SubmitResponse> DoSubmit(
      Pending& op, absl::Time now, Batch& batch,
      std::map<std::string, std::string>& group_keys, Dirty& dirty);
  // With `defer`, the consolidation is not recomputed here: the plans the push
  // changed are marked in `dirty` for the group's end.
  absl::StatusOr<v1::PushResponse> DoPush(Pending& op, absl::Time now,
                                          Batch& batch, Dirty& dirty,
                                          bool defer);
  // Queues a kDelivered or kParentAhead op for `period` (a malformed label is
  // ignored: the uploader read it from this node's own outbox).
  void EnqueueParentAnswer(Pending::Kind kind, const std::string& period,
                           int64_t revision);
  // Adds the period to `cleared` when its outbox entry is deleted.
  absl::Status DoDelivered(const Pending& op, Batch& batch, const Dirty& dirty,
                           std::vector<std::string>& cleared);
  // Moves the period's consolidation revision above the parent's (the group's
  // end adds one and writes the outbox entry); nothing when already above.
  absl::Status DoParentAhead(const Pending& op, absl::Time now, Batch& batch,
                             Dirty& dirty);
  absl::StatusOr<v1::FinalizeResponse> DoFinalize(Pending& op, absl::Time now,
                                                  Batch& batch, Dirty& dirty);
  absl::StatusOr<v1::LockRecord> DoLock(Pending& op, absl::Time now,
                                        Batch& batch);
  // FAILED_PRECONDITION when `state`'s period is locked.
  static absl::Status CheckUnlocked(const PeriodState& state);
  // INVALID_ARGUMENT naming the period when its data window opens after
  // today (submit.cc): nothing can be reported for it yet.
  absl::Status CheckBegun(const Period& period) const;
  // The automatic finalisations and locks that are due (ticker.cc).
  void TickerLoop();
  void Tick();
  // Plans the reminder steps that fell due (reminders.cc; ticker thread).
  void PlanReminders(absl::Time now);
  // The reminders of one step of `period` (due at `at`) for the units that
  // still owe a final report, their words as of `as_of`: when the list was
  // taken (now, for a step planned late after a clock jump or an outage; the
  // step's own time in a preview).
  absl::StatusOr<std::vector<v1::Reminder>> BuildStep(
      const Period& period, absl::Time due, const std::string& step,
      const std::string& kind, absl::Time at, absl::Time as_of) const;
  void DoPlanReminders(Pending& op, absl::Time now, Batch& batch);
  // Before an in-band reminder of `period` goes to child node `unit`: the
  // older ones of that period the child has not taken (it was unreachable)
  // leave its index, recorded as superseded: back, it gets the newest step
  // only, as a channel sends only the newest queued one.
  void SupersedeUntaken(const std::string& unit, const std::string& period,
                        Batch& batch);
  // The in-band reminders addressed to `unit` (a child node, or this node's
  // own unit) with a sequence above `after`, oldest first.
  absl::StatusOr<v1::ReminderList> InbandReminders(const std::string& unit,
                                                   int64_t after) const;
  void DoInbox(Pending& op, Batch& batch);
  // Counts of final and on-time reports below this node in `view`, for the
  // push (status.cc).
  v1::Rates LeafRates(const Period& period,
                      const engine_internal::PeriodView& view) const;
  // The unit a roll-up asks for: this node's (`code` empty or its own) or a
  // child's; NOT_FOUND for an unknown code, FAILED_PRECONDITION for a unit
  // outside this node's children.
  absl::StatusOr<const Unit*> RollupUnit(const std::string& code) const;
  // GetRollup of `unit` (from RollupUnit) for `period` at `snapshot`.
  absl::StatusOr<v1::GetRollupResponse> RollupAt(
      const Unit& unit, const Period& period, bool breakdown,
      const Db::Snapshot* snapshot) const;
  // GetRollup of this node's own unit from `view` (its consolidation is moved
  // out), added to `response` (which carries the indicators, or nothing).
  absl::StatusOr<v1::GetRollupResponse> OwnRollup(
      const Period& period, bool breakdown, engine_internal::PeriodView& view,
      v1::GetRollupResponse response) const;
  absl::StatusOr<PeriodState*> LoadPeriod(const Period& period);
  // At start: when the stored Topology::Fingerprint differs from this
  // topology's (or none is stored, as in a folder from before it was kept),
  // queues a kRecompute of every stored period ahead of any other operation,
  // the last one storing the new fingerprint; else nothing.
  absl::Status QueueRecomputeIfTopologyChanged();
  // At start: FAILED_PRECONDITION naming both units when the store holds
  // another unit's data (meta/unit, or in an older folder its newest
  // consolidation); records this node's unit when none is recorded.
  absl::Status CheckDataIsThisUnits();
  // True when a figure of `state` was set before its data window closed: a
  // unit's value (NodeCalendar::HoldsEstimates) or a child node's report
  // flagged as an estimate.
  bool HoldsEstimates(const PeriodState& state) const;
  // Whether one contributor's figures include estimates: a child node's
  // pushed flag, else NodeCalendar::HoldsEstimates of a unit's report; false
  // for one that sent nothing.
  bool EstimateOf(const Period& period, const v1::UnitReport* report,
                  const v1::ChildNodeReport* pushed) const;
  // Recomputes `op.period`'s consolidation over the current plans from the
  // stored figures; when it differs from the stored one, the period is dirty
  // (a new revision, delivered to the parent).
  void DoRecompute(Pending& op, absl::Time now, Batch& batch, Dirty& dirty);
  // Keeps at most kPeriodsInMemory periods, dropping the least recently used
  // (they are read from the store again when next needed) and returning them,
  // to be destroyed off the writer's path. Between groups only: a group holds
  // pointers to the states it changes.
  std::vector<std::unique_ptr<PeriodState>> EvictPeriods();
  static constexpr size_t kPeriodsInMemory = 24;
  // GetRollup of one child: only its own records are read (its breakdown too
  // with `breakdown`), at `snapshot`; `response` carries the indicators.
  absl::StatusOr<v1::GetRollupResponse> ChildRollup(
      const Unit& unit, const Period& period, bool breakdown,
      const Db::Snapshot* snapshot, v1::GetRollupResponse response) const;
  // Checks that `push` from `unit` keeps the sums of the `changed` plans
  // within int64 on top of the group's earlier pushes, and records the new
  // sums and the change of coverage in `group`. OUT_OF_RANGE naming the
  // indicator (nothing recorded) otherwise.
  absl::Status StageSums(PeriodState& state, const Unit& unit,
                         const v1::PushRequest& push,
                         const std::vector<size_t>& changed,
                         DirtyPeriod& group) const;
  // Brings plan `i` of `changed` up to date at a group's end: in place from
  // its staged sums and coverage where ApplyChange can, else Recompute.
  absl::Status UpdateStalePlan(DirtyPeriod& changed, size_t i) const;
  // Builds the per-child index of in-band reminders (remindin/) for a database
  // written before it existed; once (meta/remindin marks it done).
  absl::Status IndexInbandReminders();
  // Recomputes the consolidated value of plan `i` in `state`.
  absl::Status Recompute(PeriodState& state, size_t i) const;
  void SetContributions(PeriodState& state, const v1::UnitReport& report) const;
  void SetPushContributions(PeriodState& state,
                            const v1::PushRequest& push) const;
  void AppendAudit(Batch& batch, absl::Time now, v1::AuditEntry entry);

  const Options options_;
  std::unique_ptr<NodeCalendar>
      owned_calendar_;  // when options_.calendar is null
  const NodeCalendar* calendar_ = nullptr;
  std::thread writer_;
  std::thread ticker_;
  // Runs written groups' finishes (the RPCs' answers) off the writer's
  // thread, in the order handed over; destroyed after the writer stops.
  std::unique_ptr<SerialExecutor> completer_;

  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  // +1 after every successful write (before its operations finish): a roll-up
  // built at epoch E is current while the epoch is still E.
  std::atomic<uint64_t> write_epoch_{0};
  // Serialised roll-ups as last answered, by (period field, unit field,
  // breakdown): repeated queries between writes (a secretariat's dashboard,
  // a city watching its wards) cost a lookup.
  struct CachedRollup {
    uint64_t epoch = 0;
    std::shared_ptr<const std::string> bytes;
  };
  mutable absl::Mutex cache_mu_;
  mutable std::map<std::tuple<std::string, std::string, bool>, CachedRollup>
      rollup_cache_ ABSL_GUARDED_BY(cache_mu_);

  // What the background loops need of each period, kept by the writer after
  // each successful write and read once from the store at start: the ticker's
  // automatic finalise and lock and the uploader's pending outbox read it
  // instead of scanning the store (whose keys, rewritten by every group, leave
  // versions for a scan to step over, and whose reports would be parsed whole
  // ten times a second).
  struct PeriodFacts {
    int64_t revision = 0;  // of the consolidation
    bool finalized = false;
    bool any_value = false;
    int64_t outbox = 0;  // the revision the parent still needs; 0: none
  };
  static PeriodFacts FactsOf(const v1::ConsolidatedReport& cons);
  // Reads every period's facts from the store (Start).
  absl::Status LoadFacts();
  // Per child node, the highest in-band sequence it confirmed holding
  // (keys::InbandFetched; loaded at start, raised by FetchReminders).
  mutable absl::Mutex fetched_mu_;
  absl::flat_hash_map<std::string, int64_t> fetched_
      ABSL_GUARDED_BY(fetched_mu_);
  // The greatest in-band sequence each child node was given by a fetch (in
  // memory: a restart forgets it, and the confirmed cursor above stands).
  std::map<std::string, int64_t> delivered_ ABSL_GUARDED_BY(fetched_mu_);
  mutable absl::Mutex facts_mu_;
  std::map<std::string, PeriodFacts> facts_ ABSL_GUARDED_BY(facts_mu_);

  // Writer thread only.
  std::map<std::string, std::unique_ptr<PeriodState>> periods_;
  uint64_t period_uses_ = 0;
  uint64_t audit_sequence_ = 0;
  // Ticker thread only: the consolidation revision at which an automatic
  // finalisation was last asked for, per period (asked again only after a
  // change).
  std::map<std::string, int64_t> auto_finalize_asked_;
  std::map<std::string, bool> auto_lock_asked_;
  std::set<std::string> steps_planned_;  // "<period>/<step>" (ticker thread)
  // When this node first started (meta/first_start): it reminds only for
  // periods due after it, and only of steps from then on — never back-fills
  // periods from before it existed.
  absl::Time first_start_;
  absl::Time started_;  // the clock when this process started the engine
  int64_t ticks_ = 0;   // ticker thread: ticks since the start
  // HoldSteps: asked for (any thread), then taken by the ticker at its next
  // tick, after it read the clock (the hold is asked for before the clock
  // moves, so a tick that sees the new time sees the hold too).
  struct Hold {
    absl::Time from = absl::InfiniteFuture();
    int64_t until_tick = 0;  // held while ticks_ < until_tick
  };
  absl::Mutex hold_mu_;
  std::optional<std::pair<absl::Time, absl::Duration>> hold_asked_
      ABSL_GUARDED_BY(hold_mu_);
  Hold hold_;  // ticker thread
  // Ticker thread: true while an automatic step due at `at` waits for the
  // reports from below: it fell due within a held jump of the clock
  // (HoldSteps), or, with `catch_up`, while this node was down and the
  // catch-up after the start runs (Options::catch_up).
  bool Waits(absl::Time at, bool catch_up) const {
    return (catch_up && ticks_ * options_.tick < options_.catch_up &&
            at < started_) ||
           (ticks_ < hold_.until_tick && at > hold_.from);
  }
  // True when a child of this node runs a node of its own (kind NODE): its
  // reports may wait in that node's outbox. Set once at Start.
  bool has_child_nodes_ = false;
  // Ticker thread: takes a hold HoldSteps asked for.
  void TakeHold();
  int64_t reminder_sequence_ =
      0;  // writer thread; persisted in meta/remind_seq
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ENGINE_ENGINE_H_
