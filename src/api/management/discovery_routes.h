// Business metadata of assets and the asset detail (/api/v1/assets/{id},
// /api/v1/assets/{id}/metadata and its /api/v1/business-metadata/{asset_id} aliases).
#pragma once

#include "api/api_handler.h"
#include "service/discovery_service.h"

namespace pangolin::api {

void RegisterDiscoveryRoutes(ApiRouter& router, service::DiscoveryService& discovery);

}  // namespace pangolin::api
