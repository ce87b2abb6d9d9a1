// Audit-log rows of the PostgreSQL store: one hash chain per tenant, appended inside the caller's
// write transaction. An append locks the tenant's head row (audit_heads) first, so appends to one
// chain are serial across every server on the database: seq has no gap and no duplicate. Listings
// build their WHERE from constants only, one fixed parameter number per filter member.
#include <algorithm>
#include <limits>

#include "common/strings.h"
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr char kAuditColumns[] =
    "SELECT id, tenant_id, seq, user_id, username, action, resource_type, resource_id, "
    "resource_name, time_ms, ip_address, user_agent, request_id, result, error_message, "
    "metadata_json, prev_hash, hash FROM audit_log ";

// audit_log.result: 0 success, 1 failure.
int64_t ResultColumn(catalog::AuditResult result) {
  return result == catalog::AuditResult::kSuccess ? 0 : 1;
}

Result<AuditEntry> ReadAudit(const Row& row) {
  AuditEntry e;
  e.id = row.Text(0);
  e.tenant_id.value = row.Text(1);
  e.seq = row.Int(2);
  e.user_id = row.OptText(3);
  e.username = row.Text(4);
  e.action = row.Text(5);
  e.resource_type = row.Text(6);
  e.resource_id = row.OptText(7);
  e.resource_name = row.Text(8);
  e.time_ms = row.Int(9);
  e.ip_address = row.OptText(10);
  e.user_agent = row.OptText(11);
  e.request_id = row.Text(12);
  int64_t result = row.Int(13);
  if (result != 0 && result != 1) {
    return Err(ErrorCode::kInternal, "corrupt audit entry {}: result {}", e.id, result);
  }
  e.result = result == 0 ? catalog::AuditResult::kSuccess : catalog::AuditResult::kFailure;
  e.error_message = row.OptText(14);
  e.metadata_json = row.Text(15);
  e.prev_hash = row.Text(16);
  e.hash = row.Text(17);
  return e;
}

// The WHERE clause of a listing or count ("" when nothing is filtered). Parameters: $1 tenant,
// $2 user_id, $3 action, $4 resource_type, $5 resource_id, $6 start_ms, $7 end_ms, $8 result; the
// listing adds $9 limit and $10 offset. Every one is bound (typed), used or not.
std::string AuditWhere(bool one_tenant, const AuditFilter& f) {
  std::vector<std::string> conditions;
  if (one_tenant) conditions.emplace_back("tenant_id = $1");
  if (f.user_id) conditions.emplace_back("user_id = $2");
  if (f.action) conditions.emplace_back("action = $3");
  if (f.resource_type) conditions.emplace_back("resource_type = $4");
  if (f.resource_id) conditions.emplace_back("resource_id = $5");
  if (f.start_ms) conditions.emplace_back("time_ms >= $6");
  if (f.end_ms) conditions.emplace_back("time_ms <= $7");
  if (f.result) conditions.emplace_back("result = $8");
  if (conditions.empty()) return "";
  return "WHERE " + Join(conditions, " AND ") + " ";
}

std::vector<Param> FilterParams(const std::optional<TenantId>& tenant, const AuditFilter& f) {
  std::optional<std::string> tenant_id;
  if (tenant) tenant_id = tenant->value;
  std::optional<int64_t> result;
  if (f.result) result = ResultColumn(*f.result);
  return {ToParam(tenant_id),     ToParam(f.user_id),  ToParam(f.action), ToParam(f.resource_type),
          ToParam(f.resource_id), ToParam(f.start_ms), ToParam(f.end_ms), ToParam(result)};
}

