// AccessService: roles, role assignments and direct grants of the caller's tenant, managed by
// its admins (and root acting in it). Every scope must name the tenant's own catalogs, and every
// principal must be one of its users or service users, so no grant can reach another tenant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/access.h"
#include "common/clock.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct RoleInput {
  std::string name;
  std::optional<std::string> description;
  std::optional<TenantId> tenant;  // must be the tenant the request acts in
  std::vector<catalog::PermissionGrant> permissions;
};

class AccessService {
 public:
  AccessService(store::MetadataStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Admins only. Errors: kForbidden; kBadRequest (name, scope, empty actions); kAlreadyExists;
  // kNotFound (a scope's catalog is not the tenant's).
  Result<catalog::Role> CreateRole(const Context& ctx, const RoleInput& input);
  // An admin, or a holder of the role. Errors: kNotFound.
  Result<catalog::Role> GetRole(const Context& ctx, std::string_view id);
  Result<store::Page<catalog::Role>> ListRoles(const Context& ctx, const store::PageRequest& page);
  // Replaces name, description and permissions. Errors: as CreateRole; kNotFound.
  Result<catalog::Role> UpdateRole(const Context& ctx, std::string_view id, const RoleInput& input);
  Status DeleteRole(const Context& ctx, std::string_view id);

  // The roles of a principal, for the principal itself or an admin. Errors: kNotFound (also
  // for anyone else).
  Result<std::vector<catalog::Role>> PrincipalRoles(const Context& ctx,
                                                    std::string_view principal_id);
  // Admins only; principal and role of the tenant. Errors: kNotFound; kAlreadyExists.
  Status AssignRole(const Context& ctx, std::string_view principal_id, std::string_view role_id);
  Status UnassignRole(const Context& ctx, std::string_view principal_id, std::string_view role_id);

  // Admins only; principal and scope of the tenant. Errors: kForbidden; kNotFound; kBadRequest.
  Result<catalog::DirectGrant> Grant(const Context& ctx, std::string_view principal_id,
                                     const catalog::PermissionGrant& grant);
  // Admins: the tenant's grants, or one principal's; anyone else: its own (naming another
  // principal is kForbidden).
  Result<store::Page<catalog::DirectGrant>> ListGrants(
      const Context& ctx, const std::optional<std::string>& principal_id,
      const store::PageRequest& page);
  Status Revoke(const Context& ctx, std::string_view grant_id);

 private:
  Status RequireAdmin(const Context& ctx) const;
  Status CheckPrincipal(const Context& ctx, std::string_view principal_id);
  Status CheckGrant(const Context& ctx, const catalog::PermissionGrant& grant);

  store::MetadataStore& store_;
  const Clock& clock_;
};

}  // namespace pangolin::service
