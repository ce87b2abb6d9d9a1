// Role, role-assignment and direct-grant rows of the PostgreSQL store, and the tenants' access
// versions. Permissions, scopes and actions are kept in serde/access.h's stored form; uniqueness
// is checked before writing, for clear messages, and the indexes stay the last word. Every change
// bumps its tenant's version last (an upsert), once the change itself has succeeded.
#include "serde/access.h"
#include "store/postgres/postgres_identity_internal.h"
#include "store/sql/sql_rows.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr auto& ReadRole = sql::ReadRole<Row>;
constexpr auto& ReadGrant = sql::ReadGrant<Row>;
using sql::Decode;
using sql::kGrantColumns;
using sql::kRoleColumns;

using keyset::TextKey;
using keyset::TimeKey;

// The scope's catalog (grants.catalog_id), NULL for scopes that name none.
std::optional<std::string> ScopeCatalog(const catalog::PermissionScope& scope) {
  using Type = catalog::PermissionScope::Type;
  if (scope.type == Type::kTenant || scope.type == Type::kTag) return std::nullopt;
  return scope.catalog_id;
}

Status CheckRoleNameFree(Connection& conn, const Role& role) {
  ASSIGN_OR_RETURN(
      bool taken,
      HasRow(conn, "SELECT 1 FROM roles WHERE tenant_id = $1 AND name = $2 AND id <> $3",
             role.tenant_id.value, role.name, role.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Role already exists: {}", role.name);
  return Ok();
}

// Runs a one-row DELETE; kNotFound with `missing` when it deleted nothing, else bumps `tenant`.
template <typename... Args>
Status DeleteAndBump(Connection& conn, const TenantId& tenant, const std::string& missing,
                     const std::string& sql, const Args&... args) {
  ASSIGN_OR_RETURN(int64_t deleted, Change(conn, sql, args...));
  if (deleted == 0) return MakeError(ErrorCode::kNotFound, missing);
  return BumpAccessVersion(conn, tenant);
}

}  // namespace

Status BumpAccessVersion(Connection& conn, const TenantId& tenant) {
  return Change(conn,
                "INSERT INTO access_versions AS v (tenant_id, version) VALUES ($1, 1) "
                "ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1",
                tenant.value)
      .map([](int64_t) {});
}

Status InsertRole(Connection& conn, const Role& role) {
  ASSIGN_OR_RETURN(bool id_taken, HasRow(conn, "SELECT 1 FROM roles WHERE id = $1", role.id));
  if (id_taken) return Err(ErrorCode::kAlreadyExists, "Role id already exists: {}", role.id);
  RETURN_IF_ERROR(CheckRoleNameFree(conn, role));
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO roles (id, tenant_id, name, description, permissions, "
                         "created_by, created_ms, updated_ms) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         role.id, role.tenant_id.value, role.name, role.description,
                         serde::PermissionGrantsRecordJson(role.permissions), role.created_by,
                         role.created_ms, role.updated_ms));
  return BumpAccessVersion(conn, role.tenant_id);
}

Result<Role> SelectRole(Connection& conn, const TenantId& tenant, std::string_view id) {
  return SelectOne<Role>(conn, std::string(kRoleColumns) + "WHERE id = $1 AND tenant_id = $2",
                         &ReadRole, fmt::format("Role not found: {}", id), id, tenant.value);
}

Result<Page<Role>> SelectRoles(Connection& conn, const TenantId& tenant, const PageRequest& page) {
  return ListByTextKey<Role>(conn, kRoleColumns, "tenant_id = $1 AND ", tenant.value, "name", "id",
                             page, &ReadRole, [](const Role& r) {
                               return TextKey{r.name, r.id};
                             });
}

