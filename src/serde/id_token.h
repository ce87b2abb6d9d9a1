// The JSON documents of OpenID Connect sign-in: a provider's JWKS (RFC 7517, RFC 7518 §6) and the
// claims of an ID token (OIDC Core §2, §5.1). Checking signatures and claims is auth's business;
// this file only decodes. The token's JWS header is serde::ParseJwtHeader (token_claims.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pangolin::serde {

// One key of a JWKS, its binary members still base64url-encoded.
struct Jwk {
  std::string kty;  // "RSA", "EC", or a type the verifier does not use
  std::optional<std::string> kid;
  std::optional<std::string> alg;  // the one algorithm the key is for, when stated
  std::optional<std::string> use;  // "sig" or "enc", when stated
  std::string n;                   // RSA modulus
  std::string e;                   // RSA public exponent
  std::string crv;                 // EC curve: "P-256", "P-384", ...
  std::string x;                   // EC point
  std::string y;
};

// {"keys":[...]}: keys of any kty are listed; RSA keys must have string n and e, EC keys string
// crv, x and y; kid, alg and use are strings when present; other members are ignored. Errors:
// kBadRequest naming what is missing or of the wrong type.
Result<std::vector<Jwk>> ParseJwks(std::string_view json);

// The claims of an ID token that sign-in checks or uses.
struct IdTokenPayload {
  std::string issuer;                           // iss
  std::string subject;                          // sub
  std::vector<std::string> audiences;           // aud: one string or an array of strings
  std::optional<std::string> authorized_party;  // azp
  int64_t expires_at = 0;                       // exp
  std::optional<int64_t> issued_at;             // iat
  std::optional<int64_t> not_before;            // nbf
  std::optional<std::string> nonce;
  std::optional<std::string> email;
  bool email_verified = false;  // a JSON true, or the string "true" some providers send
  std::optional<std::string> name;
  std::optional<std::string> preferred_username;
};

// Requires iss, sub, aud and exp; the other claims are optional but must have their type when
// present (times are JSON numbers, fractions truncated; email_verified of another shape reads as
// false). Unknown claims are ignored. Errors: kBadRequest naming the claim.
Result<IdTokenPayload> ParseIdTokenClaims(std::string_view json);

}  // namespace pangolin::serde
