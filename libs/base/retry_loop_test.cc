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

TEST(RetryLoopTest, GathersABurstOfNotificationsIntoOnePass) {
  RetryLoop::Options options;
  options.idle = absl::Seconds(30);
  options.gather = absl::Milliseconds(300);
  RetryLoop loop(options);
  std::atomic<int> passes{0};
  std::thread runner([&] {
    loop.Run([&] {
      ++passes;
      return true;
    });
  });
  for (int i = 0; i < 400 && passes < 1; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  ASSERT_EQ(passes.load(), 1);
  // Ten notifications well inside the gather time: one more pass, not ten.
  for (int i = 0; i < 10; ++i) loop.Notify();
  for (int i = 0; i < 400 && passes < 2; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_EQ(passes.load(), 2);
  // A stop during the gather time ends the loop without waiting it out.
  loop.Notify();
  absl::SleepFor(absl::Milliseconds(20));
  loop.Stop();
  runner.join();
  EXPECT_EQ(passes.load(), 2);
}

// A stream of notifications `every` apart for `length`; returns the passes
// made while it lasted.
int PassesDuring(RetryLoop& loop, const std::atomic<int>& passes,
                 absl::Duration every, absl::Duration length) {
  const int before = passes;
  for (absl::Duration sent; sent < length; sent += every) {
    loop.Notify();
    absl::SleepFor(every);
  }
  return passes - before;
}

TEST(RetryLoopTest, GathersUntilTheNotificationsQuieten) {
  RetryLoop::Options options;
  options.idle = absl::Seconds(30);
  options.gather = absl::Milliseconds(100);
  options.gather_max = absl::Seconds(30);
  RetryLoop loop(options);
  std::atomic<int> passes{0};
  std::thread runner([&] {
    loop.Run([&] {
      ++passes;
      return true;
    });
  });
  for (int i = 0; i < 400 && passes < 1; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  ASSERT_EQ(passes.load(), 1);
  // A burst six gather times long, a notification every 5 ms: no pass while
  // it lasts (a fixed linger of one gather time would pass about six times;
  // a scheduling hiccup of a whole gather time may cause one).
  EXPECT_LE(PassesDuring(loop, passes, absl::Milliseconds(5),
                         absl::Milliseconds(600)),
            1);
  // Then one pass, once a gather time passed without a notification.
  for (int i = 0; i < 400 && passes < 2; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  const int after = passes;
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(passes.load(), after);
  EXPECT_LE(after, 3);
  loop.Stop();
  runner.join();
}

TEST(RetryLoopTest, AnEndlessStreamOfNotificationsPassesEveryGatherMax) {
  RetryLoop::Options options;
  options.idle = absl::Seconds(30);
  options.gather = absl::Milliseconds(50);
  options.gather_max = absl::Milliseconds(150);
  RetryLoop loop(options);
  std::atomic<int> passes{0};
  std::thread runner([&] {
    loop.Run([&] {
      ++passes;
      return true;
    });
  });
  for (int i = 0; i < 400 && passes < 1; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  ASSERT_EQ(passes.load(), 1);
  // 1.2 s of notifications 5 ms apart: a pass about every 150 ms, never
  // waiting for a quiet that does not come.
  EXPECT_GE(PassesDuring(loop, passes, absl::Milliseconds(5),
                         absl::Milliseconds(1200)),
            3);
  loop.Stop();
  runner.join();
}

}  // namespace
}  // namespace tonghop