Status ReplaceRole(Connection& conn, const Role& role) {
  RETURN_IF_ERROR(SelectRole(conn, role.tenant_id, role.id));
  RETURN_IF_ERROR(CheckRoleNameFree(conn, role));
  RETURN_IF_ERROR(Change(conn,
                         "UPDATE roles SET name = $2, description = $3, permissions = $4, "
                         "updated_ms = $5 WHERE id = $1",
                         role.id, role.name, role.description,
                         serde::PermissionGrantsRecordJson(role.permissions), role.updated_ms));
  return BumpAccessVersion(conn, role.tenant_id);
}

Status RemoveRole(Connection& conn, const TenantId& tenant, std::string_view id) {
  return DeleteAndBump(conn, tenant, fmt::format("Role not found: {}", id),
                       "DELETE FROM roles WHERE id = $1 AND tenant_id = $2", id, tenant.value);
}

Status InsertRoleAssignment(Connection& conn, const TenantId& tenant,
                            const RoleAssignment& assignment) {
  ASSIGN_OR_RETURN(bool role_exists,
                   HasRow(conn, "SELECT 1 FROM roles WHERE id = $1 AND tenant_id = $2",
                          assignment.role_id, tenant.value));
  if (!role_exists) return Err(ErrorCode::kNotFound, "Role not found: {}", assignment.role_id);
  ASSIGN_OR_RETURN(
      bool assigned,
      HasRow(conn, "SELECT 1 FROM role_assignments WHERE principal_id = $1 AND role_id = $2",
             assignment.principal_id, assignment.role_id));
  if (assigned) {
    return Err(ErrorCode::kAlreadyExists, "Role {} is already assigned to {}", assignment.role_id,
               assignment.principal_id);
  }
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO role_assignments (tenant_id, principal_id, role_id, "
                         "assigned_by, assigned_ms) VALUES ($1, $2, $3, $4, $5)",
                         tenant.value, assignment.principal_id, assignment.role_id,
                         assignment.assigned_by, assignment.assigned_ms));
  return BumpAccessVersion(conn, tenant);
}

Status RemoveRoleAssignment(Connection& conn, const TenantId& tenant, std::string_view principal_id,
                            std::string_view role_id) {
  return DeleteAndBump(conn, tenant,
                       fmt::format("Role {} is not assigned to {}", role_id, principal_id),
                       "DELETE FROM role_assignments WHERE principal_id = $1 AND role_id = $2 "
                       "AND tenant_id = $3",
                       principal_id, role_id, tenant.value);
}

Result<std::vector<Role>> SelectPrincipalRoles(Connection& conn, const TenantId& tenant,
                                               std::string_view principal_id) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query("SELECT r.id, r.tenant_id, r.name, r.description, r.permissions, "
                              "r.created_by, r.created_ms, r.updated_ms "
                              "FROM role_assignments a JOIN roles r ON r.id = a.role_id "
                              "WHERE a.principal_id = $1 AND a.tenant_id = $2 "
                              "AND r.tenant_id = $2 ORDER BY r.name, r.id",
                              principal_id, tenant.value));
  return ReadAll<Role>(rows, &ReadRole);
}

Status InsertGrant(Connection& conn, const DirectGrant& grant) {
  ASSIGN_OR_RETURN(bool taken, HasRow(conn, "SELECT 1 FROM grants WHERE id = $1", grant.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Permission already exists: {}", grant.id);
  const catalog::PermissionScope& scope = grant.grant.scope;
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO grants (id, tenant_id, principal_id, scope_type, catalog_id, "
                         "scope, actions, granted_by, granted_ms) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                         grant.id, grant.tenant_id.value, grant.principal_id,
                         std::string(catalog::ToString(scope.type)), ScopeCatalog(scope),
                         serde::PermissionScopeRecordJson(scope),
                         serde::ActionsRecordJson(grant.grant.actions), grant.granted_by,
                         grant.granted_ms));
  return BumpAccessVersion(conn, grant.tenant_id);
}

Result<DirectGrant> SelectGrant(Connection& conn, const TenantId& tenant, std::string_view id) {
  return SelectOne<DirectGrant>(
      conn, std::string(kGrantColumns) + "WHERE id = $1 AND tenant_id = $2", &ReadGrant,
      fmt::format("Permission not found: {}", id), id, tenant.value);
}

Result<Page<DirectGrant>> SelectGrants(Connection& conn, const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  // grants_by_principal or grants_by_tenant, both in (granted_ms, id) order.
  std::string sql = fmt::format("{}WHERE tenant_id = $1 {}{}ORDER BY granted_ms, id LIMIT $5",
                                kGrantColumns, principal_id ? "AND principal_id = $2 " : "",
                                after ? "AND (granted_ms, id) > ($3, $4) " : "");
  TimeKey start = after.value_or(TimeKey{});
  ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, tenant.value, principal_id, start.time_ms, start.id,
                                         PageLimit(page.limit)));
  return CutPage<DirectGrant>(rows, page.limit, &ReadGrant, [](const DirectGrant& grant) {
    return keyset::EncodeToken(TimeKey{grant.granted_ms, grant.id});
  });
}

