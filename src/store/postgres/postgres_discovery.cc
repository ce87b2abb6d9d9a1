// Business metadata rows of the PostgreSQL store (schema v2): one row per (tenant, asset id) in
// business_metadata, its tags in asset_tags. A change of tags moves the tenant's access version in
// the same transaction, since tags feed tag grants. A put locks the asset's row (or creates it
// with ON CONFLICT DO NOTHING, then locks the winner's), so concurrent puts replace one another
// instead of failing.
#include "store/postgres/postgres_identity_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr char kColumns[] =
    "SELECT pk, id, tenant_id, asset_id, description, properties, discoverable, created_by, "
    "created_ms, updated_by, updated_ms FROM business_metadata ";

struct Stored {
  int64_t pk = 0;
  BusinessMetadata metadata;
};

// The asset's record with its tags; `lock` keeps its row locked until the transaction ends.
Result<std::optional<Stored>> SelectRow(Connection& conn, const TenantId& tenant,
                                        std::string_view asset_id, bool lock) {
  std::string sql = std::string(kColumns) + "WHERE tenant_id = $1 AND asset_id = $2";
  if (lock) sql += " FOR UPDATE";
  ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, tenant.value, asset_id));
  if (rows.empty()) return std::optional<Stored>();
  Row row = rows[0];
  Stored stored;
  stored.pk = row.Int(0);
  BusinessMetadata& m = stored.metadata;
  m.id = row.Text(1);
  m.tenant_id.value = row.Text(2);
  m.asset_id = row.Text(3);
  m.description = row.OptText(4);
  m.properties_json = row.Text(5);
  m.discoverable = row.Bool(6);
  m.created_by = row.Text(7);
  m.created_ms = row.Int(8);
  m.updated_by = row.Text(9);
  m.updated_ms = row.Int(10);
  ASSIGN_OR_RETURN(Rows tags, conn.Query("SELECT tag FROM asset_tags WHERE metadata_pk = $1 "
                                         "ORDER BY tag",
                                         stored.pk));
  for (int i = 0; i < tags.size(); ++i) m.tags.push_back(tags[i].Text(0));
  return std::optional<Stored>(std::move(stored));
}

Status WriteTags(Connection& conn, int64_t metadata_pk, const BusinessMetadata& m) {
  RETURN_IF_ERROR(Change(conn, "DELETE FROM asset_tags WHERE metadata_pk = $1", metadata_pk));
  if (m.tags.empty()) return Ok();
  return Change(conn,
                "INSERT INTO asset_tags (tenant_id, tag, asset_id, metadata_pk) "
                "SELECT $1, tag, $3, $4 FROM unnest($2::text[]) AS t (tag)",
                m.tenant_id.value, m.tags, m.asset_id, metadata_pk)
      .map([](int64_t) {});
}

// Inserts a new record unless one exists (maybe created concurrently); its pk, or nullopt.
Result<std::optional<int64_t>> InsertNew(Connection& conn, const CatalogId& catalog,
                                         const BusinessMetadata& m) {
  ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(conn, m.tenant_id, catalog));
  ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("INSERT INTO business_metadata (id, tenant_id, asset_id, catalog_pk, description, "
                 "properties, discoverable, created_by, created_ms, updated_by, updated_ms) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                 "ON CONFLICT (tenant_id, asset_id) DO NOTHING RETURNING pk",
                 m.id, m.tenant_id.value, m.asset_id, catalog_pk, m.description, m.properties_json,
                 m.discoverable, m.created_by, m.created_ms, m.updated_by, m.updated_ms));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

}  // namespace

Result<BusinessMetadata> UpsertBusinessMetadata(Connection& conn, const CatalogId& catalog,
                                                const BusinessMetadata& metadata,
                                                const DiscoveryStore::ExpectedTags& expected) {
  BusinessMetadata stored = metadata;
  std::optional<Stored> existing;
  int64_t pk = 0;
  for (int attempt = 0; attempt < 2 && pk == 0; ++attempt) {
    ASSIGN_OR_RETURN(existing, SelectRow(conn, metadata.tenant_id, metadata.asset_id, true));
    RETURN_IF_ERROR(
        CheckExpectedTags(expected, existing ? existing->metadata.tags : std::vector<std::string>{},
                          metadata.asset_id));
    if (existing) {
      pk = existing->pk;
      stored.id = existing->metadata.id;
      stored.created_by = existing->metadata.created_by;
      stored.created_ms = existing->metadata.created_ms;
      RETURN_IF_ERROR(Change(conn,
                             "UPDATE business_metadata SET description = $2, properties = $3, "
                             "discoverable = $4, updated_by = $5, updated_ms = $6 WHERE pk = $1",
                             pk, stored.description, stored.properties_json, stored.discoverable,
                             stored.updated_by, stored.updated_ms));
    } else {
      // Created meanwhile: the next attempt locks it and checks `expected` against it.
      ASSIGN_OR_RETURN(std::optional<int64_t> inserted, InsertNew(conn, catalog, stored));
      if (inserted) pk = *inserted;  // else another put created it: lock and replace it
    }
  }
  if (pk == 0) {
    return Err(ErrorCode::kUnavailable, "Business metadata of {} is contended; retry later",
               metadata.asset_id);
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
  ASSIGN_OR_RETURN(std::optional<Stored> row, SelectRow(conn, tenant, asset_id, false));
  if (!row) return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  return std::move(row->metadata);
}

Status RemoveBusinessMetadata(Connection& conn, const TenantId& tenant, std::string_view asset_id,
                              const DiscoveryStore::ExpectedTags& expected) {
  ASSIGN_OR_RETURN(std::optional<Stored> row, SelectRow(conn, tenant, asset_id, true));
  if (!row) return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  RETURN_IF_ERROR(CheckExpectedTags(expected, row->metadata.tags, asset_id));
  RETURN_IF_ERROR(Change(conn, "DELETE FROM business_metadata WHERE pk = $1", row->pk));
  if (!row->metadata.tags.empty()) RETURN_IF_ERROR(BumpAccessVersion(conn, tenant));
  return Ok();
}

Result<std::vector<std::pair<std::string, std::string>>> SelectTaggedAssets(
    Connection& conn, const TenantId& tenant, const std::vector<std::string>& tags) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query("SELECT asset_id, tag FROM asset_tags WHERE tenant_id = $1 "
                              "AND tag = ANY($2) ORDER BY asset_id, tag",
                              tenant.value, tags));
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(rows.size());
  for (int i = 0; i < rows.size(); ++i) pairs.emplace_back(rows[i].Text(0), rows[i].Text(1));
  return pairs;
}

}  // namespace pangolin::store::postgres_internal
