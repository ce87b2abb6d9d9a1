// IcebergService: metrics reports — stored per table, listed per catalog, purged by age.
#include "common/ids.h"
#include "common/log.h"
#include "service/iceberg_service.h"

namespace pangolin::service {

namespace {
constexpr int64_t kPurgeIntervalMs = 60'000;
}  // namespace

Status IcebergService::ReportMetrics(const Context& ctx, const CatalogHandle& cat,
                                     const TableIdentifier& id,
                                     const serde::MetricsReportBody& report) {
  RETURN_IF_ERROR(TableExists(ctx, cat, id));
  int64_t now = clock_.NowMs();
  PurgeOldMetricsReports(now);
  catalog::MetricsReport stored{
      NewUuid(), cat.catalog.id, id, report.report_type, report.snapshot_id, now, report.json};
  return store_.AddMetricsReport(ctx.tenant, stored);
}

Result<store::Page<catalog::MetricsReport>> IcebergService::ListMetricsReports(
    const Context& ctx, std::string_view catalog, const store::MetricsReportFilter& filter,
    const store::PageRequest& page) {
  ASSIGN_OR_RETURN(catalog::Catalog cat, store_.GetCatalog(ctx.tenant, catalog));
  return store_.ListMetricsReports(ctx.tenant, cat.id, filter, page);
}

void IcebergService::PurgeOldMetricsReports(int64_t now_ms) {
  int64_t last = last_metrics_purge_ms_.load();
  if (now_ms - last < kPurgeIntervalMs ||
      !last_metrics_purge_ms_.compare_exchange_strong(last, now_ms)) {
    return;
  }
  auto purged = store_.PurgeMetricsReports(now_ms - options_.metrics_report_retention.count());
  if (!purged) {
    log::Warn("could not purge old metrics reports").With("error", purged.error().message);
  }
}

}  // namespace pangolin::service
