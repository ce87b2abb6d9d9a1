// A metrics report (ScanReport or CommitReport) an engine sent for a table, kept for queries.
// Pure value; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalog/model.h"

namespace pangolin::catalog {

struct MetricsReport {
  std::string id;
  CatalogId catalog_id;
  TableIdentifier table;
  std::string report_type;  // "scan-report" | "commit-report"
  std::optional<int64_t> snapshot_id;
  int64_t received_ms = 0;
  std::string body;  // the report as sent (compact JSON)
  friend bool operator==(const MetricsReport&, const MetricsReport&) = default;
};

}  // namespace pangolin::catalog
