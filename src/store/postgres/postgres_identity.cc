// Tenant, user and service-user rows of the PostgreSQL store. Uniqueness is checked before
// writing, for clear messages; the unique indexes stay the last word (a concurrent insert loses
// with kAlreadyExists). Deleting a principal deletes its tokens and access rows in the same
// transaction; deleting a tenant locks its row against concurrent creations in it.
#include "common/strings.h"
#include "serde/properties.h"
#include "store/access_store.h"
#include "store/postgres/postgres_identity_internal.h"
#include "store/sql/sql_rows.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr auto& ReadTenant = sql::ReadTenant<Row>;
constexpr auto& ReadUser = sql::ReadUser<Row>;
constexpr auto& ReadServiceUser = sql::ReadServiceUser<Row>;
using sql::kServiceUserColumns;
using sql::kTenantColumns;
using sql::kUserColumns;
using sql::OptTenant;
using sql::TenantKey;

using keyset::TextKey;

// Checks that the tenant exists and holds its row until the transaction ends (see RemoveTenant).
Status HoldExistingTenant(Connection& conn, const TenantId& id) {
  ASSIGN_OR_RETURN(bool exists,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE id = $1 FOR KEY SHARE", id.value));
  if (!exists) return Err(ErrorCode::kNotFound, "Tenant not found: {}", id.value);
  return Ok();
}

// kAlreadyExists when another user (not `user.id`) holds the username or the OIDC account.
Status CheckUserUnique(Connection& conn, const User& user) {
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn,
                          "SELECT 1 FROM users WHERE tenant_key = $1 AND username = $2 "
                          "AND id <> $3",
                          TenantKey(user.tenant_id), user.username, user.id));
  if (name_taken) return Err(ErrorCode::kAlreadyExists, "User already exists: {}", user.username);
  if (!user.oauth_issuer || !user.oauth_subject) return Ok();
  ASSIGN_OR_RETURN(bool linked,
                   HasRow(conn,
                          "SELECT 1 FROM users WHERE oauth_issuer = $1 AND oauth_subject = $2 "
                          "AND id <> $3",
                          *user.oauth_issuer, *user.oauth_subject, user.id));
  if (linked) {
    return Err(ErrorCode::kAlreadyExists, "OIDC account already linked: {}", *user.oauth_subject);
  }
  return Ok();
}

Status CheckServiceUserUnique(Connection& conn, const ServiceUser& user) {
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn,
                          "SELECT 1 FROM service_users WHERE tenant_id = $1 AND name = $2 "
                          "AND id <> $3",
                          user.tenant_id.value, user.name, user.id));
  if (name_taken) {
    return Err(ErrorCode::kAlreadyExists, "Service user already exists: {}", user.name);
  }
  ASSIGN_OR_RETURN(bool key_taken,
                   HasRow(conn, "SELECT 1 FROM service_users WHERE key_id = $1 AND id <> $2",
                          user.key_id, user.id));
  if (key_taken) {
    return Err(ErrorCode::kAlreadyExists, "API key id already in use: {}", user.key_id);
  }
  return Ok();
}

Status Done(const Result<int64_t>& changed) {
  return changed.map([](int64_t) {});
}

}  // namespace

