// The tokens of people and programs at a gRPC call (libs/auth/access.h): the
// call's "authorization" metadata checked against the node's AccessPolicy.
#ifndef TONGHOP_SERVICES_NODE_ACCESS_H_
#define TONGHOP_SERVICES_NODE_ACCESS_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "libs/auth/access.h"

namespace tonghop {

// OK when `policy` asks for no token (`*grant` untouched). Otherwise the
// caller's token must be known (UNAUTHENTICATED) and pass `check` (its
// PERMISSION_DENIED); then `*grant`, when given, is what it grants: a write
// records its actor instead of any the request names.
absl::Status CallerMay(const grpc::ServerContextBase& context,
                       const AccessPolicy& policy,
                       absl::FunctionRef<absl::Status(const Grant&)> check,
                       Grant* grant = nullptr);

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_ACCESS_H_
