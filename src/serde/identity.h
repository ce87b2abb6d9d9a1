// Wire formats of the identity routes: tenants, users, service users, logins and tokens, in the
// reference's casing (UserInfo and ServiceUser kebab-case; tenants, tokens and the service-user
// creation answer snake_case). Password hashes and API key hashes are never serialized; an API
// key appears only in the answer that created it. Timestamps are RFC 3339 strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/identity.h"
#include "common/result.h"

namespace pangolin::serde {

// "2026-12-04T19:05:06.123Z".
std::string Rfc3339(int64_t unix_ms);
// Unix milliseconds of a UTC RFC 3339 time ("2026-12-04T19:05:06Z", an optional fraction of up
// to nine digits); nullopt when malformed or not in UTC.
std::optional<int64_t> ParseRfc3339(std::string_view text);

struct LoginBody {
  std::string username;
  std::string password;
  std::optional<TenantId> tenant;  // `tenant-id` or `tenant_id`
};
Result<LoginBody> ParseLoginRequest(std::string_view json);
std::string LoginJson(const std::string& token, const catalog::User& user, int64_t expires_s);

struct TenantBody {
  std::optional<std::string> name;
  std::optional<catalog::Properties> properties;
  std::optional<std::string> admin_username;
  std::optional<std::string> admin_password;
};
Result<TenantBody> ParseTenantRequest(std::string_view json);
std::string TenantJson(const catalog::Tenant& tenant);
std::string TenantListJson(const std::vector<catalog::Tenant>& tenants);

struct UserBody {
  std::optional<std::string> username;
  std::optional<std::string> email;
  std::optional<std::string> password;
  std::optional<TenantId> tenant;  // `tenant_id` or `tenant-id`
  std::optional<catalog::UserRole> role;
  std::optional<bool> active;
};
// Creation requires username and role; updates accept only email, password and active.
Result<UserBody> ParseUserCreateRequest(std::string_view json);
Result<UserBody> ParseUserUpdateRequest(std::string_view json);
std::string UserJson(const catalog::User& user);
std::string UserListJson(const std::vector<catalog::User>& users);

struct ServiceUserBody {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> description;
  std::optional<catalog::UserRole> role;
  std::optional<int64_t> expires_in_days;
  std::optional<bool> active;
};
Result<ServiceUserBody> ParseServiceUserCreateRequest(std::string_view json);
Result<ServiceUserBody> ParseServiceUserUpdateRequest(std::string_view json);
// The creation and rotation answer, the only one carrying the key.
std::string ServiceUserWithKeyJson(const catalog::ServiceUser& user, const std::string& api_key);
std::string ServiceUserJson(const catalog::ServiceUser& user);
std::string ServiceUserListJson(const std::vector<catalog::ServiceUser>& users);

struct TokenBody {
  std::optional<TenantId> tenant;
  std::optional<std::string> username;
  std::optional<catalog::UserRole> role;  // the first of `roles`
  std::optional<int64_t> expires_in_hours;
};
Result<TokenBody> ParseTokenRequest(std::string_view json);
std::string IssuedTokenJson(const std::string& token, const catalog::TokenClaims& claims);
std::string TokenListJson(const std::vector<catalog::TokenRecord>& tokens, int64_t now_ms);
// `{"reason": ...}` of the revocation routes; an empty body means no reason.
Result<std::optional<std::string>> ParseRevokeRequest(std::string_view json);

// RFC 6749 §5.1 answer of the OAuth2 token endpoint.
std::string OAuthTokenJson(const std::string& token, int64_t expires_in);
// RFC 6749 §5.2 error body: {"error": <code>, "error_description": ...}.
std::string OAuthErrorJson(std::string_view error, std::string_view description);

// `{"key": "value"}` bodies such as {"status":"updated"} and {"message": ...}.
std::string StatusJson(std::string_view key, std::string_view value);

}  // namespace pangolin::serde
