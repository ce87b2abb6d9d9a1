// Row readers shared by the SQL stores (SQLite and PostgreSQL): the column lists their SELECTs
// name, and one reader per object that turns such a row into the model. `Row` is the backend's
// cursor over one row, with Text, OptText, Int, OptInt and Bool by column index; both backends
// store the same columns, so one reader serves both. Header-only: each backend instantiates it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "serde/access.h"
#include "serde/merge_record.h"
#include "serde/properties.h"
#include "store/metadata_store.h"

namespace pangolin::store::sql {

// A stored JSON column, or kInternal naming the row: the store wrote it, so a failure is damage.
template <typename T>
Result<T> Decode(Result<T> value, std::string_view what, std::string_view id) {
  if (!value) {
    return Err(ErrorCode::kInternal, "corrupt {} {}: {}", what, id, value.error().message);
  }
  return value;
}

// Root users have no tenant; their usernames share the key "" (users.tenant_key).
inline std::string TenantKey(const std::optional<TenantId>& tenant) {
  return tenant ? tenant->value : std::string();
}

// users.tenant_id and tokens.tenant_id: NULL for root.
inline std::optional<std::string> OptTenant(const std::optional<TenantId>& tenant) {
  if (!tenant) return std::nullopt;
  return tenant->value;
}

inline Result<catalog::Properties> DecodeProperties(const std::string& json) {
  auto properties = serde::PropertiesFromJson(json);
  if (!properties) return Err(ErrorCode::kInternal, "corrupt properties column: {}", json);
  return properties;
}

inline constexpr char kTenantColumns[] = "SELECT id, name, properties, created_ms FROM tenants ";

inline constexpr char kUserColumns[] =
    "SELECT id, tenant_id, username, email, password_hash, oauth_issuer, oauth_subject, role, "
    "created_ms, updated_ms, last_login_ms, active FROM users ";

inline constexpr char kServiceUserColumns[] =
    "SELECT id, tenant_id, name, description, role, key_id, key_hash, created_ms, created_by, "
    "last_used_ms, expires_ms, active FROM service_users ";

inline constexpr char kWarehouseColumns[] =
    "SELECT id, tenant_id, name, use_sts, storage_config, vending_strategy FROM warehouses ";

inline constexpr char kCatalogColumns[] =
    "SELECT c.id, c.tenant_id, c.name, c.catalog_type, w.name, c.storage_location, c.properties "
    "FROM catalogs c LEFT JOIN warehouses w ON w.id = c.warehouse_id ";

inline constexpr char kRoleColumns[] =
    "SELECT id, tenant_id, name, description, permissions, created_by, created_ms, updated_ms "
    "FROM roles ";

inline constexpr char kGrantColumns[] =
    "SELECT id, tenant_id, principal_id, scope, actions, granted_by, granted_ms FROM grants ";

inline constexpr char kTokenColumns[] =
    "SELECT jti, tenant_id, principal_id, principal_kind, username, issued_ms, expires_ms, "
    "revoked_ms, revoke_reason FROM tokens ";

inline constexpr char kMergeColumns[] =
    "SELECT m.pk, m.id, c.id, m.status, m.version, m.initiated_ms, m.body "
    "FROM merge_operations m JOIN catalogs c ON c.pk = m.catalog_pk ";

template <typename Row>
Result<Tenant> ReadTenant(const Row& row) {
  Tenant tenant;
  tenant.id.value = row.Text(0);
  tenant.name = row.Text(1);
  auto properties = serde::PropertiesFromJson(row.Text(2));
  if (!properties) return Err(ErrorCode::kInternal, "corrupt tenant properties: {}", row.Text(2));
  tenant.properties = std::move(*properties);
  tenant.created_ms = row.Int(3);
  return tenant;
}

template <typename Row>
Result<User> ReadUser(const Row& row) {
  User user;
  user.id = row.Text(0);
  if (auto tenant = row.OptText(1)) user.tenant_id = TenantId{std::move(*tenant)};
  user.username = row.Text(2);
  user.email = row.Text(3);
  user.password_hash = row.OptText(4);
  user.oauth_issuer = row.OptText(5);
  user.oauth_subject = row.OptText(6);
  user.role = static_cast<catalog::UserRole>(row.Int(7));  // CHECK keeps it in range
  user.created_ms = row.Int(8);
  user.updated_ms = row.Int(9);
  user.last_login_ms = row.OptInt(10);
  user.active = row.Bool(11);
  return user;
}

template <typename Row>
Result<ServiceUser> ReadServiceUser(const Row& row) {
  ServiceUser user;
  user.id = row.Text(0);
  user.tenant_id.value = row.Text(1);
  user.name = row.Text(2);
  user.description = row.OptText(3);
  user.role = static_cast<catalog::UserRole>(row.Int(4));
  user.key_id = row.Text(5);
  user.key_hash = row.Text(6);
  user.created_ms = row.Int(7);
  user.created_by = row.Text(8);
  user.last_used_ms = row.OptInt(9);
  user.expires_ms = row.OptInt(10);
  user.active = row.Bool(11);
  return user;
}

template <typename Row>
Result<Warehouse> ReadWarehouse(const Row& row) {
  Warehouse w;
  w.id.value = row.Text(0);
  w.tenant_id.value = row.Text(1);
  w.name = row.Text(2);
  w.use_sts = row.Bool(3);
  ASSIGN_OR_RETURN(w.storage_config, DecodeProperties(row.Text(4)));
  w.vending_strategy_json = row.Text(5);
  return w;
}

template <typename Row>
Result<Catalog> ReadCatalog(const Row& row) {
  Catalog c;
  c.id.value = row.Text(0);
  c.tenant_id.value = row.Text(1);
  c.name = row.Text(2);
  c.catalog_type =
      row.Int(3) == 1 ? catalog::CatalogType::kFederated : catalog::CatalogType::kLocal;
  c.warehouse_name = row.OptText(4);
  c.storage_location = row.OptText(5);
  ASSIGN_OR_RETURN(c.properties, DecodeProperties(row.Text(6)));
  return c;
}

template <typename Row>
Result<Role> ReadRole(const Row& row) {
  Role role;
  role.id = row.Text(0);
  role.tenant_id.value = row.Text(1);
  role.name = row.Text(2);
  role.description = row.OptText(3);
  ASSIGN_OR_RETURN(role.permissions,
                   Decode(serde::ParsePermissionGrantsRecord(row.Text(4)), "role", role.id));
  role.created_by = row.Text(5);
  role.created_ms = row.Int(6);
  role.updated_ms = row.Int(7);
  return role;
}

template <typename Row>
Result<DirectGrant> ReadGrant(const Row& row) {
  DirectGrant grant;
  grant.id = row.Text(0);
  grant.tenant_id.value = row.Text(1);
  grant.principal_id = row.Text(2);
  ASSIGN_OR_RETURN(grant.grant.scope,
                   Decode(serde::ParsePermissionScopeRecord(row.Text(3)), "grant", grant.id));
  ASSIGN_OR_RETURN(grant.grant.actions,
                   Decode(serde::ParseActionsRecord(row.Text(4)), "grant", grant.id));
  grant.granted_by = row.Text(5);
  grant.granted_ms = row.Int(6);
  return grant;
}

template <typename Row>
Result<TokenRecord> ReadToken(const Row& row) {
  TokenRecord token;
  token.jti = row.Text(0);
  if (auto tenant = row.OptText(1)) token.tenant_id = TenantId{std::move(*tenant)};
  token.principal_id = row.Text(2);
  token.principal_kind =
      row.Int(3) == 1 ? catalog::PrincipalKind::kServiceUser : catalog::PrincipalKind::kUser;
  token.username = row.Text(4);
  token.issued_ms = row.Int(5);
  token.expires_ms = row.Int(6);
  token.revoked_ms = row.OptInt(7);
  token.revoke_reason = row.OptText(8);
  return token;
}

// The operation in the row: its body, with the columns' fields over it.
template <typename Row>
Result<MergeOperation> ReadMergeOperation(const Row& row) {
  std::string id = row.Text(1);
  auto op = serde::ParseMergeOperationRecord(row.Text(6));
  if (!op) {
    return Err(ErrorCode::kInternal, "corrupt merge operation {}: {}", id, op.error().message);
  }
  auto status = catalog::ParseMergeStatus(row.Text(3));
  if (!status) return Err(ErrorCode::kInternal, "corrupt merge operation {} status", id);
  op->id = std::move(id);
  op->catalog_id.value = row.Text(2);
  op->status = *status;
  op->version = row.Int(4);
  op->initiated_ms = row.Int(5);
  return op;
}

}  // namespace pangolin::store::sql
