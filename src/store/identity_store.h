// IdentityStore: tenants, users, service users, issued tokens and signing keys. Part of every
// MetadataStore (it inherits this interface), so identity changes live in the same database as
// the catalogs they guard and are shared by every server on it.
//
// Tenancy: user and service-user methods take the tenant they are confined to; an object of
// another tenant is reported as not found. Root users have no tenant: the methods that take
// `std::optional<TenantId>` read nullopt as "root users" (FindUserByName) or "every tenant"
// (GetUser, ListUsers), which only root-level callers may ask for.
//
// Thread-safety: every method may be called concurrently. Atomicity: every method is atomic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/identity.h"
#include "common/result.h"
#include "store/paging.h"

namespace pangolin::store {

using catalog::ServiceUser;
using catalog::SigningKey;
using catalog::Tenant;
using catalog::TokenRecord;
using catalog::User;

// Whether an update changes what the user is as a request sees it (name, role, activity), which
// moves its access version (AccessStore::AccessVersion); a login time or an email does not.
inline bool ChangesPrincipal(const User& before, const User& after) {
  return before.username != after.username || before.role != after.role ||
         before.active != after.active;
}

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // --- Tenants (unique by id and by name). The default tenant exists from the start. ---
  // Errors: kAlreadyExists (id or name taken).
  virtual Status CreateTenant(const Tenant& tenant) = 0;
  // Errors: kNotFound.
  virtual Result<Tenant> GetTenant(const TenantId& id) = 0;
  // Ordered by name.
  virtual Result<Page<Tenant>> ListTenants(const PageRequest& page) = 0;
  // Replaces name and properties of `tenant.id` (created_ms kept). Errors: kNotFound;
  // kAlreadyExists (name taken by another tenant).
  virtual Status UpdateTenant(const Tenant& tenant) = 0;
  // Errors: kNotFound; kInvalidArgument for the default tenant; kConflict while the tenant still
  // has warehouses, catalogs, users or service users (the message names which).
  virtual Status DeleteTenant(const TenantId& id) = 0;

  // --- Users (usernames unique within a tenant, and among root users) ---
  // Errors: kAlreadyExists (id, or username in the same tenant); kNotFound (tenant).
  virtual Status CreateUser(const User& user) = 0;
  // The user `id` when it belongs to `tenant` (nullopt: any tenant, root users included).
  // Errors: kNotFound.
  virtual Result<User> GetUser(const std::optional<TenantId>& tenant, std::string_view id) = 0;
  // The user of `tenant` named `username` (nullopt: the root user of that name).
  // Errors: kNotFound.
  virtual Result<User> FindUserByName(const std::optional<TenantId>& tenant,
                                      std::string_view username) = 0;
  // The user linked to an OIDC account. Errors: kNotFound.
  virtual Result<User> FindUserByOidc(std::string_view issuer, std::string_view subject) = 0;
  // The users of `tenant` (nullopt: every user, root users included), ordered by username then
  // id.
  virtual Result<Page<User>> ListUsers(const std::optional<TenantId>& tenant,
                                       const PageRequest& page) = 0;
  // Replaces the user `user.id` of `user.tenant_id` (id, tenant and created_ms kept); moves
  // the access version when ChangesPrincipal. Errors: kNotFound; kAlreadyExists (username taken).
  virtual Status UpdateUser(const User& user) = 0;
  // Deletes the user, the records of its tokens, and its direct grants and role assignments
  // (AccessStore) in every tenant, in one step. Errors: kNotFound.
  virtual Status DeleteUser(const std::optional<TenantId>& tenant, std::string_view id) = 0;

  // --- Service users (names unique within a tenant; key ids unique everywhere) ---
  // Errors: kAlreadyExists (id, name in the tenant, or key id); kNotFound (tenant).
  virtual Status CreateServiceUser(const ServiceUser& user) = 0;
  // Errors: kNotFound (also for another tenant's service user).
  virtual Result<ServiceUser> GetServiceUser(const TenantId& tenant, std::string_view id) = 0;
  // The service user holding the API key `key_id`, whatever its tenant: authentication learns
  // the tenant from it. One indexed lookup. Errors: kNotFound.
  virtual Result<ServiceUser> FindServiceUserByKeyId(std::string_view key_id) = 0;
  // Ordered by name then id.
  virtual Result<Page<ServiceUser>> ListServiceUsers(const TenantId& tenant,
                                                     const PageRequest& page) = 0;
  // Replaces `user.id` of `user.tenant_id` (id, tenant, created_ms and created_by kept); a new
  // key_id/key_hash pair rotates the key. Errors: kNotFound; kAlreadyExists (name or key id).
  virtual Status UpdateServiceUser(const ServiceUser& user) = 0;
  // Records a successful authentication (best effort for listings). Errors: kNotFound.
  virtual Status TouchServiceUser(std::string_view id, int64_t used_ms) = 0;
  // Deletes the service user, the records of its tokens, and its direct grants and role
  // assignments (AccessStore) in every tenant, in one step. Errors: kNotFound.
  virtual Status DeleteServiceUser(const TenantId& tenant, std::string_view id) = 0;

  // --- Issued tokens (by JWT id) ---
  // Errors: kAlreadyExists (jti).
  virtual Status RecordToken(const TokenRecord& token) = 0;
  // The record of `jti`, nullopt when none (never issued, or purged after it expired).
  virtual Result<std::optional<TokenRecord>> GetToken(std::string_view jti) = 0;
  // The tokens of one principal, newest first (issued_ms, then jti).
  virtual Result<Page<TokenRecord>> ListTokens(std::string_view principal_id,
                                               const PageRequest& page) = 0;
  // Marks `jti` revoked (kept until the token's own expiry). Revoking a revoked token keeps the
  // first revocation. Errors: kNotFound.
  virtual Status RevokeToken(std::string_view jti, int64_t revoked_ms,
                             const std::optional<std::string>& reason) = 0;
  // Revokes every unexpired token of a principal (deactivation, password change); returns how
  // many were revoked.
  virtual Result<size_t> RevokePrincipalTokens(std::string_view principal_id, int64_t revoked_ms,
                                               std::string_view reason) = 0;
  // Deletes token records whose expires_ms <= now_ms, revoked or not; returns how many.
  virtual Result<size_t> PurgeExpiredTokens(int64_t now_ms) = 0;

  // --- Token signing keys ---
  // Errors: kAlreadyExists (kid).
  virtual Status AddSigningKey(const SigningKey& key) = 0;
  // Every key, newest first (created_ms, then kid).
  virtual Result<std::vector<SigningKey>> ListSigningKeys() = 0;
  // Sets retired_ms and expires_ms of `kid` (a key already retired keeps its first retirement).
  // Errors: kNotFound.
  virtual Status RetireSigningKey(std::string_view kid, int64_t retired_ms, int64_t expires_ms) = 0;
  // Replaces the stored private key text of `kid`, all else kept (re-encryption at rest: the key
  // itself does not change). Errors: kNotFound.
  virtual Status ReplaceSigningKeyPem(std::string_view kid, const std::string& private_key_pem) = 0;
};

}  // namespace pangolin::store
