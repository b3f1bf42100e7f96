#include "tools/bench/drive.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/proto_buffer_reader.h"
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

// One push in flight: its context, buffers and start, owned by the client
// until the answer comes.
struct ClientPool::Call {
  grpc::ClientContext context;
  grpc::ByteBuffer request, response;
  size_t index = 0;
  SteadyTime start;
};

ClientPool::ClientPool(std::vector<std::shared_ptr<grpc::Channel>> channels)
    : channels_(std::move(channels)), per_(channels_.size()) {
  for (const auto& channel : channels_)
    stubs_.push_back(std::make_unique<grpc::GenericStub>(channel));
}

ClientPool::~ClientPool() = default;  // no Run outlives its call

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
  }
  for (size_t c = 0; c < channels_.size(); ++c) Next(c);
  {
    absl::MutexLock lock(&mu_);
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

void ClientPool::Next(size_t c) {
  static const std::string kPush = "/tonghop.v1.FederationService/Push";
  const size_t i = next_++;
  if (i >= pushes_->size()) {
    absl::MutexLock lock(&mu_);
    --running_;
    return;
  }
  auto call = std::make_unique<Call>();
  call->index = i;
  call->context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(30));
  // The encoded bytes outlive the call: sent without a copy.
  const std::string& bytes = (*pushes_)[i].bytes;
  grpc::Slice slice(bytes.data(), bytes.size(), grpc::Slice::STATIC_SLICE);
  call->request = grpc::ByteBuffer(&slice, 1);
  Call* raw = call.release();
  raw->start = std::chrono::steady_clock::now();
  stubs_[c]->UnaryCall(&raw->context, kPush, grpc::StubOptions(), &raw->request,
                       &raw->response, [this, c, raw](grpc::Status status) {
                         Done(c, std::unique_ptr<Call>(raw), status);
                       });
}

void ClientPool::Done(size_t c, std::unique_ptr<Call> call,
                      const grpc::Status& status) {
  const SteadyTime end = std::chrono::steady_clock::now();
  LoadResult& mine = per_[c];  // one call of client c at a time
  ++mine.sent;
  if (!status.ok()) {
    ++mine.failed;
    if (mine.failed <= 3) {
      fprintf(stderr, "push %zu: %s\n", call->index,
              status.error_message().c_str());
    }
  } else {
    const size_t i = call->index;
    ++mine.acknowledged;
    mine.values += (*pushes_)[i].values;
    mine.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(end - call->start).count());
    if (*on_ack_) (*on_ack_)(i, end);
  }
  call.reset();  // as gRPC's qps client does: the context ends in its callback
  Next(c);
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

bool ScanRevisions(grpc::ByteBuffer& buffer,
                   std::vector<std::pair<std::string, int64_t>>& out) {
  using google::protobuf::internal::WireFormatLite;
  grpc::ProtoBufferReader reader(&buffer);
  google::protobuf::io::CodedInputStream in(&reader);
  constexpr int kChildren = 2;  // GetRollupResponse.children
  constexpr int kUnit = 1;      // ChildBreakdown.unit
  constexpr int kRevision = 3;  // ChildBreakdown.revision
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != kChildren ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) return false;
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length)) return false;
    const auto limit = in.PushLimit(static_cast<int>(length));
    std::pair<std::string, int64_t> child;
    while (uint32_t t = in.ReadTag()) {
      const int field = WireFormatLite::GetTagFieldNumber(t);
      bool ok = true;
      if (field == kUnit && WireFormatLite::GetTagWireType(t) ==
                                WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
        ok = WireFormatLite::ReadString(&in, &child.first);
      } else if (field == kRevision && WireFormatLite::GetTagWireType(t) ==
                                           WireFormatLite::WIRETYPE_VARINT) {
        uint64_t v = 0;
        ok = in.ReadVarint64(&v);
        child.second = static_cast<int64_t>(v);
      } else {
        ok = WireFormatLite::SkipField(&in, t);
      }
      if (!ok) return false;
    }
    // Ended by its length, not by the end of the bytes.
    if (!in.ConsumedEntireMessage() || in.BytesUntilLimit() != 0) return false;
    in.PopLimit(limit);
    out.push_back(std::move(child));
  }
  return in.ConsumedEntireMessage();
}

void RevisionProbe::Loop() {
  grpc::GenericStub stub(channel_);
  static const std::string kGetRollup =
      "/tonghop.v1.ReportingService/GetRollup";
  v1::GetRollupRequest request;
  request.set_period(period_);
  request.set_unit(unit_);
  request.set_breakdown(true);
  const std::string request_bytes = request.SerializeAsString();
  std::vector<std::pair<std::string, int64_t>> children;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer send(&slice, 1), response;
    absl::Notification done;
    grpc::Status s;
    stub.UnaryCall(&context, kGetRollup, grpc::StubOptions(), &send, &response,
                   [&](grpc::Status status) {
                     s = std::move(status);
                     done.Notify();
                   });
    done.WaitForNotification();
    const SteadyTime now = std::chrono::steady_clock::now();
    children.clear();
    const bool ok = s.ok() && ScanRevisions(response, children);
    {
      absl::MutexLock lock(&mu_);
      ++polls_;
      for (const auto& [unit, revision] : children) {
        if (!ok) break;
        auto& list = seen_[unit];
        if (list.empty() || list.back().first < revision)
          list.emplace_back(revision, now);
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
