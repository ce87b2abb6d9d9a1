// RSA private keys and RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures over OpenSSL 3, for the
// JWTs that service accounts sign. Module-private: include only from storage/gcs/*.cc.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::storage::gcs_internal {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using RsaKey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Parses a PEM private key (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY").
// Errors: kInvalidArgument when the text is no PEM private key or the key is not RSA; the
// message never contains the key.
Result<RsaKey> ParseRsaPrivateKey(std::string_view pem);

// The RS256 signature of `input` (raw bytes, as long as the key's modulus). Thread-safe for one
// key used from many threads. Errors: kInternal.
Result<std::string> SignRs256(EVP_PKEY* key, std::string_view input);

}  // namespace pangolin::storage::gcs_internal
