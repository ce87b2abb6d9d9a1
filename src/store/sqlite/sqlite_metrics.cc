// Metrics report rows of the SQLite store (schema v5), listed newest first
// (store/newest_first.h) with the filter applied in SQL.
#include <limits>

#include "common/strings.h"
#include "store/newest_first.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {

Status InsertMetricsReport(Connection& conn, const TenantId& tenant, const MetricsReport& report) {
  ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(conn, tenant, report.catalog_id));
  ASSIGN_OR_RETURN(Statement taken, conn.Prepare("SELECT 1 FROM metrics_reports WHERE id = ?1"));
  ASSIGN_OR_RETURN(bool exists, taken.BindAll(report.id).Step());
  if (exists) return Err(ErrorCode::kAlreadyExists, "Metrics report already exists: {}", report.id);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO metrics_reports (id, catalog_pk, namespace, "
                                "table_name, report_type, snapshot_id, received_ms, body) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  stmt.BindAll(report.id, catalog_pk, Join(report.table.ns, "\x1f"), report.table.name,
               report.report_type);
  if (report.snapshot_id) stmt.Bind(6, *report.snapshot_id);
  stmt.Bind(7, report.received_ms).Bind(8, report.body);
  return stmt.Run();
}

Result<Page<MetricsReport>> SelectMetricsReports(Connection& conn, int64_t catalog_pk,
                                                 const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<newest_first::Position> after,
                   newest_first::DecodeToken(page.token));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  newest_first::Position before = after.value_or(newest_first::Position{kMax, kMax});
  // Unset filters bind NULL and match everything.
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT pk, id, namespace, table_name, report_type, snapshot_id, received_ms, "
                   "body FROM metrics_reports WHERE catalog_pk = ?1 "
                   "AND (?2 IS NULL OR namespace = ?2) AND (?3 IS NULL OR table_name = ?3) "
                   "AND (?4 IS NULL OR report_type = ?4) AND (received_ms, pk) < (?5, ?6) "
                   "ORDER BY received_ms DESC, pk DESC LIMIT ?7"));
  std::optional<std::string> ns;
  if (filter.ns) ns = Join(*filter.ns, "\x1f");
  stmt.Bind(1, catalog_pk).Bind(2, ns).Bind(3, filter.table).Bind(4, filter.report_type);
  stmt.Bind(5, before.time_ms).Bind(6, before.created).Bind(7, SqlLimit(page.limit));
  Page<MetricsReport> result;
  newest_first::Position last;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (page.limit != 0 && result.items.size() == page.limit) {
      result.next_token = newest_first::EncodeToken(last);
      break;
    }
    MetricsReport report;
    report.id = stmt.Text(1);
    report.catalog_id = catalog;
    std::string levels = stmt.Text(2);
    report.table = {levels.empty() ? catalog::Namespace{} : Split(levels, "\x1f"), stmt.Text(3)};
    report.report_type = stmt.Text(4);
    if (!stmt.IsNull(5)) report.snapshot_id = stmt.Int(5);
    report.received_ms = stmt.Int(6);
    report.body = stmt.Text(7);
    last = newest_first::Position{report.received_ms, stmt.Int(0)};
    result.items.push_back(std::move(report));
  }
  return result;
}

Result<size_t> PurgeMetricsReportRows(Connection& conn, int64_t before_ms) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("DELETE FROM metrics_reports WHERE received_ms < ?1"));
  RETURN_IF_ERROR(stmt.BindAll(before_ms).Run());
  return static_cast<size_t>(conn.Changes());
}

}  // namespace pangolin::store::sqlite_internal
