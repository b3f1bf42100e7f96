#include "libs/base/serial_executor.h"

#include <utility>

namespace tonghop {

SerialExecutor::SerialExecutor() : thread_([this] { Run(); }) {}

SerialExecutor::~SerialExecutor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void SerialExecutor::Post(absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
}

void SerialExecutor::Run() {
  while (true) {
    std::deque<absl::AnyInvocable<void() &&>> ready;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SerialExecutor* e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(e->mu_) {
            return !e->tasks_.empty() || e->stopping_;
          },
          this));
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      ready.swap(tasks_);
    }
    for (auto& task : ready) std::move(task)();
  }
}

}  // namespace tonghop
