// ParentLink over gRPC: FederationService.Push on the parent node. The
// channel's reconnect backoff is capped (1 s) so that a parent that comes back
// is reached within seconds. With TLS material, the channel presents the
// node's certificate and takes the parent only if its certificate names the
// parent's unit (services/node/tls.h).
#ifndef TONGHOP_SERVICES_NODE_GRPC_PARENT_LINK_H_
#define TONGHOP_SERVICES_NODE_GRPC_PARENT_LINK_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "libs/auth/tls_material.h"
#include "libs/federation/parent_link.h"
#include "tonghop/v1/federation.grpc.pb.h"

namespace tonghop {

class GrpcParentLink final : public ParentLink {
 public:
  // `address` is "host:port" of the node of `parent_unit`. Each push waits at
  // most `deadline`. Thread-safe.
  GrpcParentLink(const std::string& address, const std::string& parent_unit,
                 const std::optional<TlsMaterial>& tls,
                 absl::Duration deadline = absl::Seconds(5));
  absl::StatusOr<v1::PushResponse> Push(
      const v1::PushRequest& request) override;
  absl::StatusOr<v1::ReminderList> FetchReminders(
      const std::string& child, int64_t after_sequence) override;

 private:
  std::unique_ptr<v1::FederationService::Stub> stub_;
  const absl::Duration deadline_;
  const bool tls_;  // mutual TLS: hint at a refused certificate in errors
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_GRPC_PARENT_LINK_H_
