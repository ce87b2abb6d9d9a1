// Tenant, user and service-user rows of the SQLite store (schema v6). Uniqueness is checked
// before writing, for clear messages; the unique indexes stay the last word. Deleting a principal
// deletes its tokens and access rows in the same transaction.
#include "common/strings.h"
#include "serde/properties.h"
#include "store/access_store.h"
#include "store/sql/sql_rows.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr auto& ReadTenant = sql::ReadTenant<Statement>;
constexpr auto& ReadUser = sql::ReadUser<Statement>;
constexpr auto& ReadServiceUser = sql::ReadServiceUser<Statement>;
using sql::kServiceUserColumns;
using sql::kTenantColumns;
using sql::kUserColumns;
using sql::OptTenant;
using sql::TenantKey;

using keyset::TextKey;

Status CheckTenantExists(Connection& conn, const TenantId& id) {
  ASSIGN_OR_RETURN(bool exists, HasRow(conn, "SELECT 1 FROM tenants WHERE id = ?1", id.value));
  if (!exists) return Err(ErrorCode::kNotFound, "Tenant not found: {}", id.value);
  return Ok();
}

// kAlreadyExists when another user (not `user.id`) holds the username or the OIDC account.
Status CheckUserUnique(Connection& conn, const User& user) {
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn,
                          "SELECT 1 FROM users WHERE tenant_key = ?1 AND username = ?2 "
                          "AND id <> ?3",
                          TenantKey(user.tenant_id), user.username, user.id));
  if (name_taken) return Err(ErrorCode::kAlreadyExists, "User already exists: {}", user.username);
  if (!user.oauth_issuer || !user.oauth_subject) return Ok();
  ASSIGN_OR_RETURN(bool linked,
                   HasRow(conn,
                          "SELECT 1 FROM users WHERE oauth_issuer = ?1 AND oauth_subject = ?2 "
                          "AND id <> ?3",
                          *user.oauth_issuer, *user.oauth_subject, user.id));
  if (linked) {
    return Err(ErrorCode::kAlreadyExists, "OIDC account already linked: {}", *user.oauth_subject);
  }
  return Ok();
}

Status CheckServiceUserUnique(Connection& conn, const ServiceUser& user) {
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn,
                          "SELECT 1 FROM service_users WHERE tenant_id = ?1 AND name = ?2 "
                          "AND id <> ?3",
                          user.tenant_id.value, user.name, user.id));
  if (name_taken) {
    return Err(ErrorCode::kAlreadyExists, "Service user already exists: {}", user.name);
  }
  ASSIGN_OR_RETURN(bool key_taken,
                   HasRow(conn, "SELECT 1 FROM service_users WHERE key_id = ?1 AND id <> ?2",
                          user.key_id, user.id));
  if (key_taken)
    return Err(ErrorCode::kAlreadyExists, "API key id already in use: {}", user.key_id);
  return Ok();
}

}  // namespace

Status InsertTenant(Connection& conn, const Tenant& tenant) {
  ASSIGN_OR_RETURN(bool id_taken,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE id = ?1", tenant.id.value));
  if (id_taken) {
    return Err(ErrorCode::kAlreadyExists, "Tenant id already exists: {}", tenant.id.value);
  }
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE name = ?1", tenant.name));
  if (name_taken) return Err(ErrorCode::kAlreadyExists, "Tenant already exists: {}", tenant.name);
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("INSERT INTO tenants (id, name, properties, "
                                                "created_ms) VALUES (?1, ?2, ?3, ?4)"));
  return stmt
      .BindAll(tenant.id.value, tenant.name, serde::PropertiesToJson(tenant.properties),
               tenant.created_ms)
      .Run();
}

Result<Tenant> SelectTenant(Connection& conn, const TenantId& id) {
  return SelectOne<Tenant>(conn, kTenantColumns, "WHERE id = ?1", &ReadTenant,
                           "Tenant not found: " + id.value, id.value);
}

Result<Page<Tenant>> SelectTenants(Connection& conn, const PageRequest& page) {
  return ListByTextKey<Tenant>(conn, kTenantColumns, "", std::nullopt, "name", "id", page,
                               &ReadTenant, [](const Tenant& t) {
                                 return TextKey{t.name, t.id.value};
                               });
}

Status ReplaceTenant(Connection& conn, const Tenant& tenant) {
  RETURN_IF_ERROR(CheckTenantExists(conn, tenant.id));
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE name = ?1 AND id <> ?2", tenant.name,
                          tenant.id.value));
  if (name_taken) return Err(ErrorCode::kAlreadyExists, "Tenant already exists: {}", tenant.name);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE tenants SET name = ?2, properties = ?3 WHERE id = ?1"));
  return stmt.BindAll(tenant.id.value, tenant.name, serde::PropertiesToJson(tenant.properties))
      .Run();
}

