// Permission JSON: the management API's wire shapes for scopes, roles, direct grants
// ("Permission"), role assignments and their requests (reference §2.0, §2.8, §2.9), and the
// stored form a store keeps in its columns. Timestamps are RFC 3339 strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/access.h"
#include "common/result.h"

namespace pangolin::serde {

// --- Wire format ---
// PermissionScope: `{"type":"tenant"}`, `{"type":"catalog","catalog_id"}`,
// `{"type":"namespace","catalog_id","namespace":"a.b"}`,
// `{"type":"asset","catalog_id","namespace":"a.b","asset_id"}`, `{"type":"tag","tag_name"}`:
// the type in kebab-case, the members in snake_case, namespace levels joined by ".".
std::string PermissionScopeJson(const catalog::PermissionScope& scope);
// Errors: kBadRequest (not an object, unknown type, a missing or empty member, an empty
// namespace level); kUnprocessable (a member the scope's type does not have).
Result<catalog::PermissionScope> ParsePermissionScope(std::string_view json);

// Role (kebab-case): {id, name, description, tenant-id, permissions: [{scope, actions}],
// created-by, created-at, updated-at}.
std::string RoleJson(const catalog::Role& role);
std::string RoleListJson(const std::vector<catalog::Role>& roles);
// Permission, a direct grant (kebab-case): {id, user-id, tenant-id, scope, actions, granted-by,
// granted-at}.
std::string PermissionJson(const catalog::DirectGrant& grant);
std::string PermissionListJson(const std::vector<catalog::DirectGrant>& grants);
// UserRole assignment (kebab-case): {user-id, role-id, assigned-by, assigned-at}.
std::string RoleAssignmentJson(const catalog::RoleAssignment& assignment);

// Request bodies are strict: a member not listed is kUnprocessable; a missing or ill-typed one,
// an empty name or id, an unknown action or an empty actions list is kBadRequest.

// Create role: {name, description?, tenant-id?}.
struct RoleCreateBody {
  std::string name;
  std::optional<std::string> description;
  std::optional<TenantId> tenant;  // a UUID, lowercased
};
Result<RoleCreateBody> ParseRoleCreateRequest(std::string_view json);

// Update role: the full Role object {id?, name, description?, tenant-id?, permissions,
// created-by?, created-at?, updated-at?}. Only name, description and permissions are used;
// `id`, when present, is returned so that the caller can check it matches the path.
struct RoleUpdateBody {
  std::optional<std::string> id;
  std::string name;
  std::optional<std::string> description;
  std::vector<catalog::PermissionGrant> permissions;
};
Result<RoleUpdateBody> ParseRoleUpdateRequest(std::string_view json);

// Assign role: {role-id}; returns the role id.
Result<std::string> ParseAssignRoleRequest(std::string_view json);

// Grant permission: {user-id, scope, actions}.
struct GrantBody {
  std::string principal_id;
  catalog::PermissionGrant grant;
};
Result<GrantBody> ParseGrantRequest(std::string_view json);

// --- Stored form (not the wire format) ---
// Lossless: parsing what these wrote gives back an equal value, whatever the scope holds (a
// scope's namespace is an array of levels, so a level may contain "."; actions may be empty).
// Errors: kBadRequest naming what is malformed.
std::string PermissionScopeRecordJson(const catalog::PermissionScope& scope);
Result<catalog::PermissionScope> ParsePermissionScopeRecord(std::string_view json);
std::string ActionsRecordJson(const std::vector<catalog::Action>& actions);
Result<std::vector<catalog::Action>> ParseActionsRecord(std::string_view json);
std::string PermissionGrantsRecordJson(const std::vector<catalog::PermissionGrant>& grants);
Result<std::vector<catalog::PermissionGrant>> ParsePermissionGrantsRecord(std::string_view json);

}  // namespace pangolin::serde
