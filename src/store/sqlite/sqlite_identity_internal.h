// Identity rows of the SQLite store (schema v6), each operation on a connection already inside a
// transaction: tenants, users and service users in sqlite_identity.cc, issued tokens and signing
// keys in sqlite_tokens.cc. Page tokens are store/keyset_token.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/keyset_token.h"
#include "store/metadata_store.h"
#include "store/sqlite/sqlite_db_internal.h"

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
// Deletes the user and its token rows.
Status RemoveUser(Connection& conn, const std::optional<TenantId>& tenant, std::string_view id);

Status InsertServiceUser(Connection& conn, const ServiceUser& user);
Result<ServiceUser> SelectServiceUser(Connection& conn, const TenantId& tenant,
                                      std::string_view id);
Result<ServiceUser> SelectServiceUserByKeyId(Connection& conn, std::string_view key_id);
Result<Page<ServiceUser>> SelectServiceUsers(Connection& conn, const TenantId& tenant,
                                             const PageRequest& page);
Status ReplaceServiceUser(Connection& conn, const ServiceUser& user);
Status TouchServiceUserRow(Connection& conn, std::string_view id, int64_t used_ms);
// Deletes the service user and its token rows.
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

// --- column helpers shared by both files ---
inline std::optional<int64_t> OptInt(const Statement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  return stmt.Int(column);
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