// A count for LIMIT or OFFSET, kept within bigint; `none` when it is 0.
std::optional<int64_t> SqlCount(size_t count, std::optional<int64_t> none) {
  if (count == 0) return none;
  return static_cast<int64_t>(
      std::min<size_t>(count, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
}

}  // namespace

Result<AuditEntry> InsertAuditEntry(Connection& conn, AuditEntry entry) {
  // Creates the head at (0, "") or locks it; either way returns the chain's current end.
  ASSIGN_OR_RETURN(Rows head, conn.Query("INSERT INTO audit_heads AS h (tenant_id, seq, hash) "
                                         "VALUES ($1, 0, '') ON CONFLICT (tenant_id) DO UPDATE "
                                         "SET seq = h.seq RETURNING seq, hash",
                                         entry.tenant_id.value));
  entry.seq = head[0].Int(0) + 1;
  entry.prev_hash = head[0].Text(1);
  entry.hash = catalog::AuditHash(entry);
  auto inserted = conn.Query(
      "INSERT INTO audit_log (id, tenant_id, seq, user_id, username, action, resource_type, "
      "resource_id, resource_name, time_ms, ip_address, user_agent, request_id, result, "
      "error_message, metadata_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13, $14, $15, $16, $17, $18)",
      entry.id, entry.tenant_id.value, entry.seq, entry.user_id, entry.username, entry.action,
      entry.resource_type, entry.resource_id, entry.resource_name, entry.time_ms, entry.ip_address,
      entry.user_agent, entry.request_id, ResultColumn(entry.result), entry.error_message,
      entry.metadata_json, entry.prev_hash, entry.hash);
  if (!inserted) {
    // The head is locked, so (tenant_id, seq) is free: a unique violation is the id's.
    if (inserted.error().code == ErrorCode::kAlreadyExists) {
      return Err(ErrorCode::kAlreadyExists, "Audit entry already exists: {}", entry.id);
    }
    return tl::unexpected(inserted.error());
  }
  RETURN_IF_ERROR(Change(conn, "UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1",
                         entry.tenant_id.value, entry.seq, entry.hash));
  return entry;
}

Result<std::vector<AuditEntry>> SelectAuditEntries(Connection& conn,
                                                   const std::optional<TenantId>& tenant,
                                                   const AuditFilter& filter, size_t offset,
                                                   size_t limit) {
  std::string sql = std::string(kAuditColumns) + AuditWhere(tenant.has_value(), filter) +
                    "ORDER BY time_ms DESC, id DESC LIMIT $9 OFFSET $10";
  std::vector<Param> params = FilterParams(tenant, filter);
  params.push_back(ToParam(SqlCount(limit, std::nullopt)));
  params.push_back(ToParam(SqlCount(offset, int64_t{0})));
  ASSIGN_OR_RETURN(Rows rows, conn.Run(sql, params));
  return ReadAll<AuditEntry>(rows, &ReadAudit);
}

Result<size_t> CountAuditEntries(Connection& conn, const std::optional<TenantId>& tenant,
                                 const AuditFilter& filter) {
  ASSIGN_OR_RETURN(Rows rows, conn.Run("SELECT COUNT(*) FROM audit_log " +
                                           AuditWhere(tenant.has_value(), filter),
                                       FilterParams(tenant, filter)));
  return static_cast<size_t>(rows[0].Int(0));
}

Result<AuditEntry> SelectAuditEntry(Connection& conn, const std::optional<TenantId>& tenant,
                                    std::string_view id) {
  std::string missing = fmt::format("Audit entry not found: {}", id);
  if (!tenant) {
    return SelectOne<AuditEntry>(conn, std::string(kAuditColumns) + "WHERE id = $1", &ReadAudit,
                                 missing, id);
  }
  return SelectOne<AuditEntry>(conn,
                               std::string(kAuditColumns) + "WHERE id = $1 AND tenant_id = $2",
                               &ReadAudit, missing, id, tenant->value);
}

Result<std::vector<AuditEntry>> SelectAuditChain(Connection& conn, const TenantId& tenant,
                                                 int64_t after_seq, size_t limit) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(std::string(kAuditColumns) +
                                  "WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                              tenant.value, after_seq, SqlCount(limit, std::nullopt)));
  return ReadAll<AuditEntry>(rows, &ReadAudit);
}

}  // namespace pangolin::store::postgres_internal
