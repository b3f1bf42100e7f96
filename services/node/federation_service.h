// tonghop.v1.FederationService: child nodes push their consolidated reports
// here. The reactor finishes from the engine's writer after the synced write
// (never blocks a gRPC thread).
#ifndef TONGHOP_SERVICES_NODE_FEDERATION_SERVICE_H_
#define TONGHOP_SERVICES_NODE_FEDERATION_SERVICE_H_

#include "libs/engine/engine.h"
#include "tonghop/v1/federation.grpc.pb.h"

namespace tonghop {

class FederationService final : public v1::FederationService::CallbackService {
 public:
  explicit FederationService(Engine* engine) : engine_(engine) {}  // not owned

  grpc::ServerUnaryReactor* Push(grpc::CallbackServerContext* context,
                                 const v1::PushRequest* request,
                                 v1::PushResponse* response) override;
  grpc::ServerUnaryReactor* FetchReminders(
      grpc::CallbackServerContext* context,
      const v1::FetchRemindersRequest* request,
      v1::ReminderList* response) override;

 private:
  Engine* engine_;
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_FEDERATION_SERVICE_H_
