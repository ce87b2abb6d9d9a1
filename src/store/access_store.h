// AccessStore: roles, role assignments and direct grants, per tenant. Part of every
// MetadataStore (it inherits this interface). An object of another tenant is reported as not
// found. Scopes are stored as given: the service checks that they name the tenant's own objects.
//
// Thread-safety: every method may be called concurrently. Atomicity: every method is atomic.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/access.h"
#include "common/result.h"
#include "store/paging.h"

namespace pangolin::store {

// The access version a principal's changes move: its tenant's, or for root (no tenant) the one
// kept under the empty id.
inline TenantId AccessScope(const std::optional<TenantId>& tenant) {
  return tenant.value_or(TenantId{});
}

using catalog::DirectGrant;
using catalog::PermissionGrant;
using catalog::Role;
using catalog::RoleAssignment;

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // --- Roles (names unique within a tenant) ---
  // Errors: kAlreadyExists (id, or name in the tenant).
  virtual Status CreateRole(const Role& role) = 0;
  // Errors: kNotFound.
  virtual Result<Role> GetRole(const TenantId& tenant, std::string_view id) = 0;
  // Ordered by name then id.
  virtual Result<Page<Role>> ListRoles(const TenantId& tenant, const PageRequest& page) = 0;
  // Replaces name, description, permissions and updated_ms of `role.id` in `role.tenant_id`.
  // Errors: kNotFound; kAlreadyExists (name).
  virtual Status UpdateRole(const Role& role) = 0;
  // Deletes the role and every assignment of it. Errors: kNotFound.
  virtual Status DeleteRole(const TenantId& tenant, std::string_view id) = 0;

  // --- Role assignments ---
  // Errors: kNotFound (no such role in the tenant); kAlreadyExists (already assigned).
  virtual Status AssignRole(const TenantId& tenant, const RoleAssignment& assignment) = 0;
  // Errors: kNotFound (not assigned).
  virtual Status UnassignRole(const TenantId& tenant, std::string_view principal_id,
                              std::string_view role_id) = 0;
  // The roles assigned to a principal, ordered by role name then id.
  virtual Result<std::vector<Role>> ListPrincipalRoles(const TenantId& tenant,
                                                       std::string_view principal_id) = 0;

  // --- Direct grants ---
  // Errors: kAlreadyExists (id).
  virtual Status CreateGrant(const DirectGrant& grant) = 0;
  // Errors: kNotFound.
  virtual Result<DirectGrant> GetGrant(const TenantId& tenant, std::string_view id) = 0;
  // The tenant's direct grants, only those of `principal_id` when given, ordered by
  // granted_ms then id.
  virtual Result<Page<DirectGrant>> ListGrants(const TenantId& tenant,
                                               const std::optional<std::string>& principal_id,
                                               const PageRequest& page) = 0;
  // Errors: kNotFound.
  virtual Status DeleteGrant(const TenantId& tenant, std::string_view id) = 0;

  // Everything `principal_id` holds in `tenant`: its direct grants and the permissions of its
  // roles, in one read. Deleting a user or service user also deletes its grants and role
  // assignments.
  virtual Result<std::vector<PermissionGrant>> LoadPermissions(const TenantId& tenant,
                                                               std::string_view principal_id) = 0;

  // A counter of `tenant` that grows, in the same transaction, with every change to who may do
  // what in it: its roles, role assignments, direct grants and asset tags; the update,
  // deactivation or deletion of its users and service users and the revocation of their tokens;
  // the update or deletion of its catalogs and warehouses (and the deletion of a principal
  // holding grants in it). Whatever was read at one version (compiled permissions, a token's
  // principal, a catalog) is current while the version stays the same. Root principals, who
  // have no tenant, count under AccessScope(std::nullopt). 0 for a tenant that never changed.
  // One indexed read.
  virtual Result<int64_t> AccessVersion(const TenantId& tenant) = 0;
};

}  // namespace pangolin::store
