// Versioned catalog content in the PostgreSQL store: one branch's own entries (current rows, or
// the content log as of an older commit), layer resolution, commits and history. Reads of one
// layer are single statements: a concurrent commit on a parent branch moves rows between
// `content` and the log, and one statement sees one state of both.
#include <algorithm>
#include <limits>
#include <map>

#include "common/ids.h"
#include "serde/properties.h"
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

using versioning::Layer;
using versioning::NamedVersion;
using versioning::Version;

int64_t SpaceCode(ContentKey::Space space) { return space == ContentKey::Space::kObject ? 1 : 0; }

int64_t TypeCode(ContentType type) {
  switch (type) {
    case ContentType::kNamespace:
      return 0;
    case ContentType::kIcebergTable:
      return 1;
    case ContentType::kIcebergView:
      return 2;
  }
  return 0;
}

// Every level followed by U+001F (see the schema); the root is "".
std::string EncodeParent(const Namespace& ns) {
  std::string out;
  for (const auto& level : ns) {
    out += level;
    out += '\x1f';
  }
  return out;
}

Namespace DecodeParent(std::string_view text) {
  Namespace ns;
  size_t start = 0;
  for (size_t end; (end = text.find('\x1f', start)) != std::string_view::npos; start = end + 1) {
    ns.emplace_back(text.substr(start, end - start));
  }
  return ns;
}

// Reads type, content_id, metadata_location, properties starting at column `first`.
Result<Content> ReadContent(const Row& row, int first) {
  Content content;
  int64_t type = row.Int(first);
  if (type < 0 || type > 2) return Err(ErrorCode::kInternal, "corrupt content type {}", type);
  content.type = static_cast<ContentType>(type);
  content.id = row.Text(first + 1);
  content.metadata_location = row.Text(first + 2);
  auto properties = serde::PropertiesFromJson(row.Text(first + 3));
  if (!properties) return Err(ErrorCode::kInternal, "corrupt content properties");
  content.properties = std::move(*properties);
  return content;
}

// A tombstone when the boolean column `flag` is true, else the content from column `flag` + 1.
Result<Version> ReadVersion(const Row& row, int flag) {
  if (row.Bool(flag)) return Version();
  ASSIGN_OR_RETURN(Content content, ReadContent(row, flag + 1));
  return Version(std::move(content));
}

constexpr char kVersionColumns[] = "deleted, type, content_id, metadata_location, properties";

// A bounded layer's state of one key: the current row when it has not changed since the bound,
// else the log's last entry up to the bound.
constexpr char kGetAsOfSql[] =
    "SELECT deleted, type, content_id, metadata_location, properties FROM ("
    "(SELECT 0 AS source, deleted, type, content_id, metadata_location, properties FROM content "
    "WHERE branch_pk = $1 AND space = $2 AND parent = $3 AND name = $4 AND mod_seq <= $5) "
    "UNION ALL "
    "(SELECT 1, op = 1, type, content_id, metadata_location, properties FROM content_log "
    "WHERE branch_pk = $1 AND space = $2 AND parent = $3 AND name = $4 AND commit_seq <= $5 "
    "ORDER BY commit_seq DESC, ordinal DESC LIMIT 1)) v ORDER BY source LIMIT 1";

// A bounded layer's listing: rows unchanged since the bound, and for each name the log shows
// changed after it, the log's last entry up to the bound (from content_log_by_parent, then one
// content_log_by_key probe per name). `{}` is the comparison with $4 (after).
constexpr char kListAsOfSql[] =
    "SELECT name, deleted, type, content_id, metadata_location, properties FROM ("
    "SELECT name, deleted, type, content_id, metadata_location, properties FROM content "
    "WHERE branch_pk = $1 AND space = $2 AND parent = $3 AND name {0} $4 AND mod_seq <= $5 "
    "UNION ALL "
    "SELECT c.name, v.deleted, v.type, v.content_id, v.metadata_location, v.properties "
    "FROM (SELECT DISTINCT name FROM content_log WHERE branch_pk = $1 AND space = $2 "
    "AND parent = $3 AND commit_seq > $5 AND name {0} $4) c "
    "CROSS JOIN LATERAL (SELECT op = 1 AS deleted, type, content_id, metadata_location, "
    "properties FROM content_log l WHERE l.branch_pk = $1 AND l.space = $2 AND l.parent = $3 "
    "AND l.name = c.name AND l.commit_seq <= $5 "
    "ORDER BY l.commit_seq DESC, l.ordinal DESC LIMIT 1) v"
    ") entries ORDER BY name LIMIT $6";

constexpr char kCommitColumns[] =
    "SELECT seq, id, parent_id, merge_parent_id, branch_name, author, message, time_ms "
    "FROM commits ";

