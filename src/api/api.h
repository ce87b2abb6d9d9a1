// The request pipeline: request id -> route -> authenticate -> the route's rule -> handler ->
// error mapping, with an access log line and Prometheus metrics for every request. Produces the
// http::Handler the server runs.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "api/api_handler.h"
#include "common/metrics.h"
#include "http/server.h"
#include "service/access_service.h"
#include "service/audit_log.h"
#include "service/auth_service.h"
#include "service/authorizer.h"
#include "service/discovery_service.h"
#include "service/iceberg_service.h"
#include "service/idempotency_service.h"
#include "service/identity_service.h"
#include "service/merge_service.h"
#include "service/oidc_service.h"
#include "service/rate_limiter.h"
#include "service/tenancy_service.h"
#include "service/versioning_service.h"
#include "store/metadata_store.h"

namespace pangolin::api {

enum class ServerState { kStarting, kReady, kDraining };

struct ApiDependencies {
  service::IcebergService& iceberg;
  service::TenancyService& tenancy;
  service::VersioningService& versioning;
  service::MergeService& merges;
  service::IdempotencyService& idempotency;
  service::AuthService& auth;
  service::IdentityService& identity;
  const service::Authorizer& authorizer;
  service::AccessService& access;
  service::DiscoveryService& discovery;
  service::AuditLog& audit;
  service::RateLimiter& limiter;
  service::OidcService* oidc;   // null when no OpenID provider is configured
  store::MetadataStore& store;  // for readiness
  Metrics& metrics;
  const std::atomic<ServerState>& state;
};

struct ApiOptions {
  // Development mode: requests without credentials act as an admin of the default tenant.
  bool no_auth = false;
  std::optional<std::string> default_catalog;
  bool metrics_enabled = true;
};

http::Handler MakeApiHandler(ApiDependencies deps, ApiOptions options);

// Every route the handler serves, with the rule saying who may call it (for `--print-routes`).
std::vector<RouteInfo> DescribeRoutes(ApiDependencies deps, ApiOptions options);

}  // namespace pangolin::api
