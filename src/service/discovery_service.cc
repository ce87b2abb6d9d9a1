// DiscoveryService; see discovery_service.h.
#include "service/discovery_service.h"

#include "common/ids.h"
#include "service/audited.h"

namespace pangolin::service {
namespace {

using catalog::Action;

Error Denied(std::string_view message) {
  return Error{ErrorCode::kForbidden, std::string(message)};
}

// A lost race with another change of the tags: the caller reads again and retries.
Error Retryable(const Error& error, std::string_view asset_id) {
  if (error.code != ErrorCode::kCommitFailed) return error;
  return Error{ErrorCode::kConflict,
               fmt::format("The tags of asset {} changed meanwhile; read the metadata again and "
                           "retry",
                           asset_id)};
}

}  // namespace

Result<DiscoveryService::Located> DiscoveryService::Locate(const Context& ctx,
                                                           std::string_view asset_id) {
  Located located;
  ASSIGN_OR_RETURN(located.asset, store_.FindAsset(ctx.tenant, asset_id));
  auto metadata = store_.GetBusinessMetadata(ctx.tenant, asset_id);
  if (metadata) {
    located.metadata = std::move(*metadata);
  } else if (metadata.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(metadata.error());
  }
  located.target.catalog_id = located.asset.catalog_id.value;
  located.target.ns = located.asset.key.parent;
  located.target.asset_id = std::string(asset_id);
  if (located.metadata) located.target.asset_tags = located.metadata->tags;
  return located;
}

// The tags the permission decision was made on: the store refuses the change if they moved.
store::DiscoveryStore::ExpectedTags DiscoveryService::TagsRead(const Located& located) {
  return located.metadata ? located.metadata->tags : std::vector<std::string>{};
}

Status DiscoveryService::RequireReadable(const Context& ctx, const Located& located) {
  if (located.metadata && located.metadata->discoverable) {
    ctx.access_checked = true;  // discoverable: every member of the tenant may look
    return Ok();
  }
  return authorizer_.Require(ctx, Action::kRead, located.target);
}

Status DiscoveryService::RequireEditable(const Context& ctx, const Located& located, bool retags) {
  ASSIGN_OR_RETURN(bool curator, authorizer_.Allows(ctx, Action::kManageDiscovery, located.target));
  if (!curator && retags) {
    return tl::unexpected(
        Denied("Permission denied: changing an asset's tags needs manage-discovery (tags feed tag "
               "grants)"));
  }
  if (!curator) return authorizer_.Require(ctx, Action::kWrite, located.target);
  ctx.access_checked = true;
  return Ok();
}

Result<catalog::BusinessMetadata> DiscoveryService::GetMetadata(const Context& ctx,
                                                                std::string_view asset_id) {
  ASSIGN_OR_RETURN(Located located, Locate(ctx, asset_id));
  RETURN_IF_ERROR(RequireReadable(ctx, located));
  if (!located.metadata) {
    return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  }
  return std::move(*located.metadata);
}

Result<catalog::BusinessMetadata> DiscoveryService::PutMetadata(const Context& ctx,
                                                                std::string_view asset_id,
                                                                catalog::BusinessMetadata input) {
  ASSIGN_OR_RETURN(Located located, Locate(ctx, asset_id));
  ASSIGN_OR_RETURN(input.tags, catalog::NormalizeTags(std::move(input.tags)));
  bool retags =
      input.tags != (located.metadata ? located.metadata->tags : std::vector<std::string>{});
  RETURN_IF_ERROR(RequireEditable(ctx, located, retags));
  // The reference's vocabulary tells a first record from a change.
  if (ctx.audit && !located.metadata) ctx.audit->action = "add_metadata";
  std::string actor = ctx.caller.id.empty() ? ctx.principal : ctx.caller.id;
  input.id = NewUuid();
  input.tenant_id = ctx.tenant;
  input.asset_id = std::string(asset_id);
  input.created_by = input.updated_by = actor;
  input.created_ms = input.updated_ms = clock_.NowMs();
  auto stored = StoreAudited(store_, ctx, [&] {
    return store_.PutBusinessMetadata(located.asset.catalog_id, input, TagsRead(located));
  });
  if (!stored) return tl::unexpected(Retryable(stored.error(), asset_id));
  return stored;
}

Status DiscoveryService::DeleteMetadata(const Context& ctx, std::string_view asset_id) {
  ASSIGN_OR_RETURN(Located located, Locate(ctx, asset_id));
  bool retags = located.metadata && !located.metadata->tags.empty();
  RETURN_IF_ERROR(RequireEditable(ctx, located, retags));
  if (!located.metadata) {
    return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  }
  auto deleted = StoreAudited(store_, ctx, [&] {
    return store_.DeleteBusinessMetadata(ctx.tenant, asset_id, TagsRead(located));
  });
  if (!deleted) return tl::unexpected(Retryable(deleted.error(), asset_id));
  return Ok();
}

Result<AssetDetail> DiscoveryService::GetAsset(const Context& ctx, std::string_view asset_id) {
  ASSIGN_OR_RETURN(Located located, Locate(ctx, asset_id));
  RETURN_IF_ERROR(RequireReadable(ctx, located));
  return AssetDetail{std::move(located.asset), std::move(located.metadata)};
}

}  // namespace pangolin::service
