// Roles, role assignments and direct grants under /api/v1 (the reference's §1.12). Who may act
// is decided by AccessService: tenant admins manage; anyone reads its own roles and grants.
#include "api/management/access_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/access.h"
#include "serde/identity.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using service::AccessService;

void AddRoleRoutes(ApiRouter& router, AccessService& s) {
  Add(router, "GET", "/api/v1/roles", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(
            auto items,
            Slice<catalog::Role>([&](const auto& page) { return s.ListRoles(ctx, page); }, window));
        return Response::Json(200, serde::RoleListJson(items));
      });
  Add(router, "POST", "/api/v1/roles", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseRoleCreateRequest(req.body));
        ASSIGN_OR_RETURN(auto role,
                         s.CreateRole(ctx, {body.name, body.description, body.tenant, {}}));
        return Response::Json(201, serde::RoleJson(role));
      });
  Add(router, "GET", "/api/v1/roles/{id}", RouteRule::Authenticated(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto role, s.GetRole(ctx, Param(params, "id")));
        return Response::Json(200, serde::RoleJson(role));
      });
  Add(router, "PUT", "/api/v1/roles/{id}", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseRoleUpdateRequest(req.body));
        const std::string& id = Param(params, "id");
        if (body.id && *body.id != id) {
          return Err(ErrorCode::kBadRequest, "Role id in the body ('{}') differs from the path",
                     *body.id);
        }
        ASSIGN_OR_RETURN(auto role, s.UpdateRole(ctx, id,
                                                 {body.name, body.description, std::nullopt,
                                                  std::move(body.permissions)}));
        return Response::Json(200, serde::RoleJson(role));
      });
  Add(router, "DELETE", "/api/v1/roles/{id}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.DeleteRole(ctx, Param(params, "id")));
        return Response::NoContent();
      });
}

void AddAssignmentRoutes(ApiRouter& router, AccessService& s) {
  Add(router, "GET", "/api/v1/users/{id}/roles", RouteRule::Authenticated(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto roles, s.PrincipalRoles(ctx, Param(params, "id")));
        return Response::Json(200, serde::RoleListJson(roles));
      });
  Add(router, "POST", "/api/v1/users/{id}/roles", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string role_id, serde::ParseAssignRoleRequest(req.body));
        RETURN_IF_ERROR(s.AssignRole(ctx, Param(params, "id"), role_id));
        return Response::Json(201, serde::StatusJson("status", "assigned"));
      });
  Add(router, "DELETE", "/api/v1/users/{id}/roles/{role_id}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.UnassignRole(ctx, Param(params, "id"), Param(params, "role_id")));
        return Response::NoContent();
      });
}

void AddGrantRoutes(ApiRouter& router, AccessService& s) {
  Add(router, "POST", "/api/v1/permissions", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseGrantRequest(req.body));
        ASSIGN_OR_RETURN(auto grant, s.Grant(ctx, body.principal_id, body.grant));
        return Response::Json(201, serde::PermissionJson(grant));
      });
  Add(router, "GET", "/api/v1/permissions", RouteRule::Authenticated(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        if (req.Query("role")) {
          return Err(ErrorCode::kBadRequest,
                     "A role's permissions are part of the role: GET /api/v1/roles/{{id}}");
        }
        std::optional<std::string> user;
        if (auto text = req.Query("user"); text && !text->empty()) user = std::string(*text);
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(
            auto items,
            Slice<catalog::DirectGrant>(
                [&](const auto& page) { return s.ListGrants(ctx, user, page); }, window));
        return Response::Json(200, serde::PermissionListJson(items));
      });
  Add(router, "DELETE", "/api/v1/permissions/{id}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.Revoke(ctx, Param(params, "id")));
        return Response::NoContent();
      });
}

}  // namespace

void RegisterAccessRoutes(ApiRouter& router, AccessService& access) {
  AddRoleRoutes(router, access);
  AddAssignmentRoutes(router, access);
  AddGrantRoutes(router, access);
}

}  // namespace pangolin::api
