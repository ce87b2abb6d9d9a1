// The management API routes (/api/v1): warehouses and catalogs.
#pragma once

#include "api/api_handler.h"
#include "api/management/catalog_gate.h"
#include "service/tenancy_service.h"

namespace pangolin::api {

void RegisterManagementRoutes(ApiRouter& router, service::TenancyService& service,
                              const CatalogGate& gate);

}  // namespace pangolin::api
