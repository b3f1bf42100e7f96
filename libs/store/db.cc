#include "libs/store/db.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace tonghop {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::UnavailableError(msg);
  }
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain())
    return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

}  // namespace

namespace keys {
std::string Report(absl::string_view period, absl::string_view unit) {
  return absl::StrCat("rep/", period, "/", unit);
}
std::string ReportPrefix(absl::string_view period) {
  return absl::StrCat("rep/", period, "/");
}
std::string Consolidated(absl::string_view period) {
  return absl::StrCat("cons/", period);
}
std::string Push(absl::string_view period, absl::string_view child) {
  return absl::StrCat("push/", period, "/", child);
}
std::string PushPrefix(absl::string_view period) {
  return absl::StrCat("push/", period, "/");
}
std::string PushBreakdown(absl::string_view period, absl::string_view child) {
  return absl::StrCat("pushkids/", period, "/", child);
}
std::string Reminder(absl::string_view id) {
  return absl::StrCat(kReminderPrefix, id);
}
std::string InbandReminder(absl::string_view child, uint64_t sequence) {
  return absl::StrFormat("remindin/%s/%016x", child, sequence);
}
std::string InbandReminderPrefix(absl::string_view child) {
  return absl::StrCat("remindin/", child, "/");
}
std::string InbandFetched(absl::string_view child) {
  return absl::StrCat(kInbandFetchedPrefix, child);
}
std::string ReminderQueue(absl::string_view channel, absl::string_view id) {
  return absl::StrCat("remindq/", channel, "/", id);
}
std::string ReminderQueuePrefix(absl::string_view channel) {
  return absl::StrCat("remindq/", channel, "/");
}
std::string ReminderStep(absl::string_view period, absl::string_view step) {
  return absl::StrCat("remindstep/", period, "/", step);
}
std::string Inbox(uint64_t sequence) {
  return absl::StrFormat("%s%016x", kInboxPrefix, sequence);
}
std::string Lock(absl::string_view period) {
  return absl::StrCat("lock/", period);
}
std::string Outbox(absl::string_view period) {
  return absl::StrCat(kOutboxPrefix, period);
}
std::string Idempotency(absl::string_view unit, absl::string_view period,
                        absl::string_view key) {
  return absl::StrCat("idem/", unit, "/", period, "/", key);
}
std::string Audit(uint64_t sequence) {
  return absl::StrFormat("audit/%016x", sequence);
}
std::string Meta(absl::string_view name) { return absl::StrCat("meta/", name); }
}  // namespace keys

Batch::Batch() : rep_(std::make_unique<rocksdb::WriteBatch>()) {}
Batch::~Batch() = default;
void Batch::Put(absl::string_view key, absl::string_view value) {
  rep_->Put(ToSlice(key), ToSlice(value));
}
void Batch::PutProto(absl::string_view key,
                     const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  Put(key, bytes);
}
void Batch::Delete(absl::string_view key) { rep_->Delete(ToSlice(key)); }
int Batch::count() const { return rep_->Count(); }
size_t Batch::bytes() const { return rep_->GetDataSize(); }

rocksdb::Options Db::StoreOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  options.OptimizeLevelStyleCompaction(64 << 20);
  options.compression = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(StoreOptions(), path, &db);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening database ", path));
  return std::unique_ptr<Db>(new Db(db, path));
}

Db::Db(rocksdb::DB* db, std::string path) : db_(db), path_(std::move(path)) {}

Db::~Db() {
  if (db_) {
    db_->FlushWAL(/*sync=*/true).PermitUncheckedError();
    db_->Close().PermitUncheckedError();
  }
}

absl::Status Db::Write(Batch& batch, bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  return FromRocks(db_->Write(options, batch.rep()), "write");
}

Db::Snapshot::~Snapshot() { db_->ReleaseSnapshot(snapshot_); }

std::unique_ptr<Db::Snapshot> Db::NewSnapshot() const {
  return std::unique_ptr<Snapshot>(new Snapshot(db_.get(), db_->GetSnapshot()));
}

