// Branches, tags and reference-name resolution in the SQLite store. A branch row records where it
// forked (parent_pk, fork_seq); nothing else is copied, so creating one is a single insert.
#include "common/strings.h"
#include "store/sqlite/sqlite_ops_internal.h"

namespace pangolin::store::sqlite_internal {
namespace {

constexpr char kBranchColumns[] =
    "SELECT name, head_commit_id, branch_type, assets, fork_commit_id, created_ms FROM branches ";

std::string JoinAssets(const std::vector<std::string>& assets) {
  std::string out;
  for (const auto& asset : assets) {
    if (!out.empty()) out += '\x1f';
    out += asset;
  }
  return out;
}

Branch ReadBranch(const Statement& stmt) {
  Branch branch;
  branch.name = stmt.Text(0);
  branch.head_commit_id = stmt.OptText(1);
  branch.type = stmt.Int(2) == 0 ? BranchType::kIngest : BranchType::kExperimental;
  for (auto asset : Split(stmt.Text(3), "\x1f")) {
    if (!asset.empty()) branch.assets.emplace_back(asset);
  }
  branch.fork_commit_id = stmt.OptText(4);
  branch.created_ms = stmt.Int(5);
  return branch;
}

Result<bool> NameTaken(Connection& conn, int64_t catalog_pk, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("SELECT 1 FROM branches WHERE catalog_pk = ?1 AND name = ?2 AND "
                                "deleted = 0 UNION ALL "
                                "SELECT 1 FROM tags WHERE catalog_pk = ?1 AND name = ?2"));
  return stmt.BindAll(catalog_pk, name).Step();
}

struct CommitPoint {
  std::string id;
  int64_t branch_pk = 0;
  int64_t seq = 0;
};

// The commit a tag names, or the commit with id `ref`. Errors: kNotFound.
Result<CommitPoint> TaggedOrNamedCommit(Connection& conn, int64_t catalog_pk,
                                        std::string_view ref) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("SELECT * FROM (SELECT c.id, c.branch_pk, c.seq FROM tags t JOIN commits c ON "
                   "c.id = t.commit_id WHERE t.catalog_pk = ?1 AND t.name = ?2) UNION ALL "
                   "SELECT * FROM (SELECT id, branch_pk, seq FROM commits WHERE catalog_pk = ?1 "
                   "AND id = ?2) LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog_pk, ref).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
  return CommitPoint{stmt.Text(0), stmt.Int(1), stmt.Int(2)};
}

// A page of names in `table` for the catalog, ordered by name. `columns` selects the row.
template <typename T, typename ReadRow>
Result<Page<T>> SelectNamed(Connection& conn, const std::string& sql, int64_t catalog_pk,
                            const PageRequest& request, ReadRow read) {
  ASSIGN_OR_RETURN(auto after, DecodeToken(request.token));
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.BindAll(catalog_pk, after.value_or(""), SqlLimit(request.limit));
  Page<T> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return page;
    if (request.limit != 0 && page.items.size() == request.limit) {
      page.next_token = EncodeToken(page.items.back().name);
      return page;
    }
    page.items.push_back(read(stmt));
  }
}

}  // namespace

Result<RefInfo> SelectRef(Connection& conn, int64_t catalog_pk, std::string_view ref) {
  ASSIGN_OR_RETURN(Statement branch,
                   conn.Prepare("SELECT head_commit_id FROM branches WHERE catalog_pk = ?1 AND "
                                "name = ?2 AND deleted = 0"));
  ASSIGN_OR_RETURN(bool row, branch.BindAll(catalog_pk, ref).Step());
  if (row) return RefInfo{RefInfo::Kind::kBranch, std::string(ref), branch.OptText(0)};
  ASSIGN_OR_RETURN(Statement tag,
                   conn.Prepare("SELECT commit_id FROM tags WHERE catalog_pk = ?1 AND name = ?2"));
  ASSIGN_OR_RETURN(row, tag.BindAll(catalog_pk, ref).Step());
  if (row) return RefInfo{RefInfo::Kind::kTag, std::string(ref), tag.Text(0)};
  ASSIGN_OR_RETURN(CommitPoint commit, TaggedOrNamedCommit(conn, catalog_pk, ref));
  return RefInfo{RefInfo::Kind::kCommit, commit.id, commit.id};
}

