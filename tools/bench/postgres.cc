// The PostgreSQL side of the benchmark (see postgres.h).
#include "tools/bench/postgres.h"

#include <errno.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/base/status_macros.h"
#include "tools/bench/pq.h"
#include "tools/bench/stats.h"
#include "tools/cluster/process.h"

namespace tonghop::bench {
namespace {

using pq::AppendCopyText;
using pq::Check;
using pq::Conn;
using pq::Connect;
using pq::ConnError;
using pq::Exec;
using pq::ExecPrepared;
using pq::Int64At;
using pq::IntArray;
using pq::Prepare;
using pq::Result;
using pq::TextArray;

constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr int kMaxClients = 250;
constexpr int kLogLines = 20;
// initdb and pg_ctl are bounded by these (pg_ctl's own -t is 60 s).
constexpr absl::Duration kInitdbTimeout = absl::Seconds(120);
constexpr absl::Duration kPgCtlTimeout = absl::Seconds(90);

// Appended to postgresql.conf after initdb: what a DBA would set for this
// workload on a machine with a few GB of RAM, durability left at its defaults
// (spelled out). The data set of the benchmark (~1.3 million values, a few
// hundred MB with indexes) fits in shared_buffers, as a DBA would size it.
// max_wal_size is raised so that bulk loads and bursts are not punctuated by
// forced checkpoints; random_page_cost is the usual SSD setting. The roll-ups
// are estimated far below jit_above_cost, so JIT stays at its default.
constexpr char kServerSettings[] = R"(
# --- tonghop-bench
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
shared_buffers = 512MB
effective_cache_size = 4GB
work_mem = 16MB
maintenance_work_mem = 256MB
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_size = 4GB
random_page_cost = 1.1
)";

// The ratio/count figures of a value row are stored as given; the catalog
// knows which of them applies. No foreign key from value to report: the
// ingest transaction holds the report row's lock while it replaces the values,
// and a foreign key would only add a lookup per value row.
//
// value_rollup serves both roll-ups as index-only scans: (period, city) for
// the city, (period) for the national query, and indicator third so that the
// national GROUP BY (city, indicator) reads in order. unit is included for the
// city breakdown. The primary key serves the ingest's DELETE.
constexpr const char* kSchema[] = {
    R"(CREATE TABLE report (
         period text NOT NULL,
         unit text NOT NULL,
         city text NOT NULL,
         revision bigint NOT NULL,
         PRIMARY KEY (period, unit)))",
    R"(CREATE TABLE value (
         period text NOT NULL,
         unit text NOT NULL,
         city text NOT NULL,
         indicator text NOT NULL,
         numerator bigint NOT NULL DEFAULT 0,
         denominator bigint NOT NULL DEFAULT 0,
         number bigint NOT NULL DEFAULT 0))",
};
// value's indexes, created with the schema, and dropped and built again
// around a bulk load into an empty table (the usual DBA practice: building an
// index once is about twice as fast as maintaining it row by row).
constexpr const char* kValueIndexes[] = {
    "ALTER TABLE value ADD CONSTRAINT value_pkey "
    "PRIMARY KEY (period, unit, indicator)",
    "CREATE INDEX value_rollup ON value (period, city, indicator) "
    "INCLUDE (unit, numerator, denominator, number)",
};
constexpr const char* kDropValueIndexes[] = {
    "ALTER TABLE value DROP CONSTRAINT value_pkey",
    "DROP INDEX value_rollup",
};

// Ingest, per connection. The upsert returns a row only when it inserted or
// updated (a newer revision); otherwise the report is stale.
constexpr char kUpsertReport[] =
    "INSERT INTO report (period, unit, city, revision) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (period, unit) DO UPDATE SET revision = EXCLUDED.revision, "
    "city = EXCLUDED.city WHERE report.revision < EXCLUDED.revision "
    "RETURNING 1";
constexpr char kDeleteValues[] =
    "DELETE FROM value WHERE period = $1 AND unit = $2";
// All of a report's values in one statement, whatever their number: one array
// per column.
constexpr char kInsertValues[] =
    "INSERT INTO value (period, unit, city, indicator, numerator, denominator, "
    "number) SELECT $1, $2, $3, i, n, d, c FROM unnest($4::text[], "
    "$5::bigint[], $6::bigint[], $7::bigint[]) AS t(i, n, d, c)";

constexpr char kCityTotals[] =
    "SELECT indicator, sum(numerator)::bigint, sum(denominator)::bigint, "
    "sum(number)::bigint, count(*) FROM value WHERE period = $1 AND city = $2 "
    "GROUP BY indicator ORDER BY indicator";
