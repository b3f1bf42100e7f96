#include "libs/auth/access.h"

#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace tonghop {

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

absl::StatusOr<AccessPolicy> AccessPolicy::Build(
    const google::protobuf::RepeatedPtrField<v1::AccessToken>& tokens,
    absl::string_view self, const std::set<std::string>& children) {
  AccessPolicy policy;
  policy.self_ = std::string(self);
  for (int i = 0; i < tokens.size(); ++i) {
    const v1::AccessToken& t = tokens.Get(i);
    const std::string at = absl::StrCat("config: tokens[", i, "].");
    std::string hash = absl::AsciiStrToLower(t.sha256());
    bool hex = hash.size() == 64;
    for (char c : hash) hex = hex && absl::ascii_isxdigit(c);
    if (!hex) {
      return absl::InvalidArgumentError(absl::StrCat(
          at, "sha256: '", t.sha256(),
          "' is not a SHA-256 in hex (64 digits; deploy/make-token.sh prints "
          "it)"));
    }
    if (hash == Sha256Hex("")) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "sha256: the hash of the empty token"));
    }
    if (t.actor().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          at, "actor: required (who holds the token, for the audit log)"));
    }
    if (t.unit() != self && !children.count(t.unit())) {
      return absl::InvalidArgumentError(absl::StrCat(
          at, "unit: '", t.unit(), "' is neither this node's unit ", self,
          " nor one of its children"));
    }
    Grant grant{t.actor(), t.unit(), t.unit() == self};
    if (!policy.by_hash_.emplace(hash, std::move(grant)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "sha256: the same token as an earlier entry"));
    }
  }
  return policy;
}

absl::StatusOr<Grant> AccessPolicy::Authenticate(
    const std::string* header) const {
  if (header == nullptr) {
    return absl::UnauthenticatedError(
        "authorization: this node asks for a token (metadata "
        "'authorization: Bearer <token>'; the CLI reads it from --token_file "
        "or TONGHOP_TOKEN)");
  }
  absl::string_view value = absl::StripAsciiWhitespace(*header);
  // The scheme's name is case-insensitive (RFC 7235).
  if (!absl::StartsWithIgnoreCase(value, "bearer ")) {
    return absl::UnauthenticatedError("authorization: not 'Bearer <token>'");
  }
  value = absl::StripAsciiWhitespace(value.substr(7));
  if (value.empty()) {
    return absl::UnauthenticatedError("authorization: not 'Bearer <token>'");
  }
  auto it = by_hash_.find(Sha256Hex(value));
  if (it == by_hash_.end()) {
    return absl::UnauthenticatedError(
        "authorization: this node does not know the token");
  }
  return it->second;
}

absl::Status AccessPolicy::ForUnit(const Grant& grant, absl::string_view unit,
                                   absl::string_view field) const {
  if (grant.secretariat || (!unit.empty() && unit == grant.unit)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": ", unit.empty() ? self_ : std::string(unit), ": the token of ",
      grant.actor, " acts for ", grant.unit, " only"));
}

absl::Status AccessPolicy::Secretariat(const Grant& grant,
                                       absl::string_view what) const {
  if (grant.secretariat) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      what, ": the secretariat's (a token of ", self_, "); the token of ",
      grant.actor, " acts for ", grant.unit, " only"));
}

}  // namespace tonghop
