// Iceberg REST route handlers.
#include "api/iceberg/iceberg_routes.h"

#include "api/api_handler.h"
#include "api/errors.h"
#include "api/iceberg/request_parsing.h"
#include "common/strings.h"
#include "serde/rest_catalog.h"
#include "serde/table_requests.h"

namespace pangolin::api {
namespace {

using http::PathParams;
using http::Request;
using http::Response;
using service::CatalogHandle;
using service::Context;
using service::IcebergService;

// A handler body: gets the resolved catalog; its errors become the spec's ErrorModel.
using CatalogHandler = std::function<Result<Response>(const Request&, const Context&,
                                                      const CatalogHandle&, const PathParams&)>;

class Registrar {
 public:
  Registrar(ApiRouter& router, IcebergService& service, IcebergRoutesOptions options)
      : router_(router), service_(service), options_(std::move(options)) {}

  // Registers `suffix` under "/v1/{prefix}" and under "/v1", and records the endpoint.
  void Add(const std::string& method, const std::string& suffix, CatalogHandler body) {
    auto handler = [this, body](const Request& request, const Context& ctx,
                                const PathParams& params) -> Response {
      auto cat = Resolve(ctx, params);
      if (!cat) return IcebergError(cat.error());
      PathParams names = params;
      if (auto narrowed = NarrowRef(request, &names, &*cat); !narrowed) {
        return IcebergError(narrowed.error());
      }
      auto response = body(request, ctx, *cat, names);
      return response ? std::move(*response) : IcebergError(response.error());
    };
    router_.Add(method, "/v1/{prefix}" + suffix, handler);
    router_.Add(method, "/v1" + suffix, handler);
    endpoints_.push_back(method + " /v1/{prefix}" + suffix);
  }

  const std::vector<std::string>& endpoints() const { return endpoints_; }
  IcebergService& service() { return service_; }

 private:
  Result<CatalogHandle> Resolve(const Context& ctx, const PathParams& params) {
    auto prefix = params.find("prefix");
    if (prefix != params.end()) return service_.ResolveCatalog(ctx, prefix->second);
    if (!options_.default_catalog) {
      return Err(ErrorCode::kBadRequest,
                 "No catalog selected: set the client's 'warehouse' property to a catalog name");
    }
    return service_.ResolveCatalog(ctx, *options_.default_catalog);
  }

  // Applies the version selectors, most specific last: `?branch=`, `{namespace}@ref`,
  // `{table}@ref`; strips them from the path parameters the handler sees.
  static Status NarrowRef(const Request& request, PathParams* params, CatalogHandle* cat) {
    if (auto branch = request.Query("branch"); branch && !branch->empty()) {
      cat->ref = std::string(*branch);
    }
    for (const char* name : {"namespace", "table"}) {
      auto it = params->find(name);
      if (it == params->end()) continue;
      ASSIGN_OR_RETURN(RefName split, SplitRef(it->second));
      if (!split.ref) continue;
      it->second = std::move(split.name);
      cat->ref = std::move(*split.ref);
    }
    return Ok();
  }

  ApiRouter& router_;
  IcebergService& service_;
  IcebergRoutesOptions options_;
  std::vector<std::string> endpoints_;
};

Result<catalog::TableIdentifier> TableId(const PathParams& params) {
  ASSIGN_OR_RETURN(catalog::Namespace ns, ParseNamespace(Param(params, "namespace")));
  return catalog::TableIdentifier{std::move(ns), Param(params, "table")};
}

// A `name@ref` in a request body: strips the selector from `name` and applies it to `cat`.
Status TakeRef(std::string* name, CatalogHandle* cat) {
  ASSIGN_OR_RETURN(RefName split, SplitRef(*name));
  if (split.ref) {
    *name = std::move(split.name);
    cat->ref = std::move(*split.ref);
  }
  return Ok();
}

Response Json(std::string body) { return Response::Json(200, std::move(body)); }

Response Status(int status) {
  Response response;
  response.status = status;
  response.content_type.clear();
  return response;
}

void AddNamespaceRoutes(Registrar& r) {
  IcebergService& s = r.service();
  r.Add("GET", "/namespaces",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams&) -> Result<Response> {
          catalog::Namespace parent;
          if (auto text = req.Query("parent"); text && !text->empty()) {
            ASSIGN_OR_RETURN(parent, ParseNamespace(*text));
          }
          ASSIGN_OR_RETURN(Paging paging, ParsePaging(req));
          ASSIGN_OR_RETURN(auto page, s.ListNamespaces(ctx, cat, parent, paging.page));
          return Json(serde::NamespacesResponseJson(page.items, page.next_token, paging.paged));
        });
  r.Add("POST", "/namespaces",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams&) -> Result<Response> {
          ASSIGN_OR_RETURN(auto body, serde::ParseCreateNamespaceRequest(req.body));
          CatalogHandle target = cat;
          if (!body.ns.empty()) RETURN_IF_ERROR(TakeRef(&body.ns.back(), &target));
          ASSIGN_OR_RETURN(auto properties,
                           s.CreateNamespace(ctx, target, body.ns, body.properties));
          return Json(serde::NamespaceResponseJson(body.ns, properties));
        });
  r.Add("GET", "/namespaces/{namespace}",
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto properties, s.LoadNamespace(ctx, cat, ns));
          return Json(serde::NamespaceResponseJson(ns, properties));
        });
  r.Add("HEAD", "/namespaces/{namespace}",
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          RETURN_IF_ERROR(s.LoadNamespace(ctx, cat, ns));
          return Status(204);
        });
  r.Add("DELETE", "/namespaces/{namespace}",
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          RETURN_IF_ERROR(s.DropNamespace(ctx, cat, ns));
          return Status(204);
        });
  r.Add("POST", "/namespaces/{namespace}/properties",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto body, serde::ParseUpdateNamespacePropertiesRequest(req.body));
          ASSIGN_OR_RETURN(auto result,
                           s.UpdateNamespaceProperties(ctx, cat, ns, body.removals, body.updates));
          return Json(
              serde::UpdatePropertiesResponseJson(result.updated, result.removed, result.missing));
        });
}

