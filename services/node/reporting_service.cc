#include "services/node/reporting_service.h"

#include "google/protobuf/util/time_util.h"
#include "services/node/grpc_status.h"

namespace tonghop {
namespace {

// Finishes `reactor` with `result`, moving its value into `response` on
// success.
template <typename T>
grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     absl::StatusOr<T> result, T* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (result.ok()) {
    *response = *std::move(result);
    reactor->Finish(grpc::Status::OK);
  } else {
    reactor->Finish(ToGrpcStatus(result.status()));
  }
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* ReportingService::Submit(
    grpc::CallbackServerContext* context, const v1::SubmitRequest* request,
    v1::SubmitResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // The request and response stay valid until Finish, which the writer calls
  // after the sync.
  engine_->Submit(
      *request, [reactor, response](absl::StatusOr<v1::SubmitResponse> result) {
        if (result.ok()) {
          *response = *std::move(result);
          reactor->Finish(grpc::Status::OK);
        } else {
          reactor->Finish(ToGrpcStatus(result.status()));
        }
      });
  return reactor;
}

grpc::ServerUnaryReactor* ReportingService::GetRollup(
    grpc::CallbackServerContext* context, const v1::GetRollupRequest* request,
    v1::GetRollupResponse* response) {
  return FinishWith(context, engine_->GetRollup(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::GetTemplate(
    grpc::CallbackServerContext* context, const v1::GetTemplateRequest* request,
    v1::GetTemplateResponse* response) {
  return FinishWith(context, engine_->GetTemplate(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::GetCatalog(
    grpc::CallbackServerContext* context, const v1::GetCatalogRequest*,
    v1::Catalog* response) {
  return FinishWith(
      context,
      absl::StatusOr<v1::Catalog>(engine_->topology().catalog().proto()),
      response);
}

grpc::ServerUnaryReactor* ReportingService::GetNodeInfo(
    grpc::CallbackServerContext* context, const v1::GetNodeInfoRequest*,
    v1::NodeInfo* response) {
  const Topology& topo = engine_->topology();
  v1::NodeInfo info;
  info.set_unit(topo.self().code);
  info.set_name(topo.self().name);
  info.set_role(std::string(LevelName(topo.self().level)));
  for (const Child& c : topo.children()) info.add_children(c.unit->code);
  *info.mutable_now() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(clock_->Now()));
  info.set_simulated_clock(clock_->IsSimulated());
  if (federation_info_) federation_info_(&info);
  return FinishWith(context, absl::StatusOr<v1::NodeInfo>(std::move(info)),
                    response);
}

}  // namespace tonghop
