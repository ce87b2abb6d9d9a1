// Roles, role assignments and direct grants (/api/v1/roles, /api/v1/users/{id}/roles,
// /api/v1/permissions).
#pragma once

#include "api/api_handler.h"
#include "service/access_service.h"

namespace pangolin::api {

void RegisterAccessRoutes(ApiRouter& router, service::AccessService& access);

}  // namespace pangolin::api
