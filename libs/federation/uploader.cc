#include "libs/federation/uploader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/log.h"

namespace tonghop {

Uploader::Uploader(OutboxSource* source, ParentLink* link, Options options)
    : source_(source),
      link_(link),
      options_(options),
      loop_({options.initial_backoff, options.max_backoff, options.idle_poll,
             options.gather, options.gather_max}) {}

Uploader::~Uploader() {
  loop_.Stop();
  if (thread_.joinable()) thread_.join();
}

void Uploader::Start() {
  thread_ = std::thread([this] { loop_.Run([this] { return Pass(); }); });
}

void Uploader::Notify() { loop_.Notify(); }

Uploader::Info Uploader::info() const {
  absl::MutexLock lock(&mu_);
  return info_;
}

void Uploader::FetchReminders() {
  const std::string self = source_->self_unit();
  if (self.empty()) return;
  auto list = link_->FetchReminders(self, source_->InboxHighWater());
  if (list.ok() && list->reminders_size() > 0)
    source_->ReceivedReminders(*list);
}

bool Uploader::Pass() {
  auto items = source_->PendingOutbox();
  if (!items.ok()) {
    absl::MutexLock lock(&mu_);
    info_.last_error = std::string(items.status().message());
    return false;
  }
  {
    absl::MutexLock lock(&mu_);
    info_.pending = static_cast<int>(items->size());
  }
  auto sent = [this](const OutboxSource::Item& item) {
    auto it = delivered_.find(item.period);
    return it != delivered_.end() && it->second >= item.revision;
  };
  const bool busy = !std::all_of(items->begin(), items->end(), sent);
  if (!busy || ++passes_since_fetch_ >= options_.fetch_every) {
    passes_since_fetch_ = 0;
    FetchReminders();
  }
  bool all_delivered = true;
  for (const OutboxSource::Item& item : *items) {
    if (sent(item)) continue;
    auto request = source_->BuildPush(item.period);
    if (!request.ok()) {
      absl::MutexLock lock(&mu_);
      info_.last_error = std::string(request.status().message());
      all_delivered = false;
      continue;
    }
    auto response = link_->Push(*request);
    if (!response.ok()) {
      absl::MutexLock lock(&mu_);
      if (info_.last_error.empty()) {
        LogWarning("push of ", item.period,
                   " to the parent failed: ", response.status().ToString(),
                   "; retrying with backoff");
      }
      info_.last_error = response.status().ToString();
      all_delivered = false;
      // The parent is unreachable: the other periods would fail alike. A
      // refusal of this one period must not hold the others back.
      if (absl::IsUnavailable(response.status()) ||
          absl::IsDeadlineExceeded(response.status())) {
        return false;
      }
      continue;
    }
    if (response->stale() &&
        response->stored_revision() > request->revision()) {
      // The parent holds a revision this node never built (it is newer than
      // the newest one just read): this node's state was lost or someone else
      // pushes as it. Continue above the parent's, then push again.
      const std::string error = absl::StrCat(
          "the parent holds revision ", response->stored_revision(), " of ",
          item.period, ", newer than this node's ", request->revision(),
          " (data folder recreated, or another node pushes as this unit): "
          "continuing above it");
      LogWarning(error);
      source_->ParentAhead(item.period, response->stored_revision());
      absl::MutexLock lock(&mu_);
      info_.last_error = error;
      all_delivered = false;
      continue;
    }
    // Stale means the parent already holds this revision or a newer one:
    // delivered all the same.
    delivered_[item.period] = request->revision();
    source_->Delivered(item.period, request->revision());
    absl::MutexLock lock(&mu_);
    if (all_delivered && !info_.last_error.empty()) {
      LogInfo("delivering to the parent again");
      info_.last_error.clear();
    }
    ++info_.pushes;
  }
  return all_delivered;
}

}  // namespace tonghop