namespace {
rocksdb::ReadOptions ReadAt(const rocksdb::Snapshot* s) {
  rocksdb::ReadOptions options;
  options.snapshot = s;
  return options;
}
}  // namespace

absl::StatusOr<std::string> Db::Get(absl::string_view key,
                                    const Snapshot* snapshot) const {
  std::string value;
  rocksdb::Status s = db_->Get(ReadAt(snapshot ? snapshot->snapshot_ : nullptr),
                               ToSlice(key), &value);
  if (!s.ok()) return FromRocks(s, absl::StrCat("read ", key));
  return value;
}

absl::StatusOr<bool> Db::GetProto(absl::string_view key,
                                  google::protobuf::MessageLite* message,
                                  const Snapshot* snapshot) const {
  auto value = Get(key, snapshot);
  if (absl::IsNotFound(value.status())) return false;
  if (!value.ok()) return value.status();
  if (!message->ParseFromString(*value)) {
    return absl::DataLossError(
        absl::StrCat("stored value at ", key, " does not parse"));
  }
  return true;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Db::Scan(
    absl::string_view prefix, const Snapshot* snapshot) const {
  return ScanAt(prefix, prefix, snapshot);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Db::ScanFrom(
    absl::string_view prefix, absl::string_view start, size_t limit) const {
  return ScanAt(prefix, std::max(prefix, start), nullptr, limit);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Db::ScanAt(
    absl::string_view prefix, absl::string_view start, const Snapshot* snapshot,
    size_t limit) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(ReadAt(snapshot ? snapshot->snapshot_ : nullptr)));
  for (it->Seek(ToSlice(start)); out.size() < limit && it->Valid() &&
                                 it->key().starts_with(ToSlice(prefix));
       it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  absl::Status s = FromRocks(it->status(), absl::StrCat("scan ", prefix));
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::string> Db::LastKey(absl::string_view prefix) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  // The first key after every key with `prefix`: prefix with its last byte
  // incremented.
  std::string upper(prefix);
  while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xFF)
    upper.pop_back();
  if (upper.empty()) {
    it->SeekToLast();
  } else {
    upper.back() = static_cast<char>(upper.back() + 1);
    it->SeekForPrev(ToSlice(upper));
    if (it->Valid() && it->key() == ToSlice(upper)) it->Prev();
  }
  if (it->Valid() && it->key().starts_with(ToSlice(prefix)))
    return it->key().ToString();
  absl::Status s = FromRocks(it->status(), absl::StrCat("seek ", prefix));
  if (!s.ok()) return s;
  return std::string();
}

absl::Status Db::Resume() { return FromRocks(db_->Resume(), "resume"); }

absl::Status Db::Ingest(
    const std::vector<std::pair<std::string, std::string>>& records) {
  if (records.empty()) return absl::OkStatus();
  for (size_t i = 1; i < records.size(); ++i) {
    if (!(records[i - 1].first < records[i].first)) {
      return absl::InvalidArgumentError(
          absl::StrCat("records: key '", records[i].first, "' is not after '",
                       records[i - 1].first, "'"));
    }
  }
  const std::string file =
      absl::StrFormat("%s.ingest-%06d.sst", path_, ++ingested_);
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), db_->GetOptions());
  absl::Status s = FromRocks(writer.Open(file), "open " + file);
  for (size_t i = 0; s.ok() && i < records.size(); ++i) {
    s = FromRocks(
        writer.Put(ToSlice(records[i].first), ToSlice(records[i].second)),
        "write " + file);
  }
  if (s.ok()) s = FromRocks(writer.Finish(), "finish " + file);
  if (s.ok()) {
    rocksdb::IngestExternalFileOptions options;
    options.move_files = true;  // the file becomes the database's own
    s = FromRocks(db_->IngestExternalFile({file}, options), "ingest " + file);
  }
  std::remove(file.c_str());  // gone when moved; a leftover on failure
  return s;
}

}  // namespace tonghop
