// Idempotency-Key rows of the PostgreSQL store; the claim rule is store/idempotency_rules.h. A
// claim reads the key's row FOR UPDATE (or inserts it when there is none), so of concurrent
// claims on one key exactly one wins and the others get the winner's record.
#include "common/strings.h"
#include "store/idempotency_rules.h"
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {
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

// The key's record, its row locked until the transaction ends.
Result<std::optional<IdempotencyRecord>> LockRow(Connection& conn, const TenantId& tenant,
                                                 std::string_view key) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query("SELECT fingerprint, claim_id, claimed_ms, expires_ms, status, "
                              "content_type, headers, body FROM idempotency_keys "
                              "WHERE tenant_id = $1 AND key = $2 FOR UPDATE",
                              tenant.value, key));
  if (rows.empty()) return std::optional<IdempotencyRecord>();
  Row row = rows[0];
  IdempotencyRecord record;
  record.key = std::string(key);
  record.fingerprint = row.Text(0);
  record.claim_id = row.Text(1);
  record.claimed_ms = row.Int(2);
  record.expires_ms = row.Int(3);
  if (!row.IsNull(4)) {
    record.response = StoredResponse{static_cast<int>(row.Int(4)), row.Text(5),
                                     DecodeHeaders(row.Blob(6)), row.Blob(7)};
  }
  return record;
}

}  // namespace

Result<std::optional<IdempotencyRecord>> ClaimIdempotencyRow(
    Connection& conn, const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover) {
  // Twice at most: an insert that finds the key taken meanwhile reads the winner's row.
  for (int attempt = 0; attempt < 2; ++attempt) {
    ASSIGN_OR_RETURN(auto existing, LockRow(conn, tenant, record.key));
    if (!idempotency::MayClaim(existing, now_ms, takeover)) return existing;
    if (existing) {
      RETURN_IF_ERROR(Change(conn,
                             "UPDATE idempotency_keys SET fingerprint = $3, claim_id = $4, "
                             "claimed_ms = $5, expires_ms = $6, status = NULL, content_type = "
                             "NULL, headers = NULL, body = NULL WHERE tenant_id = $1 AND key = $2",
                             tenant.value, record.key, record.fingerprint, record.claim_id,
                             record.claimed_ms, record.expires_ms));
      return std::optional<IdempotencyRecord>();
    }
    ASSIGN_OR_RETURN(int64_t inserted,
                     Change(conn,
                            "INSERT INTO idempotency_keys (tenant_id, key, fingerprint, claim_id, "
                            "claimed_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6) "
                            "ON CONFLICT (tenant_id, key) DO NOTHING",
                            tenant.value, record.key, record.fingerprint, record.claim_id,
                            record.claimed_ms, record.expires_ms));
    if (inserted == 1) return std::optional<IdempotencyRecord>();
  }
  return Err(ErrorCode::kUnavailable, "Idempotency key {} is contended; retry later", record.key);
}

Status FinishIdempotencyRow(Connection& conn, const TenantId& tenant, std::string_view key,
                            std::string_view claim_id,
                            const std::optional<StoredResponse>& response) {
  if (!response) {
    return Change(conn,
                  "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 "
                  "AND claim_id = $3 AND status IS NULL",
                  tenant.value, key, claim_id)
        .map([](int64_t) {});
  }
  std::string headers = EncodeHeaders(response->headers);
  return Change(conn,
                "UPDATE idempotency_keys SET status = $4, content_type = $5, headers = $6, "
                "body = $7 WHERE tenant_id = $1 AND key = $2 AND claim_id = $3 "
                "AND status IS NULL",
                tenant.value, key, claim_id, response->status, response->content_type,
                Bytes{headers}, Bytes{response->body})
      .map([](int64_t) {});
}

Result<size_t> PurgeIdempotencyRows(Connection& conn, int64_t now_ms) {
  ASSIGN_OR_RETURN(int64_t deleted,
                   Change(conn, "DELETE FROM idempotency_keys WHERE expires_ms <= $1", now_ms));
  return static_cast<size_t>(deleted);
}

}  // namespace pangolin::store::postgres_internal
