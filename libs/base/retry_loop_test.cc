#include "libs/base/retry_loop.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace tonghop {
namespace {

TEST(RetryLoopTest, BacksOffAfterFailuresAndWakesOnNotify) {
  RetryLoop loop(
      {absl::Milliseconds(5), absl::Milliseconds(20), absl::Seconds(30)});
  std::atomic<int> passes{0};
  std::atomic<bool> fail{true};
  std::thread runner([&] {
    loop.Run([&] {
      ++passes;
      return !fail.load();
    });
  });
  // Failing passes repeat on their own (backoff at most 20 ms).
  for (int i = 0; i < 400 && passes < 5; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  EXPECT_GE(passes.load(), 5);
  // A successful pass then sleeps until notified (the idle period is 30 s).
  fail = false;
  for (int i = 0; i < 400; ++i) {
    int before = passes;
    absl::SleepFor(absl::Milliseconds(50));
    if (passes == before) break;
  }
  const int idle = passes;
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(passes.load(), idle);
  loop.Notify();
  for (int i = 0; i < 400 && passes == idle; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(passes.load(), idle + 1);
  loop.Stop();
  runner.join();
  EXPECT_TRUE(loop.stopping());
}

}  // namespace
}  // namespace tonghop
