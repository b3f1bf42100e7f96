// Who may do what at a node: the bearer tokens of its config
// (NodeConfig.tokens), each acting for one unit. Pure: the gRPC metadata is
// read in services/node/access.h.
//
// - A token of the node's own unit is its secretariat's: every call.
// - A token of a child's unit acts for that unit only: submit and finalise its
//   report, read its roll-up and its template, the catalog and the node's
//   identity. Everything about the node as a whole (its own roll-up, status,
//   locks, reminders, the clock) is the secretariat's.
// - With no token configured, nothing is checked (the node is as open as its
//   port).
// Thread-safe: the tokens can be replaced (Replace) while calls are checked.
#ifndef TONGHOP_LIBS_AUTH_ACCESS_H_
#define TONGHOP_LIBS_AUTH_ACCESS_H_

#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

// What a token grants.
struct Grant {
  std::string actor;
  std::string unit;
  bool secretariat = false;  // the node's own unit
  // True when a token authenticated the call (false where none is asked
  // for): decided once per call, whatever a reload does meanwhile.
  bool checked = false;
};

class AccessPolicy {
 public:
  AccessPolicy();  // no token: everything allowed
  AccessPolicy(AccessPolicy&& other);
  AccessPolicy& operator=(AccessPolicy&& other);

  // The policy of `tokens` at the node of `self`, whose children are
  // `children`. INVALID_ARGUMENT naming "config: tokens[i].<field>" for a
  // sha256 that is not 64 hex digits or repeats another, an empty actor, or a
  // unit that is neither `self` nor a child.
  static absl::StatusOr<AccessPolicy> Build(
      const google::protobuf::RepeatedPtrField<v1::AccessToken>& tokens,
      absl::string_view self, const std::set<std::string>& children);

  bool enabled() const;
  // The number of tokens.
  int size() const;
  // From now on, the tokens of `other` (a policy Build made for the same
  // node); calls already authenticated keep their grant.
  void Replace(AccessPolicy other);

  // The grant of the "authorization" metadata value `header` ("Bearer
  // <token>"); nullptr `header` when the call carried none. UNAUTHENTICATED
  // for a missing, malformed or unknown token.
  absl::StatusOr<Grant> Authenticate(const std::string* header) const;

  // OK when `grant` may act on `unit` (empty: the node's own report, the
  // secretariat's); PERMISSION_DENIED naming `field` and both units otherwise.
  absl::Status ForUnit(const Grant& grant, absl::string_view unit,
                       absl::string_view field) const;
  // OK for the secretariat's token; PERMISSION_DENIED naming `what`.
  absl::Status Secretariat(const Grant& grant, absl::string_view what) const;

 private:
  struct Tokens {
    std::string self;
    std::map<std::string, Grant> by_hash;  // lower-case hex SHA-256 -> grant
  };
  std::shared_ptr<const Tokens> tokens() const ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  std::shared_ptr<const Tokens> tokens_ ABSL_GUARDED_BY(mu_);
};

// The SHA-256 of `bytes` in lower-case hex.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_AUTH_ACCESS_H_
