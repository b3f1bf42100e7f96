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

AccessPolicy::AccessPolicy() : tokens_(std::make_shared<const Tokens>()) {}

AccessPolicy::AccessPolicy(AccessPolicy&& other) : tokens_(other.tokens()) {}

AccessPolicy& AccessPolicy::operator=(AccessPolicy&& other) {
  if (this != &other) Replace(std::move(other));
  return *this;
}

std::shared_ptr<const AccessPolicy::Tokens> AccessPolicy::tokens() const {
  absl::ReaderMutexLock lock(&mu_);
  return tokens_;
}

void AccessPolicy::Replace(AccessPolicy other) {
  std::shared_ptr<const Tokens> replacing = other.tokens();
  absl::MutexLock lock(&mu_);
  tokens_ = std::move(replacing);
}

bool AccessPolicy::enabled() const { return !tokens()->by_hash.empty(); }

int AccessPolicy::size() const {
  return static_cast<int>(tokens()->by_hash.size());
}

absl::StatusOr<AccessPolicy> AccessPolicy::Build(
    const google::protobuf::RepeatedPtrField<v1::AccessToken>& tokens,
    absl::string_view self, const std::set<std::string>& children) {
  Tokens built;
  built.self = std::string(self);
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
    if (!built.by_hash.emplace(hash, std::move(grant)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "sha256: the same token as an earlier entry"));
    }
  }
  AccessPolicy policy;
  {
    absl::MutexLock lock(&policy.mu_);
    policy.tokens_ = std::make_shared<const Tokens>(std::move(built));
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
  const std::shared_ptr<const Tokens> tokens = this->tokens();
  auto it = tokens->by_hash.find(Sha256Hex(value));
  if (it == tokens->by_hash.end()) {
    return absl::UnauthenticatedError(
        "authorization: this node does not know the token");
  }
  Grant grant = it->second;
  grant.checked = true;
  return grant;
}

absl::Status AccessPolicy::ForUnit(const Grant& grant, absl::string_view unit,
                                   absl::string_view field) const {
  if (grant.secretariat || (!unit.empty() && unit == grant.unit)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": ", unit.empty() ? tokens()->self : std::string(unit),
      ": the token of ", grant.actor, " acts for ", grant.unit, " only"));
}

absl::Status AccessPolicy::Secretariat(const Grant& grant,
                                       absl::string_view what) const {
  if (grant.secretariat) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      what, ": the secretariat's (a token of ", tokens()->self,
      "); the token of ", grant.actor, " acts for ", grant.unit, " only"));
}

}  // namespace tonghop
