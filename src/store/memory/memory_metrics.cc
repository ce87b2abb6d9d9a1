// Metrics reports of the memory store.
#include <algorithm>

#include "store/memory/memory_metrics_internal.h"
#include "store/newest_first.h"

namespace pangolin::store::memory_internal {

using newest_first::Position;

bool Matches(const MetricsReportFilter& filter, const MetricsReport& report) {
  if (filter.ns && report.table.ns != *filter.ns) return false;
  if (filter.table && report.table.name != *filter.table) return false;
  return !filter.report_type || report.report_type == *filter.report_type;
}

Status MetricsReports::Add(const MetricsReport& report) {
  if (!ids_.insert(report.id).second) {
    return Err(ErrorCode::kAlreadyExists, "Metrics report already exists: {}", report.id);
  }
  reports_.push_back({report, next_created_++});
  return Ok();
}

Result<Page<MetricsReport>> MetricsReports::List(const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page) const {
  ASSIGN_OR_RETURN(std::optional<Position> after, newest_first::DecodeToken(page.token));
  std::vector<std::pair<Position, const MetricsReport*>> listed;
  for (const auto& stored : reports_) {
    Position position{stored.report.received_ms, stored.created};
    if (stored.report.catalog_id != catalog || !Matches(filter, stored.report)) continue;
    if (after && !(position < *after)) continue;
    listed.emplace_back(position, &stored.report);
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  Page<MetricsReport> result;
  for (size_t i = 0; i < listed.size(); ++i) {
    if (page.limit != 0 && i == page.limit) {
      result.next_token = newest_first::EncodeToken(listed[i - 1].first);
      break;
    }
    result.items.push_back(*listed[i].second);
  }
  return result;
}

size_t MetricsReports::Purge(int64_t before_ms) {
  return std::erase_if(reports_, [&](const Stored& stored) {
    if (stored.report.received_ms >= before_ms) return false;
    ids_.erase(stored.report.id);
    return true;
  });
}

void MetricsReports::EraseCatalog(const CatalogId& catalog) {
  std::erase_if(reports_, [&](const Stored& stored) {
    if (stored.report.catalog_id != catalog) return false;
    ids_.erase(stored.report.id);
    return true;
  });
}

}  // namespace pangolin::store::memory_internal
