// ES256 building blocks private to auth (OpenSSL 3): P-256 keys owned by unique_ptr, PKCS#8 PEM
// import and export, JWK coordinates, and signatures in the raw 64-byte R||S form that JWS uses
// (RFC 7518 §3.4), not OpenSSL's DER. Exposed for jwt.cc and the tests only.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::auth::internal {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

inline constexpr size_t kCoordinateBytes = 32;                   // a P-256 field element
inline constexpr size_t kSignatureBytes = 2 * kCoordinateBytes;  // R||S

// A fresh P-256 key pair. Errors: kInternal.
Result<Pkey> GenerateP256Key();

// The private key as a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). Errors: kInternal.
Result<std::string> PrivateKeyPem(const EVP_PKEY* key);

// Parses a PEM private key; accepts only EC keys on P-256. Errors: kInternal (without the PEM).
Result<Pkey> ParseP256PrivateKey(std::string_view pem);

// A P-256 public key from its raw big-endian coordinates (32 bytes each, as in a JWK after
// base64url decoding). Errors: kInternal when the point is not on the curve.
Result<Pkey> P256PublicKey(std::string_view x, std::string_view y);

struct Coordinates {
  std::string x;  // 32 raw bytes, big-endian
  std::string y;
};
// The public point of a P-256 key. Errors: kInternal.
Result<Coordinates> PublicCoordinates(const EVP_PKEY* key);

// ECDSA P-256 with SHA-256 over `input`: 64 raw bytes R||S. Errors: kInternal.
Result<std::string> SignEs256(EVP_PKEY* key, std::string_view input);

// True when `signature` (64 raw bytes R||S) is a valid ES256 signature of `input` by `key`.
// Any other length, or R or S out of range, is false.
bool VerifyEs256(EVP_PKEY* key, std::string_view input, std::string_view signature);

// Strict unpadded base64url: nullopt for padding, characters outside the alphabet, an impossible
// length, or non-zero trailing bits (so each byte string has exactly one accepted encoding).
std::optional<std::string> DecodeBase64UrlStrict(std::string_view text);

}  // namespace pangolin::auth::internal
