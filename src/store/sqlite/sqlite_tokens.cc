// Issued-token and signing-key rows of the SQLite store (schema v6). Tokens list newest first,
// (issued_ms DESC, jti), along the tokens_by_principal index; the purge uses tokens_by_expiry.
#include "store/sql/sql_rows.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr auto& ReadToken = sql::ReadToken<Statement>;
using sql::kTokenColumns;

using keyset::TimeKey;

}  // namespace

Status InsertToken(Connection& conn, const TokenRecord& token) {
  ASSIGN_OR_RETURN(Statement taken, conn.Prepare("SELECT 1 FROM tokens WHERE jti = ?1"));
  ASSIGN_OR_RETURN(bool exists, taken.BindAll(token.jti).Step());
  if (exists) return Err(ErrorCode::kAlreadyExists, "Token already recorded: {}", token.jti);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO tokens (jti, tenant_id, principal_id, "
                                "principal_kind, username, issued_ms, expires_ms, revoked_ms, "
                                "revoke_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  std::optional<std::string> tenant;
  if (token.tenant_id) tenant = token.tenant_id->value;
  int64_t kind = token.principal_kind == catalog::PrincipalKind::kServiceUser ? 1 : 0;
  stmt.BindAll(token.jti, tenant, token.principal_id, kind, token.username, token.issued_ms,
               token.expires_ms);
  BindOptInt(stmt, 8, token.revoked_ms);
  return stmt.Bind(9, token.revoke_reason).Run();
}

Result<std::optional<TokenRecord>> SelectToken(Connection& conn, std::string_view jti) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(std::string(kTokenColumns) + "WHERE jti = ?1"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(jti).Step());
  if (!row) return std::optional<TokenRecord>();
  ASSIGN_OR_RETURN(TokenRecord token, ReadToken(stmt));
  return std::optional<TokenRecord>(std::move(token));
}

Result<Page<TokenRecord>> SelectTokens(Connection& conn, std::string_view principal_id,
                                       const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  // After (t, j) in (issued_ms DESC, jti) order: issued before t, or at t with a greater jti.
  std::string sql = std::string(kTokenColumns) + "WHERE principal_id = ?1 " +
                    (after ? "AND issued_ms <= ?2 AND (issued_ms < ?2 OR jti > ?3) " : "") +
                    "ORDER BY issued_ms DESC, jti LIMIT ?4";
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.Bind(1, principal_id);
  if (after) stmt.Bind(2, after->time_ms).Bind(3, after->id);
  stmt.Bind(4, SqlLimit(page.limit));
  return StepPage<TokenRecord>(stmt, page.limit, &ReadToken, [](const TokenRecord& token) {
    return TimeKey{token.issued_ms, token.jti};
  });
}

Status RevokeTokenRow(Connection& conn, std::string_view jti, int64_t revoked_ms,
                      const std::optional<std::string>& reason) {
  ASSIGN_OR_RETURN(Statement exists,
                   conn.Prepare("SELECT coalesce(tenant_id, '') FROM tokens WHERE jti = ?1"));
  ASSIGN_OR_RETURN(bool found, exists.BindAll(jti).Step());
  if (!found) return Err(ErrorCode::kNotFound, "Token not found: {}", jti);
  TenantId scope{exists.Text(0)};
  // The first revocation stands.
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE tokens SET revoked_ms = ?2, revoke_reason = ?3 "
                                "WHERE jti = ?1 AND revoked_ms IS NULL"));
  RETURN_IF_ERROR(stmt.BindAll(jti, revoked_ms, reason).Run());
  return BumpAccessVersion(conn, scope);
}

Result<size_t> RevokePrincipalTokenRows(Connection& conn, std::string_view principal_id,
                                        int64_t revoked_ms, std::string_view reason) {
  // Bumps first, while the rows still tell which scopes the live tokens are in.
  ASSIGN_OR_RETURN(Statement bump,
                   conn.Prepare("INSERT INTO access_versions (tenant_id, version) "
                                "SELECT DISTINCT coalesce(tenant_id, ''), 1 FROM tokens "
                                "WHERE principal_id = ?1 AND revoked_ms IS NULL "
                                "AND expires_ms > ?2 "
                                "ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1"));
  RETURN_IF_ERROR(bump.BindAll(principal_id, revoked_ms).Run());
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE tokens SET revoked_ms = ?2, revoke_reason = ?3 "
                                "WHERE principal_id = ?1 AND revoked_ms IS NULL "
                                "AND expires_ms > ?2"));
  RETURN_IF_ERROR(stmt.BindAll(principal_id, revoked_ms, reason).Run());
  return static_cast<size_t>(conn.Changes());
}

Result<size_t> PurgeExpiredTokenRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM tokens WHERE expires_ms <= ?1"));
  RETURN_IF_ERROR(stmt.BindAll(now_ms).Run());
  return static_cast<size_t>(conn.Changes());
}

Status RemoveTokensOf(Connection& conn, std::string_view principal_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM tokens WHERE principal_id = ?1"));
  return stmt.BindAll(principal_id).Run();
}

Status InsertSigningKey(Connection& conn, const SigningKey& key) {
  ASSIGN_OR_RETURN(Statement taken, conn.Prepare("SELECT 1 FROM signing_keys WHERE kid = ?1"));
  ASSIGN_OR_RETURN(bool exists, taken.BindAll(key.kid).Step());
  if (exists) return Err(ErrorCode::kAlreadyExists, "Signing key already exists: {}", key.kid);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO signing_keys (kid, algorithm, private_key_pem, "
                                "created_ms, retired_ms, expires_ms) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt.BindAll(key.kid, key.algorithm, key.private_key_pem, key.created_ms);
  BindOptInt(stmt, 5, key.retired_ms);
  BindOptInt(stmt, 6, key.expires_ms);
  return stmt.Run();
}

Result<std::vector<SigningKey>> SelectSigningKeys(Connection& conn) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT kid, algorithm, private_key_pem, created_ms, retired_ms, "
                                "expires_ms FROM signing_keys ORDER BY created_ms DESC, kid"));
  std::vector<SigningKey> keys;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    keys.push_back(SigningKey{stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Int(3), stmt.OptInt(4),
                              stmt.OptInt(5)});
  }
  return keys;
}

Status RetireSigningKeyRow(Connection& conn, std::string_view kid, int64_t retired_ms,
                           int64_t expires_ms) {
  ASSIGN_OR_RETURN(Statement exists, conn.Prepare("SELECT 1 FROM signing_keys WHERE kid = ?1"));
  ASSIGN_OR_RETURN(bool found, exists.BindAll(kid).Step());
  if (!found) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  // The first retirement stands.
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE signing_keys SET retired_ms = ?2, expires_ms = ?3 "
                                "WHERE kid = ?1 AND retired_ms IS NULL"));
  return stmt.BindAll(kid, retired_ms, expires_ms).Run();
}

Status ReplaceSigningKeyPemRow(Connection& conn, std::string_view kid,
                               const std::string& private_key_pem) {
  ASSIGN_OR_RETURN(Statement exists, conn.Prepare("SELECT 1 FROM signing_keys WHERE kid = ?1"));
  ASSIGN_OR_RETURN(bool found, exists.BindAll(kid).Step());
  if (!found) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE signing_keys SET private_key_pem = ?2 WHERE kid = ?1"));
  return stmt.BindAll(kid, private_key_pem).Run();
}

}  // namespace pangolin::store::sqlite_internal
