// Interactive login through an OpenID provider: GET /oauth/authorize/{provider},
// GET /oauth/callback/{provider}, POST /api/v1/oauth/exchange and GET /api/v1/oauth/providers.
#pragma once

#include "api/api_handler.h"
#include "service/audit_log.h"
#include "service/oidc_service.h"
#include "service/rate_limiter.h"

namespace pangolin::api {

// `oidc` null: no provider is configured, and the providers list is empty.
void RegisterOidcRoutes(ApiRouter& router, service::OidcService* oidc, service::AuditLog& audit,
                        service::RateLimiter& limiter);

}  // namespace pangolin::api
