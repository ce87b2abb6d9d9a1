// Metrics report rows of the PostgreSQL store, listed newest first (store/newest_first.h) with the
// filter applied in SQL.
#include <limits>

#include "common/strings.h"
#include "store/newest_first.h"
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {

Status InsertMetricsReport(Connection& conn, const TenantId& tenant, const MetricsReport& report) {
  ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(conn, tenant, report.catalog_id));
  ASSIGN_OR_RETURN(bool exists,
                   HasRow(conn, "SELECT 1 FROM metrics_reports WHERE id = $1", report.id));
  if (exists) return Err(ErrorCode::kAlreadyExists, "Metrics report already exists: {}", report.id);
  return Change(conn,
                "INSERT INTO metrics_reports (id, catalog_pk, namespace, table_name, report_type, "
                "snapshot_id, received_ms, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                report.id, catalog_pk, Join(report.table.ns, "\x1f"), report.table.name,
                report.report_type, report.snapshot_id, report.received_ms, report.body)
      .map([](int64_t) {});
}

Result<Page<MetricsReport>> SelectMetricsReports(Connection& conn, int64_t catalog_pk,
                                                 const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<newest_first::Position> after,
                   newest_first::DecodeToken(page.token));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  newest_first::Position before = after.value_or(newest_first::Position{kMax, kMax});
  std::optional<std::string> ns;
  if (filter.ns) ns = Join(*filter.ns, "\x1f");
  // Unset filters bind NULL and match everything.
  ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT pk, id, namespace, table_name, report_type, snapshot_id, received_ms, "
                 "body FROM metrics_reports WHERE catalog_pk = $1 "
                 "AND ($2::text IS NULL OR namespace = $2) "
                 "AND ($3::text IS NULL OR table_name = $3) "
                 "AND ($4::text IS NULL OR report_type = $4) AND (received_ms, pk) < ($5, $6) "
                 "ORDER BY received_ms DESC, pk DESC LIMIT $7",
                 catalog_pk, ns, filter.table, filter.report_type, before.time_ms, before.created,
                 PageLimit(page.limit)));
  Page<MetricsReport> result;
  for (int i = 0; i < rows.size(); ++i) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      result.next_token =
          newest_first::EncodeToken({result.items.back().received_ms, rows[i - 1].Int(0)});
      break;
    }
    Row row = rows[i];
    MetricsReport report;
    report.id = row.Text(1);
    report.catalog_id = catalog;
    std::string levels = row.Text(2);
    report.table = {levels.empty() ? catalog::Namespace{} : Split(levels, "\x1f"), row.Text(3)};
    report.report_type = row.Text(4);
    report.snapshot_id = row.OptInt(5);
    report.received_ms = row.Int(6);
    report.body = row.Text(7);
    result.items.push_back(std::move(report));
  }
  return result;
}

Result<size_t> PurgeMetricsReportRows(Connection& conn, int64_t before_ms) {
  ASSIGN_OR_RETURN(int64_t deleted,
                   Change(conn, "DELETE FROM metrics_reports WHERE received_ms < $1", before_ms));
  return static_cast<size_t>(deleted);
}

}  // namespace pangolin::store::postgres_internal
