// Engine's ticker: the automatic steps of the calendar — a node's report
// finalised at its lead time before the parent's deadline, and a period locked
// some days after the children's deadline. It reads the injected clock
// (simulated in tests and demos) on a short real-time poll, and hands each step
// to the writer like any other operation.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/base/log.h"
#include "libs/engine/engine.h"
#include "libs/engine/engine_internal.h"

namespace tonghop {

void Engine::TickerLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopped), options_.tick))
        return;
    }
    Tick();
  }
}

void Engine::HoldSteps(absl::Time from, absl::Duration hold) {
  absl::MutexLock lock(&hold_mu_);
  if (hold_asked_.has_value()) {
    from = std::min(from, hold_asked_->first);
    hold = std::max(hold, hold_asked_->second);
  }
  hold_asked_.emplace(from, hold);
}

void Engine::TakeHold() {
  std::optional<std::pair<absl::Time, absl::Duration>> asked;
  {
    absl::MutexLock lock(&hold_mu_);
    asked.swap(hold_asked_);
  }
  if (!asked.has_value()) return;
  const auto [from, hold] = *asked;
  const int64_t until =
      ticks_ +
      static_cast<int64_t>(absl::Ceil(hold, options_.tick) / options_.tick);
  if (ticks_ < hold_.until_tick) {  // one runs: extend it
    hold_.from = std::min(hold_.from, from);
    hold_.until_tick = std::max(hold_.until_tick, until);
  } else {
    hold_.from = from;
    hold_.until_tick = until;
  }
}

void Engine::Tick() {
  // The clock first: a hold is asked for before the clock moves.
  const absl::Time now = options_.clock->Now();
  ++ticks_;
  TakeHold();
  PlanReminders(now);
  // The automatic finalisation and lock of a step that fell due while this
  // node was down wait for the catch-up only where reports wait in the
  // outboxes of child nodes.
  const bool below = has_child_nodes_;
  std::vector<std::pair<std::string, PeriodFacts>> periods;
  {
    absl::MutexLock lock(&facts_mu_);
    periods.assign(facts_.begin(), facts_.end());
  }
  // The automatic lock, once asked for per period (the writer skips it if
  // done before, or unlocked by hand since).
  auto lock_when_due = [&](const Period& period, const std::string& label) {
    const auto lock_at = calendar_->AutoLockAt(period);
    if (!lock_at.has_value() || now < *lock_at || Waits(*lock_at, below) ||
        auto_lock_asked_[label])
      return;
    auto_lock_asked_[label] = true;
    Pending op;
    op.kind = Pending::Kind::kLock;
    op.period = period;
    op.locked = true;
    op.automatic = true;
    op.lock_done = [label](absl::StatusOr<v1::LockRecord> r) {
      if (r.ok() && r->locked()) LogInfo("period ", label, " is locked");
    };
    Enqueue(std::move(op));
  };
  std::set<std::string> stored;
  for (const auto& [label, facts] : periods) {
    stored.insert(label);
    auto period = ParsePeriod(label);
    if (!period.ok()) continue;

    const auto finalize_at = calendar_->AutoFinalizeAt(*period);
    auto asked = auto_finalize_asked_.find(label);
    if (finalize_at.has_value() && now >= *finalize_at &&
        !Waits(*finalize_at, below) && !facts.finalized && facts.any_value &&
        (asked == auto_finalize_asked_.end() ||
         asked->second != facts.revision)) {
      auto_finalize_asked_[label] = facts.revision;
      Pending op;
      op.kind = Pending::Kind::kFinalize;
      op.period = *period;
      op.automatic = true;
      op.finalize_done = [label](absl::StatusOr<v1::FinalizeResponse> r) {
        if (r.ok() && !r->already_final())
          LogInfo("finalised ", label, " automatically");
      };
      Enqueue(std::move(op));
    }
    lock_when_due(*period, label);
  }
  // A recent period nobody has written to yet locks too, so that a first
  // submission after the lock finds it locked; from this node's first start
  // on, for the periods it consolidates.
  for (const Period& period :
       engine_internal::CandidatePeriods(now, calendar_->zone())) {
    const std::string label = period.Label();
    if (stored.count(label) ||
        options_.topology->Plans(period.frequency()).empty()) {
      continue;
    }
    const auto lock_at = calendar_->AutoLockAt(period);
    if (lock_at.has_value() && *lock_at < first_start_) continue;
    lock_when_due(period, label);
  }
}

}  // namespace tonghop
