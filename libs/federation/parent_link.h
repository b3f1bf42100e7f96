// The link from a node to its parent, as the core sees it. Its gRPC
// implementation lives in services/node (libs/ never includes gRPC).
#ifndef TONGHOP_LIBS_FEDERATION_PARENT_LINK_H_
#define TONGHOP_LIBS_FEDERATION_PARENT_LINK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tonghop/v1/federation.pb.h"
#include "tonghop/v1/remind.pb.h"

namespace tonghop {

class ParentLink {
 public:
  virtual ~ParentLink() = default;
  // Delivers `request`, blocking up to the link's deadline. UNAVAILABLE or
  // DEADLINE_EXCEEDED while the parent cannot be reached; the parent's status
  // when it refuses.
  virtual absl::StatusOr<v1::PushResponse> Push(
      const v1::PushRequest& request) = 0;
  // The in-band reminders the parent has for `child` above `after_sequence`.
  // The default (a link without reminders) returns none.
  virtual absl::StatusOr<v1::ReminderList> FetchReminders(
      const std::string& child, int64_t after_sequence) {
    return v1::ReminderList();
  }
};

// What the uploader reads from and acknowledges to the node (implemented by the
// engine).
class OutboxSource {
 public:
  struct Item {
    std::string period;
    int64_t revision =
        0;  // the consolidation revision the parent has yet to take
  };
  virtual ~OutboxSource() = default;
  // The pending periods, oldest key first.
  virtual absl::StatusOr<std::vector<Item>> PendingOutbox() const = 0;
  // The node's whole current consolidated report for `period`, as a push.
  virtual absl::StatusOr<v1::PushRequest> BuildPush(
      const std::string& period) const = 0;
  // The parent now holds `revision` (or newer) of `period`: the outbox entry
  // may go unless a newer revision replaced it meanwhile.
  virtual void Delivered(const std::string& period, int64_t revision) = 0;
  // The parent holds `parent_revision` of `period`, newer than any this node
  // has: its data folder was recreated (or restored from an older copy), or
  // another process pushed as its unit. The node's report must continue above
  // it, or the parent would answer every push `stale` and keep the old
  // figures. The default does nothing.
  virtual void ParentAhead(const std::string& period, int64_t parent_revision) {
  }
  // In-band reminders: this node's unit ("" to fetch none), the highest
  // sequence already received, and where new ones go.
  virtual std::string self_unit() const { return ""; }
  virtual int64_t InboxHighWater() const { return 0; }
  virtual void ReceivedReminders(const v1::ReminderList& reminders) {}
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_FEDERATION_PARENT_LINK_H_
