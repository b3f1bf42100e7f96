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

// A loop of `options` run on its own thread with passes that always succeed,
// counted; started once its first pass is done, stopped on destruction.
class CountedLoop {
 public:
  explicit CountedLoop(RetryLoop::Options options) : loop_(options) {
    runner_ = std::thread([this] {
      loop_.Run([this] {
        ++passes_;
        return true;
      });
    });
    for (int i = 0; i < 400 && passes_ < 1; ++i)
      absl::SleepFor(absl::Milliseconds(5));
  }
  ~CountedLoop() {
    loop_.Stop();
    runner_.join();
  }
  int passes() const { return passes_; }
  // Notifies every `every` for `length`; returns the passes made meanwhile.
  int PassesDuring(absl::Duration every, absl::Duration length) {
    const int before = passes_;
    for (absl::Duration sent; sent < length; sent += every) {
      loop_.Notify();
      absl::SleepFor(every);
    }
    return passes_ - before;
  }

 private:
  RetryLoop loop_;
  std::atomic<int> passes_{0};
  std::thread runner_;
};

TEST(RetryLoopTest, GathersUntilTheNotificationsQuieten) {
  RetryLoop::Options options;
  options.idle = absl::Seconds(30);
  options.gather = absl::Milliseconds(100);
  options.gather_max = absl::Seconds(30);
  CountedLoop loop(options);
  ASSERT_EQ(loop.passes(), 1);
  // A burst six gather times long, a notification every 5 ms: no pass while
  // it lasts (a fixed linger of one gather time would pass about six times;
  // a scheduling hiccup of a whole gather time may cause one).
  EXPECT_LE(loop.PassesDuring(absl::Milliseconds(5), absl::Milliseconds(600)),
            1);
  // Then one pass, once a gather time passed without a notification.
  for (int i = 0; i < 400 && loop.passes() < 2; ++i)
    absl::SleepFor(absl::Milliseconds(5));
  const int after = loop.passes();
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(loop.passes(), after);
  EXPECT_LE(after, 3);
}

TEST(RetryLoopTest, AnEndlessStreamOfNotificationsPassesEveryGatherMax) {
  RetryLoop::Options options;
  options.idle = absl::Seconds(30);
  options.gather = absl::Milliseconds(50);
  options.gather_max = absl::Milliseconds(150);
  CountedLoop loop(options);
  ASSERT_EQ(loop.passes(), 1);
  // 1.2 s of notifications 5 ms apart: a pass about every 150 ms, never
  // waiting for a quiet that does not come.
  EXPECT_GE(loop.PassesDuring(absl::Milliseconds(5), absl::Milliseconds(1200)),
            3);
}

}  // namespace
}  // namespace tonghop
