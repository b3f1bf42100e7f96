// The node's RocksDB database: key schema, typed reads, atomic synced batches.
// The one place where rocksdb::Status becomes absl::Status.
//
// Key schema (one keyspace; codes and periods never contain '/'):
// clang-format off
//   meta/<name>                     node metadata (e.g. meta/first_start)
//   rep/<period>/<unit>             UnitReport: the latest values a unit
//                                   submitted to this node
//   cons/<period>                   ConsolidatedReport: this node's roll-up
//   push/<period>/<child>           ChildNodeReport: the newest report a child
//                                   node pushed (its values)
//   pushkids/<period>/<child>       PushedBreakdown: that push's breakdown
//   outbox/<period>                 the consolidation revision the parent has
//                                   yet to take
//   lock/<period>                   LockRecord: the period's lock and history
//   idem/<unit>/<period>/<key>      IdempotencyRecord for a submission key
//   audit/<sequence, 16 hex>        AuditEntry, append-only
//   remind/, remindq/, remindstep/, inbox/   reminders (libs/engine/reminders.cc)
//   remindin/<child>/<sequence, 16 hex>     the id of an in-band reminder to
//                                           a child node, by sequence
// clang-format on
//
// Thread-safe: RocksDB serialises writes; reads see the last completed write.
#ifndef TONGHOP_LIBS_STORE_DB_H_
#define TONGHOP_LIBS_STORE_DB_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace rocksdb {
struct Options;
}  // namespace rocksdb

namespace rocksdb {
class DB;
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace tonghop {

namespace keys {
std::string Report(absl::string_view period, absl::string_view unit);
std::string ReportPrefix(absl::string_view period);
std::string Consolidated(absl::string_view period);
std::string Push(absl::string_view period, absl::string_view child);
std::string PushPrefix(absl::string_view period);
std::string PushBreakdown(absl::string_view period, absl::string_view child);
std::string Outbox(absl::string_view period);
inline constexpr absl::string_view kOutboxPrefix = "outbox/";
std::string Lock(absl::string_view period);
std::string Reminder(absl::string_view id);
inline constexpr absl::string_view kReminderPrefix = "remind/";
std::string ReminderQueue(absl::string_view channel, absl::string_view id);
// The in-band reminders to one child by sequence (value: the reminder's id).
std::string InbandReminder(absl::string_view child, uint64_t sequence);
std::string InbandReminderPrefix(absl::string_view child);
// The highest in-band sequence a child node has confirmed holding (the
// `after` of its fetches; value: decimal).
std::string InbandFetched(absl::string_view child);
inline constexpr absl::string_view kInbandFetchedPrefix = "remindgot/";
std::string ReminderQueuePrefix(absl::string_view channel);
std::string ReminderStep(absl::string_view period, absl::string_view step);
std::string Inbox(uint64_t sequence);
inline constexpr absl::string_view kInboxPrefix = "inbox/";
inline constexpr absl::string_view kConsolidatedPrefix = "cons/";
std::string Idempotency(absl::string_view unit, absl::string_view period,
                        absl::string_view key);
std::string Audit(uint64_t sequence);
inline constexpr absl::string_view kAuditPrefix = "audit/";
std::string Meta(absl::string_view name);
}  // namespace keys

// A batch of puts applied atomically by Db::Write.
class Batch {
 public:
  Batch();
  ~Batch();
  void Put(absl::string_view key, absl::string_view value);
  // Serialises `message` deterministically.
  void PutProto(absl::string_view key,
                const google::protobuf::MessageLite& message);
  void Delete(absl::string_view key);
  int count() const;
  size_t bytes() const;
  rocksdb::WriteBatch* rep() { return rep_.get(); }

 private:
  std::unique_ptr<rocksdb::WriteBatch> rep_;
};

class Db {
 public:
  // Opens (creating when missing) the database in `path`. UNAVAILABLE when
  // another process holds it; DATA_LOSS for corruption; INTERNAL otherwise,
  // with RocksDB's message.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& path);
  // The RocksDB options Open uses (create when missing, no compression, bloom
  // filters): the benchmark's ceiling server opens its database with them.
  static rocksdb::Options StoreOptions();
  ~Db();

  // Writes `batch` atomically; with `sync`, returns only after the WAL is
  // fsynced. RESOURCE_EXHAUSTED for a full disk (the database then refuses
  // writes until Resume()).
  absl::Status Write(Batch& batch, bool sync);

  // A consistent point-in-time view for several reads; release it before the
  // Db.
  class Snapshot {
   public:
    ~Snapshot();

   private:
    friend class Db;
    Snapshot(rocksdb::DB* db, const rocksdb::Snapshot* s)
        : db_(db), snapshot_(s) {}
    rocksdb::DB* db_;
    const rocksdb::Snapshot* snapshot_;
  };
  std::unique_ptr<Snapshot> NewSnapshot() const;

  // Reads below see the latest write, or `snapshot` when given.
  // The value at `key`; NOT_FOUND when absent.
  absl::StatusOr<std::string> Get(absl::string_view key,
                                  const Snapshot* snapshot = nullptr) const;
  // Parses the value at `key` into `message`. Returns false when absent;
  // DATA_LOSS when the bytes do not parse.
  absl::StatusOr<bool> GetProto(absl::string_view key,
                                google::protobuf::MessageLite* message,
                                const Snapshot* snapshot = nullptr) const;
  // Every (key, value) whose key starts with `prefix`, in key order.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      absl::string_view prefix, const Snapshot* snapshot = nullptr) const;
  // Scan(prefix), from the first key at or after `start` on, at most `limit`
  // pairs.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanFrom(
      absl::string_view prefix, absl::string_view start,
      size_t limit = std::numeric_limits<size_t>::max()) const;
  // The greatest key starting with `prefix`, or "" when none.
  absl::StatusOr<std::string> LastKey(absl::string_view prefix) const;

  // Tries to make a read-only database (after a full disk) writable again.
  absl::Status Resume();

  // Bulk load: writes `records` (sorted by key, no key twice) into one table
  // file beside the database and ingests it (RocksDB's SstFileWriter and
  // IngestExternalFile), bypassing the write-ahead log and memtables; existing
  // keys are overwritten. Durable when it returns. INVALID_ARGUMENT when the
  // records are not sorted; the store's error otherwise. For loading history
  // into a node that is not serving yet.
  absl::Status Ingest(
      const std::vector<std::pair<std::string, std::string>>& records);

 private:
  Db(rocksdb::DB* db, std::string path);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanAt(
      absl::string_view prefix, absl::string_view start,
      const Snapshot* snapshot,
      size_t limit = std::numeric_limits<size_t>::max()) const;
  std::unique_ptr<rocksdb::DB> db_;
  std::string path_;
  uint64_t ingested_ = 0;  // table files written by Ingest, for their names
};

}  // namespace tonghop

#endif  // TONGHOP_LIBS_STORE_DB_H_
