// Warehouse and catalog rows of the PostgreSQL store. Catalogs reference their warehouse by id,
// so a renamed warehouse stays attached to its catalogs; the foreign key refuses to delete a
// warehouse a catalog still uses, even one created concurrently.
#include "common/clock.h"
#include "common/ids.h"
#include "common/strings.h"
#include "serde/properties.h"
#include "store/postgres/postgres_identity_internal.h"
#include "store/postgres/postgres_ops_internal.h"
#include "store/sql/sql_rows.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr auto& ReadWarehouse = sql::ReadWarehouse<Row>;
constexpr auto& ReadCatalog = sql::ReadCatalog<Row>;
using sql::Decode;
using sql::kCatalogColumns;
using sql::kWarehouseColumns;

int64_t CatalogTypeCode(const Catalog& c) {
  return c.catalog_type == catalog::CatalogType::kFederated ? 1 : 0;
}

// A by-name listing ($1 tenant, $2 after, $3 limit) of `select`, cut into one page. `alias` is
// the table alias ("c." or ""). The SQL text is built from constants only.
template <typename T>
Result<Page<T>> ListByName(Connection& conn, std::string_view select, std::string_view alias,
                           const TenantId& tenant, const PageRequest& request,
                           Result<T> (*read)(const Row&)) {
  ASSIGN_OR_RETURN(auto after, DecodeToken(request.token));
  std::string name = std::string(alias) + "name";
  std::string sql = fmt::format("{}WHERE {}tenant_id = $1 AND {} {} $2 ORDER BY {} LIMIT $3",
                                select, alias, name, after ? ">" : ">=", name);
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(sql, tenant.value, after.value_or(""), PageLimit(request.limit)));
  return CutPage<T>(rows, request.limit, read,
                    [](const T& item) { return EncodeToken(item.name); });
}

// Holds the tenant's row (when there is one) until the transaction ends, so that DeleteTenant,
// which locks it to check that the tenant is empty, cannot miss what is being created in it.
Status HoldTenant(Connection& conn, const TenantId& tenant) {
  return conn.Query("SELECT 1 FROM tenants WHERE id = $1 FOR KEY SHARE", tenant.value)
      .map([](const Rows&) {});
}

Result<bool> WarehouseExists(Connection& conn, const TenantId& tenant, std::string_view name) {
  return HasRow(conn, "SELECT 1 FROM warehouses WHERE tenant_id = $1 AND name = $2", tenant.value,
                name);
}

Result<bool> CatalogExists(Connection& conn, const TenantId& tenant, std::string_view name) {
  return HasRow(conn, "SELECT 1 FROM catalogs WHERE tenant_id = $1 AND name = $2", tenant.value,
                name);
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

std::optional<int64_t> PageLimit(size_t limit) {
  if (limit == 0) return std::nullopt;
  return static_cast<int64_t>(limit) + 1;
}

Status InsertWarehouse(Connection& conn, const Warehouse& w) {
  RETURN_IF_ERROR(HoldTenant(conn, w.tenant_id));
  ASSIGN_OR_RETURN(bool taken, WarehouseExists(conn, w.tenant_id, w.name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Warehouse already exists: {}", w.name);
  std::string id = w.id.value.empty() ? NewUuid() : w.id.value;
  return Change(conn,
                "INSERT INTO warehouses (id, tenant_id, name, use_sts, storage_config, "
                "vending_strategy) VALUES ($1, $2, $3, $4, $5, $6)",
                id, w.tenant_id.value, w.name, w.use_sts, serde::PropertiesToJson(w.storage_config),
                w.vending_strategy_json)
      .map([](int64_t) {});
}

Result<Warehouse> SelectWarehouse(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(std::string(kWarehouseColumns) + "WHERE tenant_id = $1 AND name = $2",
                              tenant.value, name));
  if (rows.empty()) return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
  return ReadWarehouse(rows[0]);
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
  ASSIGN_OR_RETURN(int64_t changed,
                   Change(conn,
                          "UPDATE warehouses SET name = $3, use_sts = $4, storage_config = $5, "
                          "vending_strategy = $6 WHERE tenant_id = $1 AND name = $2",
                          tenant.value, name, w.name, w.use_sts,
                          serde::PropertiesToJson(w.storage_config), w.vending_strategy_json));
  if (changed == 0) return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
  return BumpAccessVersion(conn, tenant);
}

Status RemoveWarehouse(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(Warehouse warehouse, SelectWarehouse(conn, tenant, name));
  ASSIGN_OR_RETURN(Rows users, conn.Query("SELECT name FROM catalogs WHERE warehouse_id = $1 "
                                          "LIMIT 1",
                                          warehouse.id.value));
  if (!users.empty()) {
    return Err(ErrorCode::kConflict, "Warehouse {} is used by catalog {}", name, users[0].Text(0));
  }
  ASSIGN_OR_RETURN(int64_t deleted,
                   Change(conn, "DELETE FROM warehouses WHERE id = $1", warehouse.id.value));
  if (deleted == 0) return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
  return BumpAccessVersion(conn, tenant);
}

Status InsertCatalog(Connection& conn, const Catalog& c) {
  RETURN_IF_ERROR(HoldTenant(conn, c.tenant_id));
  ASSIGN_OR_RETURN(bool taken, CatalogExists(conn, c.tenant_id, c.name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Catalog already exists: {}", c.name);
  ASSIGN_OR_RETURN(auto warehouse_id, WarehouseIdOf(conn, c.tenant_id, c.warehouse_name));
  std::string id = c.id.value.empty() ? NewUuid() : c.id.value;
  ASSIGN_OR_RETURN(
      Rows inserted,
      conn.Query("INSERT INTO catalogs (id, tenant_id, name, catalog_type, warehouse_id, "
                 "storage_location, properties) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING pk",
                 id, c.tenant_id.value, c.name, CatalogTypeCode(c), warehouse_id,
                 c.storage_location, serde::PropertiesToJson(c.properties)));
  return Change(conn,
                "INSERT INTO branches (catalog_pk, name, branch_type, created_ms) "
                "VALUES ($1, $2, 0, $3)",
                inserted[0].Int(0), catalog::kMainBranch, SystemClock().NowMs())
      .map([](int64_t) {});
}

Result<Catalog> SelectCatalog(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string(kCatalogColumns) + "WHERE c.tenant_id = $1 AND c.name = $2",
                            tenant.value, name));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return ReadCatalog(rows[0]);
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
  ASSIGN_OR_RETURN(int64_t changed,
                   Change(conn,
                          "UPDATE catalogs SET catalog_type = $3, warehouse_id = $4, "
                          "storage_location = $5, properties = $6 "
                          "WHERE tenant_id = $1 AND name = $2",
                          tenant.value, name, CatalogTypeCode(c), warehouse_id, c.storage_location,
                          serde::PropertiesToJson(c.properties)));
  if (changed == 0) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return BumpAccessVersion(conn, tenant);
}

Status RemoveCatalog(Connection& conn, const TenantId& tenant, std::string_view name) {
  ASSIGN_OR_RETURN(
      int64_t deleted,
      Change(conn, "DELETE FROM catalogs WHERE tenant_id = $1 AND name = $2", tenant.value, name));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
  return BumpAccessVersion(conn, tenant);
}

}  // namespace pangolin::store::postgres_internal
