// Identity JSON codecs; see identity.h.
#include "serde/identity.h"

#include <ctime>

#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptionalTime(const std::optional<int64_t>& ms) {
  return ms ? json::value(Rfc3339(*ms)) : json::value(nullptr);
}

Result<std::optional<catalog::UserRole>> GetRole(const json::object& object,
                                                 std::string_view name) {
  ASSIGN_OR_RETURN(auto text, GetOptionalString(object, name));
  if (!text) return std::optional<catalog::UserRole>();
  ASSIGN_OR_RETURN(auto role, catalog::ParseUserRole(*text));
  return std::optional<catalog::UserRole>(role);
}

Result<std::optional<bool>> GetOptionalBool(const json::object& object, std::string_view name) {
  const json::value* value = Find(object, name);
  if (!value || value->is_null()) return std::optional<bool>();
  if (!value->is_bool()) return Err(ErrorCode::kBadRequest, "Invalid field {}", name);
  return std::optional<bool>(value->as_bool());
}

json::object TenantObject(const catalog::Tenant& tenant) {
  return json::object{
      {"id", tenant.id.value}, {"name", tenant.name}, {"properties", ToJson(tenant.properties)}};
}

json::object UserObject(const catalog::User& user) {
  return json::object{
      {"id", user.id},
      {"username", user.username},
      {"email", user.email},
      {"tenant-id", user.tenant_id ? json::value(user.tenant_id->value) : json::value(nullptr)},
      {"role", std::string(catalog::ToString(user.role))},
      {"oauth-provider", OptionalString(user.oauth_issuer)},
      {"created-at", Rfc3339(user.created_ms)},
      {"last-login", OptionalTime(user.last_login_ms)},
      {"active", user.active}};
}

json::object ServiceUserObject(const catalog::ServiceUser& user) {
  return json::object{{"id", user.id},
                      {"name", user.name},
                      {"description", OptionalString(user.description)},
                      {"tenant-id", user.tenant_id.value},
                      {"role", std::string(catalog::ToString(user.role))},
                      {"created-at", Rfc3339(user.created_ms)},
                      {"created-by", user.created_by},
                      {"last-used", OptionalTime(user.last_used_ms)},
                      {"expires-at", OptionalTime(user.expires_ms)},
                      {"active", user.active}};
}

}  // namespace

std::string Rfc3339(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(text, n) + fmt::format(".{:03d}Z", static_cast<int>(unix_ms % 1000));
}

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  std::tm tm{};
  std::string copy(text);
  const char* rest = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return std::nullopt;
  int64_t ms = 0;
  if (*rest == '.') {
    int digits = 0;
    int64_t scale = 100;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest, ++digits) {
      ms += (*rest - '0') * scale;
      scale /= 10;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
  }
  if (std::string_view(rest) != "Z") return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

Result<LoginBody> ParseLoginRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "login request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"username", "password", "tenant-id", "tenant_id"}));
  LoginBody body;
  ASSIGN_OR_RETURN(body.username, GetString(object, "username"));
  ASSIGN_OR_RETURN(body.password, GetString(object, "password"));
  ASSIGN_OR_RETURN(body.tenant, GetOptionalTenantId(object, {"tenant-id", "tenant_id"}));
  return body;
}

std::string LoginJson(const std::string& token, const catalog::User& user, int64_t expires_s) {
  return json::serialize(json::object{
      {"token", token}, {"user", UserObject(user)}, {"expires-at", Rfc3339(expires_s * 1000)}});
}

Result<TenantBody> ParseTenantRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "tenant request"));
  RETURN_IF_ERROR(
      RejectUnknownFields(object, {"name", "properties", "admin_username", "admin_password"}));
  TenantBody body;
  ASSIGN_OR_RETURN(body.name, GetOptionalString(object, "name"));
  if (Find(object, "properties")) {
    ASSIGN_OR_RETURN(body.properties, GetStringMap(object, "properties"));
  }
  ASSIGN_OR_RETURN(body.admin_username, GetOptionalString(object, "admin_username"));
  ASSIGN_OR_RETURN(body.admin_password, GetOptionalString(object, "admin_password"));
  return body;
}

std::string TenantJson(const catalog::Tenant& tenant) {
  return json::serialize(TenantObject(tenant));
}

std::string TenantListJson(const std::vector<catalog::Tenant>& tenants) {
  return ListJson(tenants, TenantObject);
}

Result<UserBody> ParseUserCreateRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "user request"));
  RETURN_IF_ERROR(RejectUnknownFields(
      object, {"username", "email", "password", "tenant_id", "tenant-id", "role"}));
  UserBody body;
  ASSIGN_OR_RETURN(body.username, GetString(object, "username"));
  ASSIGN_OR_RETURN(body.email, GetOptionalString(object, "email"));
  ASSIGN_OR_RETURN(body.password, GetOptionalString(object, "password"));
  ASSIGN_OR_RETURN(body.tenant, GetOptionalTenantId(object, {"tenant_id", "tenant-id"}));
  ASSIGN_OR_RETURN(body.role, GetRole(object, "role"));
  if (!body.role) return Err(ErrorCode::kBadRequest, "Missing field role");
  return body;
}

