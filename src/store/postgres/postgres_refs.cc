// Branches, tags and reference-name resolution in the PostgreSQL store. A branch row records where
// it forked (parent_pk, fork_seq); nothing else is copied, so creating one is a single insert. The
// store locks the catalog row around reference changes (LockCatalogForRefs): a name is unique
// across branches and tags together.
#include "common/strings.h"
#include "store/postgres/postgres_ops_internal.h"

namespace pangolin::store::postgres_internal {
namespace {

constexpr char kBranchColumns[] =
    "SELECT name, head_commit_id, branch_type, assets, fork_commit_id, created_ms FROM branches ";
constexpr char kTagColumns[] = "SELECT name, commit_id, created_ms FROM tags ";

std::string JoinAssets(const std::vector<std::string>& assets) {
  std::string out;
  for (const auto& asset : assets) {
    if (!out.empty()) out += '\x1f';
    out += asset;
  }
  return out;
}

Result<Branch> ReadBranch(const Row& row) {
  Branch branch;
  branch.name = row.Text(0);
  branch.head_commit_id = row.OptText(1);
  branch.type = row.Int(2) == 0 ? BranchType::kIngest : BranchType::kExperimental;
  for (auto asset : Split(row.Text(3), "\x1f")) {
    if (!asset.empty()) branch.assets.emplace_back(asset);
  }
  branch.fork_commit_id = row.OptText(4);
  branch.created_ms = row.Int(5);
  return branch;
}

Result<Tag> ReadTag(const Row& row) { return Tag{row.Text(0), row.Text(1), row.Int(2)}; }

Result<bool> NameTaken(Connection& conn, int64_t catalog_pk, std::string_view name) {
  return HasRow(conn,
                "SELECT 1 FROM branches WHERE catalog_pk = $1 AND name = $2 AND NOT deleted "
                "UNION ALL SELECT 1 FROM tags WHERE catalog_pk = $1 AND name = $2",
                catalog_pk, name);
}

struct CommitPoint {
  std::string id;
  int64_t branch_pk = 0;
  int64_t seq = 0;
};

// The commit a tag names, or the commit with id `ref`. Errors: kNotFound.
Result<CommitPoint> TaggedOrNamedCommit(Connection& conn, int64_t catalog_pk,
                                        std::string_view ref) {
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query("SELECT id, branch_pk, seq FROM ("
                              "SELECT 0 AS rank, c.id, c.branch_pk, c.seq FROM tags t JOIN "
                              "commits c ON c.id = t.commit_id WHERE t.catalog_pk = $1 AND "
                              "t.name = $2 UNION ALL SELECT 1, id, branch_pk, seq FROM commits "
                              "WHERE catalog_pk = $1 AND id = $2) r ORDER BY rank LIMIT 1",
                              catalog_pk, ref));
  if (rows.empty()) return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
  return CommitPoint{rows[0].Text(0), rows[0].Int(1), rows[0].Int(2)};
}

// A page of the catalog's names of `select` ($1 catalog, $2 after, $3 limit), ordered by name.
template <typename T>
Result<Page<T>> SelectNamed(Connection& conn, const std::string& sql, int64_t catalog_pk,
                            const PageRequest& request, Result<T> (*read)(const Row&)) {
  ASSIGN_OR_RETURN(auto after, DecodeToken(request.token));
  ASSIGN_OR_RETURN(Rows rows,
                   conn.Query(sql, catalog_pk, after.value_or(""), PageLimit(request.limit)));
  return CutPage<T>(rows, request.limit, read,
                    [](const T& item) { return EncodeToken(item.name); });
}

}  // namespace

