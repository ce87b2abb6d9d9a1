// Idempotency-Key rows of the SQLite store (schema v4); the claim rule is
// store/idempotency_rules.h.
#include "common/strings.h"
#include "store/idempotency_rules.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += name + '\t' + value + '\n';
  return out;
}

std::vector<std::pair<std::string, std::string>> DecodeHeaders(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& line : Split(text, "\n")) {
    auto tab = line.find('\t');
    if (tab != std::string::npos) out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

Result<std::optional<IdempotencyRecord>> SelectRow(Connection& conn, const TenantId& tenant,
                                                   std::string_view key) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT fingerprint, claim_id, claimed_ms, expires_ms, status, "
                                "content_type, headers, body FROM idempotency_keys "
                                "WHERE tenant_id = ?1 AND key = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(tenant.value, key).Step());
  if (!row) return std::optional<IdempotencyRecord>();
  IdempotencyRecord record;
  record.key = std::string(key);
  record.fingerprint = stmt.Text(0);
  record.claim_id = stmt.Text(1);
  record.claimed_ms = stmt.Int(2);
  record.expires_ms = stmt.Int(3);
  if (!stmt.IsNull(4)) {
    record.response = StoredResponse{static_cast<int>(stmt.Int(4)), stmt.Text(5),
                                     DecodeHeaders(stmt.Text(6)), stmt.Text(7)};
  }
  return record;
}

}  // namespace

Result<std::optional<IdempotencyRecord>> ClaimIdempotencyRow(
    Connection& conn, const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover) {
  ASSIGN_OR_RETURN(auto existing, SelectRow(conn, tenant, record.key));
  if (!idempotency::MayClaim(existing, now_ms, takeover)) return existing;
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT OR REPLACE INTO idempotency_keys (tenant_id, key, "
                                "fingerprint, claim_id, claimed_ms, expires_ms) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  RETURN_IF_ERROR(stmt.BindAll(tenant.value, record.key, record.fingerprint, record.claim_id,
                               record.claimed_ms, record.expires_ms)
                      .Run());
  return std::optional<IdempotencyRecord>();
}

Status FinishIdempotencyRow(Connection& conn, const TenantId& tenant, std::string_view key,
                            std::string_view claim_id,
                            const std::optional<StoredResponse>& response) {
  if (!response) {
    ASSIGN_OR_RETURN(Statement stmt,
                     conn.Prepare("DELETE FROM idempotency_keys WHERE tenant_id = ?1 AND key = ?2 "
                                  "AND claim_id = ?3 AND status IS NULL"));
    return stmt.BindAll(tenant.value, key, claim_id).Run();
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE idempotency_keys SET status = ?4, content_type = ?5, "
                                "headers = ?6, body = ?7 WHERE tenant_id = ?1 AND key = ?2 "
                                "AND claim_id = ?3 AND status IS NULL"));
  return stmt
      .BindAll(tenant.value, key, claim_id, int64_t{response->status}, response->content_type,
               EncodeHeaders(response->headers), response->body)
      .Run();
}

Result<size_t> PurgeIdempotencyRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("DELETE FROM idempotency_keys WHERE expires_ms <= ?1"));
  RETURN_IF_ERROR(stmt.BindAll(now_ms).Run());
  return static_cast<size_t>(conn.Changes());
}

}  // namespace pangolin::store::sqlite_internal
