// The management API's versioning routes (/api/v1/branches, /api/v1/tags, /api/v1/commits).
#pragma once

#include "api/api_handler.h"
#include "api/management/catalog_gate.h"
#include "service/versioning_service.h"

namespace pangolin::api {

void RegisterVersioningRoutes(ApiRouter& router, service::VersioningService& service,
                              const CatalogGate& gate);

}  // namespace pangolin::api
