// ParentLink over gRPC: FederationService.Push on the parent node. The
// channel's reconnect backoff is capped (1 s) so that a parent that comes back
// is reached within seconds.
#ifndef TONGHOP_SERVICES_NODE_GRPC_PARENT_LINK_H_
#define TONGHOP_SERVICES_NODE_GRPC_PARENT_LINK_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "libs/federation/parent_link.h"
#include "tonghop/v1/federation.grpc.pb.h"

namespace tonghop {

class GrpcParentLink final : public ParentLink {
 public:
  // `address` is "host:port". Each push waits at most `deadline`. Thread-safe.
  explicit GrpcParentLink(const std::string& address,
                          absl::Duration deadline = absl::Seconds(5));
  absl::StatusOr<v1::PushResponse> Push(
      const v1::PushRequest& request) override;
  absl::StatusOr<v1::ReminderList> FetchReminders(
      const std::string& child, int64_t after_sequence) override;

 private:
  std::unique_ptr<v1::FederationService::Stub> stub_;
  const absl::Duration deadline_;
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_GRPC_PARENT_LINK_H_
