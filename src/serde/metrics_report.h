// Metrics reports: the ReportMetricsRequest body of the Iceberg REST route, and the management
// API's listing of stored reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/metrics_report.h"
#include "common/result.h"

namespace pangolin::serde {

struct MetricsReportBody {
  std::string report_type;  // "scan-report" | "commit-report"
  std::optional<int64_t> snapshot_id;
  std::string json;  // the whole report, compact
};
// Errors: kBadRequest for malformed JSON, an unknown `report-type`, a missing `metrics` object or
// a `snapshot-id` that is not an integer.
Result<MetricsReportBody> ParseReportMetricsRequest(std::string_view json);

// {"reports": [{id, namespace, table, report-type, snapshot-id, received-at, report}],
//  "next-page-token": …} with `report` the stored document.
std::string MetricsReportListJson(const std::vector<catalog::MetricsReport>& reports,
                                  const std::optional<std::string>& next_page_token);

}  // namespace pangolin::serde
