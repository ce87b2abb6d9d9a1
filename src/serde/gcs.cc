// Google Cloud Storage and Google token-service JSON; see gcs.h.
#include "serde/gcs.h"

#include "common/strings.h"
#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

// The JSON API sends uint64 values (object sizes) as strings.
Result<int64_t> GetSize(const json::object& object) {
  const json::value* value = Find(object, "size");
  if (!value || value->is_null()) return 0;
  if (value->is_string()) {
    auto size = ParseInt(std::string_view(value->as_string()));
    if (!size || *size < 0) return Err(ErrorCode::kBadRequest, "Invalid field size");
    return static_cast<int64_t>(*size);
  }
  return AsInt(*value, "size");
}

}  // namespace

Result<GcsServiceAccountKey> ParseGcsServiceAccountKey(std::string_view text) {
  auto parsed = ParseObject(text, "service account key");
  if (!parsed) return Err(ErrorCode::kBadRequest, "Invalid service account key: not JSON");
  const json::object& object = *parsed;
  ASSIGN_OR_RETURN(auto type, GetOptionalString(object, "type"));
  if (type && *type != "service_account") {
    return Err(ErrorCode::kBadRequest,
               "Invalid service account key: type is '{}', expected 'service_account'", *type);
  }
  GcsServiceAccountKey out;
  ASSIGN_OR_RETURN(out.client_email, GetString(object, "client_email"));
  ASSIGN_OR_RETURN(out.private_key, GetString(object, "private_key"));
  ASSIGN_OR_RETURN(auto key_id, GetOptionalString(object, "private_key_id"));
  ASSIGN_OR_RETURN(auto token_uri, GetOptionalString(object, "token_uri"));
  ASSIGN_OR_RETURN(auto project_id, GetOptionalString(object, "project_id"));
  out.private_key_id = key_id.value_or("");
  out.token_uri = token_uri.value_or("");
  out.project_id = project_id.value_or("");
  return out;
}

std::string GcsJwtHeaderJson(std::string_view key_id) {
  json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = key_id;
  return json::serialize(header);
}

std::string GcsJwtClaimsJson(const GcsJwtClaims& claims) {
  return json::serialize(json::object{{"iss", claims.issuer},
                                      {"scope", claims.scope},
                                      {"aud", claims.audience},
                                      {"iat", claims.issued_at},
                                      {"exp", claims.expires_at}});
}

Result<GcsJwtClaims> ParseGcsJwtClaims(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "JWT claims"));
  GcsJwtClaims out;
  ASSIGN_OR_RETURN(out.issuer, GetString(object, "iss"));
  ASSIGN_OR_RETURN(out.scope, GetString(object, "scope"));
  ASSIGN_OR_RETURN(out.audience, GetString(object, "aud"));
  ASSIGN_OR_RETURN(out.issued_at, GetInt(object, "iat"));
  ASSIGN_OR_RETURN(out.expires_at, GetInt(object, "exp"));
  return out;
}

std::optional<std::string> OAuthErrorMessage(std::string_view text) {
  auto object = ParseObject(text, "token answer");
  if (!object) return std::nullopt;
  auto error = GetOptionalString(*object, "error");
  if (!error || !*error) return std::nullopt;
  auto description = GetOptionalString(*object, "error_description");
  std::string message = **error;
  if (description && *description && !(*description)->empty()) message += ": " + **description;
  return message;
}

Result<OAuthAccessToken> ParseOAuthAccessToken(std::string_view text) {
  if (auto error = OAuthErrorMessage(text)) {
    return Err(ErrorCode::kBadRequest, "The token service refused: {}", *error);
  }
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "token answer"));
  OAuthAccessToken out;
  ASSIGN_OR_RETURN(out.access_token, GetString(object, "access_token"));
  if (out.access_token.empty()) return Err(ErrorCode::kBadRequest, "Empty access_token");
  ASSIGN_OR_RETURN(out.expires_in, GetOptionalInt(object, "expires_in"));
  return out;
}

Result<GcsObjectPage> ParseGcsObjectPage(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "object listing"));
  GcsObjectPage out;
  ASSIGN_OR_RETURN(auto token, GetOptionalString(object, "nextPageToken"));
  out.next_page_token = token.value_or("");
  const json::value* items = Find(object, "items");
  if (!items || items->is_null()) return out;
  if (!items->is_array()) return Err(ErrorCode::kBadRequest, "Invalid field items");
  for (const json::value& item : items->as_array()) {
    if (!item.is_object()) return Err(ErrorCode::kBadRequest, "Invalid field items");
    GcsObject entry;
    ASSIGN_OR_RETURN(entry.name, GetString(item.as_object(), "name"));
    ASSIGN_OR_RETURN(entry.size, GetSize(item.as_object()));
    out.items.push_back(std::move(entry));
  }
  return out;
}

std::optional<std::string> GcsErrorMessage(std::string_view text) {
  auto object = ParseObject(text, "error");
  if (!object) return std::nullopt;
  const json::value* error = Find(*object, "error");
  if (!error) return std::nullopt;
  if (error->is_string()) return std::string(error->as_string());  // OAuth-style
  if (!error->is_object()) return std::nullopt;
  auto message = GetOptionalString(error->as_object(), "message");
  if (!message || !*message) return std::nullopt;
  return **message;
}

std::string CredentialAccessBoundaryJson(const std::vector<AccessBoundaryRule>& rules) {
  json::array array;
  for (const AccessBoundaryRule& rule : rules) {
    json::object entry{{"availableResource", rule.available_resource},
                       {"availablePermissions", ToJson(rule.available_permissions)}};
    if (!rule.condition_expression.empty()) {
      json::object condition{{"expression", rule.condition_expression}};
      if (!rule.condition_title.empty()) condition["title"] = rule.condition_title;
      entry["availabilityCondition"] = std::move(condition);
    }
    array.push_back(std::move(entry));
  }
  return json::serialize(
      json::object{{"accessBoundary", json::object{{"accessBoundaryRules", std::move(array)}}}});
}

}  // namespace pangolin::serde
