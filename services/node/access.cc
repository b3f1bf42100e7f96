#include "services/node/access.h"

namespace tonghop {

absl::Status CallerMay(const grpc::ServerContextBase& context,
                       const AccessPolicy& policy,
                       absl::FunctionRef<absl::Status(const Grant&)> check,
                       Grant* out) {
  if (!policy.enabled()) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  std::string header;
  if (it != metadata.end()) header.assign(it->second.data(), it->second.size());
  absl::StatusOr<Grant> grant =
      policy.Authenticate(it == metadata.end() ? nullptr : &header);
  if (!grant.ok()) return grant.status();
  if (absl::Status allowed = check(*grant); !allowed.ok()) return allowed;
  if (out != nullptr) *out = *std::move(grant);
  return absl::OkStatus();
}

}  // namespace tonghop
