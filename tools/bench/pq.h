// Small helpers over libpq for the benchmark's PostgreSQL side: owned
// connections and results, statements with the server's message on failure,
// integer columns, array literals, and streaming COPY ... FROM STDIN.
// Thread-compatible: a connection is used by one thread at a time.
#ifndef TONGHOP_TOOLS_BENCH_PQ_H_
#define TONGHOP_TOOLS_BENCH_PQ_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tools/bench/flat.h"

namespace tonghop::bench::pq {

struct ConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

// PQerrorMessage without its trailing newline ("out of memory" for null).
std::string ConnError(const PGconn* conn);

// A connection; UNAVAILABLE naming `conninfo` and the reason when it fails.
absl::StatusOr<Conn> Connect(const std::string& conninfo);

// OK when `result` has status `expected`; else INTERNAL with the server's
// message, naming `what`.
absl::Status Check(PGconn* conn, const Result& result, ExecStatusType expected,
                   absl::string_view what);

// Runs `sql` (a command, or a query whose rows are dropped); INTERNAL with the
// server's message.
absl::Status Exec(PGconn* conn, const char* sql);

// Prepares `sql` as statement `name` with `params` parameters.
absl::Status Prepare(PGconn* conn, const char* name, const char* sql,
                     int params);

// Executes prepared statement `name` with text `params`.
Result ExecPrepared(PGconn* conn, const char* name,
                    const std::vector<const char*>& params);

// The integer at (`row`, `column`); INTERNAL when it is not one.
absl::StatusOr<int64_t> Int64At(const PGresult* result, int row, int column);

// A PostgreSQL array literal of the values' indicators, each double-quoted.
std::string TextArray(const std::vector<FlatValue>& values);

// A PostgreSQL array literal of one integer field of the values.
std::string IntArray(const std::vector<FlatValue>& values,
                     int64_t FlatValue::*field);

// Appends `text` to `out` as a field of COPY's text format, escaped.
void AppendCopyText(absl::string_view text, std::string* out);

// Runs `sql` (a COPY ... FROM STDIN) on `conn` and streams it the rows `fill`
// appends to the buffer it is given, called until it returns false, in chunks
// of about 1 MB.
template <typename Fill>
absl::Status Copy(PGconn* conn, const char* sql, Fill fill) {
  Result start(PQexec(conn, sql));
  absl::Status status = Check(conn, start, PGRES_COPY_IN, sql);
  if (!status.ok()) return status;
  constexpr size_t kChunk = 1 << 20;
  std::string buffer;
  buffer.reserve(kChunk + 4096);
  bool more = true;
  while (more) {
    buffer.clear();
    while (more && buffer.size() < kChunk) more = fill(&buffer);
    if (!buffer.empty() &&
        PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) !=
            1) {
      status = absl::InternalError(
          absl::StrCat(sql, ": sending data: ", ConnError(conn)));
      break;
    }
  }
  if (PQputCopyEnd(conn, status.ok() ? nullptr : "aborted") != 1) {
    return absl::InternalError(absl::StrCat(sql, ": ", ConnError(conn)));
  }
  while (Result result{PQgetResult(conn)}) {
    absl::Status s = Check(conn, result, PGRES_COMMAND_OK, sql);
    if (status.ok()) status = s;
  }
  return status;
}

}  // namespace tonghop::bench::pq

#endif  // TONGHOP_TOOLS_BENCH_PQ_H_
