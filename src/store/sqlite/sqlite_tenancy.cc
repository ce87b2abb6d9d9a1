// Warehouse and catalog rows of the SQLite store. Catalogs reference their warehouse by id, so a
// renamed warehouse stays attached to its catalogs.
#include "common/clock.h"
#include "common/ids.h"
#include "common/strings.h"
#include "serde/properties.h"
#include "store/sql/sql_rows.h"
#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr auto& ReadWarehouse = sql::ReadWarehouse<Statement>;
constexpr auto& ReadCatalog = sql::ReadCatalog<Statement>;
using sql::Decode;
using sql::kCatalogColumns;
using sql::kWarehouseColumns;

// Runs a by-name listing (?1 tenant, ?2 after, ?3 limit) of `select` and cuts one page. `alias`
// is the table alias ("c." or ""). The SQL text is built from constants only.
template <typename T>
Result<Page<T>> ListByName(Connection& conn, std::string_view select, std::string_view alias,
                           const TenantId& tenant, const PageRequest& request,
                           Result<T> (*read)(const Statement&)) {
  ASSIGN_OR_RETURN(auto after, DecodeToken(request.token));
  std::string name = std::string(alias) + "name";
  std::string sql = fmt::format("{}WHERE {}tenant_id = ?1 AND {} {} ?2 ORDER BY {} LIMIT ?3",
                                select, alias, name, after ? ">" : ">=", name);
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.BindAll(tenant.value, after.value_or(""), SqlLimit(request.limit));
  Page<T> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (request.limit != 0 && page.items.size() == request.limit) {
      page.next_token = EncodeToken(page.items.back().name);
      break;
    }
    ASSIGN_OR_RETURN(T item, read(stmt));
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<bool> Exists(Connection& conn, const std::string& sql, const TenantId& tenant,
                    std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  return stmt.BindAll(tenant.value, name).Step();
}

Result<bool> WarehouseExists(Connection& conn, const TenantId& tenant, std::string_view name) {
  return Exists(conn, "SELECT 1 FROM warehouses WHERE tenant_id = ?1 AND name = ?2", tenant, name);
}

Result<bool> CatalogExists(Connection& conn, const TenantId& tenant, std::string_view name) {
  return Exists(conn, "SELECT 1 FROM catalogs WHERE tenant_id = ?1 AND name = ?2", tenant, name);
}

// The id of the warehouse a catalog names, or NULL. Errors: kNoSuchWarehouse.
Result<std::optional<std::string>> WarehouseIdOf(Connection& conn, const TenantId& tenant,
                                                 const std::optional<std::string>& name) {
  if (!name) return std::optional<std::string>();
  ASSIGN_OR_RETURN(Warehouse warehouse, SelectWarehouse(conn, tenant, *name));
  return std::optional<std::string>(warehouse.id.value);
}

}  // namespace

std::string EncodeToken(std::string_view last) { return Base64UrlEncode(last); }

Result<std::optional<std::string>> DecodeToken(const std::string& token) {
  if (token.empty()) return std::optional<std::string>();
  auto decoded = Base64UrlDecode(token);
  if (!decoded) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<std::string>(std::move(*decoded));
}

int64_t SqlLimit(size_t limit) { return limit == 0 ? -1 : static_cast<int64_t>(limit) + 1; }

