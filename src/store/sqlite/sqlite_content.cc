// Versioned catalog content in the SQLite store: one branch's own entries (current rows, or the
// content log as of an older commit), layer resolution, commits and history.
#include <algorithm>
#include <limits>

#include "common/ids.h"
#include "serde/properties.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
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
Result<Content> ReadContent(const Statement& stmt, int first) {
  Content content;
  int64_t type = stmt.Int(first);
  if (type < 0 || type > 2) return Err(ErrorCode::kInternal, "corrupt content type {}", type);
  content.type = static_cast<ContentType>(type);
  content.id = stmt.Text(first + 1);
  content.metadata_location = stmt.Text(first + 2);
  auto properties = serde::PropertiesFromJson(stmt.Text(first + 3));
  if (!properties) return Err(ErrorCode::kInternal, "corrupt content properties");
  content.properties = std::move(*properties);
  return content;
}

// A tombstone when column `flag` is set (1 = deleted), else the content from column `flag` + 1.
Result<Version> ReadVersion(const Statement& stmt, int flag) {
  if (stmt.Int(flag) == 1) return Version();
  ASSIGN_OR_RETURN(Content content, ReadContent(stmt, flag + 1));
  return Version(std::move(content));
}

// The key's state in the branch's log as of `bound`, or nullopt when the log has none by then.
Result<std::optional<Version>> LogAsOf(Connection& conn, int64_t branch_pk, int64_t space,
                                       const std::string& parent, const std::string& name,
                                       int64_t bound) {
  ASSIGN_OR_RETURN(Statement stmt,
                   // The planner prefers content_log_by_parent for the ORDER BY and then walks
                   // the namespace's whole log; the key index finds the entry directly.
                   conn.Prepare("SELECT op, type, content_id, metadata_location, properties "
                                "FROM content_log INDEXED BY content_log_by_key "
                                "WHERE branch_pk = ?1 AND space = ?2 AND "
                                "parent = ?3 AND name = ?4 AND commit_seq <= ?5 "
                                "ORDER BY commit_seq DESC, ordinal DESC LIMIT 1"));
  stmt.BindAll(branch_pk, space, parent, name, bound);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<Version>();
  ASSIGN_OR_RETURN(Version version, ReadVersion(stmt, 0));
  return std::optional<Version>(std::move(version));
}

Result<std::vector<Operation>> SelectOperations(Connection& conn, int64_t seq) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare(
          "SELECT op, space, parent, name, type, content_id, metadata_location, properties "
          "FROM content_log WHERE commit_seq = ?1 ORDER BY ordinal"));
  stmt.BindAll(seq);
  std::vector<Operation> ops;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return ops;
    Operation op;
    op.kind = stmt.Int(0) == 1 ? Operation::Kind::kDelete : Operation::Kind::kPut;
    op.key.space = stmt.Int(1) == 1 ? ContentKey::Space::kObject : ContentKey::Space::kNamespace;
    op.key.parent = DecodeParent(stmt.Text(2));
    op.key.name = stmt.Text(3);
    if (op.kind == Operation::Kind::kPut) {
      ASSIGN_OR_RETURN(op.content, ReadContent(stmt, 4));
    }
    ops.push_back(std::move(op));
  }
}

