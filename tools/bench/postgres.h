// The PostgreSQL side of the benchmark: what a city would otherwise build, a
// central PostgreSQL 15 database of every ward's and department's report.
//
// PgServer starts a private server (Debian's postgresql-15 binaries under
// /usr/lib/postgresql/15/bin) in a fresh folder owned by the `postgres` user
// (PostgreSQL refuses to run as root; when not root, the server runs as the
// calling user), listening on 127.0.0.1 only (no Unix socket) on a port it
// picks, with fsync, synchronous_commit and full_page_writes on (durable like
// tonghop) and the settings a DBA would give a machine with a few GB of RAM
// (postgres.cc: kServerSettings), and creates the database `tonghop`:
//   report(period, unit, city, revision, PRIMARY KEY (period, unit))
//   value(period, unit, city, indicator, numerator, denominator, number,
//         PRIMARY KEY (period, unit, indicator)), plus the index a good DBA
//         adds for the roll-ups: (period, city, indicator) INCLUDE (unit and
//         the figures), so that both queries are index-only scans.
// The destructor stops the server (pg_ctl stop -m fast, then -m immediate) and
// removes the folder. A process killed before that leaves both behind (the
// server runs in its own session, as pg_ctl starts it).
//
// Ingest: each report is one transaction through libpq, from `clients`
// concurrent connections (one thread each, prepared statements): the report row
// is upserted only when its revision is newer than the stored one (an older or
// equal revision changes nothing and is rolled back, like tonghop's stale
// answer, and counts as acknowledged), and then its values replace the unit's
// values for the period (DELETE, then one INSERT of them all). LoadHistory
// loads rows in bulk with COPY.
// Queries are the same roll-ups tonghop answers, computed by SQL over the
// stored values (ratio of sums = SUM(numerator), SUM(denominator) per
// indicator; counts SUM(number); reported = COUNT(*)):
//   city:     per indicator for (period, city) (group ""), plus the per-unit
//             breakdown (group = the unit, reported = 1): two statements
//   national: per (city, indicator) for the period (group = the city), plus
//             the national totals per indicator (group ""): one statement
// Rows come ordered by (group, indicator), the totals ("") first.
// Thread-compatible: one thread drives a PgServer.
#ifndef TONGHOP_TOOLS_BENCH_POSTGRES_H_
#define TONGHOP_TOOLS_BENCH_POSTGRES_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/bench/flat.h"
#include "tools/bench/stats.h"

struct pg_conn;  // libpq's PGconn

namespace tonghop::bench {

// One roll-up as computed by SQL, for cross-checking against tonghop.
struct PgRollupRow {
  std::string group;  // the city or unit (see above), or "" for the total
  std::string indicator;
  int64_t numerator = 0, denominator = 0, number = 0;
  int64_t reported = 0;  // units with a value
};

class PgServer {
 public:
  // Starts the server in a new folder under `parent_dir` (which, when running
  // as root, the `postgres` user must be able to traverse: /tmp is fine).
  // FAILED_PRECONDITION when PostgreSQL 15 is not installed, the `postgres`
  // user is missing or cannot enter the folder; INTERNAL with the log's tail
  // when initdb fails or the server does not start within 60 s.
  static absl::StatusOr<std::unique_ptr<PgServer>> Start(
      const std::string& parent_dir);
  ~PgServer();

  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Empties both tables (between phases).
  absl::Status Truncate();
  // One transaction per report from `clients` connections (1..250), in the
  // order given (report i goes to connection i % clients, each connection
  // sends its share in order). Connections are opened and statements prepared
  // before the clock starts, and kept for the next call with as many clients
  // (a pool, as an application keeps one). Latency per acknowledged report:
  // BEGIN to COMMIT (or, stale, ROLLBACK) acknowledged. A report whose
  // statements fail is rolled back and counted in `failed`; the first failure's
  // message and the count go to stderr (one line per phase); a connection lost
  // and not re-established fails the rest of its share. An error status only
  // when a connection cannot be opened before the phase.
  absl::StatusOr<LoadResult> Ingest(const std::vector<FlatReport>& reports,
                                    int clients);
  // COPY of every report and value in one transaction (no revision checks:
  // bulk history; a (period, unit) already stored is an error), then VACUUM
  // ANALYZE (statistics, and the visibility map index-only scans need) and a
  // CHECKPOINT (the load's pages written before any query is timed).
  absl::Status LoadHistory(const std::vector<FlatReport>& reports);
  // Runs the city (or national) roll-up `iterations` times on one connection,
  // opened and its statements prepared at the first call (untimed) and kept
  // for the next, as an application keeps one: measured in blocks between
  // tonghop's, the plans stay those of a long-lived session (after an error
  // the next call opens a new one). Latencies in
  // LoadResult::latencies_ms (the city's two statements together, rows
  // parsed); `values` counts the rows returned; `last` (may be null) receives
  // the last answer.
  absl::StatusOr<LoadResult> QueryCity(const std::string& period,
                                       const std::string& city, int iterations,
                                       std::vector<PgRollupRow>* last);
  absl::StatusOr<LoadResult> QueryNational(const std::string& period,
                                           int iterations,
                                           std::vector<PgRollupRow>* last);
  // Bytes of both tables with their indexes (pg_total_relation_size).
  absl::StatusOr<int64_t> StoredBytes();

 private:
  PgServer() = default;
  // Runs pg_ctl with `args` as the server's user, bounded; its exit code.
  absl::StatusOr<int> PgCtl(const std::vector<std::string>& args);
  absl::Status CreateSchema();
  // The roll-ups' connection (see QueryCity), opened and prepared once.
  absl::StatusOr<pg_conn*> QueryConnection();

  std::string dir_;           // the folder: data/, server.log, commands.log
  bool switch_user_ = false;  // running as root: commands run as `postgres`
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  int port_ = 0;
  // "host=127.0.0.1 port=... dbname=tonghop user=postgres ..."
  std::string conninfo_;
  // Ingest's connections, kept between calls.
  std::vector<std::unique_ptr<pg_conn, void (*)(pg_conn*)>> ingest_conns_;
  std::unique_ptr<pg_conn, void (*)(pg_conn*)> query_conn_{nullptr, nullptr};
};

}  // namespace tonghop::bench

#endif  // TONGHOP_TOOLS_BENCH_POSTGRES_H_
