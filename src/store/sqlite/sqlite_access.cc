// Role, role-assignment and direct-grant rows of the SQLite store (schema v7), and the tenants'
// access versions (v9). Permissions, scopes and actions are kept in serde/access.h's stored form;
// uniqueness is checked before writing, for clear messages, and the unique indexes stay the last
// word. Every change bumps its tenant's version last, once the change itself has succeeded.
#include "serde/access.h"
#include "store/sql/sql_rows.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr auto& ReadRole = sql::ReadRole<Statement>;
constexpr auto& ReadGrant = sql::ReadGrant<Statement>;
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
      HasRow(conn, "SELECT 1 FROM roles WHERE tenant_id = ?1 AND name = ?2 AND id <> ?3",
             role.tenant_id.value, role.name, role.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Role already exists: {}", role.name);
  return Ok();
}

// Steps every row of `stmt` (already bound) through `read`.
template <typename T>
Result<std::vector<T>> StepAll(Statement& stmt, Result<T> (*read)(const Statement&)) {
  std::vector<T> items;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return items;
    ASSIGN_OR_RETURN(T item, read(stmt));
    items.push_back(std::move(item));
  }
}

}  // namespace

Status BumpAccessVersion(Connection& conn, const TenantId& tenant) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO access_versions (tenant_id, version) VALUES (?1, 1) "
                                "ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1"));
  return stmt.BindAll(tenant.value).Run();
}

const char kDirectGrantsSql[] =
    "SELECT scope, actions, id FROM grants WHERE principal_id = ?1 AND tenant_id = ?2 "
    "ORDER BY granted_ms, id";
// CROSS JOIN keeps the principal's assignments as the outer loop: without it the planner may walk
// every role of the tenant to avoid a sort. The order of the permissions does not matter.
const char kRoleGrantsSql[] =
    "SELECT r.permissions, r.id FROM role_assignments a CROSS JOIN roles r ON r.id = a.role_id "
    "WHERE a.principal_id = ?1 AND a.tenant_id = ?2 AND r.tenant_id = ?2";

Status InsertRole(Connection& conn, const Role& role) {
  ASSIGN_OR_RETURN(bool id_taken, HasRow(conn, "SELECT 1 FROM roles WHERE id = ?1", role.id));
  if (id_taken) return Err(ErrorCode::kAlreadyExists, "Role id already exists: {}", role.id);
  RETURN_IF_ERROR(CheckRoleNameFree(conn, role));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO roles (id, tenant_id, name, description, permissions, "
                                "created_by, created_ms, updated_ms) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  RETURN_IF_ERROR(stmt.BindAll(role.id, role.tenant_id.value, role.name, role.description,
                               serde::PermissionGrantsRecordJson(role.permissions), role.created_by,
                               role.created_ms, role.updated_ms)
                      .Run());
  return BumpAccessVersion(conn, role.tenant_id);
}

Result<Role> SelectRole(Connection& conn, const TenantId& tenant, std::string_view id) {
  return SelectOne<Role>(conn, kRoleColumns, "WHERE id = ?1 AND tenant_id = ?2", &ReadRole,
                         fmt::format("Role not found: {}", id), id, tenant.value);
}

Result<Page<Role>> SelectRoles(Connection& conn, const TenantId& tenant, const PageRequest& page) {
  return ListByTextKey<Role>(conn, kRoleColumns, "tenant_id = ?1 AND ", tenant.value, "name", "id",
                             page, &ReadRole, [](const Role& r) {
                               return TextKey{r.name, r.id};
                             });
}

Status ReplaceRole(Connection& conn, const Role& role) {
  RETURN_IF_ERROR(SelectRole(conn, role.tenant_id, role.id));
  RETURN_IF_ERROR(CheckRoleNameFree(conn, role));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE roles SET name = ?2, description = ?3, permissions = ?4, "
                                "updated_ms = ?5 WHERE id = ?1"));
  RETURN_IF_ERROR(stmt.BindAll(role.id, role.name, role.description,
                               serde::PermissionGrantsRecordJson(role.permissions), role.updated_ms)
                      .Run());
  return BumpAccessVersion(conn, role.tenant_id);
}

