// The probe's wire scan reads the same (unit, revision) pairs as protobuf's
// own parser, whatever else the response carries, and refuses broken bytes.
#include "tools/bench/drive.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tonghop/v1/node.pb.h"

namespace tonghop::bench {
namespace {

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

TEST(ScanRevisionsTest, ReadsEachChildsUnitAndRevision) {
  v1::GetRollupResponse response;
  response.mutable_report()->set_unit("79");
  response.mutable_report()->set_revision(41);
  for (int i = 0; i < 170; ++i) {
    v1::ChildBreakdown* c = response.add_children();
    c->set_unit(std::to_string(26734 + i));
    c->set_name("Phường " + std::to_string(i));
    c->set_revision(i % 3 == 0 ? 0 : (int64_t{1} << 40) + i);  // 0: none yet
    for (int k = 0; k < 6; ++k) {
      v1::ConsolidatedValue* v = c->add_values();
      v->set_indicator("QD11-0" + std::to_string(k));
    }
    c->mutable_updated_time()->set_seconds(1800000000 + i);
  }
  response.add_indicators()->set_code("QD11-01");
  grpc::ByteBuffer buffer = Buffer(response.SerializeAsString());
  std::vector<std::pair<std::string, int64_t>> got;
  ASSERT_TRUE(ScanRevisions(buffer, got));
  ASSERT_EQ(got.size(), 170u);
  for (int i = 0; i < 170; ++i) {
    EXPECT_EQ(got[i].first, response.children(i).unit());
    EXPECT_EQ(got[i].second, response.children(i).revision());
  }
}

TEST(ScanRevisionsTest, RefusesTruncatedBytes) {
  v1::GetRollupResponse response;
  v1::ChildBreakdown* c = response.add_children();
  c->set_unit("26734");
  c->set_revision(3);
  const std::string bytes = response.SerializeAsString();
  grpc::ByteBuffer buffer = Buffer(bytes.substr(0, bytes.size() - 2));
  std::vector<std::pair<std::string, int64_t>> got;
  EXPECT_FALSE(ScanRevisions(buffer, got));
}

}  // namespace
}  // namespace tonghop::bench
