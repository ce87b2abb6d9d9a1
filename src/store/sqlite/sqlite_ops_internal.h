// Row-level operations of the SQLite store, each on a connection already inside a transaction
// (the store decides which). Tenancy rows live in sqlite_tenancy.cc, versioned content and
// commits in sqlite_content.cc, branches and tags in sqlite_refs.cc, merge operations in
// sqlite_merges.cc, metrics reports in sqlite_metrics.cc, Idempotency-Key records in
// sqlite_idempotency.cc, the audit trail in sqlite_audit.cc, rate-limit counters in
// sqlite_rate_limits.cc, OAuth states in sqlite_oauth_states.cc, business metadata in
// sqlite_discovery.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/layered_view.h"
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

// --- versioned content and commits (sqlite_content.cc) ---
struct BranchRow {
  int64_t catalog_pk = 0;
  int64_t branch_pk = 0;
  std::optional<std::string> head_commit_id;
  bool has_parent = false;  // deletions must leave tombstones that shadow the parent
};
// Errors: kNotFound (no such catalog in `tenant`).
Result<int64_t> CatalogPk(Connection& conn, const TenantId& tenant, const CatalogId& catalog);
// A live branch by name. Errors: kNotFound.
Result<BranchRow> SelectLiveBranch(Connection& conn, int64_t catalog_pk, std::string_view name);
// The layers through which `ref` (branch, tag or commit id) is read. Errors: kNotFound.
Result<std::vector<versioning::Layer>> LayersFor(Connection& conn, int64_t catalog_pk,
                                                 std::string_view ref);
// The pk of the branch `ref` names when it is a live branch that forked from none (main, usually):
// its own rows are all there is to read. Nullopt for any other ref (a tag, a commit id, a fork) or
// no such catalog, which are read through LayersFor.
Result<std::optional<int64_t>> SelectRootBranch(Connection& conn, const TenantId& tenant,
                                                const CatalogId& catalog, std::string_view ref);
// `key`'s own row on a branch: empty when it has none.
Result<versioning::Version> SelectBranchRow(Connection& conn, int64_t branch_pk,
                                            const ContentKey& key);