Status ApplyOperation(Connection& conn, const BranchRow& branch, int64_t seq, int64_t ordinal,
                      const Operation& op) {
  std::string parent = EncodeParent(op.key.parent);
  int64_t space = SpaceCode(op.key.space);
  if (op.kind == Operation::Kind::kDelete) {
    ASSIGN_OR_RETURN(
        Statement log,
        conn.Prepare(
            "INSERT INTO content_log (commit_seq, ordinal, branch_pk, space, parent, name, op) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)"));
    RETURN_IF_ERROR(log.BindAll(seq, ordinal, branch.branch_pk, space, parent, op.key.name).Run());
    if (branch.has_parent) {
      ASSIGN_OR_RETURN(Statement tombstone,
                       conn.Prepare("INSERT OR REPLACE INTO content (branch_pk, space, parent, "
                                    "name, deleted, mod_seq) VALUES (?1, ?2, ?3, ?4, 1, ?5)"));
      return tombstone.BindAll(branch.branch_pk, space, parent, op.key.name, seq).Run();
    }
    ASSIGN_OR_RETURN(Statement del, conn.Prepare("DELETE FROM content WHERE branch_pk = ?1 AND "
                                                 "space = ?2 AND parent = ?3 AND name = ?4"));
    return del.BindAll(branch.branch_pk, space, parent, op.key.name).Run();
  }
  const Content& c = *op.content;
  std::string properties = serde::PropertiesToJson(c.properties);
  ASSIGN_OR_RETURN(
      Statement log,
      conn.Prepare(
          "INSERT INTO content_log (commit_seq, ordinal, branch_pk, space, parent, name, op, type, "
          "content_id, metadata_location, properties) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9, ?10)"));
  RETURN_IF_ERROR(log.BindAll(seq, ordinal, branch.branch_pk, space, parent, op.key.name,
                              TypeCode(c.type), c.id, c.metadata_location, properties)
                      .Run());
  ASSIGN_OR_RETURN(Statement put, conn.Prepare("INSERT OR REPLACE INTO content (branch_pk, space, "
                                               "parent, name, deleted, mod_seq, type, content_id, "
                                               "metadata_location, properties) "
                                               "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9)"));
  return put
      .BindAll(branch.branch_pk, space, parent, op.key.name, seq, TypeCode(c.type), c.id,
               c.metadata_location, properties)
      .Run();
}

constexpr char kCommitColumns[] =
    "SELECT seq, id, parent_id, merge_parent_id, branch_name, author, message, time_ms "
    "FROM commits ";

CommitRecord ReadCommit(const Statement& stmt) {
  CommitRecord record;
  record.sequence = stmt.Int(0);
  record.id = stmt.Text(1);
  record.parent_id = stmt.OptText(2);
  record.merge_parent_id = stmt.OptText(3);
  record.branch = stmt.Text(4);
  record.author = stmt.Text(5);
  record.message = stmt.Text(6);
  record.time_ms = stmt.Int(7);
  return record;
}

}  // namespace

Result<int64_t> CatalogPk(Connection& conn, const TenantId& tenant, const CatalogId& catalog) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT pk FROM catalogs WHERE id = ?1 AND tenant_id = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog.value, tenant.value).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
  return stmt.Int(0);
}

Result<BranchRow> SelectLiveBranch(Connection& conn, int64_t catalog_pk, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT pk, head_commit_id, parent_pk IS NOT NULL FROM branches "
                                "WHERE catalog_pk = ?1 AND name = ?2 AND deleted = 0"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog_pk, name).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Branch not found: {}", name);
  return BranchRow{catalog_pk, stmt.Int(0), stmt.OptText(1), stmt.Int(2) == 1};
}

Result<catalog::AssetLocation> SelectAsset(Connection& conn, const TenantId& tenant,
                                           std::string_view asset_id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT k.id, k.name, b.name, c.space, c.parent, c.name, c.type, c.content_id, "
                   "c.metadata_location, c.properties FROM content c "
                   "JOIN branches b ON b.pk = c.branch_pk JOIN catalogs k ON k.pk = b.catalog_pk "
                   "WHERE c.content_id = ?2 AND c.deleted = 0 AND c.type IN (1, 2) "
                   "AND b.deleted = 0 AND k.tenant_id = ?1 "
                   "ORDER BY b.name <> 'main', b.name LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(tenant.value, asset_id).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Asset not found: {}", asset_id);
  catalog::AssetLocation found;
  found.catalog_id.value = stmt.Text(0);
  found.catalog_name = stmt.Text(1);
  found.branch = stmt.Text(2);
  found.key.space = stmt.Int(3) == 0 ? ContentKey::Space::kNamespace : ContentKey::Space::kObject;
  found.key.parent = DecodeParent(stmt.Text(4));
  found.key.name = stmt.Text(5);
  ASSIGN_OR_RETURN(found.content, ReadContent(stmt, 6));
  return found;
}