void AddTableRoutes(Registrar& r) {
  IcebergService& s = r.service();
  r.Add("GET", "/namespaces/{namespace}/tables",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(Paging paging, ParsePaging(req));
          ASSIGN_OR_RETURN(auto page, s.ListTables(ctx, cat, ns, paging.page));
          return Json(serde::TablesResponseJson(page.items, page.next_token, paging.paged));
        });
  r.Add(
      "POST", "/namespaces/{namespace}/tables",
      [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
           const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
        ASSIGN_OR_RETURN(auto body, serde::ParseCreateTableRequest(req.body));
        CatalogHandle target = cat;
        RETURN_IF_ERROR(TakeRef(&body.name, &target));
        ASSIGN_OR_RETURN(auto table, s.CreateTable(ctx, target, ns, body));
        return Json(serde::LoadTableResultJson(table.metadata_location, table.metadata->json, {}));
      });
  r.Add(
      "GET", "/namespaces/{namespace}/tables/{table}",
      [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
           const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto id, TableId(params));
        auto mode = service::SnapshotMode::kAll;
        if (auto snapshots = req.Query("snapshots"); snapshots && *snapshots != "all") {
          if (*snapshots != "refs") {
            return Err(ErrorCode::kBadRequest, "Invalid snapshots mode '{}': use all or refs",
                       *snapshots);
          }
          mode = service::SnapshotMode::kRefs;
        }
        ASSIGN_OR_RETURN(auto table, s.LoadTable(ctx, cat, id, mode));
        return Json(serde::LoadTableResultJson(table.metadata_location, table.metadata->json, {}));
      });
  r.Add(
      "POST", "/namespaces/{namespace}/tables/{table}",
      [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
           const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto id, TableId(params));
        ASSIGN_OR_RETURN(auto body, serde::ParseCommitTableRequest(req.body));
        ASSIGN_OR_RETURN(auto table, s.CommitTable(ctx, cat, id, body));
        return Json(serde::CommitTableResponseJson(*table.metadata_location, table.metadata->json));
      });
  r.Add("DELETE", "/namespaces/{namespace}/tables/{table}",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params));
          bool purge = false;
          if (auto text = req.Query("purgeRequested")) {
            auto parsed = ParseBool(*text);
            if (!parsed) return Err(ErrorCode::kBadRequest, "Invalid purgeRequested '{}'", *text);
            purge = *parsed;
          }
          RETURN_IF_ERROR(s.DropTable(ctx, cat, id, purge));
          return Status(204);
        });
  r.Add("HEAD", "/namespaces/{namespace}/tables/{table}",
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params));
          RETURN_IF_ERROR(s.TableExists(ctx, cat, id));
          return Status(204);
        });
  r.Add("POST", "/tables/rename",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams&) -> Result<Response> {
          ASSIGN_OR_RETURN(auto body, serde::ParseRenameTableRequest(req.body));
          RETURN_IF_ERROR(catalog::ValidateNamespace(body.destination.ns));
          CatalogHandle source = cat;
          CatalogHandle destination = cat;
          RETURN_IF_ERROR(TakeRef(&body.source.name, &source));
          RETURN_IF_ERROR(TakeRef(&body.destination.name, &destination));
          if (source.ref != destination.ref) {
            return Err(ErrorCode::kBadRequest,
                       "Cannot rename across references: '{}' and '{}'; rename within one branch",
                       source.ref, destination.ref);
          }
          RETURN_IF_ERROR(s.RenameTable(ctx, source, body.source, body.destination));
          return Status(204);
        });
  r.Add("POST", "/namespaces/{namespace}/tables/{table}/metrics",
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params));
          ASSIGN_OR_RETURN(std::string type, serde::ParseReportMetricsRequest(req.body));
          RETURN_IF_ERROR(s.ReportMetrics(ctx, cat, id, type));
          return Status(204);
        });
}

}  // namespace

void RegisterIcebergRoutes(ApiRouter& router, IcebergService& service,
                           IcebergRoutesOptions options) {
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
