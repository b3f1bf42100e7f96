// The load generator's client side: pushes over the real federation API from
// many concurrent clients, each on its own connection, and a probe that
// watches a node's roll-up for the revisions it reflects.
#ifndef TONGHOP_TOOLS_BENCH_DRIVE_H_
#define TONGHOP_TOOLS_BENCH_DRIVE_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tonghop/v1/federation.pb.h"
#include "tools/bench/stats.h"

namespace tonghop::bench {

// `count` channels to `target`, each its own TCP connection (like as many
// ward nodes), connected before they are returned (at most 10 s each).
std::vector<std::shared_ptr<grpc::Channel>> Connect(const std::string& target,
                                                    int count);

// A push serialised ahead of time: the load generator spends its CPU sending,
// not encoding (alike for tonghop and the ceiling).
struct EncodedPush {
  std::string bytes;
  int values = 0;  // indicator values it carries
};
std::vector<EncodedPush> Encode(
    const std::vector<tonghop::v1::PushRequest>& pushes);

// Load-generator clients, one per channel. Run() sends `pushes` through
// FederationService.Push: each client takes the next unsent push as soon as
// its previous one is answered (as fast as the server takes them), from the
// completion callback itself (the way gRPC's own qps client drives the
// callback API: no thread of ours wakes per push, so the generator's CPU is
// gRPC's client cost and little else, which leaves the cores to the server
// measured). `on_ack(i, t)` runs, on a gRPC thread, for each OK answer to
// pushes[i] at time t: it must be thread-safe across different i. Every call
// has a 30 s deadline. One Run at a time; `pushes` must outlive the Run.
class ClientPool {
 public:
  explicit ClientPool(std::vector<std::shared_ptr<grpc::Channel>> channels);
  ~ClientPool();
  LoadResult Run(const std::vector<EncodedPush>& pushes,
                 const std::function<void(size_t, SteadyTime)>& on_ack = {});

 private:
  struct Call;
  // Client c sends the next unsent push, or ends its part of the Run.
  void Next(size_t c);
  void Done(size_t c, std::unique_ptr<Call> call, const grpc::Status& status);
  const std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  absl::Mutex mu_;
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;  // clients busy in this Run
  const std::vector<EncodedPush>* pushes_ = nullptr;
  const std::function<void(size_t, SteadyTime)>* on_ack_ = nullptr;
  std::atomic<size_t> next_{0};
  std::vector<LoadResult> per_;  // one per client, for the current Run
};

// Appends the (unit, revision) of each ChildBreakdown in `buffer`, a
// serialised GetRollupResponse, read straight off the wire: the probe is a
// measuring instrument and must weigh little next to what it measures, so it
// neither builds the response's messages nor copies its values. False when the
// bytes are not a well-formed response.
bool ScanRevisions(grpc::ByteBuffer& buffer,
                   std::vector<std::pair<std::string, int64_t>>& out);

// Polls a node's GetRollup of (`period`, `unit`, breakdown) on its own thread,
// 5 ms after each answer (its resolution; light on the node), recording for
// each unit of the breakdown the first time each newer revision showed.
// Thread-safe.
class RevisionProbe {
 public:
  RevisionProbe(std::shared_ptr<grpc::Channel> channel, std::string period,
                std::string unit);
  ~RevisionProbe();  // stops polling
  // When `child` first showed a revision of at least `revision`; false when
  // not yet.
  bool SeenAt(const std::string& child, int64_t revision, SteadyTime* at) const;
  int64_t polls() const;

 private:
  void Loop();
  std::shared_ptr<grpc::Channel> channel_;
  const std::string period_, unit_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  int64_t polls_ ABSL_GUARDED_BY(mu_) = 0;
  // child -> (revision, first seen), increasing revisions
  std::map<std::string, std::vector<std::pair<int64_t, SteadyTime>>> seen_
      ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_DRIVE_H_
