#include "services/node/federation_service.h"

#include "services/node/grpc_status.h"
#include "services/node/tls.h"

namespace tonghop {

bool FederationService::RefusedCaller(
    const grpc::CallbackServerContext& context, const std::string& child,
    grpc::ServerUnaryReactor* reactor) const {
  if (!tls_.has_value()) return false;
  absl::Status caller = CallerIs(context, child, "child", *tls_);
  if (caller.ok()) return false;
  reactor->Finish(ToGrpcStatus(caller));
  return true;
}

grpc::ServerUnaryReactor* FederationService::Push(
    grpc::CallbackServerContext* context, const v1::PushRequest* request,
    v1::PushResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (RefusedCaller(*context, request->child(), reactor)) return reactor;
  // The request object is gRPC's but not const, and gRPC is done with it once
  // the handler runs: take its contents instead of copying a city's whole
  // breakdown (a copy and a destruction of thousands of values per push).
  v1::PushRequest owned;
  owned.Swap(const_cast<v1::PushRequest*>(request));
  engine_->Push(std::move(owned),
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
  if (RefusedCaller(*context, request->child(), reactor)) return reactor;
  auto result =
      engine_->FetchReminders(request->child(), request->after_sequence());
  if (result.ok()) *response = *std::move(result);
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace tonghop