CommitRecord ReadCommit(const Row& row) {
  CommitRecord record;
  record.sequence = row.Int(0);
  record.id = row.Text(1);
  record.parent_id = row.OptText(2);
  record.merge_parent_id = row.OptText(3);
  record.branch = row.Text(4);
  record.author = row.Text(5);
  record.message = row.Text(6);
  record.time_ms = row.Int(7);
  return record;
}

// Fills in the operations of `records` (one query for all of them).
Status AttachOperations(Connection& conn, std::vector<CommitRecord>& records) {
  if (records.empty()) return Ok();
  std::vector<int64_t> seqs;
  std::map<int64_t, CommitRecord*> by_seq;
  for (auto& record : records) {
    seqs.push_back(record.sequence);
    by_seq[record.sequence] = &record;
  }
  ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT commit_seq, op, space, parent, name, type, content_id, "
                 "metadata_location, properties FROM content_log WHERE commit_seq = ANY($1) "
                 "ORDER BY commit_seq, ordinal",
                 seqs));
  for (int i = 0; i < rows.size(); ++i) {
    Row row = rows[i];
    Operation op;
    op.kind = row.Int(1) == 1 ? Operation::Kind::kDelete : Operation::Kind::kPut;
    op.key.space = row.Int(2) == 1 ? ContentKey::Space::kObject : ContentKey::Space::kNamespace;
    op.key.parent = DecodeParent(row.Text(3));
    op.key.name = row.Text(4);
    if (op.kind == Operation::Kind::kPut) {
      ASSIGN_OR_RETURN(op.content, ReadContent(row, 5));
    }
    by_seq[row.Int(0)]->operations.push_back(std::move(op));
  }
  return Ok();
}

Status ApplyOperation(Connection& conn, const BranchRow& branch, int64_t seq, int64_t ordinal,
                      const Operation& op) {
  std::string parent = EncodeParent(op.key.parent);
  int64_t space = SpaceCode(op.key.space);
  const std::string& name = op.key.name;
  if (op.kind == Operation::Kind::kDelete) {
    RETURN_IF_ERROR(
        Change(conn,
               "INSERT INTO content_log (commit_seq, ordinal, branch_pk, space, parent, "
               "name, op) VALUES ($1, $2, $3, $4, $5, $6, 1)",
               seq, ordinal, branch.branch_pk, space, parent, name));
    if (branch.has_parent) {  // a tombstone shadows the parent's entry
      return Change(conn,
                    "INSERT INTO content (branch_pk, space, parent, name, deleted, mod_seq) "
                    "VALUES ($1, $2, $3, $4, true, $5) ON CONFLICT (branch_pk, space, parent, "
                    "name) DO UPDATE SET deleted = true, mod_seq = excluded.mod_seq, type = NULL, "
                    "content_id = NULL, metadata_location = NULL, properties = NULL",
                    branch.branch_pk, space, parent, name, seq)
          .map([](int64_t) {});
    }
    return Change(conn,
                  "DELETE FROM content WHERE branch_pk = $1 AND space = $2 AND parent = $3 AND "
                  "name = $4",
                  branch.branch_pk, space, parent, name)
        .map([](int64_t) {});
  }
  const Content& c = *op.content;
  std::string properties = serde::PropertiesToJson(c.properties);
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO content_log (commit_seq, ordinal, branch_pk, space, parent, "
                         "name, op, type, content_id, metadata_location, properties) "
                         "VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10)",
                         seq, ordinal, branch.branch_pk, space, parent, name, TypeCode(c.type),
                         c.id, c.metadata_location, properties));
  return Change(
             conn,
             "INSERT INTO content (branch_pk, space, parent, name, deleted, mod_seq, type, "
             "content_id, metadata_location, properties) "
             "VALUES ($1, $2, $3, $4, false, $5, $6, $7, $8, $9) "
             "ON CONFLICT (branch_pk, space, parent, name) DO UPDATE SET deleted = false, "
             "mod_seq = excluded.mod_seq, type = excluded.type, content_id = excluded.content_id, "
             "metadata_location = excluded.metadata_location, properties = excluded.properties",
             branch.branch_pk, space, parent, name, seq, TypeCode(c.type), c.id,
             c.metadata_location, properties)
      .map([](int64_t) {});
}

}  // namespace

Result<int64_t> CatalogPk(Connection& conn, const TenantId& tenant, const CatalogId& catalog) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT pk FROM catalogs WHERE id = $1 AND tenant_id = $2",
                                         catalog.value, tenant.value));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
  return rows[0].Int(0);
}