constexpr char kCityUnits[] =
    "SELECT unit, indicator, numerator, denominator, number FROM value "
    "WHERE period = $1 AND city = $2 ORDER BY unit, indicator";
constexpr char kNational[] =
    "SELECT coalesce(city, ''), indicator, sum(numerator)::bigint, "
    "sum(denominator)::bigint, sum(number)::bigint, count(*) FROM value "
    "WHERE period = $1 GROUP BY GROUPING SETS ((city, indicator), (indicator)) "
    "ORDER BY 1, 2";

// ---------------------------------------------------------------------------
// Processes.

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

struct RunAs {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Runs `binary` with `args` in `cwd`, as `as`, stdout and stderr appended to
// `log_path`, a minimal environment, and waits at most `timeout`: its exit
// code as cluster::Spawn and cluster::WaitExit give it (126: `cwd` cannot be
// entered).
absl::StatusOr<int> RunCommand(const std::string& binary,
                               const std::vector<std::string>& args,
                               const std::string& cwd, const RunAs& as,
                               const std::string& log_path,
                               absl::Duration timeout) {
  cluster::SpawnOptions options;
  options.cwd = cwd;
  options.switch_user = as.switch_user;
  options.uid = as.uid;
  options.gid = as.gid;
  options.env = {"PATH=/usr/bin:/bin", "LC_ALL=C", absl::StrCat("HOME=", cwd)};
  options.log_prefix = "";
  absl::StatusOr<pid_t> pid = cluster::Spawn(binary, args, log_path, options);
  if (!pid.ok()) return pid.status();
  return cluster::WaitExit(*pid, timeout);
}

// Appends rows [group, indicator, numerator, denominator, number, reported]
// from `result`'s columns; `reported_column` -1 gives reported = 1;
// `group_column` -1 gives group "".
absl::Status AppendRows(const PGresult* result, int group_column,
                        int reported_column, std::vector<PgRollupRow>* rows) {
  const int first = group_column < 0 ? 0 : group_column + 1;
  for (int r = 0; r < PQntuples(result); ++r) {
    PgRollupRow row;
    if (group_column >= 0) row.group = PQgetvalue(result, r, group_column);
    row.indicator = PQgetvalue(result, r, first);
    for (auto [field, column] : {std::pair{&row.numerator, first + 1},
                                 std::pair{&row.denominator, first + 2},
                                 std::pair{&row.number, first + 3}}) {
      absl::StatusOr<int64_t> v = Int64At(result, r, column);
      if (!v.ok()) return v.status();
      *field = *v;
    }
    if (reported_column < 0) {
      row.reported = 1;
    } else {
      absl::StatusOr<int64_t> v = Int64At(result, r, reported_column);
      if (!v.ok()) return v.status();
      row.reported = *v;
    }
    rows->push_back(std::move(row));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Ingest.

absl::Status PrepareIngest(PGconn* conn) {
  absl::Status status = Prepare(conn, "upsert_report", kUpsertReport, 4);
  if (status.ok()) status = Prepare(conn, "delete_values", kDeleteValues, 2);
  if (status.ok()) status = Prepare(conn, "insert_values", kInsertValues, 7);
  return status;
}

struct ClientResult {
  int64_t acknowledged = 0, failed = 0, values = 0;
  std::vector<double> latencies_ms;
  std::string first_error;
};

// One report as one transaction. OK when acknowledged (applied or stale).
absl::Status IngestOne(PGconn* conn, const FlatReport& report) {
  absl::Status status = Exec(conn, "BEGIN");
  if (!status.ok()) return status;
  const std::string revision = absl::StrCat(report.revision);
  Result upsert = ExecPrepared(conn, "upsert_report",
                               {report.period.c_str(), report.unit.c_str(),
                                report.city.c_str(), revision.c_str()});
  status = Check(conn, upsert, PGRES_TUPLES_OK, "upsert report");
  if (!status.ok()) return status;
  if (PQntuples(upsert.get()) == 0) return Exec(conn, "ROLLBACK");  // stale
  Result del = ExecPrepared(conn, "delete_values",
                            {report.period.c_str(), report.unit.c_str()});
  status = Check(conn, del, PGRES_COMMAND_OK, "delete values");
  if (!status.ok()) return status;
  if (!report.values.empty()) {
    const std::string indicators = TextArray(report.values);
    const std::string numerators =
        IntArray(report.values, &FlatValue::numerator);
    const std::string denominators =
        IntArray(report.values, &FlatValue::denominator);
    const std::string numbers = IntArray(report.values, &FlatValue::number);
    Result insert = ExecPrepared(
        conn, "insert_values",
        {report.period.c_str(), report.unit.c_str(), report.city.c_str(),
         indicators.c_str(), numerators.c_str(), denominators.c_str(),
         numbers.c_str()});
    status = Check(conn, insert, PGRES_COMMAND_OK, "insert values");
    if (!status.ok()) return status;
  }
  // COMMIT of an aborted transaction "succeeds" as ROLLBACK; every statement
  // was checked above, so this one reports real commit failures only.
  return Exec(conn, "COMMIT");
}

void RunClient(PGconn* conn, const std::vector<FlatReport>& reports,
               size_t first, size_t stride, const absl::Notification& go,
               ClientResult* out) {
  go.WaitForNotification();
  for (size_t i = first; i < reports.size(); i += stride) {
    const FlatReport& report = reports[i];
    if (PQstatus(conn) != CONNECTION_OK) {
      PQreset(conn);
      absl::Status s = PQstatus(conn) == CONNECTION_OK
                           ? PrepareIngest(conn)
                           : absl::UnavailableError(absl::StrCat(
                                 "reconnecting: ", ConnError(conn)));
      if (!s.ok()) {
        if (out->first_error.empty()) out->first_error = s.ToString();
        out->failed += (reports.size() - i + stride - 1) / stride;
        return;
      }
    }
    auto start = std::chrono::steady_clock::now();
    absl::Status status = IngestOne(conn, report);
    if (status.ok()) {
      out->latencies_ms.push_back(Ms(start, std::chrono::steady_clock::now()));
      ++out->acknowledged;
      out->values += static_cast<int64_t>(report.values.size());
      continue;
    }
    ++out->failed;
    if (out->first_error.empty()) {
      out->first_error =
          absl::StrCat("report ", report.period, "/", report.unit, " revision ",
                       report.revision, ": ", status.ToString());
    }
    if (PQstatus(conn) == CONNECTION_OK &&
        PQtransactionStatus(conn) != PQTRANS_IDLE) {
      Result rollback(PQexec(conn, "ROLLBACK"));
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// PgServer.

absl::StatusOr<std::unique_ptr<PgServer>> PgServer::Start(
    const std::string& parent_dir) {
  for (const char* binary : {"initdb", "pg_ctl", "postgres"}) {
    std::string path = absl::StrCat(kBinDir, "/", binary);
    if (access(path.c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "PostgreSQL 15 is not installed (apt-get install postgresql-15): "
          "cannot execute ",
          path, ": ", std::strerror(errno)));
    }
  }
  std::unique_ptr<PgServer> server(new PgServer);
  if (geteuid() == 0) {
    struct passwd pw;
    struct passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r("postgres", &pw, buffer.data(), buffer.size(), &found) !=
            0 ||
        found == nullptr) {
      return absl::FailedPreconditionError(
          "running as root and there is no `postgres` user to run PostgreSQL "
          "as (it comes with the postgresql-15 package)");
    }
    server->switch_user_ = true;
    server->uid_ = pw.pw_uid;
    server->gid_ = pw.pw_gid;
  } else {
    server->uid_ = geteuid();
    server->gid_ = getegid();
  }

  const std::string pattern = absl::StrCat(parent_dir, "/tonghop-pg-XXXXXX");
  std::string templ = pattern;
  if (mkdtemp(templ.data()) == nullptr) {
    return Errno(absl::StrCat("mkdtemp ", pattern));
  }
  server->dir_ = templ;  // from here on, the destructor removes it
  if (server->switch_user_ &&
      chown(server->dir_.c_str(), server->uid_, server->gid_) != 0) {
    return Errno(absl::StrCat("chown ", server->dir_, " to postgres"));
  }
  const std::string data = server->dir_ + "/data";
  const std::string commands_log = server->dir_ + "/commands.log";
  const std::string server_log = server->dir_ + "/server.log";
  const RunAs as = {server->switch_user_, server->uid_, server->gid_};

  // --no-sync: the cluster is new and thrown away after the run; the server
  // itself runs with fsync on. C collation: every key is an ASCII code, and
  // rows then sort bytewise, as std::string compares.
  absl::StatusOr<int> initdb =
      RunCommand(absl::StrCat(kBinDir, "/initdb"),
                 {"-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions"},
                 server->dir_, as, commands_log, kInitdbTimeout);
  if (!initdb.ok()) return initdb.status();
  if (*initdb == 126) {
    return absl::FailedPreconditionError(absl::StrCat(
        "user `postgres` cannot enter ", server->dir_,
        ": every folder above it must be searchable by others (o+x); use a "
        "parent folder such as /tmp"));
  }
  if (*initdb != 0) {
    return absl::InternalError(
        absl::StrCat("initdb exited with ", *initdb, ":\n",
                     cluster::LogTail(commands_log, 0, kLogLines)));
  }
  {
    std::ofstream conf(data + "/postgresql.conf", std::ios::app);
    conf << kServerSettings;
    conf.flush();
    if (!conf) {
      return absl::InternalError(
          absl::StrCat("cannot append to ", data, "/postgresql.conf"));
    }
  }

  // The port is free when picked; another process may take it before the
  // server binds it, so a bind failure is retried with another.
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<std::vector<int>> ports = cluster::PickFreePorts(1);
    if (!ports.ok()) return ports.status();
    server->port_ = ports->front();
    const int64_t offset = cluster::FileSize(server_log);
    absl::StatusOr<int> started =
        server->PgCtl({"start", "-D", data, "-l", server_log, "-w", "-t", "60",
                       "-o", absl::StrCat("-p ", server->port_)});
    if (!started.ok()) return started.status();
    if (*started == 0) break;
    std::string tail = cluster::LogTail(server_log, offset, kLogLines);
    if (attempt < 3 && absl::StrContains(tail, "could not bind")) {
      // The server exited; make sure before trying again.
      server->PgCtl({"stop", "-D", data, "-m", "immediate", "-w"})
          .IgnoreError();
      continue;
    }
    return absl::InternalError(
        absl::StrCat("PostgreSQL did not start on port ", server->port_,
                     " (pg_ctl exited with ", *started, "):\n",
                     cluster::LogTail(commands_log, 0, 5), "\n", tail));
  }

  const std::string base = absl::StrCat(
      "host=127.0.0.1 port=", server->port_,
      " user=postgres sslmode=disable gssencmode=disable connect_timeout=10 "
      "application_name=tonghop-bench dbname=");
  {
    absl::StatusOr<Conn> admin = Connect(base + "postgres");
    if (!admin.ok()) return admin.status();
    absl::Status s = Exec(admin->get(), "CREATE DATABASE tonghop");
    if (!s.ok()) return s;
  }
  server->conninfo_ = base + "tonghop";
  absl::Status s = server->CreateSchema();
  if (!s.ok()) return s;
  return server;
}

absl::StatusOr<int> PgServer::PgCtl(const std::vector<std::string>& args) {
  return RunCommand(absl::StrCat(kBinDir, "/pg_ctl"), args, dir_,
                    {switch_user_, uid_, gid_}, dir_ + "/commands.log",
                    kPgCtlTimeout);
}

absl::Status PgServer::CreateSchema() {
  absl::StatusOr<Conn> conn = Connect(conninfo_);
  if (!conn.ok()) return conn.status();
  for (const char* sql : kSchema) {
    absl::Status s = Exec(conn->get(), sql);
    if (!s.ok()) return s;
  }
  for (const char* sql : kValueIndexes) {
    absl::Status s = Exec(conn->get(), sql);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

PgServer::~PgServer() {
  ingest_conns_.clear();
  query_conn_.reset();
  if (dir_.empty()) return;
  const std::string data = dir_ + "/data";
  std::error_code ec;
  if (std::filesystem::exists(data + "/postmaster.pid", ec)) {
    absl::StatusOr<int> stopped =
        PgCtl({"stop", "-D", data, "-m", "fast", "-w", "-t", "60"});
    if (!stopped.ok() || *stopped != 0) {
      stopped =
          PgCtl({"stop", "-D", data, "-m", "immediate", "-w", "-t", "30"});
    }
    if (!stopped.ok() || *stopped != 0) {
      std::fprintf(stderr,
                   "postgres: could not stop the server in %s; left in place\n",
                   dir_.c_str());
      return;
    }
  }
  std::filesystem::remove_all(dir_, ec);
  if (ec) {
    std::fprintf(stderr, "postgres: cannot remove %s: %s\n", dir_.c_str(),
                 ec.message().c_str());
  }
}

absl::Status PgServer::Truncate() {
  absl::StatusOr<Conn> conn = Connect(conninfo_);
  if (!conn.ok()) return conn.status();
  return Exec(conn->get(), "TRUNCATE report, value");
}

absl::StatusOr<LoadResult> PgServer::Ingest(
    const std::vector<FlatReport>& reports, int clients) {
  if (clients < 1 || clients > kMaxClients) {
    return absl::InvalidArgumentError(
        absl::StrCat("clients must be 1..", kMaxClients, ", not ", clients));
  }
  if (ingest_conns_.size() != static_cast<size_t>(clients)) {
    ingest_conns_.clear();
    for (int c = 0; c < clients; ++c) {
      absl::StatusOr<Conn> conn = Connect(conninfo_);
      if (!conn.ok()) return conn.status();
      absl::Status s = PrepareIngest(conn->get());
      if (!s.ok()) return s;
      ingest_conns_.emplace_back(conn->release(), &PQfinish);
    }
  }
  std::vector<ClientResult> results(clients);
  std::vector<std::thread> threads;
  absl::Notification go;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back(RunClient, ingest_conns_[c].get(), std::cref(reports),
                         static_cast<size_t>(c), static_cast<size_t>(clients),
                         std::cref(go), &results[c]);
  }
  auto start = std::chrono::steady_clock::now();
  go.Notify();
  for (std::thread& t : threads) t.join();
  LoadResult load;
  load.seconds = Ms(start, std::chrono::steady_clock::now()) / 1000;
  load.clients = clients;
  load.sent = static_cast<int64_t>(reports.size());
  std::string first_error;
  for (ClientResult& r : results) {
    load.acknowledged += r.acknowledged;
    load.failed += r.failed;
    load.values += r.values;
    load.latencies_ms.insert(load.latencies_ms.end(), r.latencies_ms.begin(),
                             r.latencies_ms.end());
    if (first_error.empty()) first_error = r.first_error;
  }
  if (load.failed > 0) {
    std::fprintf(stderr, "postgres: %lld of %lld reports failed; first: %s\n",
                 static_cast<long long>(load.failed),
                 static_cast<long long>(load.sent),
                 absl::StrReplaceAll(first_error, {{"\n", " "}}).c_str());
  }
  return load;
}

absl::Status PgServer::LoadHistory(const std::vector<FlatReport>& reports) {
  absl::StatusOr<Conn> conn = Connect(conninfo_);
  if (!conn.ok()) return conn.status();
  PGconn* c = conn->get();
  absl::Status status = Exec(c, "BEGIN");
  if (!status.ok()) return status;
  // Taken before any other statement, so that nothing changes the table's
  // emptiness (nothing else runs meanwhile anyway).
  status = Exec(c, "LOCK TABLE report, value IN ACCESS EXCLUSIVE MODE");
  if (!status.ok()) return status;
  bool empty = false;
  {
    Result result(PQexec(c, "SELECT NOT EXISTS (SELECT FROM value)"));
    status = Check(c, result, PGRES_TUPLES_OK, "is value empty");
    if (!status.ok()) return status;
    empty = absl::string_view(PQgetvalue(result.get(), 0, 0)) == "t";
  }
  if (empty) {
    for (const char* sql : kDropValueIndexes) {
      status = Exec(c, sql);
      if (!status.ok()) return status;
    }
  }
  size_t next = 0;
  status = pq::Copy(c, "COPY report (period, unit, city, revision) FROM STDIN",
                    [&](std::string* out) {
                      if (next == reports.size()) return false;
                      const FlatReport& r = reports[next++];
                      AppendCopyText(r.period, out);
                      *out += '\t';
                      AppendCopyText(r.unit, out);
                      *out += '\t';
                      AppendCopyText(r.city, out);
                      absl::StrAppend(out, "\t", r.revision, "\n");
                      return true;
                    });
  if (status.ok()) {
    next = 0;
    status = pq::Copy(c,
                      "COPY value (period, unit, city, indicator, numerator, "
                      "denominator, number) FROM STDIN",
                      [&](std::string* out) {
                        if (next == reports.size()) return false;
                        const FlatReport& r = reports[next++];
                        for (const FlatValue& v : r.values) {
                          AppendCopyText(r.period, out);
                          *out += '\t';
                          AppendCopyText(r.unit, out);
                          *out += '\t';
                          AppendCopyText(r.city, out);
                          *out += '\t';
                          AppendCopyText(v.indicator, out);
                          absl::StrAppend(out, "\t", v.numerator, "\t",
                                          v.denominator, "\t", v.number, "\n");
                        }
                        return true;
                      });
  }
  if (status.ok() && empty) {
    for (const char* sql : kValueIndexes) {
      status = Exec(c, sql);
      if (!status.ok()) break;
    }
  }
  if (!status.ok()) {
    Result rollback(PQexec(c, "ROLLBACK"));
    return status;
  }
  status = Exec(c, "COMMIT");
  if (!status.ok()) return status;
  status = Exec(c, "VACUUM (ANALYZE) report, value");
  // Writes the load's pages now, not during the queries measured next.
  if (status.ok()) status = Exec(c, "CHECKPOINT");
  return status;
}

absl::StatusOr<PGconn*> PgServer::QueryConnection() {
  if (query_conn_ != nullptr) return query_conn_.get();
  ASSIGN_OR_RETURN(Conn conn, Connect(conninfo_));
  PGconn* c = conn.get();
  RETURN_IF_ERROR(Prepare(c, "city_totals", kCityTotals, 2));
  RETURN_IF_ERROR(Prepare(c, "city_units", kCityUnits, 2));
  RETURN_IF_ERROR(Prepare(c, "national", kNational, 1));
  query_conn_ = {conn.release(), &PQfinish};
  return c;
}

absl::StatusOr<LoadResult> PgServer::QueryCity(const std::string& period,
                                               const std::string& city,
                                               int iterations,
                                               std::vector<PgRollupRow>* last) {
  if (iterations < 0) {
    return absl::InvalidArgumentError("iterations must not be negative");
  }
  ASSIGN_OR_RETURN(PGconn * c, QueryConnection());
  absl::Status status;
  LoadResult load;
  load.clients = 1;
  std::vector<PgRollupRow> rows;
  auto phase = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    rows.clear();
    ++load.sent;
    Result totals =
        ExecPrepared(c, "city_totals", {period.c_str(), city.c_str()});
    status = Check(c, totals, PGRES_TUPLES_OK, "city totals");
    if (status.ok()) status = AppendRows(totals.get(), -1, 4, &rows);
    if (!status.ok()) {
      query_conn_.reset();  // opened afresh by the next call
      return status;
    }
    Result units =
        ExecPrepared(c, "city_units", {period.c_str(), city.c_str()});
    status = Check(c, units, PGRES_TUPLES_OK, "city units");
    if (status.ok()) status = AppendRows(units.get(), 0, -1, &rows);
    if (!status.ok()) {
      query_conn_.reset();  // opened afresh by the next call
      return status;
    }
    load.latencies_ms.push_back(Ms(start, std::chrono::steady_clock::now()));
    ++load.acknowledged;
    load.values += static_cast<int64_t>(rows.size());
  }
  load.seconds = Ms(phase, std::chrono::steady_clock::now()) / 1000;
  if (last != nullptr && iterations > 0) *last = std::move(rows);
  return load;
}

absl::StatusOr<LoadResult> PgServer::QueryNational(
    const std::string& period, int iterations, std::vector<PgRollupRow>* last) {
  if (iterations < 0) {
    return absl::InvalidArgumentError("iterations must not be negative");
  }
  ASSIGN_OR_RETURN(PGconn * c, QueryConnection());
  absl::Status status;
  LoadResult load;
  load.clients = 1;
  std::vector<PgRollupRow> rows;
  auto phase = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    rows.clear();
    ++load.sent;
    Result result = ExecPrepared(c, "national", {period.c_str()});
    status = Check(c, result, PGRES_TUPLES_OK, "national roll-up");
    if (status.ok()) status = AppendRows(result.get(), 0, 5, &rows);
    if (!status.ok()) {
      query_conn_.reset();  // opened afresh by the next call
      return status;
    }
    load.latencies_ms.push_back(Ms(start, std::chrono::steady_clock::now()));
    ++load.acknowledged;
    load.values += static_cast<int64_t>(rows.size());
  }
  load.seconds = Ms(phase, std::chrono::steady_clock::now()) / 1000;
  if (last != nullptr && iterations > 0) *last = std::move(rows);
  return load;
}

absl::StatusOr<int64_t> PgServer::StoredBytes() {
  absl::StatusOr<Conn> conn = Connect(conninfo_);
  if (!conn.ok()) return conn.status();
  Result result(PQexec(conn->get(),
                       "SELECT pg_total_relation_size('report') + "
                       "pg_total_relation_size('value')"));
  absl::Status status =
      Check(conn->get(), result, PGRES_TUPLES_OK, "pg_total_relation_size");
  if (!status.ok()) return status;
  return Int64At(result.get(), 0, 0);
}

}  // namespace tonghop::bench
