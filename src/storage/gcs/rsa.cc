// RSA key parsing and RS256 signing; see rsa_internal.h. OpenSSL's thread-local error queue is
// cleared on every failure so that a stale entry cannot surface in unrelated code.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>

#include "storage/gcs/rsa_internal.h"

namespace pangolin::storage::gcs_internal {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free_all(bio); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string LastOpensslReason() {
  std::array<char, 256> reason{};
  unsigned long code = ERR_peek_last_error();
  if (code != 0) ERR_error_string_n(code, reason.data(), reason.size());
  ERR_clear_error();
  return code != 0 ? reason.data() : "unknown error";
}

}  // namespace

Result<RsaKey> ParseRsaPrivateKey(std::string_view pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Err(ErrorCode::kInternal, "BIO_new_mem_buf: {}", LastOpensslReason());
  // A null password callback with an empty password: an encrypted key fails instead of prompting.
  RsaKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
  if (!key) {
    return Err(ErrorCode::kInvalidArgument, "Invalid private key: {}", LastOpensslReason());
  }
  if (!EVP_PKEY_is_a(key.get(), "RSA")) {
    return Err(ErrorCode::kInvalidArgument, "Invalid private key: not an RSA key");
  }
  return key;
}

Result<std::string> SignRs256(EVP_PKEY* key, std::string_view input) {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return Err(ErrorCode::kInternal, "RS256 signing: {}", LastOpensslReason());
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return Err(ErrorCode::kInternal, "RS256 signing: {}", LastOpensslReason());
  }
  signature.resize(size);
  return signature;
}

}  // namespace pangolin::storage::gcs_internal