Status RemoveRole(Connection& conn, const TenantId& tenant, std::string_view id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("DELETE FROM roles WHERE id = ?1 AND tenant_id = ?2"));
  RETURN_IF_ERROR(stmt.BindAll(id, tenant.value).Run());
  if (conn.Changes() == 0) return Err(ErrorCode::kNotFound, "Role not found: {}", id);
  return BumpAccessVersion(conn, tenant);
}

Status InsertRoleAssignment(Connection& conn, const TenantId& tenant,
                            const RoleAssignment& assignment) {
  ASSIGN_OR_RETURN(bool role_exists,
                   HasRow(conn, "SELECT 1 FROM roles WHERE id = ?1 AND tenant_id = ?2",
                          assignment.role_id, tenant.value));
  if (!role_exists) return Err(ErrorCode::kNotFound, "Role not found: {}", assignment.role_id);
  ASSIGN_OR_RETURN(bool assigned, HasRow(conn,
                                         "SELECT 1 FROM role_assignments "
                                         "WHERE principal_id = ?1 AND role_id = ?2",
                                         assignment.principal_id, assignment.role_id));
  if (assigned) {
    return Err(ErrorCode::kAlreadyExists, "Role {} is already assigned to {}", assignment.role_id,
               assignment.principal_id);
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO role_assignments (tenant_id, principal_id, role_id, "
                                "assigned_by, assigned_ms) VALUES (?1, ?2, ?3, ?4, ?5)"));
  RETURN_IF_ERROR(stmt.BindAll(tenant.value, assignment.principal_id, assignment.role_id,
                               assignment.assigned_by, assignment.assigned_ms)
                      .Run());
  return BumpAccessVersion(conn, tenant);
}

Status RemoveRoleAssignment(Connection& conn, const TenantId& tenant, std::string_view principal_id,
                            std::string_view role_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM role_assignments WHERE "
                                                "principal_id = ?1 AND role_id = ?2 "
                                                "AND tenant_id = ?3"));
  RETURN_IF_ERROR(stmt.BindAll(principal_id, role_id, tenant.value).Run());
  if (conn.Changes() == 0) {
    return Err(ErrorCode::kNotFound, "Role {} is not assigned to {}", role_id, principal_id);
  }
  return BumpAccessVersion(conn, tenant);
}

Result<std::vector<Role>> SelectPrincipalRoles(Connection& conn, const TenantId& tenant,
                                               std::string_view principal_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT r.id, r.tenant_id, r.name, r.description, r.permissions, "
                                "r.created_by, r.created_ms, r.updated_ms "
                                "FROM role_assignments a CROSS JOIN roles r ON r.id = a.role_id "
                                "WHERE a.principal_id = ?1 AND a.tenant_id = ?2 "
                                "AND r.tenant_id = ?2 ORDER BY r.name, r.id"));
  stmt.BindAll(principal_id, tenant.value);
  return StepAll<Role>(stmt, &ReadRole);
}

Status InsertGrant(Connection& conn, const DirectGrant& grant) {
  ASSIGN_OR_RETURN(bool taken, HasRow(conn, "SELECT 1 FROM grants WHERE id = ?1", grant.id));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Permission already exists: {}", grant.id);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO grants (id, tenant_id, principal_id, scope_type, "
                                "catalog_id, scope, actions, granted_by, granted_ms) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  const catalog::PermissionScope& scope = grant.grant.scope;
  RETURN_IF_ERROR(stmt.BindAll(grant.id, grant.tenant_id.value, grant.principal_id,
                               catalog::ToString(scope.type), ScopeCatalog(scope),
                               serde::PermissionScopeRecordJson(scope),
                               serde::ActionsRecordJson(grant.grant.actions), grant.granted_by,
                               grant.granted_ms)
                      .Run());
  return BumpAccessVersion(conn, grant.tenant_id);
}

Result<DirectGrant> SelectGrant(Connection& conn, const TenantId& tenant, std::string_view id) {
  return SelectOne<DirectGrant>(conn, kGrantColumns, "WHERE id = ?1 AND tenant_id = ?2", &ReadGrant,
                                fmt::format("Permission not found: {}", id), id, tenant.value);
}

