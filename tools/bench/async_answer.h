// The benchmark's answer server over gRPC's async API (tonghop-bench-ceiling
// --mode=answer --api=async; docs/benchmarks.md): what the city's roll-up
// answer costs on this machine from the lightest gRPC server there is, one
// thread polling one completion queue and answering on it, with no handoff
// between threads. The house style (DESIGN.md §5) serves with the callback
// API; this one is for the benchmark's floor row only.
//
// Contract: GetRollup of tonghop.v1.ReportingService answers the bytes given
// (shared, never copied) whatever it is asked; every other method answers
// UNIMPLEMENTED. Calls are served concurrently (each call is its own state
// machine on the one queue). Usage: Register on a ServerBuilder, build the
// server, Start(); to stop, Shutdown the server, then Stop() (which drains the
// queue and joins the thread). Not copyable.
#ifndef TONGHOP_TOOLS_BENCH_ASYNC_ANSWER_H_
#define TONGHOP_TOOLS_BENCH_ASYNC_ANSWER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace tonghop::bench {

class AsyncAnswerServer {
 public:
  explicit AsyncAnswerServer(std::shared_ptr<const std::string> answer);
  ~AsyncAnswerServer();
  AsyncAnswerServer(const AsyncAnswerServer&) = delete;
  AsyncAnswerServer& operator=(const AsyncAnswerServer&) = delete;

  // Before BuildAndStart: adds the generic service and its completion queue.
  void Register(grpc::ServerBuilder& builder);
  // After BuildAndStart: starts the polling thread.
  void Start();
  // After the server's Shutdown: shuts the queue down, drains it, joins.
  void Stop();

 private:
  class Call;

  // Requests the next call unless Stop has begun: a queue that was shut down
  // takes no new request (gRPC aborts).
  void RequestNext();

  const std::shared_ptr<const std::string> answer_;
  grpc::AsyncGenericService service_;
  std::unique_ptr<grpc::ServerCompletionQueue> queue_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_ASYNC_ANSWER_H_
