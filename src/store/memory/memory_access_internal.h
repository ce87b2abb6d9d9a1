// The access records of the memory store: roles, role assignments, direct grants and each
// tenant's access version. Thread-safe on its own. DeletePrincipal holds this component's lock
// while the caller removes the principal from memory_internal::Identities (whose lock is taken
// inside), and nothing takes the two the other way round, so they never deadlock.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/keyset_token.h"
#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

// Errors and ordering as documented on AccessStore, method by method.
class Accesses {
 public:
  Status CreateRole(const Role& role);
  Result<Role> GetRole(const TenantId& tenant, std::string_view id);
  Result<Page<Role>> ListRoles(const TenantId& tenant, const PageRequest& page);
  Status UpdateRole(const Role& role);
  Status DeleteRole(const TenantId& tenant, std::string_view id);

  Status AssignRole(const TenantId& tenant, const RoleAssignment& assignment);
  Status UnassignRole(const TenantId& tenant, std::string_view principal_id,
                      std::string_view role_id);
  std::vector<Role> ListPrincipalRoles(const TenantId& tenant, std::string_view principal_id);

  Status CreateGrant(const DirectGrant& grant);
  Result<DirectGrant> GetGrant(const TenantId& tenant, std::string_view id);
  Result<Page<DirectGrant>> ListGrants(const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page);
  Status DeleteGrant(const TenantId& tenant, std::string_view id);

  // The principal's direct grants (in ListGrants order), then its roles' permissions (roles in
  // ListPrincipalRoles order; the SQLite store leaves that order open).
  std::vector<PermissionGrant> LoadPermissions(const TenantId& tenant,
                                               std::string_view principal_id);
  int64_t AccessVersion(const TenantId& tenant);
  // For changes outside this component that feed permissions (asset tags).
  void BumpAccessVersion(const TenantId& tenant) {
    std::lock_guard lock(mu_);
    Bump(tenant);
  }

  // Runs `remove` (which deletes the principal `principal_id`) under this component's lock and,
  // when it succeeds, deletes the principal's grants and role assignments in every tenant (bumping
  // the access version of each tenant it held any in): no reader sees one without the other.
  template <typename Remove>
  Status DeletePrincipal(std::string_view principal_id, Remove&& remove) {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(remove());
    ErasePrincipal(principal_id);
    return Ok();
  }

 private:
  using Key = std::pair<std::string, std::string>;
  struct Assignment {
    TenantId tenant;
    RoleAssignment assignment;
  };

  Result<Role*> FindRole(const TenantId& tenant, std::string_view id);
  Result<DirectGrant*> FindGrant(const TenantId& tenant, std::string_view id);
  // The principal's roles in `tenant`, ordered by name then id.
  std::vector<const Role*> RolesOf(const TenantId& tenant, std::string_view principal_id) const;
  void ErasePrincipal(std::string_view principal_id);
  // Every successful change bumps its tenant's version, under the lock that guards the change.
  void Bump(const TenantId& tenant) { ++versions_[tenant.value]; }

  std::mutex mu_;
  std::map<std::string, Role, std::less<>> roles_;          // by id
  std::map<Key, std::string> role_names_;                   // (tenant id, name) -> id
  std::map<Key, Assignment> assignments_;                   // (principal id, role id)
  std::map<std::string, DirectGrant, std::less<>> grants_;  // by id
  std::map<std::string, int64_t, std::less<>> versions_;    // tenant id -> access version
};

}  // namespace pangolin::store::memory_internal
