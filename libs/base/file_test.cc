#include "libs/base/file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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

class WriteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tonghop-write-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string At(const std::string& name) const { return dir_ + "/" + name; }
  std::string Read(const std::string& name) const {
    auto bytes = ReadWholeFile(At(name), "");
    return bytes.ok() ? *bytes : "<unreadable>";
  }
  // The names in the folder, but for `except`.
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static mode_t Mode(const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
  }
  std::string dir_;
};

TEST_F(WriteFileTest, WritesANewFileWithTheUmasksMode) {
  const mode_t mask = umask(022);
  ASSERT_TRUE(WriteWholeFile(At("a.csv"), "--out", "Hải Dương\n").ok());
  umask(mask);
  EXPECT_EQ(Read("a.csv"), "Hải Dương\n");
  EXPECT_EQ(Mode(At("a.csv")), 0644u);
  EXPECT_THAT(Names(), ::testing::ElementsAre("a.csv"));
}

TEST_F(WriteFileTest, ReplacesAFileKeepingItsMode) {
  ASSERT_TRUE(WriteWholeFile(At("r.csv"), "--out", "old").ok());
  ASSERT_EQ(chmod(At("r.csv").c_str(), 0600), 0);
  ASSERT_TRUE(WriteWholeFile(At("r.csv"), "--out", "new").ok());
  EXPECT_EQ(Read("r.csv"), "new");
  EXPECT_EQ(Mode(At("r.csv")), 0600u);
}

TEST_F(WriteFileTest, FollowsASymbolicLink) {
  ASSERT_TRUE(WriteWholeFile(At("real.csv"), "--out", "old").ok());
  std::filesystem::create_symlink("real.csv", At("link.csv"));
  ASSERT_TRUE(WriteWholeFile(At("link.csv"), "--out", "new").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(At("link.csv")));
  EXPECT_EQ(Read("real.csv"), "new");
  EXPECT_THAT(Names(), ::testing::ElementsAre("link.csv", "real.csv"));
}

TEST_F(WriteFileTest, FollowsALinkToAFileNotYetMadeAndReplacesAReadOnlyOne) {
  std::filesystem::create_symlink("later.csv", At("dangling.csv"));
  ASSERT_TRUE(WriteWholeFile(At("dangling.csv"), "--out", "made").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(At("dangling.csv")));
  EXPECT_EQ(Read("later.csv"), "made");
  ASSERT_EQ(chmod(At("later.csv").c_str(), 0444), 0);
  ASSERT_TRUE(WriteWholeFile(At("later.csv"), "--out", "again").ok());
  EXPECT_EQ(Read("later.csv"), "again");
  EXPECT_EQ(Mode(At("later.csv")), 0444u);
}

TEST_F(WriteFileTest, RefusesWhatIsNotARegularFile) {
  ASSERT_EQ(mkfifo(At("fifo").c_str(), 0600), 0);
  std::filesystem::create_directory(At("folder"));
  absl::Status fifo = WriteWholeFile(At("fifo"), "--out", "x");
  EXPECT_EQ(fifo.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(fifo.message(),
            "--out: cannot write " + At("fifo") + ": it is not a regular file");
  absl::Status folder = WriteWholeFile(At("folder"), "--out", "x");
  EXPECT_EQ(folder.message(),
            "--out: cannot write " + At("folder") + ": it is a folder");
  EXPECT_THAT(Names(), ::testing::ElementsAre("fifo", "folder"));
  absl::Status missing = WriteWholeFile(At("none/x.csv"), "--out", "x");
  EXPECT_THAT(missing.message(),
              HasSubstr("--out: cannot write " + At("none/x.csv") + ": "));
}

TEST_F(WriteFileTest, AFailedWriteLeavesTheEarlierFileAndNoTrace) {
  ASSERT_TRUE(WriteWholeFile(At("keep.csv"), "--out", "earlier").ok());
  absl::Status s =
      WriteFileReplacing(At("keep.csv"), "--out", [](const std::string& fresh) {
        std::ofstream(fresh) << "half";
        return absl::ResourceExhaustedError("disk full");
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(Read("keep.csv"), "earlier");
  EXPECT_THAT(Names(), ::testing::ElementsAre("keep.csv"));
}

TEST_F(WriteFileTest, ANameNearTheSystemsLimitStillGetsWritten) {
  const std::string name = std::string(250, 'a') + ".csv";
  ASSERT_TRUE(WriteWholeFile(At(name), "--out", "x").ok());
  EXPECT_EQ(Read(name), "x");
}

}  // namespace
}  // namespace tonghop
