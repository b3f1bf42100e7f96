// tonghop.v1.AdminService: operations for the people who run a node.
#ifndef TONGHOP_SERVICES_NODE_ADMIN_SERVICE_H_
#define TONGHOP_SERVICES_NODE_ADMIN_SERVICE_H_

#include "libs/clock/clock.h"
#include "tonghop/v1/node.grpc.pb.h"

namespace tonghop {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // `clock` is not owned. A real clock refuses to move (FAILED_PRECONDITION).
  explicit AdminService(Clock* clock) : clock_(clock) {}

  grpc::ServerUnaryReactor* SetClock(grpc::CallbackServerContext* context,
                                     const v1::SetClockRequest* request,
                                     v1::SetClockResponse* response) override;

 private:
  Clock* clock_;
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_ADMIN_SERVICE_H_
