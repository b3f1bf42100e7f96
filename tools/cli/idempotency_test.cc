#include "tools/cli/idempotency.h"

#include "gtest/gtest.h"

namespace tonghop::cli {
namespace {

TEST(IdempotencyTest, KnownValue) {
  // python3: "cli-" + sha256(b"6:HP-W01" b"7:2026-03" b"3:a,b" b"4:run1")
  //   .hexdigest()
  EXPECT_EQ(
      DefaultIdempotencyKey("HP-W01", "2026-03", "a,b", "run1"),
      "cli-d57b03e111e8722ebffbbcc2c1d8a95edbcff27f0d3014d67dda640365a52a23");
}

TEST(IdempotencyTest, SameInputSameKeyOtherInputOtherKey) {
  std::string key = DefaultIdempotencyKey("HP-W01", "2026-03", "bytes", "r");
  EXPECT_EQ(key.size(), 68u);
  EXPECT_EQ(key, DefaultIdempotencyKey("HP-W01", "2026-03", "bytes", "r"));
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W02", "2026-03", "bytes", "r"));
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W01", "2026-04", "bytes", "r"));
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W01", "2026-03", "bytes\n", "r"));
  // Another run of the same file: another key.
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W01", "2026-03", "bytes", "s"));
  // Parts are length-prefixed: moving bytes between them changes the key.
  EXPECT_NE(DefaultIdempotencyKey("ab", "c", "", ""),
            DefaultIdempotencyKey("a", "bc", "", ""));
}

TEST(IdempotencyTest, EveryRunHasItsOwnInvocation) {
  absl::StatusOr<std::string> a = NewInvocation();
  absl::StatusOr<std::string> b = NewInvocation();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace tonghop::cli
