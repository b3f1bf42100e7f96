#include "services/node/reporting_service.h"

#include "google/protobuf/util/time_util.h"
#include "services/node/access.h"
#include "services/node/grpc_status.h"
#include "services/node/shared_bytes.h"

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

// Hands a writer operation to the engine; the reactor finishes from the writer
// after the synced write.
template <typename T, typename Request, typename Start>
grpc::ServerUnaryReactor* Deferred(grpc::CallbackServerContext* context,
                                   Request request, T* response, Start start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  start(std::move(request), [reactor, response](absl::StatusOr<T> result) {
    if (result.ok()) {
      *response = *std::move(result);
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(ToGrpcStatus(result.status()));
    }
  });
  return reactor;
}

grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

absl::Status AnyToken(const Grant&) { return absl::OkStatus(); }

// A write: the caller passes `check` (services/node/access.h), the request
// records the token's actor when the node asks for tokens, and `start` hands
// it to the engine (Deferred).
template <typename T, typename Request, typename Check, typename Start>
grpc::ServerUnaryReactor* Write(grpc::CallbackServerContext* context,
                                const AccessPolicy& access,
                                const Request& request, T* response,
                                Check check, Start start) {
  Grant grant;
  absl::Status may = CallerMay(*context, access, check, &grant);
  if (!may.ok()) return Refuse(context, may);
  Request write = request;
  if (grant.checked) write.set_actor(grant.actor);
  return Deferred(context, std::move(write), response, std::move(start));
}

}  // namespace

grpc::ServerUnaryReactor* ReportingService::Submit(
    grpc::CallbackServerContext* context, const v1::SubmitRequest* request,
    v1::SubmitResponse* response) {
  // The response stays valid until Finish, which the writer calls after the
  // sync.
  return Write(
      context, *access_, *request, response,
      [&](const Grant& g) {
        return access_->ForUnit(g, request->unit(), "unit");
      },
      [this](auto r, auto done) {
        engine_->Submit(std::move(r), std::move(done));
      });
}

grpc::ServerUnaryReactor* ReportingService::Finalize(
    grpc::CallbackServerContext* context, const v1::FinalizeRequest* request,
    v1::FinalizeResponse* response) {
  return Write(
      context, *access_, *request, response,
      [&](const Grant& g) {
        return access_->ForUnit(g, request->unit(), "unit");
      },
      [this](auto r, auto done) {
        engine_->Finalize(std::move(r), std::move(done));
      });
}

grpc::ServerUnaryReactor* ReportingService::SetLock(
    grpc::CallbackServerContext* context, const v1::SetLockRequest* request,
    v1::LockRecord* response) {
  return Write(
      context, *access_, *request, response,
      [&](const Grant& g) {
        return access_->Secretariat(g, request->locked() ? "lock" : "unlock");
      },
      [this](auto r, auto done) {
        engine_->SetLock(std::move(r), std::move(done));
      });
}

grpc::ServerUnaryReactor* ReportingService::GetStatus(
    grpc::CallbackServerContext* context, const v1::GetStatusRequest* request,
    v1::StatusReport* response) {
  absl::Status may = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->Secretariat(g, "the reporting status (status, laggards)");
  });
  if (!may.ok()) return Refuse(context, may);
  return FinishWith(context, engine_->GetStatus(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::ListReminders(
    grpc::CallbackServerContext* context,
    const v1::ListRemindersRequest* request, v1::ReminderList* response) {
  absl::Status may = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->Secretariat(g, "reminders");
  });
  if (!may.ok()) return Refuse(context, may);
  return FinishWith(context, engine_->ListReminders(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::ListAudit(
    grpc::CallbackServerContext* context, const v1::ListAuditRequest* request,
    v1::AuditLog* response) {
  // A unit's token reads its own unit's entries; the whole log is the
  // secretariat's.
  absl::Status may = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->ForUnit(g, request->unit(), "unit");
  });
  if (!may.ok()) return Refuse(context, may);
  return FinishWith(context, engine_->ListAudit(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::GetRollup(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  grpc::Slice in;
  v1::GetRollupRequest parsed;
  if (!request->DumpToSingleSlice(&in).ok() ||
      !parsed.ParseFromArray(in.begin(), static_cast<int>(in.size()))) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "the request is not a GetRollupRequest"));
    return reactor;
  }
  absl::Status may = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->ForUnit(g, parsed.unit(), "unit");
  });
  if (!may.ok()) {
    reactor->Finish(ToGrpcStatus(may));
    return reactor;
  }
  auto bytes = engine_->GetRollupBytes(parsed);
  if (!bytes.ok()) {
    reactor->Finish(ToGrpcStatus(bytes.status()));
    return reactor;
  }
  // By reference to the engine's bytes: nothing is copied.
  *response = SharedBytes(*std::move(bytes));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* ReportingService::GetSeries(
    grpc::CallbackServerContext* context, const v1::GetSeriesRequest* request,
    v1::GetSeriesResponse* response) {
  // As GetRollup: a unit's token reads its own unit's series.
  absl::Status may = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->ForUnit(g, request->unit(), "unit");
  });
  if (!may.ok()) return Refuse(context, may);
  return FinishWith(context, engine_->GetSeries(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::GetTemplate(
    grpc::CallbackServerContext* context, const v1::GetTemplateRequest* request,
    v1::GetTemplateResponse* response) {
  absl::Status may = CallerMay(*context, *access_, [&](const Grant& g) {
    return access_->ForUnit(g, request->unit(), "unit");
  });
  if (!may.ok()) return Refuse(context, may);
  return FinishWith(context, engine_->GetTemplate(*request), response);
}

grpc::ServerUnaryReactor* ReportingService::GetCatalog(
    grpc::CallbackServerContext* context, const v1::GetCatalogRequest*,
    v1::Catalog* response) {
  absl::Status may = CallerMay(*context, *access_, AnyToken);
  if (!may.ok()) return Refuse(context, may);
  return FinishWith(
      context,
      absl::StatusOr<v1::Catalog>(engine_->topology().catalog().proto()),
      response);
}

grpc::ServerUnaryReactor* ReportingService::GetNodeInfo(
    grpc::CallbackServerContext* context, const v1::GetNodeInfoRequest*,
    v1::NodeInfo* response) {
  Grant grant;
  absl::Status may = CallerMay(*context, *access_, AnyToken, &grant);
  if (!may.ok()) return Refuse(context, may);
  const Topology& topo = engine_->topology();
  v1::NodeInfo info;
  info.set_unit(topo.self().code);
  info.set_name(topo.self().name);
  // As the config names the role (ROLE_WARD: "ward"), not the registry's
  // level of its unit ("commune").
  info.set_role(topo.self().level == Level::kCommune
                    ? std::string("ward")
                    : std::string(LevelName(topo.self().level)));
  for (const Child& c : topo.children()) info.add_children(c.unit->code);
  *info.mutable_now() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(clock_->Now()));
  info.set_simulated_clock(clock_->IsSimulated());
  if (federation_info_) federation_info_(&info);
  // The delivery errors and the channels (a webhook's URL often holds its
  // secret) are the secretariat's; the parent and the backlog are not.
  if (grant.checked && !grant.secretariat) {
    info.clear_last_push_error();
    info.clear_channels();
  }
  return FinishWith(context, absl::StatusOr<v1::NodeInfo>(std::move(info)),
                    response);
}

}  // namespace tonghop
