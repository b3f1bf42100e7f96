// tonghop.v1.ReportingService over the engine, with the gRPC callback API.
// Submit never blocks a gRPC thread: the reactor finishes from the engine's
// writer after the synced write. With tokens in the config, every call is
// checked first (services/node/access.h): a unit's token reaches that unit's
// report, template, the catalog and the node's identity; the rest is the
// secretariat's; a write records the token's actor.
#ifndef TONGHOP_SERVICES_NODE_REPORTING_SERVICE_H_
#define TONGHOP_SERVICES_NODE_REPORTING_SERVICE_H_

#include <functional>

#include "libs/auth/access.h"
#include "libs/clock/clock.h"
#include "libs/engine/engine.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop {

// GetRollup is a raw method: the engine answers with serialised bytes it keeps
// between writes (Engine::GetRollupBytes), sent as they are.
class ReportingService final
    : public v1::ReportingService::WithRawCallbackMethod_GetRollup<
          v1::ReportingService::CallbackService> {
 public:
  // `engine` and `clock` are not owned and must outlive the server.
  // `federation_info` fills the delivery fields of NodeInfo (parent, outbox,
  // last error).
  // `access` (not owned) says who may call what.
  ReportingService(Engine* engine, const Clock* clock,
                   const AccessPolicy* access,
                   std::function<void(v1::NodeInfo*)> federation_info)
      : engine_(engine),
        clock_(clock),
        access_(access),
        federation_info_(std::move(federation_info)) {}

  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext* context,
                                   const v1::SubmitRequest* request,
                                   v1::SubmitResponse* response) override;
  grpc::ServerUnaryReactor* GetRollup(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetSeries(grpc::CallbackServerContext* context,
                                      const v1::GetSeriesRequest* request,
                                      v1::GetSeriesResponse* response) override;
  grpc::ServerUnaryReactor* GetTemplate(
      grpc::CallbackServerContext* context,
      const v1::GetTemplateRequest* request,
      v1::GetTemplateResponse* response) override;
  grpc::ServerUnaryReactor* GetCatalog(grpc::CallbackServerContext* context,
                                       const v1::GetCatalogRequest* request,
                                       v1::Catalog* response) override;
  grpc::ServerUnaryReactor* Finalize(grpc::CallbackServerContext* context,
                                     const v1::FinalizeRequest* request,
                                     v1::FinalizeResponse* response) override;
  grpc::ServerUnaryReactor* SetLock(grpc::CallbackServerContext* context,
                                    const v1::SetLockRequest* request,
                                    v1::LockRecord* response) override;
  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const v1::GetStatusRequest* request,
                                      v1::StatusReport* response) override;
  grpc::ServerUnaryReactor* ListReminders(
      grpc::CallbackServerContext* context,
      const v1::ListRemindersRequest* request,
      v1::ReminderList* response) override;
  grpc::ServerUnaryReactor* ListAudit(grpc::CallbackServerContext* context,
                                      const v1::ListAuditRequest* request,
                                      v1::AuditLog* response) override;
  grpc::ServerUnaryReactor* GetNodeInfo(grpc::CallbackServerContext* context,
                                        const v1::GetNodeInfoRequest* request,
                                        v1::NodeInfo* response) override;

 private:
  Engine* engine_;
  const Clock* clock_;
  const AccessPolicy* access_;
  std::function<void(v1::NodeInfo*)> federation_info_;
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_REPORTING_SERVICE_H_
