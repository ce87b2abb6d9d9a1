// Iceberg REST namespace routes.
#include "api/iceberg/registrar.h"
#include "api/iceberg/request_parsing.h"
#include "serde/rest_catalog.h"

namespace pangolin::api::iceberg_routes {

void AddNamespaceRoutes(Registrar& r) {
  IcebergService& s = r.service();
  r.Add("GET", "/namespaces", rules::kListOnCatalog,
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
  r.Add("POST", "/namespaces", rules::kCreateOnCatalog,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams&) -> Result<Response> {
          ASSIGN_OR_RETURN(auto body, serde::ParseCreateNamespaceRequest(req.body));
          CatalogHandle target = cat;
          if (!body.ns.empty()) RETURN_IF_ERROR(TakeRef(&body.ns.back(), &target));
          ASSIGN_OR_RETURN(auto properties,
                           s.CreateNamespace(ctx, target, body.ns, body.properties));
          return Json(serde::NamespaceResponseJson(body.ns, properties));
        });
  r.Add("GET", "/namespaces/{namespace}", rules::kReadOnNamespace,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto properties, s.LoadNamespace(ctx, cat, ns));
          return Json(serde::NamespaceResponseJson(ns, properties));
        });
  r.Add("HEAD", "/namespaces/{namespace}", rules::kReadOnNamespace,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          RETURN_IF_ERROR(s.LoadNamespace(ctx, cat, ns));
          return EmptyStatus(204);
        });
  r.Add("DELETE", "/namespaces/{namespace}", rules::kDeleteOnNamespace,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          RETURN_IF_ERROR(s.DropNamespace(ctx, cat, ns));
          return EmptyStatus(204);
        });
  r.Add("POST", "/namespaces/{namespace}/properties", rules::kWriteOnNamespace,
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

}  // namespace pangolin::api::iceberg_routes