Status RemoveTenant(Connection& conn, const TenantId& id) {
  if (id == kDefaultTenant) {
    return Err(ErrorCode::kInvalidArgument, "The default tenant cannot be deleted");
  }
  ASSIGN_OR_RETURN(Tenant tenant, SelectTenant(conn, id));
  ASSIGN_OR_RETURN(Statement held,
                   conn.Prepare("SELECT EXISTS (SELECT 1 FROM warehouses WHERE tenant_id = ?1), "
                                "EXISTS (SELECT 1 FROM catalogs WHERE tenant_id = ?1), "
                                "EXISTS (SELECT 1 FROM users WHERE tenant_id = ?1), "
                                "EXISTS (SELECT 1 FROM service_users WHERE tenant_id = ?1)"));
  RETURN_IF_ERROR(held.BindAll(id.value).Step());
  constexpr const char* kKinds[] = {"warehouses", "catalogs", "users", "service users"};
  std::vector<std::string> remaining;
  for (int i = 0; i < 4; ++i) {
    if (held.Int(i) != 0) remaining.emplace_back(kKinds[i]);
  }
  if (!remaining.empty()) {
    return Err(ErrorCode::kConflict, "Tenant {} still has {}", tenant.name, Join(remaining, ", "));
  }
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM tenants WHERE id = ?1"));
  return stmt.BindAll(id.value).Run();
}

Status InsertUser(Connection& conn, const User& user) {
  if (user.tenant_id) RETURN_IF_ERROR(CheckTenantExists(conn, *user.tenant_id));
  ASSIGN_OR_RETURN(bool id_taken, HasRow(conn, "SELECT 1 FROM users WHERE id = ?1", user.id));
  if (id_taken) return Err(ErrorCode::kAlreadyExists, "User id already exists: {}", user.id);
  RETURN_IF_ERROR(CheckUserUnique(conn, user));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO users (id, tenant_id, username, email, "
                                "password_hash, oauth_issuer, oauth_subject, role, created_ms, "
                                "updated_ms, last_login_ms, active) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  stmt.BindAll(user.id, OptTenant(user.tenant_id), user.username, user.email, user.password_hash,
               user.oauth_issuer, user.oauth_subject, static_cast<int64_t>(user.role),
               user.created_ms, user.updated_ms);
  BindOptInt(stmt, 11, user.last_login_ms);
  return stmt.Bind(12, int64_t{user.active}).Run();
}

Result<User> SelectUser(Connection& conn, const std::optional<TenantId>& tenant,
                        std::string_view id) {
  return SelectOne<User>(conn, kUserColumns, "WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2)",
                         &ReadUser, fmt::format("User not found: {}", id), id, OptTenant(tenant));
}

Result<User> SelectUserByName(Connection& conn, const std::optional<TenantId>& tenant,
                              std::string_view username) {
  return SelectOne<User>(conn, kUserColumns, "WHERE tenant_key = ?1 AND username = ?2", &ReadUser,
                         fmt::format("User not found: {}", username), TenantKey(tenant), username);
}

Result<User> SelectUserByOidc(Connection& conn, std::string_view issuer, std::string_view subject) {
  return SelectOne<User>(
      conn, kUserColumns, "WHERE oauth_issuer = ?1 AND oauth_subject = ?2", &ReadUser,
      fmt::format("No user linked to OIDC account {} of {}", subject, issuer), issuer, subject);
}

Result<Page<User>> SelectUsers(Connection& conn, const std::optional<TenantId>& tenant,
                               const PageRequest& page) {
  return ListByTextKey<User>(conn, kUserColumns, tenant ? "tenant_key = ?1 AND " : "",
                             OptTenant(tenant), "username", "id", page, &ReadUser,
                             [](const User& u) {
                               return TextKey{u.username, u.id};
                             });
}

Status ReplaceUser(Connection& conn, const User& user) {
  auto before = SelectUser(conn, std::nullopt, user.id);
  if (!before || before->tenant_id != user.tenant_id) {
    if (before || before.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "User not found: {}", user.id);
    }
    return tl::unexpected(before.error());
  }
  RETURN_IF_ERROR(CheckUserUnique(conn, user));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE users SET username = ?2, email = ?3, password_hash = ?4, "
                                "oauth_issuer = ?5, oauth_subject = ?6, role = ?7, "
                                "updated_ms = ?8, last_login_ms = ?9, active = ?10 WHERE id = ?1"));
  stmt.BindAll(user.id, user.username, user.email, user.password_hash, user.oauth_issuer,
               user.oauth_subject, static_cast<int64_t>(user.role), user.updated_ms);
  BindOptInt(stmt, 9, user.last_login_ms);
  RETURN_IF_ERROR(stmt.Bind(10, int64_t{user.active}).Run());
  if (!ChangesPrincipal(*before, user)) return Ok();
  return BumpAccessVersion(conn, AccessScope(user.tenant_id));
}

