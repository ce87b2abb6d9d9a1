// Business metadata routes (the reference's §1.13). The asset is named by its stable id; who may
// read or change what is decided by DiscoveryService once the asset is found.
#include "api/management/discovery_routes.h"

#include "api/iceberg/request_parsing.h"
#include "api/management/management_internal.h"
#include "serde/discovery.h"

namespace pangolin::api {
namespace {

using namespace management_internal;
using service::DiscoveryService;

void AddMetadataRoutes(ApiRouter& router, DiscoveryService& s, std::string_view base,
                       std::string_view param, bool with_upsert) {
  std::string path = std::string(base);
  std::string name(param);
  Add(router, "GET", path, rules::kReadOnAsset,
      [&s, name](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto metadata, s.GetMetadata(ctx, Param(params, name)));
        return Response::Json(200, serde::BusinessMetadataResponseJson(metadata));
      });
  if (with_upsert) {
    Add(router, "POST", path, rules::kWriteOnAsset,
        [&s, name](const Request& req, const Context& ctx,
                   const PathParams& params) -> Result<Response> {
          ASSIGN_OR_RETURN(auto input, serde::ParseBusinessMetadataRequest(req.body));
          ASSIGN_OR_RETURN(auto metadata,
                           s.PutMetadata(ctx, Param(params, name), std::move(input)));
          return Response::Json(200, serde::BusinessMetadataResponseJson(metadata));
        });
  }
  Add(router, "DELETE", path, rules::kWriteOnAsset,
      [&s, name](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        RETURN_IF_ERROR(s.DeleteMetadata(ctx, Param(params, name)));
        return Response::NoContent();
      });
}

}  // namespace

void RegisterDiscoveryRoutes(ApiRouter& router, DiscoveryService& s) {
  Add(router, "GET", "/api/v1/assets/{id}", rules::kReadOnAsset,
      [&s](const Request&, const Context& ctx, const PathParams& params) -> Result<Response> {
        ASSIGN_OR_RETURN(auto detail, s.GetAsset(ctx, Param(params, "id")));
        return Response::Json(200, serde::AssetDetailJson(detail.asset, detail.metadata));
      });
  AddMetadataRoutes(router, s, "/api/v1/assets/{id}/metadata", "id", true);
  AddMetadataRoutes(router, s, "/api/v1/business-metadata/{asset_id}", "asset_id", false);
}

}  // namespace pangolin::api
