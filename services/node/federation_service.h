// tonghop.v1.FederationService: child nodes push their consolidated reports
// here. The reactor finishes from the engine's writer after the synced write
// (never blocks a gRPC thread). With the node's TLS material (mutual TLS), a
// push or a reminder fetch is taken only from the node whose certificate
// names its `child` and is not revoked (services/node/tls.h CallerIs),
// before anything else.
#ifndef TONGHOP_SERVICES_NODE_FEDERATION_SERVICE_H_
#define TONGHOP_SERVICES_NODE_FEDERATION_SERVICE_H_

#include <optional>
#include <utility>

#include "libs/auth/tls_material.h"
#include "libs/engine/engine.h"
#include "tonghop/v1/federation.grpc.pb.h"

namespace tonghop {

class FederationService final : public v1::FederationService::CallbackService {
 public:
  // `engine` is not owned; `tls` is nullopt on plain TCP.
  FederationService(Engine* engine, std::optional<TlsMaterial> tls)
      : engine_(engine), tls_(std::move(tls)) {}

  grpc::ServerUnaryReactor* Push(grpc::CallbackServerContext* context,
                                 const v1::PushRequest* request,
                                 v1::PushResponse* response) override;
  grpc::ServerUnaryReactor* FetchReminders(
      grpc::CallbackServerContext* context,
      const v1::FetchRemindersRequest* request,
      v1::ReminderList* response) override;

 private:
  // With tls_: finishes `reactor` and returns true unless the caller's
  // certificate names `child` and is not revoked.
  bool RefusedCaller(const grpc::CallbackServerContext& context,
                     const std::string& child,
                     grpc::ServerUnaryReactor* reactor) const;

  Engine* engine_;
  const std::optional<TlsMaterial> tls_;
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_FEDERATION_SERVICE_H_
