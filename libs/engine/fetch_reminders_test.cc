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
                    int64_t sequence, const std::string& channel = "inband",
                    const std::string& period = "2026-02") {
  v1::Reminder r;
  r.set_id(id);
  r.set_unit(unit);
  r.set_channel(channel);
  r.set_sequence(sequence);
  r.set_period(period);
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
    batch.PutProto(keys::Reminder("a"),
                   Inband("a", "10525", 1, "inband", "2026-01"));
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
    for (int64_t seq : {1, 2}) {  // of two periods: both go at once
      v1::Reminder r = Inband(absl::StrCat("r", seq), "10525", seq, "inband",
                              absl::StrCat("2026-0", seq));
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
// A child node unreachable over several steps of one period takes only the
// newest when it returns; the older ones are recorded as superseded, and the
// newest as sent when the child's next fetch confirms it.
TEST_F(FetchRemindersTest, AChildBackFromAnOutageTakesOnlyTheNewestStep) {
  TestNode* city = ClosedCity({"10525"});
  ASSERT_NE(city, nullptr);
  {
    auto db = Db::Open(city->dir);
    ASSERT_TRUE(db.ok()) << db.status();
    Batch batch;
    for (int64_t seq : {1, 2, 3}) {  // before-5, before-2, overdue-0
      v1::Reminder r = Inband(absl::StrCat("m", seq), "10525", seq);
      r.set_state(v1::Reminder::STATE_SENT);
      r.mutable_sent_time()->set_seconds(1773000000 + seq);  // when stored
      batch.PutProto(keys::Reminder(r.id()), r);
      batch.Put(keys::InbandReminder("10525", seq), r.id());
    }
    ASSERT_TRUE((*db)->Write(batch, true).ok());
  }
  ASSERT_TRUE(Open(city));
  auto taken = city->engine->FetchReminders("10525", 0);
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_EQ(taken->reminders_size(), 1);
  EXPECT_EQ(taken->reminders(0).id(), "m3");
  // The child's next fetch confirms it holds up to 3.
  EXPECT_EQ(city->engine->FetchReminders("10525", 3)->reminders_size(), 0);
  Close(city);  // after the queued write
  ASSERT_TRUE(Open(city));
  v1::ListRemindersRequest request;
  request.set_sent(true);
  auto list = city->engine->ListReminders(request);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->reminders_size(), 3);
  for (const v1::Reminder& r : list->reminders()) {
    SCOPED_TRACE(r.id());
    if (r.id() == "m3") {
      EXPECT_EQ(r.state(), v1::Reminder::STATE_SENT);
      // Sent when the child confirmed it, not when it was stored.
      EXPECT_EQ(r.sent_time().seconds(), ::tonghop::testing::kStartSeconds);
    } else {
      EXPECT_EQ(r.state(), v1::Reminder::STATE_SUPERSEDED);
      EXPECT_FALSE(r.has_sent_time());
    }
  }
}

}  // namespace tonghop
