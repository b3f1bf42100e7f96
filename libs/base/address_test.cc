#include "libs/base/address.h"

#include "gtest/gtest.h"

namespace tonghop {
namespace {

TEST(IsLoopbackTest, LoopbackAddresses) {
  for (const char* a : {"127.0.0.1:7031", "127.8.9.10:0", "localhost:7000",
                        "LOCALHOST:1", "[::1]:7031"}) {
    EXPECT_TRUE(IsLoopback(a)) << a;
  }
}

TEST(IsLoopbackTest, EverythingElse) {
  for (const char* a :
       {"0.0.0.0:7031", "10.0.0.5:7031", "[::]:7031", "[::ffff:127.0.0.1]:1",
        "central.example.gov.vn:7000", "dns:///localhost:7000", "128.0.0.1:1",
        "[::1:7031", ""}) {
    EXPECT_FALSE(IsLoopback(a)) << a;
  }
}

}  // namespace
}  // namespace tonghop
