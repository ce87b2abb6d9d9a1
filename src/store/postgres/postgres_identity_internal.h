// Identity and access rows of the PostgreSQL store, each operation on a connection already inside
// the transaction the store chose: tenants, users and service users in postgres_identity.cc,
// issued tokens and signing keys in postgres_tokens.cc, roles, grants and access versions in
// postgres_access.cc, business metadata (whose tags feed tag grants) in postgres_discovery.cc.
// Page tokens are store/keyset_token.h's. The SQLite twins
// (src/store/sqlite/sqlite_identity*.cc and friends) are the reference for behaviour and messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/keyset_token.h"
#include "store/metadata_store.h"
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {

// --- tenants, users and service users (postgres_identity.cc); errors as on IdentityStore ---
Status InsertTenant(Connection& conn, const Tenant& tenant);
Result<Tenant> SelectTenant(Connection& conn, const TenantId& id);
Result<Page<Tenant>> SelectTenants(Connection& conn, const PageRequest& page);
Status ReplaceTenant(Connection& conn, const Tenant& tenant);
// Locks the tenant's row, so that nothing can be created in it between the emptiness check and
// the delete (creators hold the row FOR KEY SHARE).
Status RemoveTenant(Connection& conn, const TenantId& id);

Status InsertUser(Connection& conn, const User& user);
Result<User> SelectUser(Connection& conn, const std::optional<TenantId>& tenant,
                        std::string_view id);
Result<User> SelectUserByName(Connection& conn, const std::optional<TenantId>& tenant,
                              std::string_view username);
Result<User> SelectUserByOidc(Connection& conn, std::string_view issuer, std::string_view subject);
Result<Page<User>> SelectUsers(Connection& conn, const std::optional<TenantId>& tenant,
                               const PageRequest& page);
Status ReplaceUser(Connection& conn, const User& user);
// Deletes the user, its token rows and its access rows (RemoveAccessOf).
Status RemoveUser(Connection& conn, const std::optional<TenantId>& tenant, std::string_view id);

Status InsertServiceUser(Connection& conn, const ServiceUser& user);
Result<ServiceUser> SelectServiceUser(Connection& conn, const TenantId& tenant,
                                      std::string_view id);
Result<ServiceUser> SelectServiceUserByKeyId(Connection& conn, std::string_view key_id);
Result<Page<ServiceUser>> SelectServiceUsers(Connection& conn, const TenantId& tenant,
                                             const PageRequest& page);
Status ReplaceServiceUser(Connection& conn, const ServiceUser& user);
Status TouchServiceUserRow(Connection& conn, std::string_view id, int64_t used_ms);
// Deletes the service user, its token rows and its access rows (RemoveAccessOf).
Status RemoveServiceUser(Connection& conn, const TenantId& tenant, std::string_view id);

// --- issued tokens and signing keys (postgres_tokens.cc) ---
Status InsertToken(Connection& conn, const TokenRecord& token);
Result<std::optional<TokenRecord>> SelectToken(Connection& conn, std::string_view jti);
Result<Page<TokenRecord>> SelectTokens(Connection& conn, std::string_view principal_id,
                                       const PageRequest& page);
Status RevokeTokenRow(Connection& conn, std::string_view jti, int64_t revoked_ms,
                      const std::optional<std::string>& reason);
Result<size_t> RevokePrincipalTokenRows(Connection& conn, std::string_view principal_id,
                                        int64_t revoked_ms, std::string_view reason);
Result<size_t> PurgeExpiredTokenRows(Connection& conn, int64_t now_ms);
// Deletes every token row of a principal (its deletion).
Status RemoveTokensOf(Connection& conn, std::string_view principal_id);

Status InsertSigningKey(Connection& conn, const SigningKey& key);
Result<std::vector<SigningKey>> SelectSigningKeys(Connection& conn);
Status RetireSigningKeyRow(Connection& conn, std::string_view kid, int64_t retired_ms,
                           int64_t expires_ms);
Status ReplaceSigningKeyPemRow(Connection& conn, std::string_view kid,
                               const std::string& private_key_pem);

// --- roles, role assignments and direct grants (postgres_access.cc); errors as on AccessStore ---
// Each function that changes them also bumps the tenant's access version, in the caller's
// transaction, once the change has succeeded.
Status InsertRole(Connection& conn, const Role& role);
Result<Role> SelectRole(Connection& conn, const TenantId& tenant, std::string_view id);
Result<Page<Role>> SelectRoles(Connection& conn, const TenantId& tenant, const PageRequest& page);
Status ReplaceRole(Connection& conn, const Role& role);
// Deletes the role; its assignments go with it (ON DELETE CASCADE).
Status RemoveRole(Connection& conn, const TenantId& tenant, std::string_view id);

Status InsertRoleAssignment(Connection& conn, const TenantId& tenant,
                            const RoleAssignment& assignment);
Status RemoveRoleAssignment(Connection& conn, const TenantId& tenant, std::string_view principal_id,
                            std::string_view role_id);
Result<std::vector<Role>> SelectPrincipalRoles(Connection& conn, const TenantId& tenant,
                                               std::string_view principal_id);

Status InsertGrant(Connection& conn, const DirectGrant& grant);
Result<DirectGrant> SelectGrant(Connection& conn, const TenantId& tenant, std::string_view id);
Result<Page<DirectGrant>> SelectGrants(Connection& conn, const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page);
Status RemoveGrant(Connection& conn, const TenantId& tenant, std::string_view id);

// Two indexed queries (the principal's direct grants, then its roles' permissions); the store
// runs them in one snapshot.
Result<std::vector<PermissionGrant>> SelectPermissions(Connection& conn, const TenantId& tenant,
                                                       std::string_view principal_id);
// 0 for a tenant that never changed.
Result<int64_t> SelectAccessVersion(Connection& conn, const TenantId& tenant);
// Moves the tenant's access version on (inside the change's transaction).
Status BumpAccessVersion(Connection& conn, const TenantId& tenant);
// Deletes every direct grant and role assignment of a principal, in every tenant (its deletion),
// bumping the access version of each tenant it held any in.
Status RemoveAccessOf(Connection& conn, std::string_view principal_id);

// --- business metadata (postgres_discovery.cc); semantics as on DiscoveryStore ---
Result<BusinessMetadata> UpsertBusinessMetadata(Connection& conn, const CatalogId& catalog,
                                                const BusinessMetadata& metadata,
                                                const DiscoveryStore::ExpectedTags& expected);
Result<BusinessMetadata> SelectBusinessMetadata(Connection& conn, const TenantId& tenant,
                                                std::string_view asset_id);
Status RemoveBusinessMetadata(Connection& conn, const TenantId& tenant, std::string_view asset_id,
                              const DiscoveryStore::ExpectedTags& expected);
Result<std::vector<std::pair<std::string, std::string>>> SelectTaggedAssets(
    Connection& conn, const TenantId& tenant, const std::vector<std::string>& tags);

// The page of `select` rows in (`first`, `id`) order after the token's position; `filter` is a
// condition on $1 ("" for none; `filter_value` is bound either way). The SQL text is built from
// constants only.
template <typename T>
Result<Page<T>> ListByTextKey(Connection& conn, std::string_view select, std::string_view filter,
                              const std::optional<std::string>& filter_value,
                              std::string_view first, std::string_view id, const PageRequest& page,
                              Result<T> (*read)(const Row&),
                              keyset::TextKey (*position)(const T&)) {
  ASSIGN_OR_RETURN(std::optional<keyset::TextKey> after, keyset::DecodeTextToken(page.token));
  std::string sql = fmt::format("{}WHERE {}({}, {}) {} ($2, $3) ORDER BY {}, {} LIMIT $4", select,
                                filter, first, id, after ? ">" : ">=", first, id);
  keyset::TextKey start = after.value_or(keyset::TextKey{});
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(sql, filter_value, start.first, start.second, PageLimit(page.limit)));
  return CutPage<T>(rows, page.limit, read,
                    [position](const T& item) { return keyset::EncodeToken(position(item)); });
}

}  // namespace pangolin::store::postgres_internal