Status RemoveUser(Connection& conn, const std::optional<TenantId>& tenant, std::string_view id) {
  ASSIGN_OR_RETURN(User user, SelectUser(conn, tenant, id));
  RETURN_IF_ERROR(RemoveTokensOf(conn, id));
  RETURN_IF_ERROR(RemoveAccessOf(conn, id));
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM users WHERE id = ?1"));
  RETURN_IF_ERROR(stmt.BindAll(id).Run());
  return BumpAccessVersion(conn, AccessScope(user.tenant_id));
}

Status InsertServiceUser(Connection& conn, const ServiceUser& user) {
  RETURN_IF_ERROR(CheckTenantExists(conn, user.tenant_id));
  ASSIGN_OR_RETURN(bool id_taken,
                   HasRow(conn, "SELECT 1 FROM service_users WHERE id = ?1", user.id));
  if (id_taken)
    return Err(ErrorCode::kAlreadyExists, "Service user id already exists: {}", user.id);
  RETURN_IF_ERROR(CheckServiceUserUnique(conn, user));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO service_users (id, tenant_id, name, description, "
                                "role, key_id, key_hash, created_ms, created_by, last_used_ms, "
                                "expires_ms, active) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  stmt.BindAll(user.id, user.tenant_id.value, user.name, user.description,
               static_cast<int64_t>(user.role), user.key_id, user.key_hash, user.created_ms,
               user.created_by);
  BindOptInt(stmt, 10, user.last_used_ms);
  BindOptInt(stmt, 11, user.expires_ms);
  return stmt.Bind(12, int64_t{user.active}).Run();
}

Result<ServiceUser> SelectServiceUser(Connection& conn, const TenantId& tenant,
                                      std::string_view id) {
  return SelectOne<ServiceUser>(conn, kServiceUserColumns, "WHERE id = ?1 AND tenant_id = ?2",
                                &ReadServiceUser, fmt::format("Service user not found: {}", id), id,
                                tenant.value);
}

Result<ServiceUser> SelectServiceUserByKeyId(Connection& conn, std::string_view key_id) {
  return SelectOne<ServiceUser>(conn, kServiceUserColumns, "WHERE key_id = ?1", &ReadServiceUser,
                                fmt::format("No service user has key {}", key_id), key_id);
}

Result<Page<ServiceUser>> SelectServiceUsers(Connection& conn, const TenantId& tenant,
                                             const PageRequest& page) {
  return ListByTextKey<ServiceUser>(conn, kServiceUserColumns, "tenant_id = ?1 AND ", tenant.value,
                                    "name", "id", page, &ReadServiceUser, [](const ServiceUser& u) {
                                      return TextKey{u.name, u.id};
                                    });
}

Status ReplaceServiceUser(Connection& conn, const ServiceUser& user) {
  RETURN_IF_ERROR(SelectServiceUser(conn, user.tenant_id, user.id));
  RETURN_IF_ERROR(CheckServiceUserUnique(conn, user));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE service_users SET name = ?2, description = ?3, "
                                "role = ?4, key_id = ?5, key_hash = ?6, last_used_ms = ?7, "
                                "expires_ms = ?8, active = ?9 WHERE id = ?1"));
  stmt.BindAll(user.id, user.name, user.description, static_cast<int64_t>(user.role), user.key_id,
               user.key_hash);
  BindOptInt(stmt, 7, user.last_used_ms);
  BindOptInt(stmt, 8, user.expires_ms);
  RETURN_IF_ERROR(stmt.Bind(9, int64_t{user.active}).Run());
  return BumpAccessVersion(conn, user.tenant_id);
}

Status TouchServiceUserRow(Connection& conn, std::string_view id, int64_t used_ms) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE service_users SET last_used_ms = ?2 WHERE id = ?1"));
  RETURN_IF_ERROR(stmt.BindAll(id, used_ms).Run());
  if (conn.Changes() == 0) return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  return Ok();
}

Status RemoveServiceUser(Connection& conn, const TenantId& tenant, std::string_view id) {
  RETURN_IF_ERROR(SelectServiceUser(conn, tenant, id));
  RETURN_IF_ERROR(RemoveTokensOf(conn, id));
  RETURN_IF_ERROR(RemoveAccessOf(conn, id));
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM service_users WHERE id = ?1"));
  RETURN_IF_ERROR(stmt.BindAll(id).Run());
  return BumpAccessVersion(conn, tenant);
}

}  // namespace pangolin::store::sqlite_internal
