// Identity and access rows of the SQLite store (schemas v6, v7 and v9), each operation on a
// connection already inside a transaction: tenants, users and service users in sqlite_identity.cc,
// issued tokens and signing keys in sqlite_tokens.cc, roles, grants and access versions in
// sqlite_access.cc. Page tokens are store/keyset_token.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/keyset_token.h"
#include "store/metadata_store.h"
#include "store/sqlite/sqlite_db_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {

// --- tenants, users and service users (sqlite_identity.cc); errors as on IdentityStore ---
Status InsertTenant(Connection& conn, const Tenant& tenant);
Result<Tenant> SelectTenant(Connection& conn, const TenantId& id);
Result<Page<Tenant>> SelectTenants(Connection& conn, const PageRequest& page);
Status ReplaceTenant(Connection& conn, const Tenant& tenant);
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

// --- issued tokens and signing keys (sqlite_tokens.cc) ---
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

// --- roles, role assignments and direct grants (sqlite_access.cc); errors as on AccessStore ---
// Each function that changes them also bumps the tenant's access version (schema v9), in the
// caller's transaction, once the change has succeeded.
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

// Two indexed queries: the principal's direct grants (kDirectGrantsSql, in ListGrants order),
// then its roles' permissions (kRoleGrantsSql, roles in no particular order), each bound to
// (?1 principal id, ?2 tenant id).
Result<std::vector<PermissionGrant>> SelectPermissions(Connection& conn, const TenantId& tenant,
                                                       std::string_view principal_id);
extern const char kDirectGrantsSql[];
extern const char kRoleGrantsSql[];

// 0 for a tenant that never changed.
Result<int64_t> SelectAccessVersion(Connection& conn, const TenantId& tenant);
// Moves the tenant's access version on (inside the change's transaction).
Status BumpAccessVersion(Connection& conn, const TenantId& tenant);

// Deletes every direct grant and role assignment of a principal, in every tenant (its deletion),
// bumping the access version of each tenant it held any in.
Status RemoveAccessOf(Connection& conn, std::string_view principal_id);

// --- helpers shared by the identity and access files ---
// True when `sql` (one row or none) yields a row for `args`.
template <typename... Args>
Result<bool> HasRow(Connection& conn, const std::string& sql, const Args&... args) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  return stmt.BindAll(args...).Step();
}

// One row of `select` + `where` (bound to `args`), else kNotFound with `missing`.
template <typename T, typename... Args>
Result<T> SelectOne(Connection& conn, std::string_view select, std::string_view where,
                    Result<T> (*read)(const Statement&), const std::string& missing,
                    const Args&... args) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(std::string(select) + std::string(where)));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(args...).Step());
  if (!row) return MakeError(ErrorCode::kNotFound, missing);
  return read(stmt);
}

// The page of `select` rows in (`first`, `id`) order after the token's position; `filter` is a
// condition on ?1 ("" for none). The SQL text is built from constants only.
template <typename T>
Result<Page<T>> ListByTextKey(Connection& conn, std::string_view select, std::string_view filter,
                              const std::optional<std::string>& filter_value,
                              std::string_view first, std::string_view id, const PageRequest& page,
                              Result<T> (*read)(const Statement&),
                              keyset::TextKey (*position)(const T&)) {
  ASSIGN_OR_RETURN(std::optional<keyset::TextKey> after, keyset::DecodeTextToken(page.token));
  std::string sql = fmt::format("{}WHERE {}({}, {}) {} (?2, ?3) ORDER BY {}, {} LIMIT ?4", select,
                                filter, first, id, after ? ">" : ">=", first, id);
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  if (filter_value) stmt.Bind(1, *filter_value);
  keyset::TextKey start = after.value_or(keyset::TextKey{});
  stmt.Bind(2, start.first).Bind(3, start.second).Bind(4, SqlLimit(page.limit));
  return StepPage<T>(stmt, page.limit, read, position);
}

// Binds `value`, or NULL.
inline void BindOptInt(Statement& stmt, int index, const std::optional<int64_t>& value) {
  if (value) stmt.Bind(index, *value);  // parameters left unbound are NULL
}

// Steps `stmt`, whose LIMIT is SqlLimit(limit), into one page; `position` gives the keyset
// position (keyset::TextKey or TimeKey) of an item for the next page's token.
template <typename T, typename Read, typename Position>
Result<Page<T>> StepPage(Statement& stmt, size_t limit, Read read, Position position) {
  Page<T> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = keyset::EncodeToken(position(page.items.back()));
      break;
    }
    ASSIGN_OR_RETURN(T item, read(stmt));
    page.items.push_back(std::move(item));
  }
  return page;
}

}  // namespace pangolin::store::sqlite_internal
