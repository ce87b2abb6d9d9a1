// The Iceberg REST catalog routes (/v1/...), each registered with and without the {prefix}
// segment. Handlers are thin: decode, call IcebergService, encode.
#pragma once

#include <optional>
#include <string>

#include "api/api_handler.h"
#include "service/authorizer.h"
#include "service/iceberg_service.h"
#include "service/idempotency_service.h"

namespace pangolin::api {

struct IcebergRoutesOptions {
  // The catalog served by routes without a {prefix}; absent: such routes answer 400.
  std::optional<std::string> default_catalog;
  // Honours Idempotency-Key on every mutating route and advertises it in the config response.
  service::IdempotencyService* idempotency = nullptr;
  // Checks each route's permission on the catalog, namespace or asset its path names.
  const service::Authorizer* authorizer = nullptr;
};

void RegisterIcebergRoutes(ApiRouter& router, service::IcebergService& service,
                           IcebergRoutesOptions options);

}  // namespace pangolin::api
