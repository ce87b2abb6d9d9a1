// Roles, role assignments and direct grants of the memory store, with the unique index a
// database would keep (role names per tenant). Assignments are keyed by principal, so a
// principal's roles are one range. Each successful change bumps its tenant's access version.
#include <algorithm>
#include <set>

#include "store/memory/memory_access_internal.h"
#include "store/memory/memory_identity_internal.h"

namespace pangolin::store::memory_internal {
namespace {

using keyset::TextKey;
using keyset::TimeKey;

bool ByNameThenId(const Role* a, const Role* b) {
  return TextKey{a->name, a->id} < TextKey{b->name, b->id};
}

}  // namespace

Result<Role*> Accesses::FindRole(const TenantId& tenant, std::string_view id) {
  auto it = roles_.find(id);
  if (it == roles_.end() || it->second.tenant_id != tenant) {
    return Err(ErrorCode::kNotFound, "Role not found: {}", id);
  }
  return &it->second;
}

Result<DirectGrant*> Accesses::FindGrant(const TenantId& tenant, std::string_view id) {
  auto it = grants_.find(id);
  if (it == grants_.end() || it->second.tenant_id != tenant) {
    return Err(ErrorCode::kNotFound, "Permission not found: {}", id);
  }
  return &it->second;
}

Status Accesses::CreateRole(const Role& role) {
  std::lock_guard lock(mu_);
  if (roles_.contains(role.id)) {
    return Err(ErrorCode::kAlreadyExists, "Role id already exists: {}", role.id);
  }
  if (!role_names_.emplace(Key{role.tenant_id.value, role.name}, role.id).second) {
    return Err(ErrorCode::kAlreadyExists, "Role already exists: {}", role.name);
  }
  roles_.emplace(role.id, role);
  Bump(role.tenant_id);
  return Ok();
}

Result<Role> Accesses::GetRole(const TenantId& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Role * role, FindRole(tenant, id));
  return *role;
}

Result<Page<Role>> Accesses::ListRoles(const TenantId& tenant, const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TextKey> after, keyset::DecodeTextToken(page.token));
  std::lock_guard lock(mu_);
  std::vector<std::pair<TextKey, const Role*>> rows;
  for (const auto& [id, role] : roles_) {
    if (role.tenant_id == tenant) rows.emplace_back(TextKey{role.name, id}, &role);
  }
  return CutPage(std::move(rows), after, page.limit, std::less<>());
}

Status Accesses::UpdateRole(const Role& role) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Role * stored, FindRole(role.tenant_id, role.id));
  if (role.name != stored->name) {
    if (!role_names_.emplace(Key{role.tenant_id.value, role.name}, role.id).second) {
      return Err(ErrorCode::kAlreadyExists, "Role already exists: {}", role.name);
    }
    role_names_.erase(Key{role.tenant_id.value, stored->name});
  }
  stored->name = role.name;
  stored->description = role.description;
  stored->permissions = role.permissions;
  stored->updated_ms = role.updated_ms;
  Bump(role.tenant_id);
  return Ok();
}

Status Accesses::DeleteRole(const TenantId& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Role * role, FindRole(tenant, id));
  role_names_.erase(Key{tenant.value, role->name});
  std::erase_if(assignments_, [&](const auto& entry) { return entry.first.second == id; });
  roles_.erase(roles_.find(id));
  Bump(tenant);
  return Ok();
}

Status Accesses::AssignRole(const TenantId& tenant, const RoleAssignment& assignment) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(FindRole(tenant, assignment.role_id));
  Key key{assignment.principal_id, assignment.role_id};
  if (!assignments_.emplace(key, Assignment{tenant, assignment}).second) {
    return Err(ErrorCode::kAlreadyExists, "Role {} is already assigned to {}", assignment.role_id,
               assignment.principal_id);
  }
  Bump(tenant);
  return Ok();
}

Status Accesses::UnassignRole(const TenantId& tenant, std::string_view principal_id,
                              std::string_view role_id) {
  std::lock_guard lock(mu_);
  auto it = assignments_.find(Key{principal_id, role_id});
  if (it == assignments_.end() || it->second.tenant != tenant) {
    return Err(ErrorCode::kNotFound, "Role {} is not assigned to {}", role_id, principal_id);
  }
  assignments_.erase(it);
  Bump(tenant);
  return Ok();
}

