// JWT header, claims and JWKS codecs. Decoding is strict about the type of every claim it reads
// and ignores claims it does not know, as RFC 7519 asks.
#include "serde/token_claims.h"

#include "serde/json_internal.h"
#include "serde/jwt_claims_internal.h"

namespace pangolin::serde {
using namespace internal;
using catalog::PrincipalKind;
using catalog::TokenClaims;

namespace {

constexpr std::string_view kUserKind = "user";
constexpr std::string_view kServiceUserKind = "service_user";

Result<PrincipalKind> ParsePrincipalKind(const json::object& object) {
  ASSIGN_OR_RETURN(std::optional<std::string> kind, GetOptionalString(object, "principal_type"));
  if (!kind || *kind == kUserKind) return PrincipalKind::kUser;
  if (*kind == kServiceUserKind) return PrincipalKind::kServiceUser;
  return Err(ErrorCode::kBadRequest, "Invalid field principal_type: '{}'", *kind);
}

// The claims other than aud and nbf.
Status ParseClaims(const json::object& object, TokenClaims& claims) {
  ASSIGN_OR_RETURN(claims.issuer, GetString(object, "iss"));
  ASSIGN_OR_RETURN(claims.subject, GetString(object, "sub"));
  ASSIGN_OR_RETURN(claims.jti, GetString(object, "jti"));
  ASSIGN_OR_RETURN(std::optional<int64_t> issued_at, GetOptionalInt(object, "iat"));
  claims.issued_at = issued_at.value_or(0);
  ASSIGN_OR_RETURN(claims.expires_at, GetInt(object, "exp"));
  ASSIGN_OR_RETURN(std::optional<std::string> username, GetOptionalString(object, "username"));
  claims.username = username.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::string> tenant, GetOptionalString(object, "tenant_id"));
  if (tenant) claims.tenant_id = TenantId{std::move(*tenant)};
  ASSIGN_OR_RETURN(std::string role, GetString(object, "role"));
  auto parsed_role = catalog::ParseUserRole(role);
  if (!parsed_role) return Err(ErrorCode::kBadRequest, "Invalid field role: '{}'", role);
  claims.role = *parsed_role;
  ASSIGN_OR_RETURN(claims.principal_kind, ParsePrincipalKind(object));
  return Ok();
}

}  // namespace

std::string JwtHeaderJson(std::string_view kid) {
  return json::serialize(json::object{{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}});
}

Result<JwtHeader> ParseJwtHeader(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "JWT header"));
  JwtHeader header;
  ASSIGN_OR_RETURN(header.alg, GetString(object, "alg"));
  ASSIGN_OR_RETURN(header.kid, GetOptionalString(object, "kid"));
  header.has_crit = Find(object, "crit") != nullptr;
  return header;
}

std::string TokenClaimsJson(const TokenClaims& claims) {
  json::object object{{"iss", claims.issuer},       {"aud", claims.audience},
                      {"sub", claims.subject},      {"jti", claims.jti},
                      {"iat", claims.issued_at},    {"exp", claims.expires_at},
                      {"username", claims.username}};
  if (claims.tenant_id) object["tenant_id"] = claims.tenant_id->value;
  object["role"] = catalog::ToString(claims.role);
  object["principal_type"] =
      claims.principal_kind == PrincipalKind::kServiceUser ? kServiceUserKind : kUserKind;
  return json::serialize(object);
}

Result<JwtPayload> ParseTokenClaims(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "JWT claims"));
  JwtPayload payload;
  RETURN_IF_ERROR(ParseClaims(object, payload.claims));
  ASSIGN_OR_RETURN(payload.audiences, ParseAudience(object));
  payload.claims.audience = payload.audiences.front();
  ASSIGN_OR_RETURN(payload.not_before, GetOptionalInt(object, "nbf"));
  return payload;
}

std::string JwksJson(const std::vector<PublicJwk>& keys) {
  json::array array;
  for (const PublicJwk& key : keys) {
    array.emplace_back(json::object{{"kty", "EC"},
                                    {"crv", "P-256"},
                                    {"x", key.x},
                                    {"y", key.y},
                                    {"kid", key.kid},
                                    {"alg", "ES256"},
                                    {"use", "sig"}});
  }
  return json::serialize(json::object{{"keys", std::move(array)}});
}

}  // namespace pangolin::serde

namespace pangolin::serde::internal {

Result<std::vector<std::string>> ParseAudience(const json::object& object) {
  const json::value* value = Find(object, "aud");
  if (value && value->is_string()) return std::vector<std::string>{std::string(value->as_string())};
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: aud");
  std::vector<std::string> audiences;
  if (value->is_array()) {
    for (const json::value& item : value->as_array()) {
      if (!item.is_string()) break;
      audiences.emplace_back(item.as_string());
    }
    if (!audiences.empty() && audiences.size() == value->as_array().size()) return audiences;
  }
  return Err(ErrorCode::kBadRequest,
             "Invalid field aud: expected a string or a non-empty array of strings");
}

}  // namespace pangolin::serde::internal
