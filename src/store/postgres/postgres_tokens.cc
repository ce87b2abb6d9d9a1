// Issued-token and signing-key rows of the PostgreSQL store. Tokens list newest first,
// (issued_ms DESC, jti), along tokens_by_principal; the purge uses tokens_by_expiry. A revocation
// or retirement is one conditional UPDATE, so the first one stands however many race.
#include "store/postgres/postgres_identity_internal.h"
#include "store/sql/sql_rows.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr auto& ReadToken = sql::ReadToken<Row>;
using sql::kTokenColumns;

using keyset::TimeKey;

Result<SigningKey> ReadSigningKey(const Row& row) {
  return SigningKey{row.Text(0), row.Text(1),   row.Text(2),
                    row.Int(3),  row.OptInt(4), row.OptInt(5)};
}

}  // namespace

Status InsertToken(Connection& conn, const TokenRecord& token) {
  ASSIGN_OR_RETURN(bool exists, HasRow(conn, "SELECT 1 FROM tokens WHERE jti = $1", token.jti));
  if (exists) return Err(ErrorCode::kAlreadyExists, "Token already recorded: {}", token.jti);
  std::optional<std::string> tenant;
  if (token.tenant_id) tenant = token.tenant_id->value;
  int64_t kind = token.principal_kind == catalog::PrincipalKind::kServiceUser ? 1 : 0;
  return Change(conn,
                "INSERT INTO tokens (jti, tenant_id, principal_id, principal_kind, username, "
                "issued_ms, expires_ms, revoked_ms, revoke_reason) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                token.jti, tenant, token.principal_id, kind, token.username, token.issued_ms,
                token.expires_ms, token.revoked_ms, token.revoke_reason)
      .map([](int64_t) {});
}

Result<std::optional<TokenRecord>> SelectToken(Connection& conn, std::string_view jti) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string(kTokenColumns) + "WHERE jti = $1", jti));
  if (rows.empty()) return std::optional<TokenRecord>();
  ASSIGN_OR_RETURN(TokenRecord token, ReadToken(rows[0]));
  return std::optional<TokenRecord>(std::move(token));
}

Result<Page<TokenRecord>> SelectTokens(Connection& conn, std::string_view principal_id,
                                       const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  // After (t, j) in (issued_ms DESC, jti) order: issued before t, or at t with a greater jti.
  std::string sql = std::string(kTokenColumns) + "WHERE principal_id = $1 " +
                    (after ? "AND issued_ms <= $2 AND (issued_ms < $2 OR jti > $3) " : "") +
                    "ORDER BY issued_ms DESC, jti LIMIT $4";
  TimeKey start = after.value_or(TimeKey{});
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(sql, principal_id, start.time_ms, start.id, PageLimit(page.limit)));
  return CutPage<TokenRecord>(rows, page.limit, &ReadToken, [](const TokenRecord& token) {
    return keyset::EncodeToken(TimeKey{token.issued_ms, token.jti});
  });
}

Status RevokeTokenRow(Connection& conn, std::string_view jti, int64_t revoked_ms,
                      const std::optional<std::string>& reason) {
  ASSIGN_OR_RETURN(Rows found,
                   conn.Query("SELECT coalesce(tenant_id, '') FROM tokens WHERE jti = $1", jti));
  if (found.empty()) return Err(ErrorCode::kNotFound, "Token not found: {}", jti);
  RETURN_IF_ERROR(Change(conn,
                         "UPDATE tokens SET revoked_ms = $2, revoke_reason = $3 "
                         "WHERE jti = $1 AND revoked_ms IS NULL",
                         jti, revoked_ms, reason));
  return BumpAccessVersion(conn, TenantId{found[0].Text(0)});
}

Result<size_t> RevokePrincipalTokenRows(Connection& conn, std::string_view principal_id,
                                        int64_t revoked_ms, std::string_view reason) {
  // Bumps first, while the rows still tell which scopes the live tokens are in.
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO access_versions AS v (tenant_id, version) "
                         "SELECT DISTINCT coalesce(tenant_id, ''), 1 FROM tokens "
                         "WHERE principal_id = $1 AND revoked_ms IS NULL AND expires_ms > $2 "
                         "ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1",
                         principal_id, revoked_ms));
  ASSIGN_OR_RETURN(int64_t revoked,
                   Change(conn,
                          "UPDATE tokens SET revoked_ms = $2, revoke_reason = $3 "
                          "WHERE principal_id = $1 AND revoked_ms IS NULL AND expires_ms > $2",
                          principal_id, revoked_ms, reason));
  return static_cast<size_t>(revoked);
}

Result<size_t> PurgeExpiredTokenRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(int64_t deleted,
                   Change(conn, "DELETE FROM tokens WHERE expires_ms <= $1", now_ms));
  return static_cast<size_t>(deleted);
}

Status RemoveTokensOf(Connection& conn, std::string_view principal_id) {
  return Change(conn, "DELETE FROM tokens WHERE principal_id = $1", principal_id).map([](int64_t) {
  });
}

Status InsertSigningKey(Connection& conn, const SigningKey& key) {
  ASSIGN_OR_RETURN(bool exists, HasRow(conn, "SELECT 1 FROM signing_keys WHERE kid = $1", key.kid));
  if (exists) return Err(ErrorCode::kAlreadyExists, "Signing key already exists: {}", key.kid);
  return Change(conn,
                "INSERT INTO signing_keys (kid, algorithm, private_key_pem, created_ms, "
                "retired_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                key.kid, key.algorithm, key.private_key_pem, key.created_ms, key.retired_ms,
                key.expires_ms)
      .map([](int64_t) {});
}

Result<std::vector<SigningKey>> SelectSigningKeys(Connection& conn) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query("SELECT kid, algorithm, private_key_pem, created_ms, retired_ms, "
                              "expires_ms FROM signing_keys ORDER BY created_ms DESC, kid"));
  return ReadAll<SigningKey>(rows, &ReadSigningKey);
}

Status RetireSigningKeyRow(Connection& conn, std::string_view kid, int64_t retired_ms,
                           int64_t expires_ms) {
  ASSIGN_OR_RETURN(bool found, HasRow(conn, "SELECT 1 FROM signing_keys WHERE kid = $1", kid));
  if (!found) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  return Change(conn,
                "UPDATE signing_keys SET retired_ms = $2, expires_ms = $3 "
                "WHERE kid = $1 AND retired_ms IS NULL",
                kid, retired_ms, expires_ms)
      .map([](int64_t) {});
}

Status ReplaceSigningKeyPemRow(Connection& conn, std::string_view kid,
                               const std::string& private_key_pem) {
  ASSIGN_OR_RETURN(bool found, HasRow(conn, "SELECT 1 FROM signing_keys WHERE kid = $1", kid));
  if (!found) return Err(ErrorCode::kNotFound, "Signing key not found: {}", kid);
  return Change(conn, "UPDATE signing_keys SET private_key_pem = $2 WHERE kid = $1", kid,
                private_key_pem)
      .map([](int64_t) {});
}

}  // namespace pangolin::store::postgres_internal
