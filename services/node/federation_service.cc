#include "services/node/federation_service.h"

#include "services/node/grpc_status.h"

namespace tonghop {

grpc::ServerUnaryReactor* FederationService::Push(
    grpc::CallbackServerContext* context, const v1::PushRequest* request,
    v1::PushResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  engine_->Push(*request,
                [reactor, response](absl::StatusOr<v1::PushResponse> result) {
                  if (result.ok()) {
                    *response = *std::move(result);
                    reactor->Finish(grpc::Status::OK);
                  } else {
                    reactor->Finish(ToGrpcStatus(result.status()));
                  }
                });
  return reactor;
}

grpc::ServerUnaryReactor* FederationService::FetchReminders(
    grpc::CallbackServerContext* context,
    const v1::FetchRemindersRequest* request, v1::ReminderList* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto result =
      engine_->FetchReminders(request->child(), request->after_sequence());
  if (result.ok()) *response = *std::move(result);
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace tonghop