Result<RefInfo> SelectRef(Connection& conn, int64_t catalog_pk, std::string_view ref) {
  ASSIGN_OR_RETURN(Rows named,
                   conn.Query("SELECT 0 AS kind, head_commit_id FROM branches WHERE catalog_pk = "
                              "$1 AND name = $2 AND NOT deleted UNION ALL SELECT 1, commit_id "
                              "FROM tags WHERE catalog_pk = $1 AND name = $2 ORDER BY kind LIMIT 1",
                              catalog_pk, ref));
  if (!named.empty()) {
    auto kind = named[0].Int(0) == 0 ? RefInfo::Kind::kBranch : RefInfo::Kind::kTag;
    return RefInfo{kind, std::string(ref), named[0].OptText(1)};
  }
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
  } else if (source.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(source.error());
  } else {
    ASSIGN_OR_RETURN(CommitPoint commit, TaggedOrNamedCommit(conn, catalog_pk, spec.from));
    parent_pk = commit.branch_pk;
    fork_seq = commit.seq;
    fork_commit = commit.id;
  }
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO branches (catalog_pk, name, head_commit_id, parent_pk, "
                         "fork_seq, fork_commit_id, branch_type, assets, created_ms) "
                         "VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $8)",
                         catalog_pk, spec.name, fork_commit, parent_pk, fork_seq,
                         int64_t{spec.type == BranchType::kIngest ? 0 : 1}, JoinAssets(spec.assets),
                         spec.time_ms));
  return Branch{spec.name, fork_commit, spec.type, spec.assets, fork_commit, spec.time_ms};
}

Result<Branch> SelectBranch(Connection& conn, int64_t catalog_pk, std::string_view name) {
  return SelectOne<Branch>(
      conn, std::string(kBranchColumns) + "WHERE catalog_pk = $1 AND name = $2 AND NOT deleted",
      &ReadBranch, fmt::format("Branch not found: {}", name), catalog_pk, name);
}

Result<Page<Branch>> SelectBranches(Connection& conn, int64_t catalog_pk, const PageRequest& page) {
  return SelectNamed<Branch>(conn,
                             std::string(kBranchColumns) +
                                 "WHERE catalog_pk = $1 AND NOT deleted AND name > $2 "
                                 "ORDER BY name LIMIT $3",
                             catalog_pk, page, &ReadBranch);
}

// The branch gives up its name; its rows stay, for the tags and forks that still read them.
Status RemoveBranch(Connection& conn, int64_t catalog_pk, std::string_view name) {
  if (name == catalog::kMainBranch) {
    return Err(ErrorCode::kInvalidArgument, "The main branch cannot be deleted");
  }
  ASSIGN_OR_RETURN(BranchRow branch, SelectLiveBranch(conn, catalog_pk, name, true));
  return Change(conn, "UPDATE branches SET deleted = true WHERE pk = $1", branch.branch_pk)
      .map([](int64_t) {});
}

Result<Tag> InsertTag(Connection& conn, int64_t catalog_pk, std::string_view name,
                      std::string_view target, int64_t time_ms) {
  ASSIGN_OR_RETURN(bool taken, NameTaken(conn, catalog_pk, name));
  if (taken) return Err(ErrorCode::kAlreadyExists, "Reference already exists: {}", name);
  ASSIGN_OR_RETURN(RefInfo ref, SelectRef(conn, catalog_pk, target));
  if (!ref.commit_id) {
    return Err(ErrorCode::kInvalidArgument, "Branch {} has no commit to tag", target);
  }
  RETURN_IF_ERROR(Change(conn,
                         "INSERT INTO tags (catalog_pk, name, commit_id, created_ms) "
                         "VALUES ($1, $2, $3, $4)",
                         catalog_pk, name, *ref.commit_id, time_ms));
  return Tag{std::string(name), *ref.commit_id, time_ms};
}

Result<Tag> SelectTag(Connection& conn, int64_t catalog_pk, std::string_view name) {
  return SelectOne<Tag>(conn, std::string(kTagColumns) + "WHERE catalog_pk = $1 AND name = $2",
                        &ReadTag, fmt::format("Tag not found: {}", name), catalog_pk, name);
}

Result<Page<Tag>> SelectTags(Connection& conn, int64_t catalog_pk, const PageRequest& page) {
  return SelectNamed<Tag>(
      conn, std::string(kTagColumns) + "WHERE catalog_pk = $1 AND name > $2 ORDER BY name LIMIT $3",
      catalog_pk, page, &ReadTag);
}

Status RemoveTag(Connection& conn, int64_t catalog_pk, std::string_view name) {
  ASSIGN_OR_RETURN(
      int64_t deleted,
      Change(conn, "DELETE FROM tags WHERE catalog_pk = $1 AND name = $2", catalog_pk, name));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Tag not found: {}", name);
  return Ok();
}

}  // namespace pangolin::store::postgres_internal
