// The management API's merge routes: merging and rebasing branches, merge operations and their
// conflicts (the reference's §1.11).
#pragma once

#include "api/api_handler.h"
#include "api/management/catalog_gate.h"
#include "service/merge_service.h"

namespace pangolin::api {

void RegisterMergeRoutes(ApiRouter& router, service::MergeService& service,
                         const CatalogGate& gate);

}  // namespace pangolin::api
