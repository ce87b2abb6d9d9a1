// Iceberg REST view routes: list, create, load (with ETag), replace, drop, exists, rename and
// register.
#include "api/iceberg/etag.h"
#include "api/iceberg/registrar.h"
#include "api/iceberg/request_parsing.h"
#include "serde/rest_catalog.h"
#include "serde/view_requests.h"

namespace pangolin::api::iceberg_routes {
namespace {

using service::LoadedView;

std::string ETagOf(const LoadedView& view) { return MetadataETag(view.metadata_location, "view"); }

Response LoadViewResponse(const LoadedView& view) {
  Response response =
      Json(serde::LoadViewResultJson(view.metadata_location, view.metadata->json, {}));
  response.headers.emplace_back("ETag", ETagOf(view));
  return response;
}

}  // namespace

void AddViewRoutes(Registrar& r) {
  IcebergService& s = r.service();
  r.Add("GET", "/namespaces/{namespace}/views", rules::kListOnNamespace,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(Paging paging, ParsePaging(req));
          ASSIGN_OR_RETURN(auto page, s.ListViews(ctx, cat, ns, paging.page));
          return Json(serde::TablesResponseJson(page.items, page.next_token, paging.paged));
        });
  r.Add("POST", "/namespaces/{namespace}/views", rules::kCreateOnNamespace,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto body, serde::ParseCreateViewRequest(req.body));
          CatalogHandle target = cat;
          RETURN_IF_ERROR(TakeRef(&body.name, &target));
          ASSIGN_OR_RETURN(auto view, s.CreateView(ctx, target, ns, body));
          return LoadViewResponse(view);
        });
  r.Add("GET", "/namespaces/{namespace}/views/{view}", rules::kReadOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "view"));
          ASSIGN_OR_RETURN(auto view, s.LoadView(ctx, cat, id));
          std::string etag = ETagOf(view);
          if (IfNoneMatchHits(req, etag)) return NotModified(std::move(etag));
          return LoadViewResponse(view);
        });
  r.Add("POST", "/namespaces/{namespace}/views/{view}", rules::kWriteOnAsset,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "view"));
          ASSIGN_OR_RETURN(auto body, serde::ParseCommitViewRequest(req.body));
          ASSIGN_OR_RETURN(auto view, s.ReplaceView(ctx, cat, id, body.requirements, body.updates));
          return LoadViewResponse(view);
        });
  r.Add("DELETE", "/namespaces/{namespace}/views/{view}", rules::kDeleteOnAsset,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "view"));
          RETURN_IF_ERROR(s.DropView(ctx, cat, id));
          return EmptyStatus(204);
        });
  r.Add("HEAD", "/namespaces/{namespace}/views/{view}", rules::kReadOnAsset,
        [&s](const Request&, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto id, TableId(params, "view"));
          RETURN_IF_ERROR(s.ViewExists(ctx, cat, id));
          return EmptyStatus(204);
        });
  r.Add("POST", "/views/rename", rules::kWriteOnAsset,
        [&s, &r](const Request& req, const Context& ctx, const CatalogHandle& cat,
                 const PathParams&) -> Result<Response> {
          ASSIGN_OR_RETURN(auto body, serde::ParseRenameTableRequest(req.body));
          RETURN_IF_ERROR(catalog::ValidateNamespace(body.destination.ns));
          RETURN_IF_ERROR(r.Require(ctx, catalog::Action::kWrite, cat, body.source));
          RETURN_IF_ERROR(r.Require(ctx, catalog::Action::kCreate, cat, {body.destination.ns, ""}));
          RETURN_IF_ERROR(s.RenameView(ctx, cat, body.source, body.destination));
          return EmptyStatus(204);
        });
  r.Add("POST", "/namespaces/{namespace}/register-view", rules::kCreateOnNamespace,
        [&s](const Request& req, const Context& ctx, const CatalogHandle& cat,
             const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto ns, ParseNamespace(Param(params, "namespace")));
          ASSIGN_OR_RETURN(auto body, serde::ParseRegisterRequest(req.body));
          CatalogHandle target = cat;
          RETURN_IF_ERROR(TakeRef(&body.name, &target));
          ASSIGN_OR_RETURN(auto view,
                           s.RegisterView(ctx, target, {ns, body.name}, body.metadata_location));
          return LoadViewResponse(view);
        });
}

}  // namespace pangolin::api::iceberg_routes
