#include "libs/base/file.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

TEST(ReadWholeFileTest, ReadsEveryByte) {
  char tmpl[] = "/tmp/tonghop-file-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string path = std::string(tmpl) + "/f";
  const std::string bytes("Phường Hải Dương\0\r\nend", 26);
  std::ofstream(path, std::ios::binary) << bytes;
  auto read = ReadWholeFile(path, "config: holidays_file");
  std::filesystem::remove_all(tmpl);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
}

TEST(ReadWholeFileTest, SaysWhichFileAndWhy) {
  auto read = ReadWholeFile("/nonexistent/x.csv", "--tls_ca");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(read.status().message(),
            "--tls_ca: cannot read /nonexistent/x.csv: No such file or "
            "directory");
  EXPECT_EQ(ReadWholeFile("/", "").status().message(),
            "cannot read /: Is a directory");
}

}  // namespace
}  // namespace tonghop
