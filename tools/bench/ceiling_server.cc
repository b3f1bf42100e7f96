// tonghop-bench-ceiling: the benchmark's "physical ceiling" (issue 7;
// docs/benchmarks.md). A minimal gRPC server, for the benchmark only, that
// serves tonghop.v1.FederationService.Push: it receives the same PushRequest
// a tonghop node receives and makes it durable in RocksDB, nothing else (no
// validation, no staleness check, no consolidation, no audit, no outbox), done
// as well as this machine allows. What tonghop reaches against it is the cost
// of everything tonghop does beyond "a synced write per report".
//   tonghop-bench-ceiling --mode=echo|put|group|answer [--db=DIR]
//   [--answer_file=F] [--api=callback|async] [--listen=127.0.0.1:0]
//   [--port_file=F]
// Modes:
//   echo   no storage: every Push finishes OK at once. The ceiling of gRPC
//          itself on this machine (and of the load driver).
//   put    one synced Put (WriteOptions::sync) per Push, made on the gRPC
//          callback thread, then Finish. The naive durable server. (RocksDB
//          still merges the syncs of Puts that arrive together from several
//          gRPC threads into one, so this is not quite one sync per report.)
//   group  group commit: the callback handler queues the report (key and
//          serialized value; the request is only valid until Finish) and
//          returns; ONE writer thread takes every queued report, writes them
//          all in one synced WriteBatch, then finishes every RPC (OK, or
//          INTERNAL with RocksDB's message). Nothing is bounded artificially:
//          a batch is whatever queued during the previous sync.
//   answer serves ReportingService.GetRollup, answering every call with the
//          bytes of --answer_file (a serialised GetRollupResponse: the city's
//          answer, which the benchmark saves) and doing nothing else, on the
//          same raw callback method as tonghop's node: the floor under
//          tonghop's roll-up query (gRPC, the transfer, and the client's parse
//          of the same answer), measured beside it. With --api=async, the
//          same answer from gRPC's async API instead (tools/bench/
//          async_answer.h: one thread polling one queue, no handoff): the
//          floor of any gRPC server of that answer, whatever its API.
// In put and group modes the value is the serialized PushRequest under
// "push/<period>/<child>" (tonghop's own key), and RocksDB is opened with the
// options of tonghop's store (Db::StoreOptions); the gRPC server
// is built as tonghop's node builds its own (services/node/server.cc: gRPC's
// defaults, e.g. its 4 MiB receive limit), so that the comparison is fair.
// FetchReminders is UNIMPLEMENTED. Every Push answers stored_revision = the
// request's revision, stale = false. Prints "tonghop-bench-ceiling MODE
// listening on port N" once serving; writes N to --port_file (whole, then
// renamed). Stops cleanly on SIGTERM or SIGINT: the server stops (RPCs in
// flight are still written and finished), then the writer, then the database is
// synced and closed; prints "tonghop-bench-ceiling: stopped" last.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpc/support/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "libs/base/file.h"
#include "libs/base/usage.h"
#include "libs/store/db.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "services/node/shared_bytes.h"
#include "tonghop/v1/federation.grpc.pb.h"
#include "tonghop/v1/node.grpc.pb.h"
#include "tools/bench/async_answer.h"

ABSL_FLAG(std::string, mode, "", "echo, put, group or answer (required)");
ABSL_FLAG(std::string, answer_file, "",
          "answer mode: the GetRollupResponse bytes to answer with");
ABSL_FLAG(std::string, api, "callback",
          "answer mode: the gRPC API that serves it, callback (as tonghop's "
          "node) or async (one thread polling one queue)");
ABSL_FLAG(std::string, db, "",
          "RocksDB directory, created if missing (required for put and group)");
ABSL_FLAG(std::string, listen, "127.0.0.1:0", "address to listen on");
ABSL_FLAG(std::string, port_file, "",
          "write the port listened on to this file once serving (for port 0)");

namespace tonghop {
namespace {

enum class Mode { kEcho, kPut, kGroup, kAnswer };

// tonghop's key for a child's pushed report (libs/store/db.cc, keys::Push).
std::string PushKey(const v1::PushRequest& request) {
  return absl::StrCat("push/", request.period(), "/", request.child());
}

grpc::Status ToGrpc(const rocksdb::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::INTERNAL, s.ToString());
}

// Opens (creating) the database at `path` into `*db` with the options of
// tonghop's store (Db::StoreOptions).
absl::Status OpenDb(const std::string& path, std::unique_ptr<rocksdb::DB>* db) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("--db ", path, ": ", ec.message()));
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(tonghop::Db::StoreOptions(), path, &raw);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("opening database ", path, ": ", s.ToString()));
  }
  db->reset(raw);
  return absl::OkStatus();
}

