#include "tools/bench/calls.h"

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop::bench {

using google::protobuf::util::TimeUtil;

absl::Status SetClock(const std::string& target, absl::Time t) {
  auto stub = v1::AdminService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::SetClockRequest request;
  *request.mutable_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
  v1::SetClockResponse response;
  grpc::Status s = stub->SetClock(&context, request, &response);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("SetClock on ", target, ": ", s.error_message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::GetRollupResponse> Rollup(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& period,
    const std::string& unit, bool breakdown) {
  auto stub = v1::ReportingService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::GetRollupRequest request;
  request.set_period(period);
  request.set_unit(unit);
  request.set_breakdown(breakdown);
  v1::GetRollupResponse response;
  grpc::Status s = stub->GetRollup(&context, request, &response);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("GetRollup ", period, ": ", s.error_message()));
  }
  return response;
}

// Runs `call` (one blocking RPC, 10 s deadline) `warmup` times unmeasured,

LoadResult TimedCalls(
    int iterations, int warmup,
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  LoadResult r;
  r.clients = 1;
  SteadyTime t0 = std::chrono::steady_clock::now();
  for (int i = -warmup; i < iterations; ++i) {
    if (i == 0) t0 = std::chrono::steady_clock::now();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    const SteadyTime a = std::chrono::steady_clock::now();
    grpc::Status s = call(&context);
    if (i < 0) continue;  // warm-up
    ++r.sent;
    if (!s.ok()) {
      ++r.failed;
      continue;
    }
    ++r.acknowledged;
    r.latencies_ms.push_back(Ms(a, std::chrono::steady_clock::now()));
  }
  r.seconds = Ms(t0, std::chrono::steady_clock::now()) / 1000;
  return r;
}

namespace {

LoadResult QueryLoopHere(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& period, const std::string& unit,
                         int iterations, int warmup) {
  auto stub = v1::ReportingService::NewStub(channel);
  v1::GetRollupRequest request;
  request.set_period(period);
  request.set_unit(unit);
  request.set_breakdown(true);
  return TimedCalls(iterations, warmup, [&](grpc::ClientContext* context) {
    // Parsed onto an arena, as a client parses a large answer: the city's
    // breakdown is thousands of small messages, and with the heap their
    // allocation and release cost the client more than the round trip.
    google::protobuf::Arena arena;
    auto* response =
        google::protobuf::Arena::CreateMessage<v1::GetRollupResponse>(&arena);
    return stub->GetRollup(context, request, response);
  });
}

}  // namespace

LoadResult QueryLoop(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& period, const std::string& unit,
                     int iterations, int warmup) {
  LoadResult result;
  std::thread([&] {
    result = QueryLoopHere(channel, period, unit, iterations, warmup);
  }).join();
  return result;
}

LoadResult RoundTripLoop(const std::shared_ptr<grpc::Channel>& channel,
                         int iterations) {
  LoadResult result;
  std::thread([&] {
    auto stub = v1::ReportingService::NewStub(channel);
    result = TimedCalls(iterations, 50, [&](grpc::ClientContext* context) {
      v1::NodeInfo response;
      return stub->GetNodeInfo(context, v1::GetNodeInfoRequest(), &response);
    });
  }).join();
  return result;
}

void CheckNational(const v1::GetRollupResponse& rollup, const Totals& totals,
                   Check& check) {
  for (const v1::ConsolidatedValue& v : rollup.report().values()) {
    auto it = totals.find(v.indicator());
    if (it == totals.end()) continue;
    ++check.checked;
    const IndicatorTotal& t = it->second;
    bool same = false;
    if (v.value().has_ratio()) {
      same = v.value().ratio().numerator() == t.numerator &&
             v.value().ratio().denominator() == t.denominator;
    } else {
      same = v.value().number() == t.number;
    }
    if (!same) {
      ++check.mismatched;
      if (check.mismatched <= 5) {
        Progress(absl::StrCat("MISMATCH ", rollup.report().period(), " ",
                              v.indicator(), ": ", v.value().ShortDebugString(),
                              " vs ", t.numerator, "/", t.denominator, " ",
                              t.number));
      }
    }
  }
}

}  // namespace tonghop::bench
