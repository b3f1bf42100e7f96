#include "libs/clock/clock.h"

#include "gtest/gtest.h"

namespace tonghop {
namespace {

TEST(ClockTest, SimulatedMovesOnlyForward) {
  absl::Time start =
      absl::FromUnixSeconds(1773104400);  // 2026-03-10T08:00:00+07:00
  SimulatedClock clock(start);
  EXPECT_TRUE(clock.IsSimulated());
  EXPECT_EQ(clock.Now(), start);
  ASSERT_TRUE(clock.Advance(absl::Hours(24)).ok());
  EXPECT_EQ(clock.Now(), start + absl::Hours(24));
  EXPECT_EQ(clock.SetTime(start).code(), absl::StatusCode::kInvalidArgument);
  // Shown in Vietnam time, as everything else.
  EXPECT_EQ(clock.SetTime(start).message(),
            "time: 2026-03-10T08:00:00+07:00 is before the clock's "
            "2026-03-11T08:00:00+07:00; a clock never goes backwards");
  EXPECT_EQ(clock.Advance(-absl::Seconds(1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(clock.Now(), start + absl::Hours(24));
}

TEST(ClockTest, RealClockRefusesToMove) {
  RealClock clock;
  EXPECT_FALSE(clock.IsSimulated());
  EXPECT_EQ(clock.Advance(absl::Hours(1)).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tonghop
