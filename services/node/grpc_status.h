// The absl::Status -> grpc::Status edge (same canonical codes, same message).
#ifndef TONGHOP_SERVICES_NODE_GRPC_STATUS_H_
#define TONGHOP_SERVICES_NODE_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace tonghop {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_GRPC_STATUS_H_
