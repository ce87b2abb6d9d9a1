// Verification keys of other issuers (OpenID Connect providers): a JWK (RFC 7517, RFC 7518 §6)
// as an OpenSSL public key for one JWS algorithm, and signature checks for the asymmetric
// algorithms Pangolin accepts from them. Module-private: for id_token.cc and the tests.
#pragma once

#include <optional>
#include <string_view>

#include "auth/jwt_internal.h"
#include "common/result.h"
#include "serde/id_token.h"

namespace pangolin::auth::internal {

enum class JwsAlgorithm { kRs256, kRs384, kRs512, kEs256, kEs384 };

// The algorithm called `name` ("RS256", ...); nullopt for any other, "none" and the HMAC family
// included (an HMAC "verified" with a public key would accept forgeries by anyone holding it).
std::optional<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name);

// An RSA public key from its raw big-endian modulus and exponent. Errors: kBadRequest for a
// modulus under 2048 bits (RFC 7518 §3.3) or an exponent that is not odd and above 1; kInternal
// when OpenSSL refuses the numbers.
Result<Pkey> RsaPublicKey(std::string_view modulus, std::string_view exponent);

// The public key of `jwk` for verifying `algorithm`: an RSA key for RS*, an EC key on P-256 for
// ES256 and on P-384 for ES384. Errors: kUnsupported when the key's kty or curve does not fit the
// algorithm or its own `alg` names another one; kBadRequest when its members do not decode to a
// valid key.
Result<Pkey> VerificationKey(const serde::Jwk& jwk, JwsAlgorithm algorithm);

// True when `signature` (raw bytes: PKCS #1 v1.5 for RS*, R||S for ES*) is a valid `algorithm`
// signature of `input` by `key`, a key VerificationKey made for the same algorithm.
bool VerifyJws(JwsAlgorithm algorithm, EVP_PKEY* key, std::string_view input,
               std::string_view signature);

}  // namespace pangolin::auth::internal
