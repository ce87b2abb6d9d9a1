// JWKS and ID token claim decoding. Strict about the type of every member it reads, silent about
// members it does not know (RFC 7517 §4 and RFC 7519 §4 ask verifiers to ignore them).
#include "serde/id_token.h"

#include <cmath>

#include "serde/json_internal.h"
#include "serde/jwt_claims_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

Result<Jwk> ParseJwk(const json::value& value) {
  if (!value.is_object())
    return Err(ErrorCode::kBadRequest, "Invalid JWKS: a key is not an object");
  const json::object& object = value.as_object();
  Jwk jwk;
  ASSIGN_OR_RETURN(jwk.kty, GetString(object, "kty"));
  ASSIGN_OR_RETURN(jwk.kid, GetOptionalString(object, "kid"));
  ASSIGN_OR_RETURN(jwk.alg, GetOptionalString(object, "alg"));
  ASSIGN_OR_RETURN(jwk.use, GetOptionalString(object, "use"));
  if (jwk.kty == "RSA") {
    ASSIGN_OR_RETURN(jwk.n, GetString(object, "n"));
    ASSIGN_OR_RETURN(jwk.e, GetString(object, "e"));
  } else if (jwk.kty == "EC") {
    ASSIGN_OR_RETURN(jwk.crv, GetString(object, "crv"));
    ASSIGN_OR_RETURN(jwk.x, GetString(object, "x"));
    ASSIGN_OR_RETURN(jwk.y, GetString(object, "y"));
  }
  return jwk;
}

// A NumericDate (RFC 7519 §2): seconds as a JSON number, which may carry a fraction.
Result<std::optional<int64_t>> GetOptionalNumericDate(const json::object& object,
                                                      std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return std::optional<int64_t>();
  if (value->is_double()) {
    double seconds = value->as_double();
    // 2^63 is exactly representable; everything below it converts without overflow.
    if (!std::isfinite(seconds) || seconds >= 9223372036854775808.0 ||
        seconds < -9223372036854775808.0) {
      return Err(ErrorCode::kBadRequest, "Invalid field {}: out of range", key);
    }
    return std::optional<int64_t>(static_cast<int64_t>(seconds));
  }
  ASSIGN_OR_RETURN(int64_t seconds, AsInt(*value, key));
  return std::optional<int64_t>(seconds);
}

bool ReadEmailVerified(const json::object& object) {
  const json::value* value = Find(object, "email_verified");
  if (!value) return false;
  return (value->is_bool() && value->as_bool()) ||
         (value->is_string() && value->as_string() == "true");
}

Status ParseProfile(const json::object& object, IdTokenPayload& payload) {
  ASSIGN_OR_RETURN(payload.email, GetOptionalString(object, "email"));
  payload.email_verified = ReadEmailVerified(object);
  ASSIGN_OR_RETURN(payload.name, GetOptionalString(object, "name"));
  ASSIGN_OR_RETURN(payload.preferred_username, GetOptionalString(object, "preferred_username"));
  return Ok();
}

}  // namespace

Result<std::vector<Jwk>> ParseJwks(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "JWKS"));
  ASSIGN_OR_RETURN(const json::array* keys, GetArray(object, "keys"));
  std::vector<Jwk> out;
  out.reserve(keys->size());
  for (const json::value& key : *keys) {
    ASSIGN_OR_RETURN(Jwk jwk, ParseJwk(key));
    out.push_back(std::move(jwk));
  }
  return out;
}

Result<IdTokenPayload> ParseIdTokenClaims(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "ID token claims"));
  IdTokenPayload payload;
  ASSIGN_OR_RETURN(payload.issuer, GetString(object, "iss"));
  ASSIGN_OR_RETURN(payload.subject, GetString(object, "sub"));
  ASSIGN_OR_RETURN(payload.audiences, ParseAudience(object));
  ASSIGN_OR_RETURN(payload.authorized_party, GetOptionalString(object, "azp"));
  ASSIGN_OR_RETURN(std::optional<int64_t> expires_at, GetOptionalNumericDate(object, "exp"));
  if (!expires_at) return Err(ErrorCode::kBadRequest, "Missing field: exp");
  payload.expires_at = *expires_at;
  ASSIGN_OR_RETURN(payload.issued_at, GetOptionalNumericDate(object, "iat"));
  ASSIGN_OR_RETURN(payload.not_before, GetOptionalNumericDate(object, "nbf"));
  ASSIGN_OR_RETURN(payload.nonce, GetOptionalString(object, "nonce"));
  RETURN_IF_ERROR(ParseProfile(object, payload));
  return payload;
}

}  // namespace pangolin::serde
