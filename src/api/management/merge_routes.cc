// Management API: POST /api/v1/branches/merge and /api/v1/branches/{name}/rebase, merge
// operations (list, get, conflicts, complete, abort) and conflict resolution.
#include "api/management/merge_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/merge.h"
#include "serde/versioning.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using catalog::Action;
using service::MergeService;

void AddMergeRoutes(ApiRouter& router, MergeService& s, const CatalogGate& gate) {
  // 200 with the completed operation, or 409 with the operation waiting for resolutions.
  Add(router, "POST", "/api/v1/branches/merge", rules::kWriteOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx, const PathParams&) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseMergeRequest(req.body));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kWrite, body.catalog));
        ASSIGN_OR_RETURN(auto op, s.Merge(ctx, body.catalog, body.source, body.target));
        if (op.status == catalog::MergeStatus::kConflicted) {
          return Response::Json(409, serde::MergeConflictedJson(op));
        }
        return Response::Json(200, serde::MergeOperationJson(ctx.tenant, op));
      });
  // The branch-create body: `name` (must match the path), `catalog`, `from_branch` (default main).
  Add(router, "POST", "/api/v1/branches/{name}/rebase", rules::kWriteOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto body, serde::ParseBranchRequest(req.body));
        RETURN_IF_ERROR(gate.Require(ctx, Action::kWrite, body.catalog));
        if (body.name != Param(params, "name")) {
          return Err(ErrorCode::kBadRequest, "Branch name in the body ('{}') differs from the path",
                     body.name);
        }
        ASSIGN_OR_RETURN(auto op, s.Rebase(ctx, body.catalog, body.name, body.from));
        return Response::Json(200, serde::MergeOperationJson(ctx.tenant, op));
      });
}

void AddOperationRoutes(ApiRouter& router, MergeService& s, const CatalogGate& gate) {
  Add(router, "GET", "/api/v1/catalogs/{catalog}/merge-operations", rules::kReadOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.Require(ctx, Action::kRead, Param(params, "catalog")));
        ASSIGN_OR_RETURN(Window window, ParseWindow(req));
        ASSIGN_OR_RETURN(auto items, (Slice<catalog::MergeOperation>(
                                         [&](const store::PageRequest& page) {
                                           return s.List(ctx, Param(params, "catalog"), page);
                                         },
                                         window)));
        return Response::Json(200, serde::MergeOperationListJson(items));
      });
  Add(router, "GET", "/api/v1/merge-operations/{id}", rules::kReadOnCatalog,
      [&s, &gate](const Request&, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.RequireForOperation(ctx, Action::kRead, Param(params, "id")));
        ASSIGN_OR_RETURN(auto op, s.Get(ctx, Param(params, "id")));
        return Response::Json(200, serde::MergeOperationJson(ctx.tenant, op));
      });
  Add(router, "GET", "/api/v1/merge-operations/{id}/conflicts", rules::kReadOnCatalog,
      [&s, &gate](const Request&, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.RequireForOperation(ctx, Action::kRead, Param(params, "id")));
        ASSIGN_OR_RETURN(auto op, s.Get(ctx, Param(params, "id")));
        return Response::Json(200, serde::ConflictListJson(op));
      });
  Add(router, "POST", "/api/v1/merge-operations/{id}/complete", rules::kWriteOnCatalog,
      [&s, &gate](const Request&, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.RequireForOperation(ctx, Action::kWrite, Param(params, "id")));
        ASSIGN_OR_RETURN(auto op, s.Complete(ctx, Param(params, "id")));
        return Response::Json(200, serde::MergeCompletedJson(op));
      });
  Add(router, "POST", "/api/v1/merge-operations/{id}/abort", rules::kWriteOnCatalog,
      [&s, &gate](const Request&, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(gate.RequireForOperation(ctx, Action::kWrite, Param(params, "id")));
        ASSIGN_OR_RETURN(auto op, s.Abort(ctx, Param(params, "id")));
        return Response::Json(200, serde::MergeAbortedJson(op));
      });
  Add(router, "POST", "/api/v1/conflicts/{id}/resolve", rules::kWriteOnCatalog,
      [&s, &gate](const Request& req, const Context& ctx,
                  const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto strategy, serde::ParseResolveRequest(req.body));
        RETURN_IF_ERROR(gate.RequireForOperation(ctx, Action::kWrite,
                                                 catalog::OperationIdOf(Param(params, "id"))));
        std::string id(Param(params, "id"));
        ASSIGN_OR_RETURN(auto op, s.Resolve(ctx, id, service::Resolution{strategy}));
        return Response::Json(200, serde::ConflictResolvedJson(op, id));
      });
}

}  // namespace

void RegisterMergeRoutes(ApiRouter& router, MergeService& service, const CatalogGate& gate) {
  AddMergeRoutes(router, service, gate);
  AddOperationRoutes(router, service, gate);
}

}  // namespace pangolin::api
