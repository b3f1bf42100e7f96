#include "libs/base/serial_executor.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

TEST(SerialExecutorTest, RunsTasksInPostOrderOffTheCallersThread) {
  std::vector<int> order;  // written only by the executor's thread
  std::thread::id ran_on;
  absl::Notification done;
  {
    SerialExecutor executor;
    for (int i = 0; i < 1000; ++i)
      executor.Post([&order, i] { order.push_back(i); });
    executor.Post([&] {
      ran_on = std::this_thread::get_id();
      done.Notify();
    });
    ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  }
  EXPECT_NE(ran_on, std::this_thread::get_id());
  ASSERT_EQ(order.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(order[i], i);
}

TEST(SerialExecutorTest, DestructionRunsWhatWasPosted) {
  int ran = 0;
  {
    SerialExecutor executor;
    // The first task holds the thread while the others queue up behind it.
    absl::Notification release;
    executor.Post([&] { release.WaitForNotification(); });
    for (int i = 0; i < 50; ++i) executor.Post([&ran] { ++ran; });
    release.Notify();
  }  // ~SerialExecutor: every posted task has run
  EXPECT_EQ(ran, 50);
}

TEST(SerialExecutorTest, TakesMoveOnlyTasks) {
  auto value = std::make_unique<int>(7);
  int seen = 0;
  {
    SerialExecutor executor;
    executor.Post([v = std::move(value), &seen] { seen = *v; });
  }
  EXPECT_EQ(seen, 7);
}

}  // namespace
}  // namespace tonghop