Result<UserBody> ParseUserUpdateRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "user request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"email", "password", "active"}));
  UserBody body;
  ASSIGN_OR_RETURN(body.email, GetOptionalString(object, "email"));
  ASSIGN_OR_RETURN(body.password, GetOptionalString(object, "password"));
  ASSIGN_OR_RETURN(body.active, GetOptionalBool(object, "active"));
  return body;
}

std::string UserJson(const catalog::User& user) { return json::serialize(UserObject(user)); }

std::string UserListJson(const std::vector<catalog::User>& users) {
  return ListJson(users, UserObject);
}

Result<ServiceUserBody> ParseServiceUserCreateRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "service user request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"name", "description", "role", "expires_in_days"}));
  ServiceUserBody body;
  ASSIGN_OR_RETURN(body.name, GetString(object, "name"));
  ASSIGN_OR_RETURN(auto description, GetOptionalString(object, "description"));
  body.description = description;
  ASSIGN_OR_RETURN(body.role, GetRole(object, "role"));
  ASSIGN_OR_RETURN(body.expires_in_days, GetOptionalInt(object, "expires_in_days"));
  return body;
}

Result<ServiceUserBody> ParseServiceUserUpdateRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "service user request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"name", "description", "active"}));
  ServiceUserBody body;
  ASSIGN_OR_RETURN(body.name, GetOptionalString(object, "name"));
  if (Find(object, "description")) {
    ASSIGN_OR_RETURN(auto description, GetOptionalString(object, "description"));
    body.description = description;
  }
  ASSIGN_OR_RETURN(body.active, GetOptionalBool(object, "active"));
  return body;
}

std::string ServiceUserWithKeyJson(const catalog::ServiceUser& user, const std::string& api_key) {
  return json::serialize(json::object{{"id", user.id},
                                      {"name", user.name},
                                      {"description", OptionalString(user.description)},
                                      {"tenant_id", user.tenant_id.value},
                                      {"role", std::string(catalog::ToString(user.role))},
                                      {"api_key", api_key},
                                      {"created_at", Rfc3339(user.created_ms)},
                                      {"created_by", user.created_by},
                                      {"expires_at", OptionalTime(user.expires_ms)},
                                      {"active", user.active}});
}

std::string ServiceUserJson(const catalog::ServiceUser& user) {
  return json::serialize(ServiceUserObject(user));
}

std::string ServiceUserListJson(const std::vector<catalog::ServiceUser>& users) {
  return ListJson(users, ServiceUserObject);
}

Result<TokenBody> ParseTokenRequest(std::string_view text) {
  TokenBody body;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return body;
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "token request"));
  RETURN_IF_ERROR(RejectUnknownFields(
      object, {"tenant_id", "tenant-id", "username", "roles", "expires_in_hours"}));
  ASSIGN_OR_RETURN(body.tenant, GetOptionalTenantId(object, {"tenant_id", "tenant-id"}));
  ASSIGN_OR_RETURN(body.username, GetOptionalString(object, "username"));
  if (Find(object, "roles")) {
    ASSIGN_OR_RETURN(auto roles, GetStringList(object, "roles"));
    if (!roles.empty()) {
      ASSIGN_OR_RETURN(auto role, catalog::ParseUserRole(roles.front()));
      body.role = role;
    }
  }
  ASSIGN_OR_RETURN(body.expires_in_hours, GetOptionalInt(object, "expires_in_hours"));
  return body;
}

std::string IssuedTokenJson(const std::string& token, const catalog::TokenClaims& claims) {
  return json::serialize(
      json::object{{"token", token},
                   {"expires_at", Rfc3339(claims.expires_at * 1000)},
                   {"tenant_id", claims.tenant_id ? json::value(claims.tenant_id->value)
                                                  : json::value(nullptr)}});
}

std::string TokenListJson(const std::vector<catalog::TokenRecord>& tokens, int64_t now_ms) {
  return ListJson(tokens, [now_ms](const catalog::TokenRecord& token) {
    return json::object{
        {"id", token.jti},
        {"tenant_id", token.tenant_id ? json::value(token.tenant_id->value) : json::value(nullptr)},
        {"user_id", token.principal_id},
        {"username", token.username},
        {"expires_at", Rfc3339(token.expires_ms)},
        {"created_at", Rfc3339(token.issued_ms)},
        {"is_valid", !token.revoked_ms && token.expires_ms > now_ms}};
  });
}

Result<std::optional<std::string>> ParseRevokeRequest(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::optional<std::string>();
  }
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "revocation request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"reason"}));
  return GetOptionalString(object, "reason");
}

std::string OAuthTokenJson(const std::string& token, int64_t expires_in) {
  return json::serialize(
      json::object{{"access_token", token},
                   {"token_type", "bearer"},
                   {"expires_in", expires_in},
                   {"issued_token_type", "urn:ietf:params:oauth:token-type:access_token"}});
}

std::string OAuthErrorJson(std::string_view error, std::string_view description) {
  return json::serialize(json::object{{"error", error}, {"error_description", description}});
}

std::string StatusJson(std::string_view key, std::string_view value) {
  return json::serialize(json::object{{key, value}});
}

}  // namespace pangolin::serde
