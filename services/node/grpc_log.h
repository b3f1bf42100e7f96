// gRPC's own log lines (gpr_log) in tonghop's log format, and a way to take
// them as the cause of a failed call instead of printing them.
//
// gRPC prints its errors straight to stderr in its own format: a node that
// cannot bind its port printed a 600-character gRPC error before its own
// one-line message. Once RouteGrpcLog() has run (or any GrpcLogCapture has
// been made), gRPC's ERROR lines are written as "E grpc: <message>" and its
// INFO lines as "I grpc: ..." (gRPC's own verbosity, GRPC_VERBOSITY, still
// decides which it emits). Thread-safe.
#ifndef TONGHOP_SERVICES_NODE_GRPC_LOG_H_
#define TONGHOP_SERVICES_NODE_GRPC_LOG_H_

#include <string>
#include <vector>

namespace tonghop {

// Sends gRPC's log lines through tonghop's log (LogLine). Idempotent.
void RouteGrpcLog();

// While one lives, gRPC's ERROR lines (from any thread) are kept instead of
// logged; what Take() has not returned is logged when it dies. One at a time:
// a second capture made while one lives keeps nothing (it logs as usual).
class GrpcLogCapture {
 public:
  GrpcLogCapture();
  ~GrpcLogCapture();
  GrpcLogCapture(const GrpcLogCapture&) = delete;
  GrpcLogCapture& operator=(const GrpcLogCapture&) = delete;

  // The ERROR lines kept so far; they will not be logged.
  std::vector<std::string> Take();

 private:
  bool active_ = false;
};

// The operating system's reason inside a gRPC error text (its
// `os_error:"Address already in use"` part), or "" when it names none.
std::string OsErrorIn(const std::vector<std::string>& lines);

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_GRPC_LOG_H_