Result<int64_t> LockCatalogForRefs(Connection& conn, const TenantId& tenant,
                                   const CatalogId& catalog) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT pk FROM catalogs WHERE id = $1 AND tenant_id = $2 "
                                         "FOR NO KEY UPDATE",
                                         catalog.value, tenant.value));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
  return rows[0].Int(0);
}

Result<BranchRow> SelectLiveBranch(Connection& conn, int64_t catalog_pk, std::string_view name,
                                   bool lock) {
  std::string sql =
      "SELECT pk, head_commit_id, parent_pk IS NOT NULL FROM branches "
      "WHERE catalog_pk = $1 AND name = $2 AND NOT deleted";
  if (lock) sql += " FOR NO KEY UPDATE";
  ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, catalog_pk, name));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Branch not found: {}", name);
  return BranchRow{catalog_pk, rows[0].Int(0), rows[0].OptText(1), rows[0].Bool(2)};
}

Result<catalog::AssetLocation> SelectAsset(Connection& conn, const TenantId& tenant,
                                           std::string_view asset_id) {
  ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT k.id, k.name, b.name, c.space, c.parent, c.name, c.type, c.content_id, "
                 "c.metadata_location, c.properties FROM content c "
                 "JOIN branches b ON b.pk = c.branch_pk JOIN catalogs k ON k.pk = b.catalog_pk "
                 "WHERE c.content_id = $2 AND NOT c.deleted AND c.type IN (1, 2) "
                 "AND NOT b.deleted AND k.tenant_id = $1 "
                 "ORDER BY b.name <> 'main', b.name LIMIT 1",
                 tenant.value, asset_id));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Asset not found: {}", asset_id);
  Row row = rows[0];
  catalog::AssetLocation found;
  found.catalog_id.value = row.Text(0);
  found.catalog_name = row.Text(1);
  found.branch = row.Text(2);
  found.key.space = row.Int(3) == 0 ? ContentKey::Space::kNamespace : ContentKey::Space::kObject;
  found.key.parent = DecodeParent(row.Text(4));
  found.key.name = row.Text(5);
  ASSIGN_OR_RETURN(found.content, ReadContent(row, 6));
  return found;
}

Result<std::vector<Layer>> LayersFor(Connection& conn, int64_t catalog_pk, std::string_view ref) {
  // The top layer: a live branch (unbounded), else the commit a tag or commit id names.
  ASSIGN_OR_RETURN(Rows top,
                   conn.Query("SELECT pk, seq FROM ("
                              "SELECT 0 AS rank, pk, NULL::bigint AS seq FROM branches "
                              "WHERE catalog_pk = $1 AND name = $2 AND NOT deleted "
                              "UNION ALL SELECT 1, c.branch_pk, c.seq FROM tags t JOIN commits c "
                              "ON c.id = t.commit_id WHERE t.catalog_pk = $1 AND t.name = $2 "
                              "UNION ALL SELECT 2, branch_pk, seq FROM commits "
                              "WHERE catalog_pk = $1 AND id = $2) r ORDER BY rank LIMIT 1",
                              catalog_pk, ref));
  if (top.empty()) return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
  std::vector<Layer> layers{Layer{top[0].Int(0), top[0].OptInt(1)}};
  // Then each ancestor as of the fork below it (parent_pk and fork_seq never change).
  ASSIGN_OR_RETURN(
      Rows ancestors,
      conn.Query("WITH RECURSIVE chain (parent_pk, fork_seq, depth) AS ("
                 "SELECT parent_pk, fork_seq, 1 FROM branches WHERE pk = $1 "
                 "UNION ALL SELECT b.parent_pk, b.fork_seq, c.depth + 1 FROM branches b "
                 "JOIN chain c ON b.pk = c.parent_pk) "
                 "SELECT parent_pk, fork_seq FROM chain WHERE parent_pk IS NOT NULL ORDER BY depth",
                 layers[0].branch));
  for (int i = 0; i < ancestors.size(); ++i) {
    layers.push_back(Layer{ancestors[i].Int(0), ancestors[i].Int(1)});
  }
  return layers;
}

Result<std::optional<Version>> PostgresLayers::Get(const Layer& layer, const ContentKey& key) {
  std::string parent = EncodeParent(key.parent);
  int64_t space = SpaceCode(key.space);
  Result<Rows> rows =
      layer.bound ? conn_.Query(kGetAsOfSql, layer.branch, space, parent, key.name, *layer.bound)
                  : conn_.Query(fmt::format("SELECT {} FROM content WHERE branch_pk = $1 AND "
                                            "space = $2 AND parent = $3 AND name = $4",
                                            kVersionColumns),
                                layer.branch, space, parent, key.name);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Version>();
  ASSIGN_OR_RETURN(Version version, ReadVersion((*rows)[0], 0));
  return std::optional<Version>(std::move(version));
}