// The one writer of group mode. Enqueue is called from gRPC callback threads
// and never blocks on I/O; the writer thread commits whatever is queued in one
// synced WriteBatch and then finishes those RPCs. Stop (after the server has
// stopped taking RPCs) writes and finishes what is still queued, then joins.
class GroupWriter {
 public:
  // A queued report: the RPC to finish, and what to write for it. `response`
  // is owned by gRPC and valid until the reactor finishes.
  struct Item {
    grpc::ServerUnaryReactor* reactor;
    v1::PushResponse* response;
    int64_t revision;
    std::string key;
    std::string value;
  };

  explicit GroupWriter(rocksdb::DB* db)  // not owned; outlives the writer
      : db_(db), thread_([this] { Run(); }) {}
  ~GroupWriter() { Stop(); }

  // Not after Stop: nothing would finish the RPC.
  void Enqueue(Item item) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(item));
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  // Batches committed and reports written so far (read after Stop).
  int64_t batches() const { return batches_; }
  int64_t reports() const { return reports_; }

 private:
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || stopping_;
  }

  void Run() {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    std::vector<Item> batch;
    rocksdb::WriteBatch write;
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &GroupWriter::Ready));
        if (queue_.empty()) return;  // stopping, and nothing left
        batch.swap(queue_);
      }
      write.Clear();
      for (const Item& item : batch) write.Put(item.key, item.value);
      grpc::Status status = ToGrpc(db_->Write(sync, &write));
      for (Item& item : batch) {
        if (status.ok()) item.response->set_stored_revision(item.revision);
        item.reactor->Finish(status);
      }
      ++batches_;
      reports_ += static_cast<int64_t>(batch.size());
      batch.clear();
    }
  }

  rocksdb::DB* const db_;
  absl::Mutex mu_;
  std::vector<Item> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t batches_ = 0;  // the writer thread's
  int64_t reports_ = 0;  // the writer thread's
  std::thread thread_;   // last: starts once the members above exist
};

class CeilingService final : public v1::FederationService::CallbackService {
 public:
  // `db` is null in echo mode; `writer` is non-null only in group mode. Both
  // not owned.
  CeilingService(Mode mode, rocksdb::DB* db, GroupWriter* writer)
      : mode_(mode), db_(db), writer_(writer) {
    sync_.sync = true;
  }

  grpc::ServerUnaryReactor* Push(grpc::CallbackServerContext* context,
                                 const v1::PushRequest* request,
                                 v1::PushResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    switch (mode_) {
      case Mode::kEcho:
        response->set_stored_revision(request->revision());
        reactor->Finish(grpc::Status::OK);
        break;
      case Mode::kPut: {
        grpc::Status status = ToGrpc(
            db_->Put(sync_, PushKey(*request), request->SerializeAsString()));
        if (status.ok()) response->set_stored_revision(request->revision());
        reactor->Finish(status);
        break;
      }
      case Mode::kAnswer:  // serves GetRollup only (AnswerService)
        reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                     "answer mode serves GetRollup only"));
        break;
      case Mode::kGroup:
        // Serialized here, on the gRPC threads: that is the copy the request
        // needs anyway (it is only valid until Finish), and it keeps the
        // writer thread to the write itself.
        writer_->Enqueue({reactor, response, request->revision(),
                          PushKey(*request), request->SerializeAsString()});
        break;
    }
    return reactor;
  }

  grpc::ServerUnaryReactor* FetchReminders(
      grpc::CallbackServerContext* context,
      const v1::FetchRemindersRequest* /*request*/,
      v1::ReminderList* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                 "the ceiling server only takes Push"));
    return reactor;
  }

 private:
  const Mode mode_;
  rocksdb::DB* const db_;
  GroupWriter* const writer_;
  rocksdb::WriteOptions sync_;
};

