// Business metadata rows of the SQLite store (schema v11): one row per (tenant, asset id) in
// business_metadata, its tags in asset_tags. A change of tags moves the tenant's access version
// in the same transaction, since tags feed tag grants.
#include <algorithm>

#include "store/sqlite/sqlite_identity_internal.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr char kColumns[] =
    "SELECT pk, id, tenant_id, asset_id, description, properties, discoverable, created_by, "
    "created_ms, updated_by, updated_ms FROM business_metadata ";

struct Row {
  int64_t pk = 0;
  BusinessMetadata metadata;
};

const std::vector<std::string>& NoTags() {
  static const std::vector<std::string> none;
  return none;
}

Result<std::vector<std::string>> SelectTags(Connection& conn, int64_t metadata_pk) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT tag FROM asset_tags WHERE metadata_pk = ?1 ORDER BY tag"));
  stmt.BindAll(metadata_pk);
  std::vector<std::string> tags;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return tags;
    tags.push_back(stmt.Text(0));
  }
}

Result<std::optional<Row>> SelectRow(Connection& conn, const TenantId& tenant,
                                     std::string_view asset_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(std::string(kColumns) + "WHERE tenant_id = ?1 AND asset_id = ?2"));
  ASSIGN_OR_RETURN(bool found, stmt.BindAll(tenant.value, asset_id).Step());
  if (!found) return std::optional<Row>();
  Row row;
  row.pk = stmt.Int(0);
  BusinessMetadata& m = row.metadata;
  m.id = stmt.Text(1);
  m.tenant_id.value = stmt.Text(2);
  m.asset_id = stmt.Text(3);
  m.description = stmt.OptText(4);
  m.properties_json = stmt.Text(5);
  m.discoverable = stmt.Int(6) != 0;
  m.created_by = stmt.Text(7);
  m.created_ms = stmt.Int(8);
  m.updated_by = stmt.Text(9);
  m.updated_ms = stmt.Int(10);
  stmt.Reset();  // before the next statement reads on this connection
  ASSIGN_OR_RETURN(m.tags, SelectTags(conn, row.pk));
  return std::optional<Row>(std::move(row));
}

Status WriteTags(Connection& conn, int64_t metadata_pk, const BusinessMetadata& m) {
  ASSIGN_OR_RETURN(Statement clear, conn.Prepare("DELETE FROM asset_tags WHERE metadata_pk = ?1"));
  RETURN_IF_ERROR(clear.BindAll(metadata_pk).Run());
  ASSIGN_OR_RETURN(Statement insert,
                   conn.Prepare("INSERT INTO asset_tags (tenant_id, tag, asset_id, metadata_pk) "
                                "VALUES (?1, ?2, ?3, ?4)"));
  for (const auto& tag : m.tags) {
    insert.Reset();
    RETURN_IF_ERROR(insert.BindAll(m.tenant_id.value, tag, m.asset_id, metadata_pk).Run());
  }
  return Ok();
}

}  // namespace

Result<BusinessMetadata> UpsertBusinessMetadata(Connection& conn, const CatalogId& catalog,
                                                const BusinessMetadata& metadata,
                                                const DiscoveryStore::ExpectedTags& expected) {
  ASSIGN_OR_RETURN(std::optional<Row> existing,
                   SelectRow(conn, metadata.tenant_id, metadata.asset_id));
  RETURN_IF_ERROR(CheckExpectedTags(expected, existing ? existing->metadata.tags : NoTags(),
                                    metadata.asset_id));
  BusinessMetadata stored = metadata;
  int64_t pk = 0;
  if (existing) {
    pk = existing->pk;
    stored.id = existing->metadata.id;
    stored.created_by = existing->metadata.created_by;
    stored.created_ms = existing->metadata.created_ms;
    ASSIGN_OR_RETURN(Statement stmt,
                     conn.Prepare("UPDATE business_metadata SET description = ?2, properties = ?3, "
                                  "discoverable = ?4, updated_by = ?5, updated_ms = ?6 "
                                  "WHERE pk = ?1"));
    RETURN_IF_ERROR(stmt.BindAll(pk, stored.description, stored.properties_json,
                                 int64_t{stored.discoverable}, stored.updated_by, stored.updated_ms)
                        .Run());
  } else {
    ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(conn, metadata.tenant_id, catalog));
    ASSIGN_OR_RETURN(
        Statement stmt,
        conn.Prepare("INSERT INTO business_metadata (id, tenant_id, asset_id, catalog_pk, "
                     "description, properties, discoverable, created_by, created_ms, updated_by, "
                     "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    RETURN_IF_ERROR(stmt.BindAll(stored.id, stored.tenant_id.value, stored.asset_id, catalog_pk,
                                 stored.description, stored.properties_json,
                                 int64_t{stored.discoverable}, stored.created_by, stored.created_ms,
                                 stored.updated_by, stored.updated_ms)
                        .Run());
    pk = conn.LastInsertRowId();
  }
  if (!existing || existing->metadata.tags != stored.tags) {
    RETURN_IF_ERROR(WriteTags(conn, pk, stored));
    if (!stored.tags.empty() || (existing && !existing->metadata.tags.empty())) {
      RETURN_IF_ERROR(BumpAccessVersion(conn, stored.tenant_id));
    }
  }
  return stored;
}

Result<BusinessMetadata> SelectBusinessMetadata(Connection& conn, const TenantId& tenant,
                                                std::string_view asset_id) {
  ASSIGN_OR_RETURN(std::optional<Row> row, SelectRow(conn, tenant, asset_id));
  if (!row) return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  return std::move(row->metadata);
}

Status RemoveBusinessMetadata(Connection& conn, const TenantId& tenant, std::string_view asset_id,
                              const DiscoveryStore::ExpectedTags& expected) {
  ASSIGN_OR_RETURN(std::optional<Row> row, SelectRow(conn, tenant, asset_id));
  if (!row) return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  RETURN_IF_ERROR(CheckExpectedTags(expected, row->metadata.tags, asset_id));
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("DELETE FROM business_metadata WHERE pk = ?1"));
  RETURN_IF_ERROR(stmt.BindAll(row->pk).Run());
  if (!row->metadata.tags.empty()) RETURN_IF_ERROR(BumpAccessVersion(conn, tenant));
  return Ok();
}

Result<std::vector<std::pair<std::string, std::string>>> SelectTaggedAssets(
    Connection& conn, const TenantId& tenant, const std::vector<std::string>& tags) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT asset_id FROM asset_tags WHERE tenant_id = ?1 AND tag = ?2 "
                                "ORDER BY asset_id"));
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& tag : tags) {
    stmt.Reset();
    stmt.BindAll(tenant.value, tag);
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      pairs.emplace_back(stmt.Text(0), tag);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace pangolin::store::sqlite_internal
