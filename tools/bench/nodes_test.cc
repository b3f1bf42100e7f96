// The machine's CPU accounting the benchmark reports with its figures: the
// steal share of a phase, read from /proc/stat.
#include "tools/bench/nodes.h"

#include "gtest/gtest.h"

namespace tonghop::bench {
namespace {

TEST(MachineCpuTest, ParsesTheAggregateLineOfProcStat) {
  // user nice system idle iowait irq softirq steal guest guest_nice
  const MachineCpu cpu = ParseProcStat(
      "cpu  100 2 30 800 5 1 2 60 7 0\n"
      "cpu0 50 1 15 400 2 1 1 30 7 0\n"
      "intr 12345\n");
  EXPECT_EQ(cpu.total, 100 + 2 + 30 + 800 + 5 + 1 + 2 + 60);
  EXPECT_EQ(cpu.steal, 60);
}

TEST(MachineCpuTest, MissingOrMalformedGivesZeros) {
  for (const char* text : {"", "cpu0 1 2 3 4 5 6 7 8\n", "cpu  1 2 3\n",
                           "cpu  1 2 3 4 5 6 x 8\n"}) {
    const MachineCpu cpu = ParseProcStat(text);
    EXPECT_EQ(cpu.total, 0) << text;
    EXPECT_EQ(cpu.steal, 0) << text;
  }
}

TEST(MachineCpuTest, StealShareIsTheStolenPartOfTheInterval) {
  const MachineCpu before{1000, 10}, after{1400, 110};
  EXPECT_DOUBLE_EQ(StealShare(before, after), 0.25);
  EXPECT_EQ(StealShare(after, after), 0);
}

TEST(MachineCpuTest, IntervalsAddUpToTheirShare) {
  MachineCpu sum;
  AddInterval({1000, 10}, {1100, 30}, sum);  // 20 of 100
  AddInterval({5000, 50}, {5300, 50}, sum);  // 0 of 300
  EXPECT_EQ(sum.total, 400);
  EXPECT_EQ(sum.steal, 20);
  EXPECT_DOUBLE_EQ(StealShare(MachineCpu(), sum), 0.05);
  // A failed reading at either end leaves the interval out.
  AddInterval(MachineCpu(), {9000, 900}, sum);
  AddInterval({9000, 900}, MachineCpu(), sum);
  EXPECT_EQ(sum.total, 400);
  EXPECT_EQ(sum.steal, 20);
}

TEST(MachineCpuTest, ThisMachineCountsTime) {
  // Linux always has /proc/stat; time only moves forward.
  const MachineCpu now = MachineCpuNow();
  EXPECT_GT(now.total, 0);
  EXPECT_GE(now.total, now.steal);
}

}  // namespace
}  // namespace tonghop::bench
