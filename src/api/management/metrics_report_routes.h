// The management API's metrics report query: the ScanReports and CommitReports engines sent
// through the Iceberg REST protocol, per catalog, filterable by namespace, table and type.
#pragma once

#include "api/api_handler.h"
#include "api/management/catalog_gate.h"
#include "service/iceberg_service.h"

namespace pangolin::api {

void RegisterMetricsReportRoutes(ApiRouter& router, service::IcebergService& service,
                                 const CatalogGate& gate);

}  // namespace pangolin::api
