// JWS building blocks private to auth (OpenSSL 3): EC keys owned by unique_ptr, PKCS#8 PEM
// import and export, JWK coordinates, ECDSA signatures in the raw R||S form that JWS uses
// (RFC 7518 §3.4) rather than OpenSSL's DER, and the compact serialization's three parts.
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

// An EC public key on `group_name` ("prime256v1", "secp384r1") from its raw big-endian
// coordinates (`coordinate_bytes` each, as in a JWK after base64url decoding). Errors: kInternal
// when a coordinate has another size or the point is not on the curve.
Result<Pkey> EcPublicKey(std::string_view group_name, size_t coordinate_bytes, std::string_view x,
                         std::string_view y);
// EcPublicKey on P-256.
Result<Pkey> P256PublicKey(std::string_view x, std::string_view y);

struct Coordinates {
  std::string x;  // 32 raw bytes, big-endian
  std::string y;
};
// The public point of a P-256 key. Errors: kInternal.
Result<Coordinates> PublicCoordinates(const EVP_PKEY* key);

// ECDSA with `digest` over `input`: 2 * coordinate_bytes raw bytes R||S, `coordinate_bytes` being
// the size of a field element of the key's curve. Errors: kInternal.
Result<std::string> SignEcdsa(EVP_PKEY* key, const EVP_MD* digest, size_t coordinate_bytes,
                              std::string_view input);
// SignEcdsa for ES256 (P-256, SHA-256): 64 bytes.
Result<std::string> SignEs256(EVP_PKEY* key, std::string_view input);

// True when `signature` (raw R||S, 2 * coordinate_bytes) is a valid ECDSA signature of `input`
// by `key` with `digest`. Any other length, or R or S out of range, is false. The caller checks
// that the key's curve is the one the algorithm names.
bool VerifyEcdsa(EVP_PKEY* key, const EVP_MD* digest, size_t coordinate_bytes,
                 std::string_view input, std::string_view signature);
// VerifyEcdsa for ES256 (P-256, SHA-256, 64-byte signatures).
bool VerifyEs256(EVP_PKEY* key, std::string_view input, std::string_view signature);

// The parts of a compact JWS (RFC 7515 §7.1), still base64url-encoded.
struct JwsParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header "." payload
};
// Exactly three dot-separated parts, none of them empty; nullopt otherwise.
std::optional<JwsParts> SplitJws(std::string_view token);

// Strict unpadded base64url: nullopt for padding, characters outside the alphabet, an impossible
// length, or non-zero trailing bits (so each byte string has exactly one accepted encoding).
std::optional<std::string> DecodeBase64UrlStrict(std::string_view text);

}  // namespace pangolin::auth::internal
