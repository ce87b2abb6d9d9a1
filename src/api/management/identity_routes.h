// The identity routes: login, logout, tokens, the OAuth2 token endpoint and the public keys
// (RegisterAuthRoutes); tenants, users and service users (RegisterIdentityRoutes).
#pragma once

#include "api/api_handler.h"
#include "service/auth_service.h"
#include "service/identity_service.h"

namespace pangolin::api {

void RegisterAuthRoutes(ApiRouter& router, service::AuthService& auth,
                        service::IdentityService& identity);
void RegisterIdentityRoutes(ApiRouter& router, service::IdentityService& identity);

}  // namespace pangolin::api
