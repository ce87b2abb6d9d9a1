// Identity values: tenants, users, service users, issued tokens and token signing keys, and the
// principal a request acts as (ARCHITECTURE §3.6). Pure values; no I/O. Secrets appear here
// only as hashes (passwords: argon2id PHC strings; API keys: SHA-256 of the secret part).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/model.h"
#include "common/ids.h"

namespace pangolin::catalog {

// The reference's three roles. Root acts in every tenant; TenantAdmin does everything in its own
// tenant; TenantUser only what grants allow.
enum class UserRole { kRoot, kTenantAdmin, kTenantUser };

// "root", "tenant-admin", "tenant-user" (the API's spelling).
std::string_view ToString(UserRole role);
// Accepts the API spelling and the aliases clients send: Root, TenantAdmin, Admin, admin,
// TenantUser, user. Errors: kBadRequest naming the value.
Result<UserRole> ParseUserRole(std::string_view text);
// True when `role` may be given by a holder of `granter` (never root, never above one's own).
bool MayAssignRole(UserRole granter, UserRole role);

struct Tenant {
  TenantId id;
  std::string name;
  Properties properties;
  int64_t created_ms = 0;
  friend bool operator==(const Tenant&, const Tenant&) = default;
};

struct User {
  std::string id;  // UUID
  std::string username;
  std::string email;
  std::optional<std::string> password_hash;  // argon2id PHC string; absent for OIDC-only users
  std::optional<std::string> oauth_issuer;   // OIDC account link: (issuer, subject)
  std::optional<std::string> oauth_subject;
  std::optional<TenantId> tenant_id;  // absent only for root users
  UserRole role = UserRole::kTenantUser;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::optional<int64_t> last_login_ms;
  bool active = true;
  friend bool operator==(const User&, const User&) = default;
};

// A non-human principal authenticated by an API key `pgl_<key_id>_<secret>`.
struct ServiceUser {
  std::string id;  // UUID; the OAuth2 client_id
  std::string name;
  std::optional<std::string> description;
  TenantId tenant_id;
  UserRole role = UserRole::kTenantUser;  // never kRoot
  std::string key_id;                     // unique across tenants; rotated with the key
  std::string key_hash;                   // hex SHA-256 of the key's secret part
  int64_t created_ms = 0;
  std::string created_by;  // principal id
  std::optional<int64_t> last_used_ms;
  std::optional<int64_t> expires_ms;
  bool active = true;
  friend bool operator==(const ServiceUser&, const ServiceUser&) = default;
};

enum class PrincipalKind { kUser, kServiceUser };

// A token issued by the server, recorded by its JWT id so that it can be listed and revoked. The
// token itself is never stored.
struct TokenRecord {
  std::string jti;
  std::optional<TenantId> tenant_id;  // absent for root tokens without a tenant
  std::string principal_id;
  PrincipalKind principal_kind = PrincipalKind::kUser;
  std::string username;  // user name or service user name, for listings
  int64_t issued_ms = 0;
  int64_t expires_ms = 0;
  std::optional<int64_t> revoked_ms;
  std::optional<std::string> revoke_reason;
  friend bool operator==(const TokenRecord&, const TokenRecord&) = default;
};

// A JWT signing key (ES256, P-256). The newest active key signs; every key not yet past
// `expires_ms` verifies, so rotation logs nobody out.
struct SigningKey {
  std::string kid;
  std::string algorithm = "ES256";
  std::string private_key_pem;  // PKCS#8
  int64_t created_ms = 0;
  std::optional<int64_t> retired_ms;  // no longer signs
  std::optional<int64_t> expires_ms;  // no longer verifies (and may be deleted)
  friend bool operator==(const SigningKey&, const SigningKey&) = default;
};

// What a Pangolin access token (a JWT) asserts. Times are Unix seconds.
struct TokenClaims {
  std::string issuer;    // iss
  std::string audience;  // aud
  std::string subject;   // sub: the principal id
  std::string jti;
  int64_t issued_at = 0;   // iat
  int64_t expires_at = 0;  // exp
  std::string username;
  std::optional<TenantId> tenant_id;  // absent for root without a tenant
  UserRole role = UserRole::kTenantUser;
  PrincipalKind principal_kind = PrincipalKind::kUser;
  friend bool operator==(const TokenClaims&, const TokenClaims&) = default;
};

// Who a request acts as, established by authentication.
struct Principal {
  enum class Kind { kAnonymous, kUser, kServiceUser, kDevelopment };
  Kind kind = Kind::kAnonymous;
  std::string id;    // user or service user id; empty when anonymous
  std::string name;  // username or service user name
  UserRole role = UserRole::kTenantUser;
  std::optional<TenantId> home_tenant;  // the principal's own tenant; absent for root
  std::optional<std::string> token_id;  // jti of the bearer token, when one was presented
  bool authenticated() const { return kind != Kind::kAnonymous; }
  bool is_root() const { return authenticated() && role == UserRole::kRoot; }
};

}  // namespace pangolin::catalog
