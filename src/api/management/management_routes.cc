// Management API handlers. Lists take the original's `limit` (default 100) and `offset`.
#include "api/management/management_routes.h"

#include "api/api_handler.h"
#include "api/errors.h"
#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "common/strings.h"
#include "serde/management.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using service::TenancyService;

service::WarehouseInput ToInput(serde::WarehouseBody body) {
  return {std::move(body.name), body.use_sts, std::move(body.storage_config),
          std::move(body.vending_strategy_json)};
}

void AddWarehouseRoutes(ApiRouter& router, TenancyService& s) {
  Add(router, "GET", "/api/v1/warehouses", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(
            auto items,
            (Slice<catalog::Warehouse>(
                [&](const store::PageRequest& page) { return s.ListWarehouses(ctx, page); },
                window)));
        return Response::Json(200, serde::WarehouseListJson(items));
      });
  Add(router, "POST", "/api/v1/warehouses", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseWarehouseRequest(req.body, true));
        ASSIGN_OR_RETURN(auto warehouse, s.CreateWarehouse(ctx, ToInput(std::move(body))));
        return Response::Json(201, serde::WarehouseJson(warehouse));
      });
  Add(router, "GET", "/api/v1/warehouses/{name}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto warehouse, s.GetWarehouse(ctx, Param(params, "name")));
        return Response::Json(200, serde::WarehouseJson(warehouse));
      });
  Add(router, "PUT", "/api/v1/warehouses/{name}", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        const std::string& name = Param(params, "name");
        ASSIGN_OR_RETURN(auto current, s.GetWarehouse(ctx, name));
        ASSIGN_OR_RETURN(auto body, serde::ParseWarehouseRequest(req.body, false));
        if (body.name.empty()) body.name = current.name;
        ASSIGN_OR_RETURN(auto warehouse, s.UpdateWarehouse(ctx, name, ToInput(std::move(body))));
        return Response::Json(200, serde::WarehouseJson(warehouse));
      });
  Add(router, "DELETE", "/api/v1/warehouses/{name}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.DeleteWarehouse(ctx, Param(params, "name")));
        return Response::NoContent();
      });
}

void AddCatalogRoutes(ApiRouter& router, TenancyService& s, const CatalogGate& gate) {
  // Every member may list; each sees the catalogs it can reach something in.
  Add(router, "GET", "/api/v1/catalogs", RouteRule::Authenticated(),
      [&s, &gate](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        auto visible_page =
            [&](const store::PageRequest& page) -> Result<store::Page<catalog::Catalog>> {
          ASSIGN_OR_RETURN(auto found, s.ListCatalogs(ctx, page));
          ASSIGN_OR_RETURN(found.items, gate.Visible(ctx, std::move(found.items)));
          return found;
        };
        ASSIGN_OR_RETURN(auto items, Slice<catalog::Catalog>(visible_page, window));
        return Response::Json(200, serde::CatalogListJson(items));
      });
  Add(router, "POST", "/api/v1/catalogs", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseCatalogRequest(req.body));
        if (!body.name) return Err(ErrorCode::kBadRequest, "Missing field: name");
        if (body.has_federated_config) {
          return Err(ErrorCode::kBadRequest, "Federated catalogs are not supported by this server");
        }
        service::CatalogInput input{*body.name,
                                    body.catalog_type.value_or(catalog::CatalogType::kLocal),
                                    body.warehouse_name, body.storage_location,
                                    body.properties.value_or(catalog::Properties{})};
        ASSIGN_OR_RETURN(auto created, s.CreateCatalog(ctx, input));
        return Response::Json(201, serde::CatalogJson(created));
      });
  Add(router, "GET", "/api/v1/catalogs/{name}", rules::kListOnCatalog,
      [&s, &gate](const Request&, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.Require(ctx, catalog::Action::kList, Param(params, "name")));
        ASSIGN_OR_RETURN(auto found, s.GetCatalog(ctx, Param(params, "name")));
        return Response::Json(200, serde::CatalogJson(found));
      });
  Add(router, "PUT", "/api/v1/catalogs/{name}", RouteRule::TenantAdmin(),
      [&s](const Request& req, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseCatalogRequest(req.body));
        const std::string& name = Param(params, "name");
        if (body.name && *body.name != name) {
          return Err(ErrorCode::kBadRequest, "Catalogs cannot be renamed");
        }
        if (body.catalog_type || body.has_federated_config) {
          return Err(ErrorCode::kBadRequest, "catalog_type and federated_config cannot be changed");
        }
        service::CatalogPatch patch{body.warehouse_name, body.storage_location, body.properties};
        ASSIGN_OR_RETURN(auto updated, s.UpdateCatalog(ctx, name, patch));
        return Response::Json(200, serde::CatalogJson(updated));
      });
  Add(router, "DELETE", "/api/v1/catalogs/{name}", RouteRule::TenantAdmin(),
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.DeleteCatalog(ctx, Param(params, "name")));
        return Response::NoContent();
      });
}

}  // namespace

void RegisterManagementRoutes(ApiRouter& router, TenancyService& service, const CatalogGate& gate) {
  AddWarehouseRoutes(router, service);
  AddCatalogRoutes(router, service, gate);
}

}  // namespace pangolin::api