Status InsertTenant(Connection& conn, const Tenant& tenant) {
  ASSIGN_OR_RETURN(bool id_taken,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE id = $1", tenant.id.value));
  if (id_taken) {
    return Err(ErrorCode::kAlreadyExists, "Tenant id already exists: {}", tenant.id.value);
  }
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE name = $1", tenant.name));
  if (name_taken) return Err(ErrorCode::kAlreadyExists, "Tenant already exists: {}", tenant.name);
  return Done(Change(conn,
                     "INSERT INTO tenants (id, name, properties, created_ms) "
                     "VALUES ($1, $2, $3, $4)",
                     tenant.id.value, tenant.name, serde::PropertiesToJson(tenant.properties),
                     tenant.created_ms));
}

Result<Tenant> SelectTenant(Connection& conn, const TenantId& id) {
  return SelectOne<Tenant>(conn, std::string(kTenantColumns) + "WHERE id = $1", &ReadTenant,
                           "Tenant not found: " + id.value, id.value);
}

Result<Page<Tenant>> SelectTenants(Connection& conn, const PageRequest& page) {
  return ListByTextKey<Tenant>(conn, kTenantColumns, "", std::nullopt, "name", "id", page,
                               &ReadTenant, [](const Tenant& t) {
                                 return TextKey{t.name, t.id.value};
                               });
}

Status ReplaceTenant(Connection& conn, const Tenant& tenant) {
  RETURN_IF_ERROR(SelectTenant(conn, tenant.id));
  ASSIGN_OR_RETURN(bool name_taken,
                   HasRow(conn, "SELECT 1 FROM tenants WHERE name = $1 AND id <> $2", tenant.name,
                          tenant.id.value));
  if (name_taken) return Err(ErrorCode::kAlreadyExists, "Tenant already exists: {}", tenant.name);
  return Done(Change(conn, "UPDATE tenants SET name = $2, properties = $3 WHERE id = $1",
                     tenant.id.value, tenant.name, serde::PropertiesToJson(tenant.properties)));
}

Status RemoveTenant(Connection& conn, const TenantId& id) {
  if (id == kDefaultTenant) {
    return Err(ErrorCode::kInvalidArgument, "The default tenant cannot be deleted");
  }
  ASSIGN_OR_RETURN(Tenant tenant,
                   SelectOne<Tenant>(conn, std::string(kTenantColumns) + "WHERE id = $1 FOR UPDATE",
                                     &ReadTenant, "Tenant not found: " + id.value, id.value));
  ASSIGN_OR_RETURN(Rows held,
                   conn.Query("SELECT EXISTS (SELECT 1 FROM warehouses WHERE tenant_id = $1), "
                              "EXISTS (SELECT 1 FROM catalogs WHERE tenant_id = $1), "
                              "EXISTS (SELECT 1 FROM users WHERE tenant_id = $1), "
                              "EXISTS (SELECT 1 FROM service_users WHERE tenant_id = $1)",
                              id.value));
  constexpr const char* kKinds[] = {"warehouses", "catalogs", "users", "service users"};
  std::vector<std::string> remaining;
  for (int i = 0; i < 4; ++i) {
    if (held[0].Bool(i)) remaining.emplace_back(kKinds[i]);
  }
  if (!remaining.empty()) {
    return Err(ErrorCode::kConflict, "Tenant {} still has {}", tenant.name, Join(remaining, ", "));
  }
  return Done(Change(conn, "DELETE FROM tenants WHERE id = $1", id.value));
}

Status InsertUser(Connection& conn, const User& user) {
  if (user.tenant_id) RETURN_IF_ERROR(HoldExistingTenant(conn, *user.tenant_id));
  ASSIGN_OR_RETURN(bool id_taken, HasRow(conn, "SELECT 1 FROM users WHERE id = $1", user.id));
  if (id_taken) return Err(ErrorCode::kAlreadyExists, "User id already exists: {}", user.id);
  RETURN_IF_ERROR(CheckUserUnique(conn, user));
  return Done(Change(conn,
                     "INSERT INTO users (id, tenant_id, username, email, password_hash, "
                     "oauth_issuer, oauth_subject, role, created_ms, updated_ms, last_login_ms, "
                     "active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                     user.id, OptTenant(user.tenant_id), user.username, user.email,
                     user.password_hash, user.oauth_issuer, user.oauth_subject,
                     static_cast<int64_t>(user.role), user.created_ms, user.updated_ms,
                     user.last_login_ms, user.active));
}

Result<User> SelectUser(Connection& conn, const std::optional<TenantId>& tenant,
                        std::string_view id) {
  return SelectOne<User>(
      conn, std::string(kUserColumns) + "WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)",
      &ReadUser, fmt::format("User not found: {}", id), id, OptTenant(tenant));
}

Result<User> SelectUserByName(Connection& conn, const std::optional<TenantId>& tenant,
                              std::string_view username) {
  return SelectOne<User>(
      conn, std::string(kUserColumns) + "WHERE tenant_key = $1 AND username = $2", &ReadUser,
      fmt::format("User not found: {}", username), TenantKey(tenant), username);
}

Result<User> SelectUserByOidc(Connection& conn, std::string_view issuer, std::string_view subject) {
  return SelectOne<User>(
      conn, std::string(kUserColumns) + "WHERE oauth_issuer = $1 AND oauth_subject = $2", &ReadUser,
      fmt::format("No user linked to OIDC account {} of {}", subject, issuer), issuer, subject);
}

Result<Page<User>> SelectUsers(Connection& conn, const std::optional<TenantId>& tenant,
                               const PageRequest& page) {
  return ListByTextKey<User>(conn, kUserColumns, tenant ? "tenant_key = $1 AND " : "",
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
  RETURN_IF_ERROR(Done(Change(
      conn,
      "UPDATE users SET username = $2, email = $3, password_hash = $4, "
      "oauth_issuer = $5, oauth_subject = $6, role = $7, updated_ms = $8, "
      "last_login_ms = $9, active = $10 WHERE id = $1",
      user.id, user.username, user.email, user.password_hash, user.oauth_issuer, user.oauth_subject,
      static_cast<int64_t>(user.role), user.updated_ms, user.last_login_ms, user.active)));
  if (!ChangesPrincipal(*before, user)) return Ok();
  return BumpAccessVersion(conn, AccessScope(user.tenant_id));
}

Status RemoveUser(Connection& conn, const std::optional<TenantId>& tenant, std::string_view id) {
  ASSIGN_OR_RETURN(User user, SelectUser(conn, tenant, id));
  RETURN_IF_ERROR(RemoveTokensOf(conn, id));
  RETURN_IF_ERROR(RemoveAccessOf(conn, id));
  RETURN_IF_ERROR(Done(Change(conn, "DELETE FROM users WHERE id = $1", id)));
  return BumpAccessVersion(conn, AccessScope(user.tenant_id));
}

Status InsertServiceUser(Connection& conn, const ServiceUser& user) {
  RETURN_IF_ERROR(HoldExistingTenant(conn, user.tenant_id));
  ASSIGN_OR_RETURN(bool id_taken,
                   HasRow(conn, "SELECT 1 FROM service_users WHERE id = $1", user.id));
  if (id_taken) {
    return Err(ErrorCode::kAlreadyExists, "Service user id already exists: {}", user.id);
  }
  RETURN_IF_ERROR(CheckServiceUserUnique(conn, user));
  return Done(Change(conn,
                     "INSERT INTO service_users (id, tenant_id, name, description, role, key_id, "
                     "key_hash, created_ms, created_by, last_used_ms, expires_ms, active) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                     user.id, user.tenant_id.value, user.name, user.description,
                     static_cast<int64_t>(user.role), user.key_id, user.key_hash, user.created_ms,
                     user.created_by, user.last_used_ms, user.expires_ms, user.active));
}

Result<ServiceUser> SelectServiceUser(Connection& conn, const TenantId& tenant,
                                      std::string_view id) {
  return SelectOne<ServiceUser>(
      conn, std::string(kServiceUserColumns) + "WHERE id = $1 AND tenant_id = $2", &ReadServiceUser,
      fmt::format("Service user not found: {}", id), id, tenant.value);
}

Result<ServiceUser> SelectServiceUserByKeyId(Connection& conn, std::string_view key_id) {
  return SelectOne<ServiceUser>(conn, std::string(kServiceUserColumns) + "WHERE key_id = $1",
                                &ReadServiceUser, fmt::format("No service user has key {}", key_id),
                                key_id);
}

Result<Page<ServiceUser>> SelectServiceUsers(Connection& conn, const TenantId& tenant,
                                             const PageRequest& page) {
  return ListByTextKey<ServiceUser>(conn, kServiceUserColumns, "tenant_id = $1 AND ", tenant.value,
                                    "name", "id", page, &ReadServiceUser, [](const ServiceUser& u) {
                                      return TextKey{u.name, u.id};
                                    });
}

Status ReplaceServiceUser(Connection& conn, const ServiceUser& user) {
  RETURN_IF_ERROR(SelectServiceUser(conn, user.tenant_id, user.id));
  RETURN_IF_ERROR(CheckServiceUserUnique(conn, user));
  RETURN_IF_ERROR(
      Done(Change(conn,
                  "UPDATE service_users SET name = $2, description = $3, role = $4, "
                  "key_id = $5, key_hash = $6, last_used_ms = $7, expires_ms = $8, "
                  "active = $9 WHERE id = $1",
                  user.id, user.name, user.description, static_cast<int64_t>(user.role),
                  user.key_id, user.key_hash, user.last_used_ms, user.expires_ms, user.active)));
  return BumpAccessVersion(conn, user.tenant_id);
}

Status TouchServiceUserRow(Connection& conn, std::string_view id, int64_t used_ms) {
  ASSIGN_OR_RETURN(
      int64_t changed,
      Change(conn, "UPDATE service_users SET last_used_ms = $2 WHERE id = $1", id, used_ms));
  if (changed == 0) return Err(ErrorCode::kNotFound, "Service user not found: {}", id);
  return Ok();
}

Status RemoveServiceUser(Connection& conn, const TenantId& tenant, std::string_view id) {
  RETURN_IF_ERROR(SelectServiceUser(conn, tenant, id));
  RETURN_IF_ERROR(RemoveTokensOf(conn, id));
  RETURN_IF_ERROR(RemoveAccessOf(conn, id));
  RETURN_IF_ERROR(Done(Change(conn, "DELETE FROM service_users WHERE id = $1", id)));
  return BumpAccessVersion(conn, tenant);
}

}  // namespace pangolin::store::postgres_internal
