// Audit routes: the reference's filters (user_id, action, resource_type, resource_id,
// start_time, end_time, result) with limit (default 100, at most 1000) and offset; a bad filter
// value is a 400, never ignored. Root sees every tenant unless it selected one with
// X-Pangolin-Tenant; a tenant admin sees its own tenant.
#include "api/management/audit_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/audit.h"
#include "serde/identity.h"

namespace pangolin::api {
namespace {

using namespace management_internal;

// Unix milliseconds, or an RFC 3339 UTC time ("2026-12-04T19:05:06Z", optional fraction).
Result<int64_t> ParseTime(std::string_view name, std::string_view text) {
  if (auto ms = ParseInt(text)) return static_cast<int64_t>(*ms);
  auto ms = serde::ParseRfc3339(text);
  if (!ms) return Err(ErrorCode::kBadRequest, "Invalid {} '{}'", name, text);
  return *ms;
}

Result<catalog::AuditFilter> ParseFilter(const Request& req) {
  catalog::AuditFilter filter;
  for (auto [name, target] : {std::pair{"user_id", &filter.user_id},
                              {"action", &filter.action},
                              {"resource_type", &filter.resource_type},
                              {"resource_id", &filter.resource_id}}) {
    if (auto value = req.Query(name)) {
      if (value->empty()) return Err(ErrorCode::kBadRequest, "Empty filter {}", name);
      *target = std::string(*value);
    }
  }
  for (auto [name, target] :
       {std::pair{"start_time", &filter.start_ms}, {"end_time", &filter.end_ms}}) {
    if (auto value = req.Query(name)) {
      ASSIGN_OR_RETURN(*target, ParseTime(name, *value));
    }
  }
  if (auto value = req.Query("result")) {
    ASSIGN_OR_RETURN(filter.result, catalog::ParseAuditResult(*value));
  }
  return filter;
}

bool AllTenants(const Request& req) { return !req.Header("x-pangolin-tenant"); }

}  // namespace

void RegisterAuditRoutes(ApiRouter& router, service::AuditLog& audit) {
  Add(router, "GET", "/api/v1/audit", RouteRule::TenantAdmin(),
      [&audit](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto filter, ParseFilter(req));
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(auto entries,
                         audit.List(ctx, AllTenants(req), filter, window.offset, window.limit));
        return Response::Json(200, serde::AuditEntryListJson(entries));
      });
  Add(router, "GET", "/api/v1/audit/count", RouteRule::TenantAdmin(),
      [&audit](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto filter, ParseFilter(req));
        ASSIGN_OR_RETURN(size_t count, audit.Count(ctx, AllTenants(req), filter));
        return Response::Json(200, fmt::format(R"({{"count":{}}})", count));
      });
  Add(router, "GET", "/api/v1/audit/verify", RouteRule::TenantAdmin(),
      [&audit](const Request&, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto result, audit.Verify(ctx));
        return Response::Json(200, serde::AuditVerificationJson(result));
      });
  Add(router, "GET", "/api/v1/audit/{event_id}", RouteRule::TenantAdmin(),
      [&audit](const Request& req, const Context& ctx,
               const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto entry, audit.Get(ctx, AllTenants(req), Param(params, "event_id")));
        return Response::Json(200, serde::AuditEntryJson(entry));
      });
}

}  // namespace pangolin::api