Result<Page<DirectGrant>> SelectGrants(Connection& conn, const TenantId& tenant,
                                       const std::optional<std::string>& principal_id,
                                       const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  // grants_by_principal or grants_by_tenant, both in (granted_ms, id) order.
  std::string sql = fmt::format("{}WHERE tenant_id = ?1 {}{}ORDER BY granted_ms, id LIMIT ?5",
                                kGrantColumns, principal_id ? "AND principal_id = ?2 " : "",
                                after ? "AND (granted_ms, id) > (?3, ?4) " : "");
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.Bind(1, tenant.value);
  if (principal_id) stmt.Bind(2, *principal_id);
  if (after) stmt.Bind(3, after->time_ms).Bind(4, after->id);
  stmt.Bind(5, SqlLimit(page.limit));
  return StepPage<DirectGrant>(stmt, page.limit, &ReadGrant, [](const DirectGrant& grant) {
    return TimeKey{grant.granted_ms, grant.id};
  });
}

Status RemoveGrant(Connection& conn, const TenantId& tenant, std::string_view id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("DELETE FROM grants WHERE id = ?1 AND tenant_id = ?2"));
  RETURN_IF_ERROR(stmt.BindAll(id, tenant.value).Run());
  if (conn.Changes() == 0) return Err(ErrorCode::kNotFound, "Permission not found: {}", id);
  return BumpAccessVersion(conn, tenant);
}

Result<std::vector<PermissionGrant>> SelectPermissions(Connection& conn, const TenantId& tenant,
                                                       std::string_view principal_id) {
  std::vector<PermissionGrant> permissions;
  ASSIGN_OR_RETURN(Statement direct, conn.Prepare(kDirectGrantsSql));
  direct.BindAll(principal_id, tenant.value);
  while (true) {
    ASSIGN_OR_RETURN(bool row, direct.Step());
    if (!row) break;
    PermissionGrant grant;
    ASSIGN_OR_RETURN(grant.scope, Decode(serde::ParsePermissionScopeRecord(direct.Text(0)), "grant",
                                         direct.Text(2)));
    ASSIGN_OR_RETURN(grant.actions,
                     Decode(serde::ParseActionsRecord(direct.Text(1)), "grant", direct.Text(2)));
    permissions.push_back(std::move(grant));
  }
  ASSIGN_OR_RETURN(Statement roles, conn.Prepare(kRoleGrantsSql));
  roles.BindAll(principal_id, tenant.value);
  while (true) {
    ASSIGN_OR_RETURN(bool row, roles.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(auto granted, Decode(serde::ParsePermissionGrantsRecord(roles.Text(0)), "role",
                                          roles.Text(1)));
    permissions.insert(permissions.end(), granted.begin(), granted.end());
  }
  return permissions;
}

Result<int64_t> SelectAccessVersion(Connection& conn, const TenantId& tenant) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT version FROM access_versions WHERE tenant_id = ?1"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(tenant.value).Step());
  return row ? stmt.Int(0) : int64_t{0};
}

// Bumps first, while the rows still tell which tenants the principal held anything in (once
// each: UNION drops repeats, and the last SELECT's WHERE keeps "ON CONFLICT" from parsing as a
// join constraint).
Status RemoveAccessOf(Connection& conn, std::string_view principal_id) {
  ASSIGN_OR_RETURN(Statement bump,
                   conn.Prepare("INSERT INTO access_versions (tenant_id, version) "
                                "SELECT tenant_id, 1 FROM grants WHERE principal_id = ?1 "
                                "UNION SELECT tenant_id, 1 FROM role_assignments "
                                "WHERE principal_id = ?1 "
                                "ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1"));
  RETURN_IF_ERROR(bump.BindAll(principal_id).Run());
  ASSIGN_OR_RETURN(Statement grants, conn.Prepare("DELETE FROM grants WHERE principal_id = ?1"));
  RETURN_IF_ERROR(grants.BindAll(principal_id).Run());
  ASSIGN_OR_RETURN(Statement roles,
                   conn.Prepare("DELETE FROM role_assignments WHERE principal_id = ?1"));
  return roles.BindAll(principal_id).Run();
}

}  // namespace pangolin::store::sqlite_internal
