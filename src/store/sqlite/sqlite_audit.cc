// Audit-log rows of the SQLite store (schema v8): one hash chain per tenant, appended inside the
// caller's write transaction. Listings build their WHERE from constants only, one fixed
// parameter number per filter member, so each combination is one cached statement.
#include <algorithm>
#include <limits>

#include "common/strings.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr char kAuditColumns[] =
    "SELECT id, tenant_id, seq, user_id, username, action, resource_type, resource_id, "
    "resource_name, time_ms, ip_address, user_agent, request_id, result, error_message, "
    "metadata_json, prev_hash, hash FROM audit_log ";
constexpr char kNewestFirst[] = "ORDER BY time_ms DESC, id DESC ";

// audit_log.result: 0 success, 1 failure.
int64_t ResultColumn(catalog::AuditResult result) {
  return result == catalog::AuditResult::kSuccess ? 0 : 1;
}

// A row as stored; an unknown result is damage (the CHECK constraint forbids it).
Result<AuditEntry> ReadAudit(const Statement& stmt) {
  AuditEntry e;
  e.id = stmt.Text(0);
  e.tenant_id.value = stmt.Text(1);
  e.seq = stmt.Int(2);
  e.user_id = stmt.OptText(3);
  e.username = stmt.Text(4);
  e.action = stmt.Text(5);
  e.resource_type = stmt.Text(6);
  e.resource_id = stmt.OptText(7);
  e.resource_name = stmt.Text(8);
  e.time_ms = stmt.Int(9);
  e.ip_address = stmt.OptText(10);
  e.user_agent = stmt.OptText(11);
  e.request_id = stmt.Text(12);
  int64_t result = stmt.Int(13);
  if (result != 0 && result != 1) {
    return Err(ErrorCode::kInternal, "corrupt audit entry {}: result {}", e.id, result);
  }
  e.result = result == 0 ? catalog::AuditResult::kSuccess : catalog::AuditResult::kFailure;
  e.error_message = stmt.OptText(14);
  e.metadata_json = stmt.Text(15);
  e.prev_hash = stmt.Text(16);
  e.hash = stmt.Text(17);
  return e;
}

// The WHERE clause of a listing or count (or "" when nothing is filtered). Parameters: ?1 tenant,
// ?2 user_id, ?3 action, ?4 resource_type, ?5 resource_id, ?6 start_ms, ?7 end_ms, ?8 result.
std::string AuditWhere(bool one_tenant, const AuditFilter& f) {
  std::vector<std::string> conditions;
  if (one_tenant) conditions.emplace_back("tenant_id = ?1");
  if (f.user_id) conditions.emplace_back("user_id = ?2");
  if (f.action) conditions.emplace_back("action = ?3");
  if (f.resource_type) conditions.emplace_back("resource_type = ?4");
  if (f.resource_id) conditions.emplace_back("resource_id = ?5");
  if (f.start_ms) conditions.emplace_back("time_ms >= ?6");
  if (f.end_ms) conditions.emplace_back("time_ms <= ?7");
  if (f.result) conditions.emplace_back("result = ?8");
  if (conditions.empty()) return "";
  return "WHERE " + Join(conditions, " AND ") + " ";
}

// Binds what AuditWhere used; parameters it did not use stay unbound.
void BindFilter(Statement& stmt, const std::optional<TenantId>& tenant, const AuditFilter& f) {
  if (tenant) stmt.Bind(1, tenant->value);
  if (f.user_id) stmt.Bind(2, *f.user_id);
  if (f.action) stmt.Bind(3, *f.action);
  if (f.resource_type) stmt.Bind(4, *f.resource_type);
  if (f.resource_id) stmt.Bind(5, *f.resource_id);
  if (f.start_ms) stmt.Bind(6, *f.start_ms);
  if (f.end_ms) stmt.Bind(7, *f.end_ms);
  if (f.result) stmt.Bind(8, ResultColumn(*f.result));
}

