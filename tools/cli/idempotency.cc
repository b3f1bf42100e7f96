// SHA-256 (OpenSSL libcrypto) of a submission's unit, period and file bytes.
#include "tools/cli/idempotency.h"

#include <openssl/evp.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tonghop::cli {

std::string DefaultIdempotencyKey(absl::string_view unit,
                                  absl::string_view period,
                                  absl::string_view file_bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (absl::string_view part : {unit, period, file_bytes}) {
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

}  // namespace tonghop::cli