// One branch's own entries, from `content` (current rows) and `content_log` (history).
class SqliteLayers final : public versioning::LayerSource {
 public:
  explicit SqliteLayers(Connection& conn) : conn_(conn) {}
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
// MetadataStore::FindAsset. Errors: kNotFound.
Result<catalog::AssetLocation> SelectAsset(Connection& conn, const TenantId& tenant,
                                           std::string_view asset_id);
// First-parent history through `layers`, newest first, with seq below `before` when set.
Result<Page<CommitRecord>> SelectHistory(Connection& conn,
                                         const std::vector<versioning::Layer>& layers,
                                         std::optional<int64_t> before, size_t limit);
// Errors: kNotFound.
Result<CommitRecord> SelectCommit(Connection& conn, int64_t catalog_pk, std::string_view id);

// --- branches, tags and reference names (sqlite_refs.cc) ---
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

// --- merge operations (sqlite_merges.cc; rules in store/merge_rules.h) ---
// Errors: kNotFound (catalog); kAlreadyExists; kInvalidArgument.
Status InsertMergeOperation(Connection& conn, const TenantId& tenant, const MergeOperation& op);
// Errors: kNotFound (also another tenant's).
Result<MergeOperation> SelectMergeOperation(Connection& conn, const TenantId& tenant,
                                            std::string_view id);
// Newest first. Errors: kBadRequest (token).
Result<Page<MergeOperation>> SelectMergeOperations(Connection& conn, int64_t catalog_pk,
                                                   const PageRequest& page);
// Version-checked update (merges::ForUpdate); returns what was stored.
// Errors: kNotFound; kCommitFailed.
Result<MergeOperation> ReplaceMergeOperation(Connection& conn, const TenantId& tenant,
                                             const MergeOperation& op);
// What a commit on `catalog` completing `op` stores (merges::ForCompletion), not yet written.
// Errors: kNotFound; kCommitFailed; kInvalidArgument.
Result<MergeOperation> PrepareMergeCompletion(Connection& conn, const TenantId& tenant,
                                              const CatalogId& catalog, const MergeOperation& op);
// Overwrites the stored row of `op.id` with `op`, unchecked.
Status WriteMergeOperation(Connection& conn, const MergeOperation& op);

// --- metrics reports (sqlite_metrics.cc) ---
Status InsertMetricsReport(Connection& conn, const TenantId& tenant, const MetricsReport& report);
Result<Page<MetricsReport>> SelectMetricsReports(Connection& conn, int64_t catalog_pk,
                                                 const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page);
Result<size_t> PurgeMetricsReportRows(Connection& conn, int64_t before_ms);

// --- idempotency keys (sqlite_idempotency.cc) ---
Result<std::optional<IdempotencyRecord>> ClaimIdempotencyRow(
    Connection& conn, const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover);
Status FinishIdempotencyRow(Connection& conn, const TenantId& tenant, std::string_view key,
                            std::string_view claim_id,
                            const std::optional<StoredResponse>& response);
Result<size_t> PurgeIdempotencyRows(Connection& conn, int64_t now_ms);

// --- rate-limit counters (sqlite_rate_limits.cc); semantics as on RateLimitStore ---
// One upsert (RETURNING the new count); the caller's write transaction makes it atomic.
Result<int64_t> AddHitRow(Connection& conn, std::string_view key, int64_t window_start_ms,
                          int64_t expires_ms);
Result<int64_t> CountHitRows(Connection& conn, std::string_view key, int64_t window_start_ms);
Result<size_t> PurgeRateLimitRows(Connection& conn, int64_t now_ms);

// --- OAuth states (sqlite_oauth_states.cc); semantics as on OAuthStateStore ---
// Errors: kAlreadyExists (also while an expired row of the key waits to be taken or purged).
Status InsertOAuthStateRow(Connection& conn, const OAuthState& state);
// One DELETE ... RETURNING; the caller's write transaction makes it atomic.
Result<std::optional<OAuthState>> TakeOAuthStateRow(Connection& conn, std::string_view key,
                                                    int64_t now_ms);
Result<size_t> PurgeOAuthStateRows(Connection& conn, int64_t now_ms);

// --- business metadata (sqlite_discovery.cc); semantics as on DiscoveryStore ---
Result<BusinessMetadata> UpsertBusinessMetadata(Connection& conn, const CatalogId& catalog,
                                                const BusinessMetadata& metadata,
                                                const DiscoveryStore::ExpectedTags& expected);
Result<BusinessMetadata> SelectBusinessMetadata(Connection& conn, const TenantId& tenant,
                                                std::string_view asset_id);
Status RemoveBusinessMetadata(Connection& conn, const TenantId& tenant, std::string_view asset_id,
                              const DiscoveryStore::ExpectedTags& expected);
Result<std::vector<std::pair<std::string, std::string>>> SelectTaggedAssets(
    Connection& conn, const TenantId& tenant, const std::vector<std::string>& tags);

// --- audit trail (sqlite_audit.cc); errors and order as on AuditStore ---
// Chains `entry` after its tenant's last row (seq, prev_hash, hash) and inserts it. The caller's
// write transaction makes reading the last row and inserting the next one serial, across
// processes too. AppendAudit and Commit (CommitRequest::audit) both append through this.
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
// For plan tests: the listing's SQL for `filter` (each member binds a fixed parameter), and the
// chain read's condition and order (after the columns, on ?1 tenant, ?2 after_seq, ?3 limit).
std::string AuditListSql(bool one_tenant, const AuditFilter& filter);
extern const char kAuditChainSql[];

}  // namespace pangolin::store::sqlite_internal
