// tonghop.v1.AdminService: operations for the people who run a node.
#ifndef TONGHOP_SERVICES_NODE_ADMIN_SERVICE_H_
#define TONGHOP_SERVICES_NODE_ADMIN_SERVICE_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/access.h"
#include "libs/clock/clock.h"
#include "libs/engine/engine.h"
#include "libs/store/db.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // `clock` and `db` are not owned. A real clock refuses to move
  // (FAILED_PRECONDITION). Each move of a simulated clock is recorded in `db`
  // (when given) as SimulatedClockKey(), synced, so that a restart never
  // starts the clock behind it (server.cc).
  // `access` (not owned): with tokens, only the secretariat's moves the clock.
  // `engine` (not owned; may be null in tests) holds the automatic steps due
  // within a move for the request's `settle` (Engine::HoldSteps).
  AdminService(Clock* clock, Db* db, const AccessPolicy* access,
               Engine* engine = nullptr)
      : clock_(clock), db_(db), access_(access), engine_(engine) {}

  // The longest SetClockRequest.settle taken.
  static constexpr absl::Duration kMaxSettle = absl::Seconds(60);

  // The meta key of the simulated clock's last setting (Unix nanoseconds).
  static std::string SimulatedClockKey() {
    return keys::Meta("simulated_clock");
  }

  grpc::ServerUnaryReactor* SetClock(grpc::CallbackServerContext* context,
                                     const v1::SetClockRequest* request,
                                     v1::SetClockResponse* response) override;

 private:
  Clock* clock_;
  Db* db_;
  const AccessPolicy* access_;
  Engine* engine_;
  absl::Mutex mu_;  // one SetClock's move at a time
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_ADMIN_SERVICE_H_
