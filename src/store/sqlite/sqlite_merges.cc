// Merge operation rows of the SQLite store (schema v3): the columns queries use, and the whole
// operation as a JSON body (serde/merge_record.h). Create, update and paging rules come from
// store/merge_rules.h, shared with the memory store.
#include <limits>

#include "serde/merge_record.h"
#include "store/merge_rules.h"
#include "store/newest_first.h"
#include "store/sql/sql_rows.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr auto& ReadMergeOperation = sql::ReadMergeOperation<Statement>;
using sql::kMergeColumns;

Result<bool> MergeIdTaken(Connection& conn, const std::string& id) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT 1 FROM merge_operations WHERE id = ?1"));
  return stmt.BindAll(id).Step();
}

}  // namespace

Status InsertMergeOperation(Connection& conn, const TenantId& tenant, const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, merges::ForCreate(op));
  ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(conn, tenant, stored.catalog_id));
  ASSIGN_OR_RETURN(bool taken, MergeIdTaken(conn, stored.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Merge operation already exists: {}", op.id);
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("INSERT INTO merge_operations (id, tenant_id, catalog_pk, status, "
                   "version, initiated_ms, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  return stmt
      .BindAll(stored.id, tenant.value, catalog_pk, catalog::ToString(stored.status),
               stored.version, stored.initiated_ms, serde::MergeOperationRecordJson(stored))
      .Run();
}

Result<MergeOperation> SelectMergeOperation(Connection& conn, const TenantId& tenant,
                                            std::string_view id) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(std::string(kMergeColumns) +
                                                "WHERE m.id = ?1 AND m.tenant_id = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(id, tenant.value).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Merge operation not found: {}", id);
  return ReadMergeOperation(stmt);
}

Result<Page<MergeOperation>> SelectMergeOperations(Connection& conn, int64_t catalog_pk,
                                                   const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<newest_first::Position> after,
                   newest_first::DecodeToken(page.token));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  newest_first::Position before = after.value_or(newest_first::Position{kMax, kMax});
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(std::string(kMergeColumns) +
                                "WHERE m.catalog_pk = ?1 AND (m.initiated_ms, m.pk) < (?2, ?3) "
                                "ORDER BY m.initiated_ms DESC, m.pk DESC LIMIT ?4"));
  stmt.BindAll(catalog_pk, before.time_ms, before.created, SqlLimit(page.limit));
  Page<MergeOperation> result;
  newest_first::Position last;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (page.limit != 0 && result.items.size() == page.limit) {
      result.next_token = newest_first::EncodeToken(last);
      break;
    }
    ASSIGN_OR_RETURN(MergeOperation op, ReadMergeOperation(stmt));
    last = newest_first::Position{op.initiated_ms, stmt.Int(0)};
    result.items.push_back(std::move(op));
  }
  return result;
}

Status WriteMergeOperation(Connection& conn, const MergeOperation& op) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE merge_operations SET status = ?2, version = ?3, body = ?4 "
                                "WHERE id = ?1"));
  return stmt
      .BindAll(op.id, catalog::ToString(op.status), op.version, serde::MergeOperationRecordJson(op))
      .Run();
}

Result<MergeOperation> ReplaceMergeOperation(Connection& conn, const TenantId& tenant,
                                             const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, SelectMergeOperation(conn, tenant, op.id));
  ASSIGN_OR_RETURN(MergeOperation next, merges::ForUpdate(stored, op));
  RETURN_IF_ERROR(WriteMergeOperation(conn, next));
  return next;
}

Result<MergeOperation> PrepareMergeCompletion(Connection& conn, const TenantId& tenant,
                                              const CatalogId& catalog, const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, SelectMergeOperation(conn, tenant, op.id));
  return merges::ForCompletion(stored, op, catalog);
}

}  // namespace pangolin::store::sqlite_internal