Result<std::vector<Layer>> LayersFor(Connection& conn, int64_t catalog_pk, std::string_view ref) {
  // The top layer: a live branch (unbounded), else the commit a tag or commit id names.
  ASSIGN_OR_RETURN(
      Statement top,
      conn.Prepare("SELECT pk, NULL FROM branches WHERE catalog_pk = ?1 AND name = ?2 AND "
                   "deleted = 0 "
                   "UNION ALL SELECT * FROM (SELECT c.branch_pk, c.seq FROM tags t JOIN commits c "
                   "ON c.id = t.commit_id WHERE t.catalog_pk = ?1 AND t.name = ?2) "
                   "UNION ALL SELECT * FROM (SELECT branch_pk, seq FROM commits "
                   "WHERE catalog_pk = ?1 AND id = ?2) LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, top.BindAll(catalog_pk, ref).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
  std::vector<Layer> layers{
      Layer{top.Int(0), top.IsNull(1) ? std::nullopt : std::optional<int64_t>(top.Int(1))}};
  ASSIGN_OR_RETURN(Statement parent,
                   conn.Prepare("SELECT parent_pk, fork_seq FROM branches WHERE pk = ?1"));
  for (int64_t branch = layers.back().branch;;) {
    parent.Reset();
    ASSIGN_OR_RETURN(bool found, parent.BindAll(branch).Step());
    if (!found || parent.IsNull(0)) return layers;
    branch = parent.Int(0);
    layers.push_back(Layer{branch, parent.Int(1)});
  }
}

Result<std::optional<int64_t>> SelectRootBranch(Connection& conn, const TenantId& tenant,
                                                const CatalogId& catalog, std::string_view ref) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT b.pk FROM catalogs k JOIN branches b ON b.catalog_pk = k.pk "
                   "AND b.name = ?3 AND b.deleted = 0 AND b.parent_pk IS NULL "
                   "WHERE k.id = ?1 AND k.tenant_id = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog.value, tenant.value, ref).Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt.Int(0));
}

Result<Version> SelectBranchRow(Connection& conn, int64_t branch_pk, const ContentKey& key) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT deleted, type, content_id, metadata_location, properties "
                                "FROM content WHERE branch_pk = ?1 AND space = ?2 AND parent = ?3 "
                                "AND name = ?4"));
  ASSIGN_OR_RETURN(
      bool row,
      stmt.BindAll(branch_pk, SpaceCode(key.space), EncodeParent(key.parent), key.name).Step());
  if (!row) return Version();
  return ReadVersion(stmt, 0);
}

Result<std::optional<Version>> SqliteLayers::Get(const Layer& layer, const ContentKey& key) {
  std::string parent = EncodeParent(key.parent);
  int64_t space = SpaceCode(key.space);
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_.Prepare("SELECT mod_seq, deleted, type, content_id, metadata_location, "
                                 "properties FROM content WHERE branch_pk = ?1 AND space = ?2 AND "
                                 "parent = ?3 AND name = ?4"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(layer.branch, space, parent, key.name).Step());
  if (row && (!layer.bound || stmt.Int(0) <= *layer.bound)) {
    ASSIGN_OR_RETURN(Version version, ReadVersion(stmt, 1));
    return std::optional<Version>(std::move(version));
  }
  if (!layer.bound) return std::optional<Version>();
  return LogAsOf(conn_, layer.branch, space, parent, key.name, *layer.bound);
}

