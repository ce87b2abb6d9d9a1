// Authorizer; see authorizer.h.
#include "service/authorizer.h"

#include "service/access_version.h"

namespace pangolin::service {

Result<const catalog::PermissionSet*> Authorizer::PermissionsOf(const Context& ctx) const {
  if (ctx.permissions) return ctx.permissions.get();
  if (!ctx.caller.authenticated() || ctx.caller.id.empty()) {
    ctx.permissions = std::make_shared<const catalog::PermissionSet>();
    return ctx.permissions.get();
  }
  ASSIGN_OR_RETURN(int64_t version, RequestAccessVersion(ctx, store_));
  std::string key = ctx.tenant.value + "/" + ctx.caller.id;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.version == version) {
      ctx.permissions = it->second.permissions;
      return ctx.permissions.get();
    }
  }
  // Grants read after the version: a change in between makes this entry stale at once.
  ASSIGN_OR_RETURN(auto grants, store_.LoadPermissions(ctx.tenant, ctx.caller.id));
  std::vector<std::pair<std::string, std::string>> tagged;
  if (auto tags = catalog::PermissionSet::TagNames(grants); !tags.empty()) {
    ASSIGN_OR_RETURN(tagged, store_.ListTaggedAssets(ctx.tenant, tags));
  }
  ctx.permissions = std::make_shared<const catalog::PermissionSet>(std::move(grants), tagged);
  std::lock_guard lock(mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[key] = Compiled{version, ctx.permissions};
  return ctx.permissions.get();
}

Result<bool> Authorizer::Allows(const Context& ctx, catalog::Action action,
                                const catalog::AccessTarget& target) const {
  if (ctx.IsTenantAdmin()) return true;
  if (!ctx.caller.authenticated()) return false;
  ASSIGN_OR_RETURN(const catalog::PermissionSet* set, PermissionsOf(ctx));
  return set->Allows(action, target);
}

Result<bool> Authorizer::Reaches(const Context& ctx, catalog::Action action,
                                 const catalog::AccessTarget& target) const {
  if (ctx.IsTenantAdmin()) return true;
  if (!ctx.caller.authenticated()) return false;
  ASSIGN_OR_RETURN(const catalog::PermissionSet* set, PermissionsOf(ctx));
  return set->Reaches(action, target);
}

Status Authorizer::Require(const Context& ctx, catalog::Action action,
                           const catalog::AccessTarget& target) const {
  ASSIGN_OR_RETURN(bool allowed, Allows(ctx, action, target));
  if (!allowed) {
    return Err(ErrorCode::kForbidden, "Permission denied: {} is not granted here",
               catalog::ToString(action));
  }
  ctx.access_checked = true;
  return Ok();
}

Status Authorizer::RequireReach(const Context& ctx, catalog::Action action,
                                const catalog::AccessTarget& target) const {
  ASSIGN_OR_RETURN(bool reaches, Reaches(ctx, action, target));
  if (!reaches) {
    return Err(ErrorCode::kForbidden, "Permission denied: {} is not granted here",
               catalog::ToString(action));
  }
  ctx.access_checked = true;
  return Ok();
}

}  // namespace pangolin::service