Status RemoveGrant(Connection& conn, const TenantId& tenant, std::string_view id) {
  return DeleteAndBump(conn, tenant, fmt::format("Permission not found: {}", id),
                       "DELETE FROM grants WHERE id = $1 AND tenant_id = $2", id, tenant.value);
}

Result<std::vector<PermissionGrant>> SelectPermissions(Connection& conn, const TenantId& tenant,
                                                       std::string_view principal_id) {
  std::vector<PermissionGrant> permissions;
  ASSIGN_OR_RETURN(Rows direct,
                   conn.Query("SELECT scope, actions, id FROM grants WHERE principal_id = $1 "
                              "AND tenant_id = $2 ORDER BY granted_ms, id",
                              principal_id, tenant.value));
  for (int i = 0; i < direct.size(); ++i) {
    Row row = direct[i];
    PermissionGrant grant;
    ASSIGN_OR_RETURN(grant.scope,
                     Decode(serde::ParsePermissionScopeRecord(row.Text(0)), "grant", row.Text(2)));
    ASSIGN_OR_RETURN(grant.actions,
                     Decode(serde::ParseActionsRecord(row.Text(1)), "grant", row.Text(2)));
    permissions.push_back(std::move(grant));
  }
  ASSIGN_OR_RETURN(Rows roles,
                   conn.Query("SELECT r.permissions, r.id FROM role_assignments a "
                              "JOIN roles r ON r.id = a.role_id WHERE a.principal_id = $1 "
                              "AND a.tenant_id = $2 AND r.tenant_id = $2",
                              principal_id, tenant.value));
  for (int i = 0; i < roles.size(); ++i) {
    ASSIGN_OR_RETURN(auto granted, Decode(serde::ParsePermissionGrantsRecord(roles[i].Text(0)),
                                          "role", roles[i].Text(1)));
    permissions.insert(permissions.end(), granted.begin(), granted.end());
  }
  return permissions;
}

Result<int64_t> SelectAccessVersion(Connection& conn, const TenantId& tenant) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT version FROM access_versions WHERE tenant_id = $1",
                                         tenant.value));
  return rows.empty() ? int64_t{0} : rows[0].Int(0);
}

// Bumps first, while the rows still tell which tenants the principal held anything in: once each,
// in tenant order (so that concurrent bumps lock the version rows in the same order).
Status RemoveAccessOf(Connection& conn, std::string_view principal_id) {
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO access_versions AS v (tenant_id, version) "
                         "SELECT tenant_id, 1 FROM (SELECT tenant_id FROM grants "
                         "WHERE principal_id = $1 UNION SELECT tenant_id FROM role_assignments "
                         "WHERE principal_id = $1) t ORDER BY tenant_id "
                         "ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1",
                         principal_id));
  RETURN_IF_ERROR(Change(conn, "DELETE FROM grants WHERE principal_id = $1", principal_id));
  return Change(conn, "DELETE FROM role_assignments WHERE principal_id = $1", principal_id)
      .map([](int64_t) {});
}

}  // namespace pangolin::store::postgres_internal