// Answer mode: GetRollup answers `answer` as it is, by reference, as the
// node sends its kept answers (services/node/reporting_service.cc); every
// other method is UNIMPLEMENTED.
class AnswerService final
    : public v1::ReportingService::WithRawCallbackMethod_GetRollup<
          v1::ReportingService::CallbackService> {
 public:
  explicit AnswerService(std::shared_ptr<const std::string> answer)
      : answer_(std::move(answer)) {}

  grpc::ServerUnaryReactor* GetRollup(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* /*request*/,
                                      grpc::ByteBuffer* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    *response = SharedBytes(answer_);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const std::shared_ptr<const std::string> answer_;
};

int Fail(absl::string_view message) {
  std::cerr << "tonghop-bench-ceiling: " << message << std::endl;
  return 1;
}

int Main() {
  const std::string mode_flag = absl::GetFlag(FLAGS_mode);
  Mode mode;
  if (mode_flag == "echo") {
    mode = Mode::kEcho;
  } else if (mode_flag == "put") {
    mode = Mode::kPut;
  } else if (mode_flag == "group") {
    mode = Mode::kGroup;
  } else if (mode_flag == "answer") {
    mode = Mode::kAnswer;
  } else {
    return Fail("--mode must be echo, put, group or answer");
  }
  const std::string api = absl::GetFlag(FLAGS_api);
  if (api != "callback" && api != "async") {
    return Fail("--api must be callback or async");
  }
  const bool async = api == "async";  // answer mode only, as checked here
  if (async && mode != Mode::kAnswer) {
    return Fail("--api=async serves --mode=answer only");
  }
  std::string answer;
  if (mode == Mode::kAnswer) {
    absl::StatusOr<std::string> read =
        ReadWholeFile(absl::GetFlag(FLAGS_answer_file), "--answer_file");
    if (!read.ok()) return Fail(read.status().ToString());
    answer = *std::move(read);
    v1::GetRollupResponse parsed;
    if (!parsed.ParseFromString(answer)) {
      return Fail("--answer_file: not a GetRollupResponse");
    }
  }
  const bool stores = mode == Mode::kPut || mode == Mode::kGroup;
  const std::string db_path = absl::GetFlag(FLAGS_db);
  if (stores && db_path.empty()) {
    return Fail(absl::StrCat("--mode=", mode_flag, " needs --db"));
  }

  // Block the stop signals in every thread (gRPC's and RocksDB's inherit the
  // mask); this thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<rocksdb::DB> db;
  if (stores) {
    absl::Status opened = OpenDb(db_path, &db);
    if (!opened.ok()) return Fail(opened.ToString());
  }
  std::unique_ptr<GroupWriter> writer;
  if (mode == Mode::kGroup) writer = std::make_unique<GroupWriter>(db.get());
  CeilingService service(mode, db.get(), writer.get());
  auto shared_answer = std::make_shared<const std::string>(std::move(answer));
  AnswerService answering(shared_answer);
  bench::AsyncAnswerServer async_answering(shared_answer);

  // As tonghop's node builds its server (services/node/server.cc): it sets
  // no message size limit, thread pool or channel argument, so neither does
  // this (its health and reflection services play no part in Push).
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen),
                           grpc::InsecureServerCredentials(), &port);
  if (async) {
    async_answering.Register(builder);
  } else if (mode == Mode::kAnswer) {
    builder.RegisterService(&answering);
  } else {
    builder.RegisterService(&service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", absl::GetFlag(FLAGS_listen)));
  }
  if (async) async_answering.Start();
  std::cout << "tonghop-bench-ceiling " << mode_flag << " listening on port "
            << port << std::endl;
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    // Written whole, then renamed, so a reader never sees a partial port.
    std::string tmp = port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << port << "\n";
      out.close();
      if (!out) return Fail(absl::StrCat("cannot write ", tmp));
    }
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0) {
      return Fail(absl::StrCat("cannot rename ", tmp, " to ", port_file));
    }
  }

  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "tonghop-bench-ceiling: signal " << sig << ": stopping"
            << std::endl;
  // The writer keeps running while the server stops: Shutdown waits for every
  // callback RPC to finish, and the queued ones finish from the writer.
  server->Shutdown(gpr_time_from_millis(5000, GPR_TIMESPAN));
  server->Wait();
  async_answering.Stop();  // its queue drained once the server has stopped
  server.reset();
  if (writer != nullptr) {
    writer->Stop();
    std::cout << "tonghop-bench-ceiling: " << writer->reports()
              << " reports in " << writer->batches() << " synced batches"
              << std::endl;
    writer.reset();
  }
  if (db != nullptr) {
    db->FlushWAL(/*sync=*/true).PermitUncheckedError();
    rocksdb::Status closed = db->Close();
    db.reset();
    if (!closed.ok()) return Fail(absl::StrCat("closing: ", closed.ToString()));
  }
  std::cout << "tonghop-bench-ceiling: stopped" << std::endl;
  return 0;
}

}  // namespace
}  // namespace tonghop

int main(int argc, char** argv) {
  tonghop::SetUsage(
      "tonghop-bench-ceiling --mode=echo|put|group|answer [--db=DIR] "
      "[--answer_file=F] [--api=callback|async] [--listen=ADDR] "
      "[--port_file=F]",
      __FILE__);
  absl::ParseCommandLine(argc, argv);
  // As tonghop-node does: Debian's Abseil keeps a lock graph on every Mutex
  // acquisition (gRPC's own locks included) unless told not to.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return tonghop::Main();
}
