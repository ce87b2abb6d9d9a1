// The audit trail: GET /api/v1/audit (filtered, paged), /api/v1/audit/count,
// /api/v1/audit/{event_id} and /api/v1/audit/verify.
#pragma once

#include "api/api_handler.h"
#include "service/audit_log.h"

namespace pangolin::api {

void RegisterAuditRoutes(ApiRouter& router, service::AuditLog& audit);

}  // namespace pangolin::api
