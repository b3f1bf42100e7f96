#include "tools/bench/pq.h"

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"

namespace tonghop::bench::pq {

// PQerrorMessage without its trailing newline.
std::string ConnError(const PGconn* conn) {
  return std::string(absl::StripTrailingAsciiWhitespace(
      conn == nullptr ? "out of memory" : PQerrorMessage(conn)));
}

absl::StatusOr<Conn> Connect(const std::string& conninfo) {
  Conn conn(PQconnectdb(conninfo.c_str()));
  if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL (",
                                               conninfo,
                                               "): ", ConnError(conn.get())));
  }
  return conn;
}

// OK when `result` has status `expected`; else the server's message, naming
// `what`.
absl::Status Check(PGconn* conn, const Result& result, ExecStatusType expected,
                   absl::string_view what) {
  if (result != nullptr && PQresultStatus(result.get()) == expected) {
    return absl::OkStatus();
  }
  std::string message = result != nullptr
                            ? std::string(absl::StripTrailingAsciiWhitespace(
                                  PQresultErrorMessage(result.get())))
                            : "";
  if (message.empty()) message = ConnError(conn);
  return absl::InternalError(absl::StrCat(what, ": ", message));
}

absl::Status Exec(PGconn* conn, const char* sql) {
  Result result(PQexec(conn, sql));
  if (result != nullptr && PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
    return absl::OkStatus();
  }
  return Check(conn, result, PGRES_COMMAND_OK, sql);
}

absl::Status Prepare(PGconn* conn, const char* name, const char* sql,
                     int params) {
  Result result(PQprepare(conn, name, sql, params, nullptr));
  return Check(conn, result, PGRES_COMMAND_OK, absl::StrCat("prepare ", name));
}

Result ExecPrepared(PGconn* conn, const char* name,
                    const std::vector<const char*>& params) {
  return Result(PQexecPrepared(conn, name, static_cast<int>(params.size()),
                               params.data(), nullptr, nullptr, 0));
}

absl::StatusOr<int64_t> Int64At(const PGresult* result, int row, int column) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(PQgetvalue(result, row, column), &v)) {
    return absl::InternalError(
        absl::StrCat("not an integer in row ", row, " column ", column, ": \"",
                     PQgetvalue(result, row, column), "\""));
  }
  return v;
}

// A PostgreSQL array literal of the values' indicators, each double-quoted.
std::string TextArray(const std::vector<FlatValue>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i].indicator) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string IntArray(const std::vector<FlatValue>& values,
                     int64_t FlatValue::*field) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    absl::StrAppend(&out, values[i].*field);
  }
  out += '}';
  return out;
}

// A text field of COPY's text format, escaped.
void AppendCopyText(absl::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        *out += c;
    }
  }
}

}  // namespace tonghop::bench::pq
