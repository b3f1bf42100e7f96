// A serial executor: runs posted tasks one after another, in the order they
// were posted, on its own thread. The engine's writer hands it the
// completions of a written group (answering the RPCs, which writes to their
// sockets) so that it can take the next group at once. Post is thread-safe
// and never blocks on a task. Destruction runs every task posted before it,
// then joins the thread; posting during destruction is an error.
#ifndef TONGHOP_LIBS_BASE_SERIAL_EXECUTOR_H_
#define TONGHOP_LIBS_BASE_SERIAL_EXECUTOR_H_

#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace tonghop {

class SerialExecutor {
 public:
  SerialExecutor();
  ~SerialExecutor();
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  void Post(absl::AnyInvocable<void() &&> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_SERIAL_EXECUTOR_H_
