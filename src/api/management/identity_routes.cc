// Tenants, users and service users under /api/v1. Who may act on which object is decided by
// IdentityService; the route rules only keep anonymous callers and non-admins out where the
// reference requires an admin whatever the object.
#include "api/management/identity_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "common/ids.h"
#include "serde/identity.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using service::IdentityService;

Result<TenantId> TenantParam(const PathParams& params) {
  const std::string& id = Param(params, "id");
  if (!IsUuid(id)) return Err(ErrorCode::kNotFound, "No tenant {}", id);
  return TenantId{ToLower(id)};
}

template <typename T, typename List>
Result<std::vector<T>> ListWindow(const Request& req, List list) {
  ASSIGN_OR_RETURN(Window window, ParseWindow(req));
  return Slice<T>(list, window);
}

void AddTenantRoutes(ApiRouter& router, IdentityService& s) {
  Add(router, "GET", "/api/v1/tenants", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto items, ListWindow<catalog::Tenant>(req, [&](const auto& page) {
                           return s.ListTenants(ctx, page);
                         }));
        return Response::Json(200, serde::TenantListJson(items));
      });
  Add(router, "POST", "/api/v1/tenants", RouteRule::Root(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseTenantRequest(req.body));
        if (!body.name) return Err(ErrorCode::kBadRequest, "Missing field name");
        service::TenantInput input{*body.name, body.properties.value_or(catalog::Properties{}),
                                   body.admin_username, body.admin_password};
        ASSIGN_OR_RETURN(auto tenant, s.CreateTenant(ctx, input));
        return Response::Json(201, serde::TenantJson(tenant));
      });
  Add(router, "GET", "/api/v1/tenants/{id}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto id, TenantParam(params));
        ASSIGN_OR_RETURN(auto tenant, s.GetTenant(ctx, id));
        return Response::Json(200, serde::TenantJson(tenant));
      });
  Add(router, "PUT", "/api/v1/tenants/{id}", RouteRule::Root(),
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto id, TenantParam(params));
        ASSIGN_OR_RETURN(auto body, serde::ParseTenantRequest(req.body));
        if (body.admin_username || body.admin_password) {
          return Err(ErrorCode::kUnprocessable, "Tenant updates take only name and properties");
        }
        ASSIGN_OR_RETURN(auto tenant, s.UpdateTenant(ctx, id, {body.name, body.properties}));
        return Response::Json(200, serde::TenantJson(tenant));
      });
  Add(router, "DELETE", "/api/v1/tenants/{id}", RouteRule::Root(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto id, TenantParam(params));
        RETURN_IF_ERROR(s.DeleteTenant(ctx, id));
        return Response::NoContent();
      });
}

void AddUserRoutes(ApiRouter& router, IdentityService& s) {
  Add(router, "GET", "/api/v1/users", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto items, ListWindow<catalog::User>(req, [&](const auto& page) {
                           return s.ListUsers(ctx, page);
                         }));
        return Response::Json(200, serde::UserListJson(items));
      });
  Add(router, "POST", "/api/v1/users", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseUserCreateRequest(req.body));
        service::UserInput input{*body.username, body.email.value_or(""), body.password,
                                 body.tenant, *body.role};
        ASSIGN_OR_RETURN(auto user, s.CreateUser(ctx, input));
        return Response::Json(201, serde::UserJson(user));
      });
  Add(router, "GET", "/api/v1/users/{id}", RouteRule::Authenticated(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto user, s.GetUser(ctx, Param(params, "id")));
        return Response::Json(200, serde::UserJson(user));
      });
  Add(router, "PUT", "/api/v1/users/{id}", RouteRule::Authenticated(),
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseUserUpdateRequest(req.body));
        ASSIGN_OR_RETURN(auto user, s.UpdateUser(ctx, Param(params, "id"),
                                                 {body.email, body.password, body.active}));
        return Response::Json(200, serde::UserJson(user));
      });
  Add(router, "DELETE", "/api/v1/users/{id}", RouteRule::Authenticated(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.DeleteUser(ctx, Param(params, "id")));
        return Response::NoContent();
      });
}

Response WithKey(int status, const service::ServiceUserWithKey& created) {
  return Response::Json(status, serde::ServiceUserWithKeyJson(created.user, created.api_key));
}

void AddServiceUserRoutes(ApiRouter& router, IdentityService& s) {
  const RouteRule admin = RouteRule::TenantAdmin();
  Add(router, "GET", "/api/v1/service-users", admin,
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto items, ListWindow<catalog::ServiceUser>(req, [&](const auto& page) {
                           return s.ListServiceUsers(ctx, page);
                         }));
        return Response::Json(200, serde::ServiceUserListJson(items));
      });
  Add(router, "POST", "/api/v1/service-users", admin,
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseServiceUserCreateRequest(req.body));
        service::ServiceUserInput input{*body.name, body.description.value_or(std::nullopt),
                                        body.role.value_or(catalog::UserRole::kTenantUser),
                                        body.expires_in_days};
        ASSIGN_OR_RETURN(auto created, s.CreateServiceUser(ctx, input));
        return WithKey(201, created);
      });
  Add(router, "GET", "/api/v1/service-users/{id}", admin,
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto user, s.GetServiceUser(ctx, Param(params, "id")));
        return Response::Json(200, serde::ServiceUserJson(user));
      });
  Add(router, "PUT", "/api/v1/service-users/{id}", admin,
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseServiceUserUpdateRequest(req.body));
        RETURN_IF_ERROR(s.UpdateServiceUser(ctx, Param(params, "id"),
                                            {body.name, body.description, body.active})
                            .map([](auto) {}));
        return Response::Json(200, serde::StatusJson("status", "updated"));
      });
  Add(router, "DELETE", "/api/v1/service-users/{id}", admin,
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.DeleteServiceUser(ctx, Param(params, "id")));
        return Response::Json(200, serde::StatusJson("status", "deleted"));
      });
  Add(router, "POST", "/api/v1/service-users/{id}/rotate", admin,
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto rotated, s.RotateServiceUserKey(ctx, Param(params, "id")));
        return WithKey(200, rotated);
      });
}

}  // namespace

void RegisterIdentityRoutes(ApiRouter& router, IdentityService& identity) {
  AddTenantRoutes(router, identity);
  AddUserRoutes(router, identity);
  AddServiceUserRoutes(router, identity);
}

}  // namespace pangolin::api
