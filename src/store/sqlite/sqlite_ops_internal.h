// Row-level operations of the SQLite store, each on a connection already inside a transaction
// (the store decides which). Tenancy rows live in sqlite_tenancy.cc, versioned content and
// commits in sqlite_content.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/metadata_store.h"
#include "store/sqlite/sqlite_db_internal.h"

namespace pangolin::store::sqlite_internal {

// Opaque page tokens: base64url of the last name, or of the last commit's seq.
std::string EncodeToken(std::string_view last);
// "" → nullopt. Errors: kBadRequest.
Result<std::optional<std::string>> DecodeToken(const std::string& token);
// SQLite's LIMIT for a page of `limit` items plus one look-ahead row (-1: no limit).
int64_t SqlLimit(size_t limit);

// --- warehouses and catalogs (sqlite_tenancy.cc) ---
Status InsertWarehouse(Connection& conn, const Warehouse& warehouse);
Result<Warehouse> SelectWarehouse(Connection& conn, const TenantId& tenant, std::string_view name);
Result<Page<Warehouse>> SelectWarehouses(Connection& conn, const TenantId& tenant,
                                         const PageRequest& page);
Status ReplaceWarehouse(Connection& conn, const TenantId& tenant, std::string_view name,
                        const Warehouse& warehouse);
Status RemoveWarehouse(Connection& conn, const TenantId& tenant, std::string_view name);

Status InsertCatalog(Connection& conn, const Catalog& catalog);
Result<Catalog> SelectCatalog(Connection& conn, const TenantId& tenant, std::string_view name);
Result<Page<Catalog>> SelectCatalogs(Connection& conn, const TenantId& tenant,
                                     const PageRequest& page);
Status ReplaceCatalog(Connection& conn, const TenantId& tenant, std::string_view name,
                      const Catalog& catalog);
Status RemoveCatalog(Connection& conn, const TenantId& tenant, std::string_view name);

// --- content and commits (sqlite_content.cc) ---
struct BranchRef {
  int64_t catalog_pk = 0;
  int64_t branch_pk = 0;
  std::optional<std::string> head_commit_id;
};
// Errors: kNotFound (catalog not in `tenant`, or no such branch).
Result<BranchRef> ResolveBranch(Connection& conn, const TenantId& tenant, const CatalogId& catalog,
                                std::string_view branch);
Result<std::optional<Content>> SelectContent(Connection& conn, int64_t branch_pk,
                                             const ContentKey& key);
Result<Page<Entry>> SelectChildren(Connection& conn, int64_t branch_pk, ContentKey::Space space,
                                   const Namespace& parent, std::optional<ContentType> type,
                                   const std::optional<std::string>& after, size_t limit);
// Errors: kCommitFailed naming the first precondition that does not hold.
Status CheckPreconditions(Connection& conn, int64_t branch_pk,
                          const std::vector<Precondition>& preconditions);
// Records the commit, applies its operations and moves the branch head. Returns the commit id.
Result<std::string> WriteCommit(Connection& conn, const BranchRef& branch,
                                const CommitRequest& request);
// Commits on the branch, newest first, with seq below `before` when set.
Result<Page<CommitRecord>> SelectCommits(Connection& conn, int64_t branch_pk,
                                         std::string_view branch_name,
                                         std::optional<int64_t> before, size_t limit);

}  // namespace pangolin::store::sqlite_internal
