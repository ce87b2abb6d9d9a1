// The identity routes: login, logout, tokens, the OAuth2 token endpoint and the public keys
// (RegisterAuthRoutes); tenants, users and service users (RegisterIdentityRoutes).
#pragma once

#include "api/api_handler.h"
#include "service/audit_log.h"
#include "service/auth_service.h"
#include "service/identity_service.h"
#include "service/rate_limiter.h"

namespace pangolin::api {

// Login and the OAuth2 token endpoint record their outcomes in `audit` themselves: they know
// whose credentials were tried.
// Both throttle failed attempts through `limiter`, per source address and per account.
void RegisterAuthRoutes(ApiRouter& router, service::AuthService& auth,
                        service::IdentityService& identity, service::AuditLog& audit,
                        service::RateLimiter& limiter);
void RegisterIdentityRoutes(ApiRouter& router, service::IdentityService& identity);

}  // namespace pangolin::api