Result<std::vector<NamedVersion>> PostgresLayers::List(const Layer& layer, ContentKey::Space space,
                                                       const Namespace& parent,
                                                       const std::optional<std::string>& after,
                                                       size_t limit) {
  std::string encoded = EncodeParent(parent);
  int64_t space_code = SpaceCode(space);
  std::string_view op = after ? ">" : ">=";
  auto count = static_cast<int64_t>(limit);
  Result<Rows> rows =
      layer.bound
          ? conn_.Query(fmt::format(kListAsOfSql, op), layer.branch, space_code, encoded,
                        after.value_or(""), *layer.bound, count)
          : conn_.Query(fmt::format("SELECT name, {} FROM content WHERE branch_pk = $1 AND "
                                    "space = $2 AND parent = $3 AND name {} $4 ORDER BY name "
                                    "LIMIT $5",
                                    kVersionColumns, op),
                        layer.branch, space_code, encoded, after.value_or(""), count);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<NamedVersion> out;
  for (int i = 0; i < rows->size(); ++i) {
    ASSIGN_OR_RETURN(Version version, ReadVersion((*rows)[i], 1));
    out.push_back(NamedVersion{(*rows)[i].Text(0), std::move(version)});
  }
  return out;
}

Result<std::string> WriteCommit(Connection& conn, const BranchRow& branch,
                                const CommitRequest& request) {
  RETURN_IF_ERROR(versioning::ValidateOperations(request));
  if (request.merge_parent_id) {
    ASSIGN_OR_RETURN(bool known,
                     HasRow(conn, "SELECT 1 FROM commits WHERE catalog_pk = $1 AND id = $2",
                            branch.catalog_pk, *request.merge_parent_id));
    if (!known) {
      return Err(ErrorCode::kInvalidArgument, "Unknown merge parent: {}", *request.merge_parent_id);
    }
  }
  std::string id = NewUuidV7(request.time_ms);
  ASSIGN_OR_RETURN(
      Rows inserted,
      conn.Query("INSERT INTO commits (id, catalog_pk, branch_pk, branch_name, "
                 "parent_id, merge_parent_id, author, message, time_ms) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq",
                 id, branch.catalog_pk, branch.branch_pk, request.branch, branch.head_commit_id,
                 request.merge_parent_id, request.author, request.message, request.time_ms));
  int64_t seq = inserted[0].Int(0);
  for (size_t i = 0; i < request.operations.size(); ++i) {
    RETURN_IF_ERROR(
        ApplyOperation(conn, branch, seq, static_cast<int64_t>(i), request.operations[i]));
  }
  RETURN_IF_ERROR(
      Change(conn, "UPDATE branches SET head_commit_id = $2 WHERE pk = $1", branch.branch_pk, id));
  return id;
}

Result<Page<CommitRecord>> SelectHistory(Connection& conn, const std::vector<Layer>& layers,
                                         std::optional<int64_t> before, size_t limit) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Page<CommitRecord> page;
  for (const auto& layer : layers) {
    int64_t below = page.items.empty() ? before.value_or(kMax) : page.items.back().sequence;
    int64_t bound = std::min(layer.bound.value_or(kMax), below - 1);
    std::optional<int64_t> fetch;  // what is still wanted, plus one look-ahead row
    if (limit != 0) fetch = static_cast<int64_t>(limit - page.items.size()) + 1;
    ASSIGN_OR_RETURN(Rows rows,
                     conn.Query(std::string(kCommitColumns) + "WHERE branch_pk = $1 AND seq <= $2 "
                                                              "ORDER BY seq DESC LIMIT $3",
                                layer.branch, bound, fetch));
    for (int i = 0; i < rows.size() && !page.next_token; ++i) {
      if (limit != 0 && page.items.size() == limit) {
        page.next_token = EncodeToken(std::to_string(page.items.back().sequence));
      } else {
        page.items.push_back(ReadCommit(rows[i]));
      }
    }
    if (page.next_token) break;
  }
  RETURN_IF_ERROR(AttachOperations(conn, page.items));
  return page;
}

Result<CommitRecord> SelectCommit(Connection& conn, int64_t catalog_pk, std::string_view id) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(std::string(kCommitColumns) + "WHERE catalog_pk = $1 AND id = $2",
                              catalog_pk, id));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Commit not found: {}", id);
  std::vector<CommitRecord> records{ReadCommit(rows[0])};
  RETURN_IF_ERROR(AttachOperations(conn, records));
  return std::move(records[0]);
}

}  // namespace pangolin::store::postgres_internal