// SQLite's LIMIT or OFFSET for a count (`none_as` when it is 0), kept within int64.
int64_t SqlCount(size_t count, int64_t none_as) {
  if (count == 0) return none_as;
  return static_cast<int64_t>(
      std::min<size_t>(count, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
}

Result<std::vector<AuditEntry>> StepEntries(Statement& stmt) {
  std::vector<AuditEntry> entries;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return entries;
    ASSIGN_OR_RETURN(AuditEntry entry, ReadAudit(stmt));
    entries.push_back(std::move(entry));
  }
}

// Sets seq and prev_hash from the tenant's last row (the (tenant_id, seq) unique index), then
// hash over the result.
Status ChainAfterLast(Connection& conn, AuditEntry& entry) {
  ASSIGN_OR_RETURN(Statement last, conn.Prepare("SELECT seq, hash FROM audit_log "
                                                "WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool found, last.BindAll(entry.tenant_id.value).Step());
  entry.seq = found ? last.Int(0) + 1 : 1;
  entry.prev_hash = found ? last.Text(1) : "";
  entry.hash = catalog::AuditHash(entry);
  return Ok();
}

}  // namespace

const char kAuditChainSql[] = "WHERE tenant_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";

std::string AuditListSql(bool one_tenant, const AuditFilter& filter) {
  return std::string(kAuditColumns) + AuditWhere(one_tenant, filter) + kNewestFirst +
         "LIMIT ?9 OFFSET ?10";
}

Result<AuditEntry> InsertAuditEntry(Connection& conn, AuditEntry entry) {
  ASSIGN_OR_RETURN(bool taken, HasRow(conn, "SELECT 1 FROM audit_log WHERE id = ?1", entry.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Audit entry already exists: {}", entry.id);
  RETURN_IF_ERROR(ChainAfterLast(conn, entry));
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("INSERT INTO audit_log (id, tenant_id, seq, user_id, username, action, "
                   "resource_type, resource_id, resource_name, time_ms, ip_address, user_agent, "
                   "request_id, result, error_message, metadata_json, prev_hash, hash) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                   "?18)"));
  RETURN_IF_ERROR(stmt.BindAll(entry.id, entry.tenant_id.value, entry.seq, entry.user_id,
                               entry.username, entry.action, entry.resource_type, entry.resource_id,
                               entry.resource_name, entry.time_ms, entry.ip_address,
                               entry.user_agent, entry.request_id, ResultColumn(entry.result),
                               entry.error_message, entry.metadata_json, entry.prev_hash,
                               entry.hash)
                      .Run());
  return entry;
}

Result<std::vector<AuditEntry>> SelectAuditEntries(Connection& conn,
                                                   const std::optional<TenantId>& tenant,
                                                   const AuditFilter& filter, size_t offset,
                                                   size_t limit) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(AuditListSql(tenant.has_value(), filter)));
  BindFilter(stmt, tenant, filter);
  stmt.Bind(9, SqlCount(limit, -1)).Bind(10, SqlCount(offset, 0));
  return StepEntries(stmt);
}

Result<size_t> CountAuditEntries(Connection& conn, const std::optional<TenantId>& tenant,
                                 const AuditFilter& filter) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT COUNT(*) FROM audit_log " +
                                                AuditWhere(tenant.has_value(), filter)));
  BindFilter(stmt, tenant, filter);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Err(ErrorCode::kInternal, "audit_log: no count");
  return static_cast<size_t>(stmt.Int(0));
}

Result<AuditEntry> SelectAuditEntry(Connection& conn, const std::optional<TenantId>& tenant,
                                    std::string_view id) {
  std::string missing = fmt::format("Audit entry not found: {}", id);
  if (!tenant) {
    return SelectOne<AuditEntry>(conn, kAuditColumns, "WHERE id = ?1", &ReadAudit, missing, id);
  }
  return SelectOne<AuditEntry>(conn, kAuditColumns, "WHERE id = ?1 AND tenant_id = ?2", &ReadAudit,
                               missing, id, tenant->value);
}

Result<std::vector<AuditEntry>> SelectAuditChain(Connection& conn, const TenantId& tenant,
                                                 int64_t after_seq, size_t limit) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(std::string(kAuditColumns) + kAuditChainSql));
  stmt.BindAll(tenant.value, after_seq, SqlCount(limit, -1));
  return StepEntries(stmt);
}

}  // namespace pangolin::store::sqlite_internal