Result<Branch> InsertBranch(Connection& conn, int64_t catalog_pk, const NewBranch& spec) {
  ASSIGN_OR_RETURN(bool taken, NameTaken(conn, catalog_pk, spec.name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Reference already exists: {}", spec.name);
  int64_t parent_pk = 0;
  int64_t fork_seq = 0;
  std::optional<std::string> fork_commit;
  auto source = SelectLiveBranch(conn, catalog_pk, spec.from);
  if (source) {
    parent_pk = source->branch_pk;
    fork_commit = source->head_commit_id;
    if (fork_commit) {
      ASSIGN_OR_RETURN(CommitPoint head, TaggedOrNamedCommit(conn, catalog_pk, *fork_commit));
      fork_seq = head.seq;
    }
  } else {
    ASSIGN_OR_RETURN(CommitPoint commit, TaggedOrNamedCommit(conn, catalog_pk, spec.from));
    parent_pk = commit.branch_pk;
    fork_seq = commit.seq;
    fork_commit = commit.id;
  }
  ASSIGN_OR_RETURN(
      Statement insert,
      conn.Prepare("INSERT INTO branches (catalog_pk, name, head_commit_id, parent_pk, fork_seq, "
                   "fork_commit_id, branch_type, assets, created_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6, ?7, ?8)"));
  RETURN_IF_ERROR(insert
                      .BindAll(catalog_pk, spec.name, fork_commit, parent_pk, fork_seq,
                               int64_t{spec.type == BranchType::kIngest ? 0 : 1},
                               JoinAssets(spec.assets), spec.time_ms)
                      .Run());
  return Branch{spec.name, fork_commit, spec.type, spec.assets, fork_commit, spec.time_ms};
}

Result<Branch> SelectBranch(Connection& conn, int64_t catalog_pk, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare(std::string(kBranchColumns) +
                                "WHERE catalog_pk = ?1 AND name = ?2 AND deleted = 0"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog_pk, name).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Branch not found: {}", name);
  return ReadBranch(stmt);
}

Result<Page<Branch>> SelectBranches(Connection& conn, int64_t catalog_pk, const PageRequest& page) {
  return SelectNamed<Branch>(conn,
                             std::string(kBranchColumns) +
                                 "WHERE catalog_pk = ?1 AND deleted = 0 AND name > ?2 "
                                 "ORDER BY name LIMIT ?3",
                             catalog_pk, page, ReadBranch);
}

Status RemoveBranch(Connection& conn, int64_t catalog_pk, std::string_view name) {
  if (name == catalog::kMainBranch) {
    return Err(ErrorCode::kInvalidArgument, "The main branch cannot be deleted");
  }
  ASSIGN_OR_RETURN(BranchRow branch, SelectLiveBranch(conn, catalog_pk, name));
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("UPDATE branches SET deleted = 1, "
                                                "name = name || char(31) || pk WHERE pk = ?1"));
  return stmt.BindAll(branch.branch_pk).Run();
}

Result<Tag> InsertTag(Connection& conn, int64_t catalog_pk, std::string_view name,
                      std::string_view target, int64_t time_ms) {
  ASSIGN_OR_RETURN(bool taken, NameTaken(conn, catalog_pk, name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Reference already exists: {}", name);
  ASSIGN_OR_RETURN(RefInfo ref, SelectRef(conn, catalog_pk, target));
  if (!ref.commit_id) {
    return Err(ErrorCode::kInvalidArgument, "Branch {} has no commit to tag", target);
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("INSERT INTO tags (catalog_pk, name, commit_id, created_ms) "
                                "VALUES (?1, ?2, ?3, ?4)"));
  RETURN_IF_ERROR(stmt.BindAll(catalog_pk, name, ref.commit_id, time_ms).Run());
  return Tag{std::string(name), *ref.commit_id, time_ms};
}

Result<Tag> SelectTag(Connection& conn, int64_t catalog_pk, std::string_view name) {
  ASSIGN_OR_RETURN(Statement stmt, conn.Prepare("SELECT name, commit_id, created_ms FROM tags "
                                                "WHERE catalog_pk = ?1 AND name = ?2"));
  ASSIGN_OR_RETURN(bool row, stmt.BindAll(catalog_pk, name).Step());
  if (!row) return Err(ErrorCode::kNotFound, "Tag not found: {}", name);
  return Tag{stmt.Text(0), stmt.Text(1), stmt.Int(2)};
}

Result<Page<Tag>> SelectTags(Connection& conn, int64_t catalog_pk, const PageRequest& page) {
  return SelectNamed<Tag>(conn,
                          "SELECT name, commit_id, created_ms FROM tags WHERE catalog_pk = ?1 "
                          "AND name > ?2 ORDER BY name LIMIT ?3",
                          catalog_pk, page, [](const Statement& stmt) {
                            return Tag{stmt.Text(0), stmt.Text(1), stmt.Int(2)};
                          });
}

Status RemoveTag(Connection& conn, int64_t catalog_pk, std::string_view name) {
  RETURN_IF_ERROR(SelectTag(conn, catalog_pk, name));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn.Prepare("DELETE FROM tags WHERE catalog_pk = ?1 AND name = ?2"));
  return stmt.BindAll(catalog_pk, name).Run();
}

}  // namespace pangolin::store::sqlite_internal
