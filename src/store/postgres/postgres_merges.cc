// Merge operation rows of the PostgreSQL store: the columns queries use, and the whole operation
// as a JSON body (serde/merge_record.h). A version-checked update reads the row FOR UPDATE, so
// of two concurrent updates from the same version exactly one succeeds. Create, update and paging
// rules come from store/merge_rules.h and store/newest_first.h, shared with the other stores.
#include <limits>

#include "serde/merge_record.h"
#include "store/merge_rules.h"
#include "store/newest_first.h"
#include "store/postgres/postgres_ops_internal.h"
#include "store/sql/sql_rows.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr auto& ReadMergeOperation = sql::ReadMergeOperation<Row>;
using sql::kMergeColumns;

}  // namespace

Status InsertMergeOperation(Connection& conn, const TenantId& tenant, const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, merges::ForCreate(op));
  ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(conn, tenant, stored.catalog_id));
  ASSIGN_OR_RETURN(bool taken,
                   HasRow(conn, "SELECT 1 FROM merge_operations WHERE id = $1", stored.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Merge operation already exists: {}", op.id);
  return Change(conn,
                "INSERT INTO merge_operations (id, tenant_id, catalog_pk, status, version, "
                "initiated_ms, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                stored.id, tenant.value, catalog_pk, std::string(catalog::ToString(stored.status)),
                stored.version, stored.initiated_ms, serde::MergeOperationRecordJson(stored))
      .map([](int64_t) {});
}

Result<MergeOperation> SelectMergeOperation(Connection& conn, const TenantId& tenant,
                                            std::string_view id, bool lock) {
  std::string sql = std::string(kMergeColumns) + "WHERE m.id = $1 AND m.tenant_id = $2";
  if (lock) sql += " FOR UPDATE OF m";
  return SelectOne<MergeOperation>(conn, sql, &ReadMergeOperation,
                                   fmt::format("Merge operation not found: {}", id), id,
                                   tenant.value);
}

Result<Page<MergeOperation>> SelectMergeOperations(Connection& conn, int64_t catalog_pk,
                                                   const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<newest_first::Position> after,
                   newest_first::DecodeToken(page.token));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  newest_first::Position before = after.value_or(newest_first::Position{kMax, kMax});
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(std::string(kMergeColumns) +
                                  "WHERE m.catalog_pk = $1 AND (m.initiated_ms, m.pk) < ($2, $3) "
                                  "ORDER BY m.initiated_ms DESC, m.pk DESC LIMIT $4",
                              catalog_pk, before.time_ms, before.created, PageLimit(page.limit)));
  Page<MergeOperation> result;
  for (int i = 0; i < rows.size(); ++i) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      Row last = rows[i - 1];
      result.next_token = newest_first::EncodeToken({last.Int(5), last.Int(0)});
      break;
    }
    ASSIGN_OR_RETURN(MergeOperation op, ReadMergeOperation(rows[i]));
    result.items.push_back(std::move(op));
  }
  return result;
}

Status WriteMergeOperation(Connection& conn, const MergeOperation& op) {
  return Change(conn,
                "UPDATE merge_operations SET status = $2, version = $3, body = $4 WHERE id = $1",
                op.id, std::string(catalog::ToString(op.status)), op.version,
                serde::MergeOperationRecordJson(op))
      .map([](int64_t) {});
}

Result<MergeOperation> ReplaceMergeOperation(Connection& conn, const TenantId& tenant,
                                             const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, SelectMergeOperation(conn, tenant, op.id, true));
  ASSIGN_OR_RETURN(MergeOperation next, merges::ForUpdate(stored, op));
  RETURN_IF_ERROR(WriteMergeOperation(conn, next));
  return next;
}

Result<MergeOperation> PrepareMergeCompletion(Connection& conn, const TenantId& tenant,
                                              const CatalogId& catalog, const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, SelectMergeOperation(conn, tenant, op.id, true));
  return merges::ForCompletion(stored, op, catalog);
}

}  // namespace pangolin::store::postgres_internal
