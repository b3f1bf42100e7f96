#include "tools/cli/idempotency.h"

#include "gtest/gtest.h"

namespace tonghop::cli {
namespace {

TEST(IdempotencyTest, KnownValue) {
  // python3: "cli-" + sha256(b"6:HP-W01" b"7:2026-03" b"3:a,b").hexdigest()
  EXPECT_EQ(
      DefaultIdempotencyKey("HP-W01", "2026-03", "a,b"),
      "cli-d8e3ca3c3ff9fbe9a5d96ffc3cfcea8715a77e412204f32068f86811486a1e02");
}

TEST(IdempotencyTest, SameInputSameKeyOtherInputOtherKey) {
  std::string key = DefaultIdempotencyKey("HP-W01", "2026-03", "bytes");
  EXPECT_EQ(key.size(), 68u);
  EXPECT_EQ(key, DefaultIdempotencyKey("HP-W01", "2026-03", "bytes"));
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W02", "2026-03", "bytes"));
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W01", "2026-04", "bytes"));
  EXPECT_NE(key, DefaultIdempotencyKey("HP-W01", "2026-03", "bytes\n"));
  // Parts are length-prefixed: moving bytes between them changes the key.
  EXPECT_NE(DefaultIdempotencyKey("ab", "c", ""),
            DefaultIdempotencyKey("a", "bc", ""));
}

}  // namespace
}  // namespace tonghop::cli
