#include "libs/store/db.h"

#include <cstdlib>
#include <filesystem>

#include "gtest/gtest.h"
#include "tonghop/v1/report.pb.h"

namespace tonghop {
namespace {

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tonghop-db-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(DbTest, BatchIsAtomicAndSurvivesReopen) {
  {
    auto db = Db::Open(dir_);
    ASSERT_TRUE(db.ok()) << db.status();
    Batch batch;
    v1::UnitReport report;
    report.set_unit("10525");
    report.set_revision(3);
    batch.PutProto(keys::Report("2026-03", "10525"), report);
    batch.Put(keys::Meta("x"), "1");
    EXPECT_EQ(batch.count(), 2);
    ASSERT_TRUE((*db)->Write(batch, /*sync=*/true).ok());
  }
  auto db = Db::Open(dir_);
  ASSERT_TRUE(db.ok());
  v1::UnitReport back;
  auto found = (*db)->GetProto(keys::Report("2026-03", "10525"), &back);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(*found);
  EXPECT_EQ(back.revision(), 3);
  EXPECT_EQ(*(*db)->Get(keys::Meta("x")), "1");
  EXPECT_TRUE(absl::IsNotFound((*db)->Get("absent").status()));
  EXPECT_FALSE(*(*db)->GetProto("absent", &back));
}

TEST_F(DbTest, ScanAndLastKeyStayInsideThePrefix) {
  auto db = Db::Open(dir_);
  ASSERT_TRUE(db.ok());
  Batch batch;
  batch.Put(keys::Report("2026-03", "10525"), "a");
  batch.Put(keys::Report("2026-03", "10526"), "b");
  batch.Put(keys::Report("2026-04", "10525"), "c");
  batch.Put(keys::Audit(1), "x");
  batch.Put(keys::Audit(255), "y");
  batch.Put("b", "after audit");
  ASSERT_TRUE((*db)->Write(batch, true).ok());
  auto rows = (*db)->Scan(keys::ReportPrefix("2026-03"));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].second, "b");
  EXPECT_EQ(*(*db)->LastKey(keys::kAuditPrefix), keys::Audit(255));
  EXPECT_EQ(*(*db)->LastKey("zzz/"), "");
}

TEST_F(DbTest, SecondOpenOfTheSameFolderIsUnavailable) {
  auto first = Db::Open(dir_);
  ASSERT_TRUE(first.ok());
  auto second = Db::Open(dir_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable)
      << second.status();
}

TEST_F(DbTest, CorruptValueIsDataLoss) {
  auto db = Db::Open(dir_);
  ASSERT_TRUE(db.ok());
  Batch batch;
  batch.Put("k", "\xff\xff\xff");
  ASSERT_TRUE((*db)->Write(batch, true).ok());
  v1::UnitReport r;
  EXPECT_EQ((*db)->GetProto("k", &r).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(DbTest, IngestLoadsSortedRecordsAndOverwritesAfterReopen) {
  {
    auto db = Db::Open(dir_);
    ASSERT_TRUE(db.ok());
    Batch batch;
    batch.Put(keys::Meta("a"), "old");
    ASSERT_TRUE((*db)->Write(batch, true).ok());
    std::vector<std::pair<std::string, std::string>> records = {
        {keys::Meta("a"), "new"}, {keys::Meta("b"), "2"}};
    ASSERT_TRUE((*db)->Ingest(records).ok());
    ASSERT_TRUE((*db)->Ingest({{keys::Meta("c"), "3"}}).ok());
    EXPECT_EQ(*(*db)->Get(keys::Meta("a")), "new");
  }
  auto db = Db::Open(dir_);
  ASSERT_TRUE(db.ok());
  auto rows = (*db)->Scan("meta/");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].second, "new");
  EXPECT_EQ((*rows)[2].second, "3");
  // No table file is left beside the database.
  EXPECT_FALSE(std::filesystem::exists(dir_ + ".ingest-000001.sst"));
}

TEST_F(DbTest, IngestRefusesUnsortedRecordsAndWritesNothing) {
  auto db = Db::Open(dir_);
  ASSERT_TRUE(db.ok());
  absl::Status s = (*db)->Ingest({{"meta/b", "1"}, {"meta/a", "2"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("meta/a"), std::string::npos) << s;
  EXPECT_TRUE(absl::IsNotFound((*db)->Get("meta/b").status()));
}

}  // namespace
}  // namespace tonghop