Result<std::vector<NamedVersion>> SqliteLayers::List(const Layer& layer, ContentKey::Space space,
                                                     const Namespace& parent,
                                                     const std::optional<std::string>& after,
                                                     size_t limit) {
  std::string encoded = EncodeParent(parent);
  int64_t space_code = SpaceCode(space);
  int64_t bound = layer.bound.value_or(std::numeric_limits<int64_t>::max());
  // Rows unchanged since the bound are current; names changed after it come from the log.
  ASSIGN_OR_RETURN(
      Statement rows,
      conn_.Prepare(fmt::format(
          "SELECT name, deleted, type, content_id, metadata_location, properties FROM content "
          "WHERE branch_pk = ?1 AND space = ?2 AND parent = ?3 AND name {} ?4 AND mod_seq <= ?5 "
          "ORDER BY name LIMIT ?6",
          after ? ">" : ">=")));
  rows.BindAll(layer.branch, space_code, encoded, after.value_or(""), bound,
               static_cast<int64_t>(limit));
  std::vector<NamedVersion> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(Version version, ReadVersion(rows, 1));
    out.push_back(NamedVersion{rows.Text(0), std::move(version)});
  }
  if (!layer.bound) return out;
  ASSIGN_OR_RETURN(Statement changed,
                   conn_.Prepare(fmt::format(
                       // Only the entries after the fork: a name range on content_log_by_key
                       // would scan the namespace's whole log.
                       "SELECT DISTINCT name FROM content_log INDEXED BY content_log_by_parent "
                       "WHERE branch_pk = ?1 AND space = ?2 "
                       "AND parent = ?3 AND commit_seq > ?4 AND name {} ?5",
                       after ? ">" : ">=")));
  changed.BindAll(layer.branch, space_code, encoded, bound, after.value_or(""));
  std::vector<std::string> names;
  while (true) {
    ASSIGN_OR_RETURN(bool row, changed.Step());
    if (!row) break;
    names.push_back(changed.Text(0));
  }
  for (const auto& name : names) {
    ASSIGN_OR_RETURN(std::optional<Version> version,
                     LogAsOf(conn_, layer.branch, space_code, encoded, name, bound));
    if (version) out.push_back(NamedVersion{name, std::move(*version)});
  }
  std::sort(out.begin(), out.end(),
            [](const NamedVersion& a, const NamedVersion& b) { return a.name < b.name; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::string> WriteCommit(Connection& conn, const BranchRow& branch,
                                const CommitRequest& request) {
  RETURN_IF_ERROR(versioning::ValidateOperations(request));
  if (request.merge_parent_id) {
    ASSIGN_OR_RETURN(Statement known,
                     conn.Prepare("SELECT 1 FROM commits WHERE catalog_pk = ?1 AND id = ?2"));
    ASSIGN_OR_RETURN(bool row, known.BindAll(branch.catalog_pk, *request.merge_parent_id).Step());
    if (!row) {
      return Err(ErrorCode::kInvalidArgument, "Unknown merge parent: {}", *request.merge_parent_id);
    }
  }
  std::string id = NewUuidV7(request.time_ms);
  ASSIGN_OR_RETURN(Statement commit,
                   conn.Prepare("INSERT INTO commits (id, catalog_pk, branch_pk, branch_name, "
                                "parent_id, merge_parent_id, author, message, time_ms) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  RETURN_IF_ERROR(commit
                      .BindAll(id, branch.catalog_pk, branch.branch_pk, request.branch,
                               branch.head_commit_id, request.merge_parent_id, request.author,
                               request.message, request.time_ms)
                      .Run());
  int64_t seq = conn.LastInsertRowId();
  for (size_t i = 0; i < request.operations.size(); ++i) {
    RETURN_IF_ERROR(
        ApplyOperation(conn, branch, seq, static_cast<int64_t>(i), request.operations[i]));
  }
  ASSIGN_OR_RETURN(Statement head,
                   conn.Prepare("UPDATE branches SET head_commit_id = ?2 WHERE pk = ?1"));
  RETURN_IF_ERROR(head.BindAll(branch.branch_pk, id).Run());
  return id;
}

Result<Page<CommitRecord>> SelectHistory(Connection& conn, const std::vector<Layer>& layers,
                                         std::optional<int64_t> before, size_t limit) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(std::string(kCommitColumns) +
                                "WHERE branch_pk = ?1 AND seq <= ?2 ORDER BY seq DESC LIMIT ?3"));
  Page<CommitRecord> page;
  for (const auto& layer : layers) {
    int64_t below = before.value_or(std::numeric_limits<int64_t>::max());
    if (!page.items.empty()) below = page.items.back().sequence;
    int64_t bound = std::min(layer.bound.value_or(std::numeric_limits<int64_t>::max()), below - 1);
    stmt.Reset();
    stmt.BindAll(layer.branch, bound, SqlLimit(limit == 0 ? 0 : limit - page.items.size()));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      if (limit != 0 && page.items.size() == limit) {
        page.next_token = EncodeToken(std::to_string(page.items.back().sequence));
        break;
      }
      page.items.push_back(ReadCommit(stmt));
    }
    if (page.next_token) break;
  }
  for (auto& record : page.items) {
    ASSIGN_OR_RETURN(record.operations, SelectOperations(conn, record.sequence));
  }
  return page;
}

Result<CommitRecord> SelectCommit(Connection& conn, int64_t catalog_pk, std::string_view id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(std::string(kCommitColumns) + "WHERE catalog_pk = ?1 AND id = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog_pk, id).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Commit not found: {}", id);
  CommitRecord record = ReadCommit(stmt);
  ASSIGN_OR_RETURN(record.operations, SelectOperations(conn, record.sequence));
  return record;
}

}  // namespace pangolin::store::sqlite_internal