Status InsertWarehouse(Connection& conn, const Warehouse& w) {
  ASSIGN_OR_RETURN(bool taken, WarehouseExists(conn, w.tenant_id, w.name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Warehouse already exists: {}", w.name);
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("INSERT INTO warehouses (id, tenant_id, name, use_sts, "
                   "storage_config, vending_strategy) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  std::string id = w.id.value.empty() ? NewUuid() : w.id.value;
  return stmt
      .BindAll(id, w.tenant_id.value, w.name, int64_t{w.use_sts},
               serde::PropertiesToJson(w.storage_config), w.vending_strategy_json)
      .Run();
}

Result<Warehouse> SelectWarehouse(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(std::string(kWarehouseColumns) +
                                                "WHERE tenant_id = ?1 AND name = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(tenant.value, name).Step());
  if (!row) return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
  return ReadWarehouse(stmt);
}

Result<Page<Warehouse>> SelectWarehouses(Connection& conn, const TenantId& tenant,
                                         const PageRequest& page) {
  return ListByName<Warehouse>(conn, kWarehouseColumns, "", tenant, page, &ReadWarehouse);
}

Status ReplaceWarehouse(Connection& conn, const TenantId& tenant, std::string_view name,
                        const Warehouse& w) {
  RETURN_IF_ERROR(SelectWarehouse(conn, tenant, name));
  if (w.name != name) {
    ASSIGN_OR_RETURN(bool taken, WarehouseExists(conn, tenant, w.name));
    if (taken) return Err(ErrorCode::kAlreadyExists, "Warehouse already exists: {}", w.name);
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE warehouses SET name = ?3, use_sts = ?4, storage_config = "
                                "?5, vending_strategy = ?6 WHERE tenant_id = ?1 AND name = ?2"));
  RETURN_IF_ERROR(stmt.BindAll(tenant.value, name, w.name, int64_t{w.use_sts},
                               serde::PropertiesToJson(w.storage_config), w.vending_strategy_json)
                      .Run());
  return BumpAccessVersion(conn, tenant);
}

Status RemoveWarehouse(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(Warehouse warehouse, SelectWarehouse(conn, tenant, name));
  {
    ASSIGN_OR_RETURN(Statement users,
                     conn.Prepare("SELECT name FROM catalogs WHERE warehouse_id = ?1 LIMIT 1"));
    ASSIGN_OR_RETURN(bool used, users.BindAll(warehouse.id.value).Step());
    if (used) {
      return Err(ErrorCode::kConflict, "Warehouse {} is used by catalog {}", name, users.Text(0));
    }
  }
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM warehouses WHERE id = ?1"));
  RETURN_IF_ERROR(stmt.BindAll(warehouse.id.value).Run());
  return BumpAccessVersion(conn, tenant);
}

Status InsertCatalog(Connection& conn, const Catalog& c) {
  ASSIGN_OR_RETURN(bool taken, CatalogExists(conn, c.tenant_id, c.name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Catalog already exists: {}", c.name);
  ASSIGN_OR_RETURN(auto warehouse_id, WarehouseIdOf(conn, c.tenant_id, c.warehouse_name));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO catalogs (id, tenant_id, name, catalog_type, "
                                "warehouse_id, storage_location, properties) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  std::string id = c.id.value.empty() ? NewUuid() : c.id.value;
  int64_t type = c.catalog_type == catalog::CatalogType::kFederated ? 1 : 0;
  RETURN_IF_ERROR(stmt.BindAll(id, c.tenant_id.value, c.name, type, warehouse_id,
                               c.storage_location, serde::PropertiesToJson(c.properties))
                      .Run());
  int64_t catalog_pk = conn.LastInsertRowId();
  ASSIGN_OR_RETURN(Statement branch,
                   conn.Prepare("INSERT INTO branches (catalog_pk, name, "
                                "branch_type, created_ms) VALUES (?1, ?2, 0, ?3)"));
  return branch.BindAll(catalog_pk, catalog::kMainBranch, SystemClock().NowMs()).Run();
}

Result<Catalog> SelectCatalog(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(std::string(kCatalogColumns) +
                                                "WHERE c.tenant_id = ?1 AND c.name = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(tenant.value, name).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return ReadCatalog(stmt);
}

Result<Page<Catalog>> SelectCatalogs(Connection& conn, const TenantId& tenant,
                                     const PageRequest& page) {
  return ListByName<Catalog>(conn, kCatalogColumns, "c.", tenant, page, &ReadCatalog);
}

Status ReplaceCatalog(Connection& conn, const TenantId& tenant, std::string_view name,
                      const Catalog& c) {
  ASSIGN_OR_RETURN(bool exists, CatalogExists(conn, tenant, name));
  if (!exists) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  ASSIGN_OR_RETURN(auto warehouse_id, WarehouseIdOf(conn, tenant, c.warehouse_name));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("UPDATE catalogs SET catalog_type = ?3, warehouse_id = ?4, "
                                "storage_location = ?5, properties = ?6 "
                                "WHERE tenant_id = ?1 AND name = ?2"));
  int64_t type = c.catalog_type == catalog::CatalogType::kFederated ? 1 : 0;
  RETURN_IF_ERROR(stmt.BindAll(tenant.value, name, type, warehouse_id, c.storage_location,
                               serde::PropertiesToJson(c.properties))
                      .Run());
  return BumpAccessVersion(conn, tenant);
}

Status RemoveCatalog(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("DELETE FROM catalogs WHERE tenant_id = ?1 AND name = ?2"));
  RETURN_IF_ERROR(stmt.BindAll(tenant.value, name).Run());
  if (conn.Changes() == 0) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return BumpAccessVersion(conn, tenant);
}

}  // namespace pangolin::store::sqlite_internal
