// AccessService; see access_service.h.
#include "service/access_service.h"

#include <algorithm>

#include "common/ids.h"
#include "service/audited.h"

namespace pangolin::service {
namespace {

using catalog::PermissionScope;

Error Denied(std::string message) { return Error{ErrorCode::kForbidden, std::move(message)}; }

}  // namespace

Status AccessService::RequireAdmin(const Context& ctx) const {
  if (ctx.IsTenantAdmin()) return Ok();
  return tl::unexpected(Denied("Only an admin of the tenant may manage roles and permissions"));
}

Status AccessService::CheckPrincipal(const Context& ctx, std::string_view principal_id) {
  if (store_.GetUser(ctx.tenant, principal_id)) return Ok();
  if (store_.GetServiceUser(ctx.tenant, principal_id)) return Ok();
  return Err(ErrorCode::kNotFound, "No user or service user {} in this tenant", principal_id);
}

Status AccessService::CheckGrant(const Context& ctx, const catalog::PermissionGrant& grant) {
  if (grant.actions.empty()) return Err(ErrorCode::kBadRequest, "A grant needs actions");
  const PermissionScope& scope = grant.scope;
  switch (scope.type) {
    case PermissionScope::Type::kTenant:
      return Ok();
    case PermissionScope::Type::kTag:
      return catalog::ValidateName("tag", scope.tag_name);
    case PermissionScope::Type::kNamespace:
      RETURN_IF_ERROR(catalog::ValidateNamespace(scope.ns));
      break;
    case PermissionScope::Type::kAsset:
      if (scope.asset_id.empty()) return Err(ErrorCode::kBadRequest, "Missing asset_id");
      break;
    case PermissionScope::Type::kCatalog:
      break;
  }
  // The catalog must be one of this tenant's (grants are rare; a scan of the names is fine).
  store::PageRequest page{"", 500};
  while (true) {
    ASSIGN_OR_RETURN(auto catalogs, store_.ListCatalogs(ctx.tenant, page));
    for (const auto& c : catalogs.items) {
      if (c.id.value == scope.catalog_id) return Ok();
    }
    if (!catalogs.next_token) break;
    page.token = *catalogs.next_token;
  }
  return Err(ErrorCode::kNotFound, "No catalog {} in this tenant", scope.catalog_id);
}

Result<catalog::Role> AccessService::CreateRole(const Context& ctx, const RoleInput& input) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  if (input.tenant && *input.tenant != ctx.tenant) {
    return tl::unexpected(Denied("Roles are created in the tenant the request acts in"));
  }
  RETURN_IF_ERROR(catalog::ValidateName("role", input.name));
  for (const auto& grant : input.permissions) RETURN_IF_ERROR(CheckGrant(ctx, grant));
  catalog::Role role;
  role.id = NewUuid();
  role.name = input.name;
  role.description = input.description;
  role.tenant_id = ctx.tenant;
  role.permissions = input.permissions;
  role.created_by = ctx.caller.id.empty() ? ctx.principal : ctx.caller.id;
  role.created_ms = role.updated_ms = clock_.NowMs();
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.CreateRole(role); }));
  return role;
}

Result<catalog::Role> AccessService::GetRole(const Context& ctx, std::string_view id) {
  ASSIGN_OR_RETURN(auto role, store_.GetRole(ctx.tenant, id));
  if (ctx.IsTenantAdmin()) return role;
  ASSIGN_OR_RETURN(auto held, store_.ListPrincipalRoles(ctx.tenant, ctx.caller.id));
  bool holds = std::any_of(held.begin(), held.end(), [&](const auto& r) { return r.id == id; });
  if (!holds) return Err(ErrorCode::kNotFound, "No role {}", id);
  return role;
}

Result<store::Page<catalog::Role>> AccessService::ListRoles(const Context& ctx,
                                                            const store::PageRequest& page) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return store_.ListRoles(ctx.tenant, page);
}

Result<catalog::Role> AccessService::UpdateRole(const Context& ctx, std::string_view id,
                                                const RoleInput& input) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  ASSIGN_OR_RETURN(auto role, store_.GetRole(ctx.tenant, id));
  RETURN_IF_ERROR(catalog::ValidateName("role", input.name));
  for (const auto& grant : input.permissions) RETURN_IF_ERROR(CheckGrant(ctx, grant));
  role.name = input.name;
  role.description = input.description;
  role.permissions = input.permissions;
  role.updated_ms = clock_.NowMs();
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.UpdateRole(role); }));
  return role;
}

Status AccessService::DeleteRole(const Context& ctx, std::string_view id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return StoreAudited(store_, ctx, [&] { return store_.DeleteRole(ctx.tenant, id); });
}

Result<std::vector<catalog::Role>> AccessService::PrincipalRoles(const Context& ctx,
                                                                 std::string_view principal_id) {
  if (principal_id != ctx.caller.id) {
    if (!ctx.IsTenantAdmin()) return Err(ErrorCode::kNotFound, "No user {}", principal_id);
    RETURN_IF_ERROR(CheckPrincipal(ctx, principal_id));
  }
  return store_.ListPrincipalRoles(ctx.tenant, principal_id);
}

Status AccessService::AssignRole(const Context& ctx, std::string_view principal_id,
                                 std::string_view role_id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  RETURN_IF_ERROR(CheckPrincipal(ctx, principal_id));
  catalog::RoleAssignment assignment{std::string(principal_id), std::string(role_id),
                                     ctx.caller.id.empty() ? ctx.principal : ctx.caller.id,
                                     clock_.NowMs()};
  return StoreAudited(store_, ctx, [&] { return store_.AssignRole(ctx.tenant, assignment); });
}

Status AccessService::UnassignRole(const Context& ctx, std::string_view principal_id,
                                   std::string_view role_id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return StoreAudited(store_, ctx,
                      [&] { return store_.UnassignRole(ctx.tenant, principal_id, role_id); });
}

Result<catalog::DirectGrant> AccessService::Grant(const Context& ctx, std::string_view principal_id,
                                                  const catalog::PermissionGrant& grant) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  RETURN_IF_ERROR(CheckPrincipal(ctx, principal_id));
  RETURN_IF_ERROR(CheckGrant(ctx, grant));
  catalog::DirectGrant direct{NewUuid(),
                              std::string(principal_id),
                              ctx.tenant,
                              grant,
                              ctx.caller.id.empty() ? ctx.principal : ctx.caller.id,
                              clock_.NowMs()};
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.CreateGrant(direct); }));
  return direct;
}

Result<store::Page<catalog::DirectGrant>> AccessService::ListGrants(
    const Context& ctx, const std::optional<std::string>& principal_id,
    const store::PageRequest& page) {
  if (ctx.IsTenantAdmin()) return store_.ListGrants(ctx.tenant, principal_id, page);
  // Anyone else lists its own grants.
  if (principal_id && *principal_id != ctx.caller.id) {
    return tl::unexpected(Denied("Only an admin may list other principals' permissions"));
  }
  return store_.ListGrants(ctx.tenant, ctx.caller.id, page);
}

Status AccessService::Revoke(const Context& ctx, std::string_view grant_id) {
  RETURN_IF_ERROR(RequireAdmin(ctx));
  return StoreAudited(store_, ctx, [&] { return store_.DeleteGrant(ctx.tenant, grant_id); });
}

}  // namespace pangolin::service
