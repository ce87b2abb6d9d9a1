// Row-level operations of the PostgreSQL store, each on a connection already inside the
// transaction the store chose (postgres_db_internal.h). Warehouses and catalogs live in
// postgres_tenancy.cc, versioned content and commits in postgres_content.cc, branches and tags in
// postgres_refs.cc, merge operations in postgres_merges.cc, metrics reports in
// postgres_metrics.cc, Idempotency-Key records in postgres_idempotency.cc, the audit trail in
// postgres_audit.cc, rate-limit counters and OAuth states in postgres_ephemeral.cc (business
// metadata, which also bumps access versions, is in postgres_identity_internal.h). Each follows
// its SQLite twin (src/store/sqlite/), which is the reference for behaviour and messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/keyset_token.h"
#include "store/layered_view.h"
#include "store/metadata_store.h"
#include "store/postgres/postgres_conn_internal.h"

namespace pangolin::store::postgres_internal {

// Opaque page tokens: base64url of the last name, or of the last commit's seq.
std::string EncodeToken(std::string_view last);
// "" → nullopt. Errors: kBadRequest.
Result<std::optional<std::string>> DecodeToken(const std::string& token);
// The LIMIT for a page of `limit` items plus one look-ahead row (NULL: no limit).
std::optional<int64_t> PageLimit(size_t limit);

// Cuts `rows` (fetched with PageLimit(limit)) into one page; `position` gives the next page's
// token for the last item kept.
template <typename T, typename Read, typename Position>
Result<Page<T>> CutPage(const Rows& rows, size_t limit, Read read, Position position) {
  Page<T> page;
  for (int i = 0; i < rows.size(); ++i) {
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = position(page.items.back());
      break;
    }
    ASSIGN_OR_RETURN(T item, read(rows[i]));
    page.items.push_back(std::move(item));
  }
  return page;
}

// Every row of `rows` through `read`.
template <typename T>
Result<std::vector<T>> ReadAll(const Rows& rows, Result<T> (*read)(const Row&)) {
  std::vector<T> items;
  items.reserve(rows.size());
  for (int i = 0; i < rows.size(); ++i) {
    ASSIGN_OR_RETURN(T item, read(rows[i]));
    items.push_back(std::move(item));
  }
  return items;
}

// True when `sql` yields a row for `args`.
template <typename... Args>
Result<bool> HasRow(Connection& conn, const std::string& sql, const Args&... args) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, args...));
  return !rows.empty();
}

// Runs a statement for its effect; returns how many rows it changed.
template <typename... Args>
Result<int64_t> Change(Connection& conn, const std::string& sql, const Args&... args) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, args...));
  return rows.affected();
}

// The one row `sql` yields for `args` through `read`, else kNotFound with `missing`.
template <typename T, typename... Args>
Result<T> SelectOne(Connection& conn, const std::string& sql, Result<T> (*read)(const Row&),
                    const std::string& missing, const Args&... args) {
  ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, args...));
  if (rows.empty()) return MakeError(ErrorCode::kNotFound, missing);
  return read(rows[0]);
}

// --- warehouses and catalogs (postgres_tenancy.cc) ---
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

// --- versioned content and commits (postgres_content.cc) ---
struct BranchRow {
  int64_t catalog_pk = 0;
  int64_t branch_pk = 0;
  std::optional<std::string> head_commit_id;
  bool has_parent = false;  // deletions must leave tombstones that shadow the parent
};
// Errors: kNotFound (no such catalog in `tenant`).
Result<int64_t> CatalogPk(Connection& conn, const TenantId& tenant, const CatalogId& catalog);
// As CatalogPk, locking the catalog's row against other reference changes (branch and tag names
// are unique across both tables, which no index can say) until the transaction ends.
Result<int64_t> LockCatalogForRefs(Connection& conn, const TenantId& tenant,
                                   const CatalogId& catalog);
// A live branch by name, its row locked until the transaction ends (`lock`): commits on one
// branch are serialized, and each sees the head the previous one left. Errors: kNotFound.
Result<BranchRow> SelectLiveBranch(Connection& conn, int64_t catalog_pk, std::string_view name,
                                   bool lock = false);
// The layers through which `ref` (branch, tag or commit id) is read. Errors: kNotFound.
Result<std::vector<versioning::Layer>> LayersFor(Connection& conn, int64_t catalog_pk,
                                                 std::string_view ref);

// One branch's own entries, from `content` (current rows) and `content_log` (history). Each call
// is one statement, so it is consistent on its own even at READ COMMITTED.
class PostgresLayers final : public versioning::LayerSource {
 public:
  explicit PostgresLayers(Connection& conn) : conn_(conn) {}
  Result<std::optional<versioning::Version>> Get(const versioning::Layer& layer,
                                                 const ContentKey& key) override;
  Result<std::vector<versioning::NamedVersion>> List(const versioning::Layer& layer,
                                                     ContentKey::Space space,
                                                     const Namespace& parent,
                                                     const std::optional<std::string>& after,
                                                     size_t limit) override;

 private:
  Connection& conn_;
};

// Records the commit, applies its operations and moves the branch head. Returns the commit id.
Result<std::string> WriteCommit(Connection& conn, const BranchRow& branch,
                                const CommitRequest& request);
// MetadataStore::FindAsset: one read along content_by_id. Errors: kNotFound.
Result<catalog::AssetLocation> SelectAsset(Connection& conn, const TenantId& tenant,
                                           std::string_view asset_id);