std::vector<const Role*> Accesses::RolesOf(const TenantId& tenant,
                                           std::string_view principal_id) const {
  std::vector<const Role*> roles;
  auto it = assignments_.lower_bound(Key{principal_id, ""});
  for (; it != assignments_.end() && it->first.first == principal_id; ++it) {
    if (it->second.tenant == tenant) roles.push_back(&roles_.find(it->first.second)->second);
  }
  std::sort(roles.begin(), roles.end(), &ByNameThenId);
  return roles;
}

std::vector<Role> Accesses::ListPrincipalRoles(const TenantId& tenant,
                                               std::string_view principal_id) {
  std::lock_guard lock(mu_);
  std::vector<Role> roles;
  for (const Role* role : RolesOf(tenant, principal_id)) roles.push_back(*role);
  return roles;
}

Status Accesses::CreateGrant(const DirectGrant& grant) {
  std::lock_guard lock(mu_);
  if (!grants_.emplace(grant.id, grant).second) {
    return Err(ErrorCode::kAlreadyExists, "Permission already exists: {}", grant.id);
  }
  Bump(grant.tenant_id);
  return Ok();
}

Result<DirectGrant> Accesses::GetGrant(const TenantId& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(DirectGrant * grant, FindGrant(tenant, id));
  return *grant;
}

Result<Page<DirectGrant>> Accesses::ListGrants(const TenantId& tenant,
                                               const std::optional<std::string>& principal_id,
                                               const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  std::lock_guard lock(mu_);
  std::vector<std::pair<TimeKey, const DirectGrant*>> rows;
  for (const auto& [id, grant] : grants_) {
    if (grant.tenant_id != tenant || (principal_id && grant.principal_id != *principal_id)) {
      continue;
    }
    rows.emplace_back(TimeKey{grant.granted_ms, id}, &grant);
  }
  return CutPage(std::move(rows), after, page.limit, std::less<>());
}

Status Accesses::DeleteGrant(const TenantId& tenant, std::string_view id) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(FindGrant(tenant, id));
  grants_.erase(grants_.find(id));
  Bump(tenant);
  return Ok();
}

std::vector<PermissionGrant> Accesses::LoadPermissions(const TenantId& tenant,
                                                       std::string_view principal_id) {
  std::lock_guard lock(mu_);
  std::vector<const DirectGrant*> direct;
  for (const auto& [id, grant] : grants_) {
    if (grant.tenant_id == tenant && grant.principal_id == principal_id) direct.push_back(&grant);
  }
  std::sort(direct.begin(), direct.end(), [](const DirectGrant* a, const DirectGrant* b) {
    return TimeKey{a->granted_ms, a->id} < TimeKey{b->granted_ms, b->id};
  });
  std::vector<PermissionGrant> permissions;
  for (const DirectGrant* grant : direct) permissions.push_back(grant->grant);
  for (const Role* role : RolesOf(tenant, principal_id)) {
    permissions.insert(permissions.end(), role->permissions.begin(), role->permissions.end());
  }
  return permissions;
}

int64_t Accesses::AccessVersion(const TenantId& tenant) {
  std::lock_guard lock(mu_);
  auto it = versions_.find(tenant.value);
  return it == versions_.end() ? 0 : it->second;
}

void Accesses::ErasePrincipal(std::string_view principal_id) {
  std::set<TenantId> changed;  // each tenant bumped once, however much it held there
  std::erase_if(grants_, [&](const auto& entry) {
    if (entry.second.principal_id != principal_id) return false;
    changed.insert(entry.second.tenant_id);
    return true;
  });
  auto first = assignments_.lower_bound(Key{principal_id, ""});
  auto last = first;
  for (; last != assignments_.end() && last->first.first == principal_id; ++last) {
    changed.insert(last->second.tenant);
  }
  assignments_.erase(first, last);
  for (const TenantId& tenant : changed) Bump(tenant);
}

}  // namespace pangolin::store::memory_internal
