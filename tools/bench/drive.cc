#include "tools/bench/drive.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tonghop/v1/federation.grpc.pb.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop::bench {

std::vector<std::shared_ptr<grpc::Channel>> Connect(const std::string& target,
                                                    int count) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // own connection
    args.SetInt("tonghop.bench.client", i);
    auto channel = grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args);
    channel->WaitForConnected(std::chrono::system_clock::now() +
                              std::chrono::seconds(10));
    out.push_back(std::move(channel));
  }
  return out;
}

std::vector<EncodedPush> Encode(const std::vector<v1::PushRequest>& pushes) {
  std::vector<EncodedPush> out;
  out.reserve(pushes.size());
  for (const v1::PushRequest& p : pushes)
    out.push_back({p.SerializeAsString(), p.values_size()});
  return out;
}

ClientPool::ClientPool(std::vector<std::shared_ptr<grpc::Channel>> channels)
    : channels_(std::move(channels)), per_(channels_.size()) {
  for (size_t c = 0; c < channels_.size(); ++c)
    threads_.emplace_back([this, c] { Client(c); });
}

ClientPool::~ClientPool() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  for (auto& t : threads_) t.join();
}

LoadResult ClientPool::Run(
    const std::vector<EncodedPush>& pushes,
    const std::function<void(size_t, SteadyTime)>& on_ack) {
  for (LoadResult& r : per_) r = LoadResult();
  pushes_ = &pushes;
  on_ack_ = &on_ack;
  next_ = 0;
  const SteadyTime t0 = std::chrono::steady_clock::now();
  {
    absl::MutexLock lock(&mu_);
    running_ = channels_.size();
    ++generation_;
    mu_.Await(absl::Condition(
        +[](size_t* running) { return *running == 0; }, &running_));
  }
  LoadResult result;
  for (const LoadResult& r : per_) result.Merge(r);
  result.clients = static_cast<int>(channels_.size());
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return result;
}

void ClientPool::Client(size_t c) {
  grpc::GenericStub stub(channels_[c]);
  static const std::string kPush = "/tonghop.v1.FederationService/Push";
  int64_t seen = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || generation_ != seen;
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return;
      seen = generation_;
    }
    const auto& pushes = *pushes_;
    LoadResult& mine = per_[c];
    for (size_t i = next_++; i < pushes.size(); i = next_++) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
      grpc::Slice slice(pushes[i].bytes);
      grpc::ByteBuffer request(&slice, 1), response;
      absl::Notification done;
      grpc::Status s;
      const SteadyTime start = std::chrono::steady_clock::now();
      stub.UnaryCall(&context, kPush, grpc::StubOptions(), &request, &response,
                     [&](grpc::Status status) {
                       s = std::move(status);
                       done.Notify();
                     });
      done.WaitForNotification();
      const SteadyTime end = std::chrono::steady_clock::now();
      ++mine.sent;
      if (!s.ok()) {
        ++mine.failed;
        if (mine.failed <= 3) {
          fprintf(stderr, "push %zu: %s\n", i, s.error_message().c_str());
        }
        continue;
      }
      ++mine.acknowledged;
      mine.values += pushes[i].values;
      mine.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
      if (*on_ack_) (*on_ack_)(i, end);
    }
    absl::MutexLock lock(&mu_);
    --running_;
  }
}

RevisionProbe::RevisionProbe(std::shared_ptr<grpc::Channel> channel,
                             std::string period, std::string unit)
    : channel_(std::move(channel)),
      period_(std::move(period)),
      unit_(std::move(unit)),
      thread_([this] { Loop(); }) {}

RevisionProbe::~RevisionProbe() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void RevisionProbe::Loop() {
  auto stub = v1::ReportingService::NewStub(channel_);
  v1::GetRollupRequest request;
  request.set_period(period_);
  request.set_unit(unit_);
  request.set_breakdown(true);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::GetRollupResponse response;
    grpc::Status s = stub->GetRollup(&context, request, &response);
    const SteadyTime now = std::chrono::steady_clock::now();
    {
      absl::MutexLock lock(&mu_);
      ++polls_;
      for (const v1::ChildBreakdown& b : response.children()) {
        if (!s.ok()) break;
        auto& list = seen_[b.unit()];
        if (list.empty() || list.back().first < b.revision())
          list.emplace_back(b.revision(), now);
      }
    }
    // A short pause: the probe's resolution, and little load on the node.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool RevisionProbe::SeenAt(const std::string& child, int64_t revision,
                           SteadyTime* at) const {
  absl::MutexLock lock(&mu_);
  auto it = seen_.find(child);
  if (it == seen_.end()) return false;
  for (const auto& [rev, t] : it->second) {
    if (rev >= revision) {
      *at = t;
      return true;
    }
  }
  return false;
}

int64_t RevisionProbe::polls() const {
  absl::MutexLock lock(&mu_);
  return polls_;
}

}  // namespace tonghop::bench