// First-parent history through `layers`, newest first, with seq below `before` when set.
Result<Page<CommitRecord>> SelectHistory(Connection& conn,
                                         const std::vector<versioning::Layer>& layers,
                                         std::optional<int64_t> before, size_t limit);
// Errors: kNotFound.
Result<CommitRecord> SelectCommit(Connection& conn, int64_t catalog_pk, std::string_view id);

// --- branches, tags and reference names (postgres_refs.cc) ---
Result<RefInfo> SelectRef(Connection& conn, int64_t catalog_pk, std::string_view ref);
Result<Branch> InsertBranch(Connection& conn, int64_t catalog_pk, const NewBranch& branch);
Result<Branch> SelectBranch(Connection& conn, int64_t catalog_pk, std::string_view name);
Result<Page<Branch>> SelectBranches(Connection& conn, int64_t catalog_pk, const PageRequest& page);
Status RemoveBranch(Connection& conn, int64_t catalog_pk, std::string_view name);
Result<Tag> InsertTag(Connection& conn, int64_t catalog_pk, std::string_view name,
                      std::string_view target, int64_t time_ms);
Result<Tag> SelectTag(Connection& conn, int64_t catalog_pk, std::string_view name);
Result<Page<Tag>> SelectTags(Connection& conn, int64_t catalog_pk, const PageRequest& page);
Status RemoveTag(Connection& conn, int64_t catalog_pk, std::string_view name);

// --- merge operations (postgres_merges.cc; rules in store/merge_rules.h) ---
Status InsertMergeOperation(Connection& conn, const TenantId& tenant, const MergeOperation& op);
// `lock`: the row stays locked until the transaction ends (a version check follows).
// Errors: kNotFound (also another tenant's).
Result<MergeOperation> SelectMergeOperation(Connection& conn, const TenantId& tenant,
                                            std::string_view id, bool lock = false);
Result<Page<MergeOperation>> SelectMergeOperations(Connection& conn, int64_t catalog_pk,
                                                   const PageRequest& page);
// Version-checked update (merges::ForUpdate); returns what was stored.
Result<MergeOperation> ReplaceMergeOperation(Connection& conn, const TenantId& tenant,
                                             const MergeOperation& op);
// What a commit on `catalog` completing `op` stores (merges::ForCompletion), the row locked.
Result<MergeOperation> PrepareMergeCompletion(Connection& conn, const TenantId& tenant,
                                              const CatalogId& catalog, const MergeOperation& op);
// Overwrites the stored row of `op.id` with `op`, unchecked.
Status WriteMergeOperation(Connection& conn, const MergeOperation& op);

// --- metrics reports (postgres_metrics.cc) ---
Status InsertMetricsReport(Connection& conn, const TenantId& tenant, const MetricsReport& report);
Result<Page<MetricsReport>> SelectMetricsReports(Connection& conn, int64_t catalog_pk,
                                                 const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page);
Result<size_t> PurgeMetricsReportRows(Connection& conn, int64_t before_ms);

// --- idempotency keys (postgres_idempotency.cc) ---
Result<std::optional<IdempotencyRecord>> ClaimIdempotencyRow(
    Connection& conn, const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover);
Status FinishIdempotencyRow(Connection& conn, const TenantId& tenant, std::string_view key,
                            std::string_view claim_id,
                            const std::optional<StoredResponse>& response);
Result<size_t> PurgeIdempotencyRows(Connection& conn, int64_t now_ms);

// --- rate-limit counters and OAuth states (postgres_ephemeral.cc) ---
// One upsert returning the new count: atomic however many servers count at once.
Result<int64_t> AddHitRow(Connection& conn, std::string_view key, int64_t window_start_ms,
                          int64_t expires_ms);
Result<int64_t> CountHitRows(Connection& conn, std::string_view key, int64_t window_start_ms);
Result<size_t> PurgeRateLimitRows(Connection& conn, int64_t now_ms);
// Errors: kAlreadyExists (also while an expired row of the key waits to be taken or purged).
Status InsertOAuthStateRow(Connection& conn, const OAuthState& state);
// One DELETE ... RETURNING: of racing takes, exactly one gets the row.
Result<std::optional<OAuthState>> TakeOAuthStateRow(Connection& conn, std::string_view key,
                                                    int64_t now_ms);
Result<size_t> PurgeOAuthStateRows(Connection& conn, int64_t now_ms);

// --- audit trail (postgres_audit.cc); errors and order as on AuditStore ---
// Chains `entry` after its tenant's head row, which it locks until the transaction ends, so
// appends to one chain are serial across servers. AppendAudit, Commit and Audited append here.
Result<AuditEntry> InsertAuditEntry(Connection& conn, AuditEntry entry);
Result<std::vector<AuditEntry>> SelectAuditEntries(Connection& conn,
                                                   const std::optional<TenantId>& tenant,
                                                   const AuditFilter& filter, size_t offset,
                                                   size_t limit);
Result<size_t> CountAuditEntries(Connection& conn, const std::optional<TenantId>& tenant,
                                 const AuditFilter& filter);
Result<AuditEntry> SelectAuditEntry(Connection& conn, const std::optional<TenantId>& tenant,
                                    std::string_view id);
Result<std::vector<AuditEntry>> SelectAuditChain(Connection& conn, const TenantId& tenant,
                                                 int64_t after_seq, size_t limit);

}  // namespace pangolin::store::postgres_internal
