// SHA-256 (OpenSSL libcrypto) of a submission's unit, period, file bytes and
// run.
#include "tools/cli/idempotency.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tonghop::cli {

std::string DefaultIdempotencyKey(absl::string_view unit,
                                  absl::string_view period,
                                  absl::string_view file_bytes,
                                  absl::string_view invocation) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (absl::string_view part : {unit, period, file_bytes, invocation}) {
    std::string length = absl::StrCat(part.size(), ":");
    EVP_DigestUpdate(ctx.get(), length.data(), length.size());
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  return absl::StrCat("cli-", absl::BytesToHexString(absl::string_view(
                                  reinterpret_cast<char*>(digest), size)));
}

absl::StatusOr<std::string> NewInvocation() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::UnavailableError(
        "no random bytes for the submission's idempotency key (OpenSSL "
        "RAND_bytes failed); give one with --idempotency_key");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
}

}  // namespace tonghop::cli
