// Versioned catalog content in the SQLite store: branch resolution, current-state reads and
// listings, precondition checks, and commits (commit row + content log + current state + head).
#include <limits>

#include "common/ids.h"
#include "serde/properties.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr char kContentColumns[] = "type, content_id, metadata_location, properties";

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

std::string DisplayKey(const ContentKey& key) {
  if (key.space == ContentKey::Space::kNamespace) return catalog::ToString(KeyNamespacePath(key));
  return catalog::ToString(catalog::TableIdentifier{key.parent, key.name});
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

Result<bool> HasChildren(Connection& conn, int64_t branch_pk, const Namespace& ns) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT 1 FROM content WHERE branch_pk = ?1 AND "
                                                "space IN (0, 1) AND parent = ?2 LIMIT 1"));
  return stmt.BindAll(branch_pk, EncodeParent(ns)).Step();
}

Result<bool> Holds(Connection& conn, int64_t branch_pk, const Precondition& pre) {
  switch (pre.kind) {
    case Precondition::Kind::kEquals: {
      ASSIGN_OR_RETURN(auto current, SelectContent(conn, branch_pk, pre.key));
      return current == pre.expected;
    }
    case Precondition::Kind::kNamespaceExists: {
      if (pre.key.space != ContentKey::Space::kNamespace) return false;
      ASSIGN_OR_RETURN(auto current, SelectContent(conn, branch_pk, pre.key));
      return current.has_value();
    }
    case Precondition::Kind::kNamespaceEmpty: {
      ASSIGN_OR_RETURN(bool children, HasChildren(conn, branch_pk, KeyNamespacePath(pre.key)));
      return !children;
    }
  }
  return false;
}

Status ApplyOperation(Connection& conn, int64_t branch_pk, int64_t seq, int64_t ordinal,
                      const Operation& op) {
  std::string parent = EncodeParent(op.key.parent);
  int64_t space = SpaceCode(op.key.space);
  if (op.kind == Operation::Kind::kDelete) {
    ASSIGN_OR_RETURN(
        Statement log,
        conn.Prepare(
            "INSERT INTO content_log (commit_seq, ordinal, branch_pk, space, parent, name, op) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)"));
    RETURN_IF_ERROR(log.BindAll(seq, ordinal, branch_pk, space, parent, op.key.name).Run());
    ASSIGN_OR_RETURN(Statement del, conn.Prepare("DELETE FROM content WHERE branch_pk = ?1 AND "
                                                 "space = ?2 AND parent = ?3 AND name = ?4"));
    return del.BindAll(branch_pk, space, parent, op.key.name).Run();
  }
  const Content& c = *op.content;
  std::string properties = serde::PropertiesToJson(c.properties);
  ASSIGN_OR_RETURN(
      Statement log,
      conn.Prepare(
          "INSERT INTO content_log (commit_seq, ordinal, branch_pk, space, parent, name, op, type, "
          "content_id, metadata_location, properties) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9, ?10)"));
  RETURN_IF_ERROR(log.BindAll(seq, ordinal, branch_pk, space, parent, op.key.name, TypeCode(c.type),
                              c.id, c.metadata_location, properties)
                      .Run());
  ASSIGN_OR_RETURN(
      Statement put,
      conn.Prepare(
          "INSERT INTO content (branch_pk, space, parent, name, type, content_id, "
          "metadata_location, "
          "properties) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
          "ON CONFLICT (branch_pk, space, parent, name) DO UPDATE SET type = excluded.type, "
          "content_id = excluded.content_id, metadata_location = excluded.metadata_location, "
          "properties = excluded.properties"));
  return put
      .BindAll(branch_pk, space, parent, op.key.name, TypeCode(c.type), c.id, c.metadata_location,
               properties)
      .Run();
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

Status ValidateOperations(const CommitRequest& request) {
  for (const auto& op : request.operations) {
    if (op.kind == Operation::Kind::kPut && !op.content) {
      return Err(ErrorCode::kInvalidArgument, "Put of {} has no content", DisplayKey(op.key));
    }
  }
  return Ok();
}

}  // namespace

Result<BranchRef> ResolveBranch(Connection& conn, const TenantId& tenant, const CatalogId& catalog,
                                std::string_view branch) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT c.pk, b.pk, b.head_commit_id FROM catalogs c LEFT JOIN branches b "
                   "ON b.catalog_pk = c.pk AND b.name = ?3 WHERE c.id = ?1 AND c.tenant_id = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog.value, tenant.value, branch).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
  if (stmt.IsNull(1)) return Err(ErrorCode::kNotFound, "Branch not found: {}", branch);
  return BranchRef{stmt.Int(0), stmt.Int(1), stmt.OptText(2)};
}

