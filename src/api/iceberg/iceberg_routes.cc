// Iceberg REST routes: the registrar and the config route; the route groups live beside it.
#include "api/iceberg/iceberg_routes.h"

#include "api/errors.h"
#include "api/iceberg/registrar.h"
#include "api/iceberg/request_parsing.h"
#include "serde/rest_catalog.h"

namespace pangolin::api {
namespace iceberg_routes {

void Registrar::Add(const std::string& method, const std::string& suffix, CatalogHandler body) {
  auto handler = [this, body](const Request& request, const Context& ctx,
                              const PathParams& params) -> Response {
    auto cat = Resolve(ctx, params);
    if (!cat) return IcebergError(cat.error());
    PathParams names = params;
    // Version selectors, most specific last: `?branch=`, `{namespace}@ref`, `{table}@ref`,
    // `{view}@ref`; stripped from the path parameters the handler sees.
    if (auto branch = request.Query("branch"); branch && !branch->empty()) {
      cat->ref = std::string(*branch);
    }
    for (const char* name : {"namespace", "table", "view"}) {
      auto it = names.find(name);
      if (it == names.end()) continue;
      auto split = SplitRef(it->second);
      if (!split) return IcebergError(split.error());
      if (!split->ref) continue;
      it->second = std::move(split->name);
      cat->ref = std::move(*split->ref);
    }
    auto response = body(request, ctx, *cat, names);
    return response ? std::move(*response) : IcebergError(response.error());
  };
  router_.Add(method, "/v1/{prefix}" + suffix, handler);
  router_.Add(method, "/v1" + suffix, handler);
  endpoints_.push_back(method + " /v1/{prefix}" + suffix);
}

Result<CatalogHandle> Registrar::Resolve(const Context& ctx, const PathParams& params) {
  auto prefix = params.find("prefix");
  if (prefix != params.end()) return service_.ResolveCatalog(ctx, prefix->second);
  if (!options_.default_catalog) {
    return Err(ErrorCode::kBadRequest,
               "No catalog selected: set the client's 'warehouse' property to a catalog name");
  }
  return service_.ResolveCatalog(ctx, *options_.default_catalog);
}

Result<catalog::TableIdentifier> TableId(const PathParams& params, std::string_view name_param) {
  ASSIGN_OR_RETURN(catalog::Namespace ns, ParseNamespace(Param(params, "namespace")));
  return catalog::TableIdentifier{std::move(ns), Param(params, name_param)};
}

Status TakeRef(std::string* name, CatalogHandle* cat) {
  ASSIGN_OR_RETURN(RefName split, SplitRef(*name));
  if (split.ref) {
    *name = std::move(split.name);
    cat->ref = std::move(*split.ref);
  }
  return Ok();
}

Response Json(std::string body) { return Response::Json(200, std::move(body)); }

Response EmptyStatus(int status) {
  Response response;
  response.status = status;
  response.content_type.clear();
  return response;
}

}  // namespace iceberg_routes

void RegisterIcebergRoutes(ApiRouter& router, service::IcebergService& service,
                           IcebergRoutesOptions options) {
  using namespace iceberg_routes;  // NOLINT
  auto registrar = std::make_shared<Registrar>(router, service, std::move(options));
  AddNamespaceRoutes(*registrar);
  AddTableRoutes(*registrar);
  // The config route lists exactly the endpoints registered above.
  router.Add(
      "GET", "/v1/config",
      [registrar](const Request& req, const Context& ctx, const PathParams&) -> Response {
        catalog::Properties overrides;
        if (auto warehouse = req.Query("warehouse"); warehouse && !warehouse->empty()) {
          auto cat = registrar->service().ResolveCatalog(ctx, *warehouse);
          if (!cat) {
            if (cat.error().code != ErrorCode::kNotFound) return IcebergError(cat.error());
            return IcebergError(Error{ErrorCode::kNoSuchWarehouse,
                                      "Warehouse does not exist: " + std::string(*warehouse)});
          }
          overrides["prefix"] = std::string(*warehouse);
        }
        return Json(serde::ConfigResponseJson({}, overrides, registrar->endpoints()));
      });
}

}  // namespace pangolin::api
