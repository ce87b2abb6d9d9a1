// Management API: branches, tags and commits (the reference's §1.11; merges in merge_routes.cc).
// `catalog` is a query parameter on reads and deletes, a body member on creates.
#include "api/management/versioning_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/versioning.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using catalog::Action;
using service::VersioningService;

void AddBranchRoutes(ApiRouter& router, VersioningService& s, const CatalogGate& gate) {
  Add(router, "GET", "/api/v1/branches", rules::kListOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kList, catalog));
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(
            auto items,
            (Slice<catalog::Branch>(
                [&](const store::PageRequest& page) { return s.ListBranches(ctx, catalog, page); },
                window)));
        return Response::Json(200, serde::BranchListJson(items));
      });
  Add(router, "POST", "/api/v1/branches", rules::kBranchOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseBranchRequest(req.body));
        // Each branch type has its own permission.
        RETURN_IF_ERROR(gate.Require(ctx,
                                     body.type == catalog::BranchType::kIngest
                                         ? Action::kIngestBranching
                                         : Action::kExperimentalBranching,
                                     body.catalog));
        service::BranchInput input{body.catalog, body.name, body.type, body.from, body.assets};
        ASSIGN_OR_RETURN(auto branch, s.CreateBranch(ctx, input));
        return Response::Json(201, serde::BranchJson(branch));
      });
  Add(router, "GET", "/api/v1/branches/{name}", rules::kListOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kList, catalog));
        ASSIGN_OR_RETURN(auto branch, s.GetBranch(ctx, catalog, Param(params, "name")));
        return Response::Json(200, serde::BranchJson(branch));
      });
  Add(router, "DELETE", "/api/v1/branches/{name}", rules::kDeleteOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kDelete, catalog));
        RETURN_IF_ERROR(s.DeleteBranch(ctx, catalog, Param(params, "name")));
        return Response::NoContent();
      });
  // History of a branch; the name may also be a tag or a commit id.
  Add(router, "GET", "/api/v1/branches/{name}/commits", rules::kReadOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kRead, catalog));
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(auto items, (Slice<catalog::CommitRecord>(
                                         [&](const store::PageRequest& page) {
                                           return s.ListCommits(ctx, catalog, Param(params, "name"),
                                                                page);
                                         },
                                         window)));
        return Response::Json(200, serde::CommitListJson(items));
      });
  Add(router, "GET", "/api/v1/commits/{id}", rules::kReadOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kRead, catalog));
        ASSIGN_OR_RETURN(auto diff, s.GetCommit(ctx, catalog, Param(params, "id")));
        return Response::Json(200, serde::CommitDiffJson(diff.commit, diff.before));
      });
}

void AddTagRoutes(ApiRouter& router, VersioningService& s, const CatalogGate& gate) {
  Add(router, "GET", "/api/v1/tags", rules::kListOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kList, catalog));
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(
            auto items,
            (Slice<catalog::Tag>(
                [&](const store::PageRequest& page) { return s.ListTags(ctx, catalog, page); },
                window)));
        return Response::Json(200, serde::TagListJson(items));
      });
  Add(router, "POST", "/api/v1/tags", rules::kCreateOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseTagRequest(req.body));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kCreate, body.catalog));
        ASSIGN_OR_RETURN(auto tag, s.CreateTag(ctx, body.catalog, body.name, body.target));
        return Response::Json(201, serde::TagJson(tag));
      });
  Add(router, "DELETE", "/api/v1/tags/{name}", rules::kDeleteOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(std::string catalog, CatalogParam(req));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kDelete, catalog));
        RETURN_IF_ERROR(s.DeleteTag(ctx, catalog, Param(params, "name")));
        return Response::NoContent();
      });
}

}  // namespace

void RegisterVersioningRoutes(ApiRouter& router, VersioningService& service,
                              const CatalogGate& gate) {
  AddBranchRoutes(router, service, gate);
  AddTagRoutes(router, service, gate);
}

}  // namespace pangolin::api