Result<std::optional<Content>> SelectContent(Connection& conn, int64_t branch_pk,
                                             const ContentKey& key) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(fmt::format("SELECT {} FROM content WHERE branch_pk = ?1 AND space "
                                            "= ?2 AND parent = ?3 AND name = ?4",
                                            kContentColumns)));
  stmt.BindAll(branch_pk, SpaceCode(key.space), EncodeParent(key.parent), key.name);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<Content>();
  ASSIGN_OR_RETURN(Content content, ReadContent(stmt, 0));
  return std::optional<Content>(std::move(content));
}

Result<Page<Entry>> SelectChildren(Connection& conn, int64_t branch_pk, ContentKey::Space space,
                                   const Namespace& parent, std::optional<ContentType> type,
                                   const std::optional<std::string>& after, size_t limit) {
  std::string sql = fmt::format(
      "SELECT name, {} FROM content WHERE branch_pk = ?1 AND space = ?2 AND parent = ?3 AND "
      "name {} ?4{} ORDER BY name LIMIT ?5",
      kContentColumns, after ? ">" : ">=", type ? " AND type = ?6" : "");
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.BindAll(branch_pk, SpaceCode(space), EncodeParent(parent), after.value_or(""),
               SqlLimit(limit));
  if (type) stmt.Bind(6, TypeCode(*type));
  Page<Entry> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = EncodeToken(page.items.back().key.name);
      break;
    }
    ASSIGN_OR_RETURN(Content content, ReadContent(stmt, 1));
    page.items.push_back(Entry{ContentKey{space, parent, stmt.Text(0)}, std::move(content)});
  }
  return page;
}

Status CheckPreconditions(Connection& conn, int64_t branch_pk,
                          const std::vector<Precondition>& preconditions) {
  for (const auto& pre : preconditions) {
    ASSIGN_OR_RETURN(bool holds, Holds(conn, branch_pk, pre));
    if (holds) continue;
    switch (pre.kind) {
      case Precondition::Kind::kEquals:
        return Err(ErrorCode::kCommitFailed, "Precondition failed: {} has changed",
                   DisplayKey(pre.key));
      case Precondition::Kind::kNamespaceExists:
        return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} does not exist",
                   DisplayKey(pre.key));
      case Precondition::Kind::kNamespaceEmpty:
        return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} is not empty",
                   DisplayKey(pre.key));
    }
  }
  return Ok();
}

Result<std::string> WriteCommit(Connection& conn, const BranchRef& branch,
                                const CommitRequest& request) {
  RETURN_IF_ERROR(ValidateOperations(request));
  std::string id = NewUuid();
  ASSIGN_OR_RETURN(
      Statement commit,
      conn.Prepare(
          "INSERT INTO commits (id, catalog_pk, branch_pk, parent_id, author, message, time_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  RETURN_IF_ERROR(commit
                      .BindAll(id, branch.catalog_pk, branch.branch_pk, branch.head_commit_id,
                               request.author, request.message, request.time_ms)
                      .Run());
  int64_t seq = conn.LastInsertRowId();
  for (size_t i = 0; i < request.operations.size(); ++i) {
    RETURN_IF_ERROR(ApplyOperation(conn, branch.branch_pk, seq, static_cast<int64_t>(i),
                                   request.operations[i]));
  }
  ASSIGN_OR_RETURN(Statement head,
                   conn.Prepare("UPDATE branches SET head_commit_id = ?2 WHERE pk = ?1"));
  RETURN_IF_ERROR(head.BindAll(branch.branch_pk, id).Run());
  return id;
}

Result<Page<CommitRecord>> SelectCommits(Connection& conn, int64_t branch_pk,
                                         std::string_view branch_name,
                                         std::optional<int64_t> before, size_t limit) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT seq, id, parent_id, author, message, time_ms FROM commits "
                                "WHERE branch_pk = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3"));
  stmt.BindAll(branch_pk, before.value_or(std::numeric_limits<int64_t>::max()), SqlLimit(limit));
  Page<CommitRecord> page;
  std::vector<int64_t> seqs;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = EncodeToken(std::to_string(seqs.back()));
      break;
    }
    seqs.push_back(stmt.Int(0));
    page.items.push_back(CommitRecord{stmt.Text(1),
                                      stmt.OptText(2),
                                      std::string(branch_name),
                                      stmt.Text(3),
                                      stmt.Text(4),
                                      stmt.Int(5),
                                      {}});
  }
  for (size_t i = 0; i < seqs.size(); ++i) {
    ASSIGN_OR_RETURN(page.items[i].operations, SelectOperations(conn, seqs[i]));
  }
  return page;
}

}  // namespace pangolin::store::sqlite_internal
