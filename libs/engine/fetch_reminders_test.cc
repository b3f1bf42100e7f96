// A child node's fetch of its in-band reminders reads the per-child index, and
// a database written before the index existed is indexed once at start.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/engine/engine.h"
#include "libs/engine/testing/test_node.h"

namespace tonghop {
namespace {

using ::tonghop::testing::ChildOf;
using ::tonghop::testing::EngineFixture;
using ::tonghop::testing::TestNode;

v1::Reminder Inband(const std::string& id, const std::string& unit,
                    int64_t sequence, const std::string& channel = "inband") {
  v1::Reminder r;
  r.set_id(id);
  r.set_unit(unit);
  r.set_channel(channel);
  r.set_sequence(sequence);
  r.set_period("2026-02");
  return r;
}

class FetchRemindersTest : public EngineFixture {
 protected:
  // Hải Phòng's node with `children` as child nodes, closed (its folder ready
  // for records written as an older node would have).
  TestNode* ClosedCity(const std::vector<std::string>& children) {
    v1::NodeConfig config;
    config.set_unit("31");
    config.set_role(v1::ROLE_CITY);
    for (const std::string& code : children)
      *config.add_children() = ChildOf(code, v1::ChildConfig::KIND_NODE);
    TestNode* city = NewNode(config);
    if (city != nullptr) Close(city);
    return city;
  }
};

TEST_F(FetchRemindersTest, OlderDatabaseIsIndexedOnceAndFetchesOnlyNewOnes) {
  TestNode* city = ClosedCity({"10525", "10507"});
  ASSERT_NE(city, nullptr);
  {
    // As a node before the index wrote them: reminder records only.
    auto db = Db::Open(city->dir);
    ASSERT_TRUE(db.ok()) << db.status();
    Batch batch;
    batch.PutProto(keys::Reminder("a"), Inband("a", "10525", 1));
    batch.PutProto(keys::Reminder("b"), Inband("b", "10507", 2));
    batch.PutProto(keys::Reminder("c"), Inband("c", "10525", 3, "email"));
    batch.PutProto(keys::Reminder("d"), Inband("d", "10525", 4));
    batch.Delete(keys::Meta("remindin"));  // not indexed yet
    ASSERT_TRUE((*db)->Write(batch, true).ok());
  }
  ASSERT_TRUE(Open(city));
  auto all = city->engine->FetchReminders("10525", 0);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->reminders_size(), 2);
  EXPECT_EQ(all->reminders(0).id(), "a");
  EXPECT_EQ(all->reminders(1).id(), "d");
  auto newer = city->engine->FetchReminders("10525", 1);
  ASSERT_TRUE(newer.ok());
  ASSERT_EQ(newer->reminders_size(), 1);
  EXPECT_EQ(newer->reminders(0).id(), "d");
  EXPECT_EQ(city->engine->FetchReminders("10525", 4)->reminders_size(), 0);
  EXPECT_EQ(city->engine->FetchReminders("10507", 0)->reminders_size(), 1);
  EXPECT_EQ(city->engine->FetchReminders("10532", 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The index is built once: a later record without its index entry stays
  // unseen (new reminders are indexed as they are planned).
  Close(city);
  {
    auto db = Db::Open(city->dir);
    ASSERT_TRUE(db.ok());
    Batch batch;
    batch.PutProto(keys::Reminder("e"), Inband("e", "10525", 5));
    ASSERT_TRUE((*db)->Write(batch, true).ok());
  }
  ASSERT_TRUE(Open(city));
  EXPECT_EQ(city->engine->FetchReminders("10525", 4)->reminders_size(), 0);
}

// Stored is not received: an in-band reminder shows as sent only once the
// child node's next fetch confirms holding it, and that survives a restart.
TEST_F(FetchRemindersTest, SentOnlyOnceTheChildConfirmsHoldingIt) {
  TestNode* city = ClosedCity({"10525"});
  ASSERT_NE(city, nullptr);
  {
    auto db = Db::Open(city->dir);
    ASSERT_TRUE(db.ok()) << db.status();
    Batch batch;
    for (int64_t seq : {1, 2}) {
      v1::Reminder r = Inband(absl::StrCat("r", seq), "10525", seq);
      r.set_state(v1::Reminder::STATE_SENT);
      batch.PutProto(keys::Reminder(r.id()), r);
      batch.Put(keys::InbandReminder("10525", seq), r.id());
    }
    ASSERT_TRUE((*db)->Write(batch, true).ok());
  }
  ASSERT_TRUE(Open(city));
  auto states = [&] {
    v1::ListRemindersRequest request;
    request.set_sent(true);
    auto list = city->engine->ListReminders(request);
    EXPECT_TRUE(list.ok()) << list.status();
    std::string out;
    for (const v1::Reminder& r : list->reminders()) {
      absl::StrAppend(&out, r.id(), ":",
                      r.state() == v1::Reminder::STATE_SENT      ? "sent"
                      : r.state() == v1::Reminder::STATE_PENDING ? "pending"
                                                                 : "other",
                      " ");
    }
    return out;
  };
  EXPECT_EQ(states(), "r1:pending r2:pending ");
  // The child takes both; its next fetch says it holds the first only.
  ASSERT_EQ(city->engine->FetchReminders("10525", 0)->reminders_size(), 2);
  EXPECT_EQ(states(), "r1:pending r2:pending ");
  ASSERT_EQ(city->engine->FetchReminders("10525", 1)->reminders_size(), 1);
  EXPECT_EQ(states(), "r1:sent r2:pending ");
  ASSERT_EQ(city->engine->FetchReminders("10525", 2)->reminders_size(), 0);
  EXPECT_EQ(states(), "r1:sent r2:sent ");
  Close(city);  // after the queued write of the cursor
  ASSERT_TRUE(Open(city));
  EXPECT_EQ(states(), "r1:sent r2:sent ");
}

}  // namespace
}  // namespace tonghop
