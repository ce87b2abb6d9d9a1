// The JSON documents of Pangolin's access tokens: the JWS protected header, the JWT claims set
// (RFC 7519) carrying catalog::TokenClaims, and the JWKS that publishes the verification keys.
// Signing and verifying are auth's business; this file only encodes and decodes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/identity.h"
#include "common/result.h"

namespace pangolin::serde {

// {"alg":"ES256","typ":"JWT","kid":<kid>}
std::string JwtHeaderJson(std::string_view kid);

struct JwtHeader {
  std::string alg;
  std::optional<std::string> kid;
  bool has_crit = false;  // a "crit" member is present (RFC 7515 §4.1.11)
};
// Errors: kBadRequest when `json` is not an object, `alg` is missing or not a string, or `kid` is
// present but not a string.
Result<JwtHeader> ParseJwtHeader(std::string_view json);

// The claims set: iss, aud, sub, jti, iat, exp, username, tenant_id (omitted when absent), role
// (catalog::ToString spelling) and principal_type ("user" or "service_user").
std::string TokenClaimsJson(const catalog::TokenClaims& claims);

struct JwtPayload {
  catalog::TokenClaims claims;         // claims.audience is the first of `audiences`
  std::vector<std::string> audiences;  // `aud` as given: one string or an array of strings
  std::optional<int64_t> not_before;   // nbf
};
// Requires iss, aud (a string or a non-empty array of strings), sub, jti, exp and role; iat,
// nbf, username, tenant_id and principal_type are optional (absent: 0, none, "", none, user).
// Errors: kBadRequest naming the claim that is missing or of the wrong type or value.
Result<JwtPayload> ParseTokenClaims(std::string_view json);

// The public half of one P-256 key: x and y are the base64url (unpadded) 32-byte big-endian
// coordinates.
struct PublicJwk {
  std::string kid;
  std::string x;
  std::string y;
};
// {"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"alg":"ES256","use":"sig"},...]}
std::string JwksJson(const std::vector<PublicJwk>& keys);

}  // namespace pangolin::serde
