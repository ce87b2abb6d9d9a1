// MetadataStore: the one seam between Pangolin's services and its metadata database. Every method
// is tenant-scoped (ARCHITECTURE §2 rule 5); an object owned by another tenant is reported as not
// found. Implementations: memory (tests), SQLite (embedded default); later Postgres and MongoDB.
// All of them pass the same contract suite (tests/contract/store_contract_test.cc).
//
// Thread-safety: every method may be called concurrently from any thread.
// Atomicity: every mutating method is atomic; Commit applies all its operations or none.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/merge.h"
#include "catalog/metrics_report.h"
#include "catalog/model.h"
#include "catalog/versioning.h"
#include "common/result.h"
#include "store/access_store.h"
#include "store/audit_store.h"
#include "store/discovery_store.h"
#include "store/identity_store.h"
#include "store/oauth_state_store.h"
#include "store/paging.h"
#include "store/rate_limit_store.h"

namespace pangolin::store {

using catalog::Branch;
using catalog::BranchType;
using catalog::Catalog;
using catalog::CommitRecord;
using catalog::Content;
using catalog::ContentKey;
using catalog::ContentType;
using catalog::MergeOperation;
using catalog::MetricsReport;
using catalog::Namespace;
using catalog::Operation;
using catalog::RefInfo;
using catalog::Tag;
using catalog::Warehouse;

// A condition checked atomically with a commit. kEquals is checked against the branch's state
// before the commit; the namespace conditions against its state after the commit's operations,
// so that one commit may delete a namespace together with everything in it.
struct Precondition {
  enum class Kind {
    kEquals,           // the entry at `key` equals `expected` (nullopt: no entry at `key`)
    kNamespaceExists,  // `key` (a namespace key) has an entry
    kNamespaceEmpty,   // no namespace or object has the namespace `key` as its parent
  };
  Kind kind = Kind::kEquals;
  ContentKey key;
  std::optional<Content> expected;
};

struct CommitRequest {
  std::string branch{catalog::kMainBranch};
  // The source head a merge commit brings in (its second parent); unset for ordinary commits.
  std::optional<std::string> merge_parent_id;
  // The merge operation this commit completes: stored, atomically with the commit, as
  // UpdateMergeOperation would store it, with `result_commit_id` set to the new commit's id. The
  // whole commit fails with kCommitFailed when the stored operation's version differs, kNotFound
  // when there is no such operation in the tenant, kInvalidArgument when it merges another
  // catalog.
  std::optional<MergeOperation> completes_merge;
  std::vector<Precondition> preconditions;
  std::vector<Operation> operations;
  std::string author;
  std::string message;
  int64_t time_ms = 0;
  // The change's audit record: appended to its tenant's chain in the same transaction as the
  // commit; the commit fails as a whole if it cannot be. It is chained as AppendAudit chains
  // (seq, prev_hash and hash assigned, `entry.tenant_id` names the chain), and a commit that fails
  // for any other reason appends nothing.
  std::optional<catalog::AuditEntry> audit;
  // Called at most once, on the committing thread, once the commit is visible to readers and
  // before the store waits for it to be durable (SQLite's group commit syncs the WAL after
  // that). IcebergService releases the table's lock there, so that the next commit of the table
  // is written while this one syncs. Stores whose commits are durable once visible, and changes
  // inside a larger audited change, never call it.
  std::function<void()> on_visible;
};

struct Entry {
  ContentKey key;
  Content content;
};

struct NewBranch {
  std::string name;
  std::string from{catalog::kMainBranch};  // a branch, tag or commit id (see ResolveRef)
  BranchType type = BranchType::kExperimental;
  std::vector<std::string> assets;
  int64_t time_ms = 0;
};

// A response kept for replay to the retries of a request that carried an Idempotency-Key.
struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  friend bool operator==(const StoredResponse&, const StoredResponse&) = default;
};

// An Idempotency-Key's record, per tenant: claimed by the first request carrying the key, then
// holding that request's final response until it expires.
struct IdempotencyRecord {
  std::string key;
  std::string fingerprint;  // which request the key was used for
  std::string claim_id;     // unique per claim: guards completion and takeover
  int64_t claimed_ms = 0;
  int64_t expires_ms = 0;
  std::optional<StoredResponse> response;  // absent while the claiming request runs
  friend bool operator==(const IdempotencyRecord&, const IdempotencyRecord&) = default;
};

// Which reports ListMetricsReports returns; unset members match everything.
struct MetricsReportFilter {
  std::optional<catalog::Namespace> ns;
  std::optional<std::string> table;  // with `ns`
  std::optional<std::string> report_type;
};

class MetadataStore : public IdentityStore,
                      public AccessStore,
                      public AuditStore,
                      public DiscoveryStore,
                      public RateLimitStore,
                      public OAuthStateStore {
 public:
  ~MetadataStore() override = default;

  // Cheap round trip to the database. Errors: kUnavailable.
  virtual Status Ping() = 0;

  // Runs `change`, which makes its writes through this store's mutating methods on the calling
  // thread, and appends `audit` to the chain of `audit.tenant_id` (chained as AppendAudit chains)
  // in the same transaction: when `change` returns OK and the entry is appended, every write of
  // `change` and the entry are stored together; otherwise the error is returned, no entry is
  // appended and, on a transactional backend (SQLite, PostgreSQL), nothing `change` wrote is
  // kept. Reads inside `change` see its own writes. A mutating method that fails inside `change`
  // leaves nothing of itself behind, as it would alone, and `change` may go on. `change` must not
  // call Audited again nor Commit with an audit entry, and must not wait for another thread that
  // uses this store. The memory backend applies each write as it is made and keeps those made
  // before a failure. Errors: those of `change`; kAlreadyExists (the entry's id).
  virtual Status Audited(const catalog::AuditEntry& audit,
                         const std::function<Status()>& change) = 0;

  // --- Warehouses (unique by name within a tenant) ---
  // Errors: kAlreadyExists (name taken in the tenant).
  virtual Status CreateWarehouse(const Warehouse& warehouse) = 0;
  // Errors: kNoSuchWarehouse.
  virtual Result<Warehouse> GetWarehouse(const TenantId& tenant, std::string_view name) = 0;
  virtual Result<Page<Warehouse>> ListWarehouses(const TenantId& tenant,
                                                 const PageRequest& page) = 0;
  // Replaces the warehouse named `name` (the id and tenant are kept; the name may change, and
  // catalogs using it then report the new name). Errors: kNoSuchWarehouse; kAlreadyExists.
  virtual Status UpdateWarehouse(const TenantId& tenant, std::string_view name,
                                 const Warehouse& warehouse) = 0;
  // Errors: kNoSuchWarehouse; kConflict while a catalog references it.
  virtual Status DeleteWarehouse(const TenantId& tenant, std::string_view name) = 0;

  // --- Catalogs (unique by name within a tenant) ---
  // Errors: kAlreadyExists; kNoSuchWarehouse when `warehouse_name` is set and does not exist.
  virtual Status CreateCatalog(const Catalog& catalog) = 0;
  // Errors: kNotFound.
  virtual Result<Catalog> GetCatalog(const TenantId& tenant, std::string_view name) = 0;
  virtual Result<Page<Catalog>> ListCatalogs(const TenantId& tenant, const PageRequest& page) = 0;
  // Replaces the catalog named `name`, keeping its id, tenant and name.
  // Errors: kNotFound; kNoSuchWarehouse.
  virtual Status UpdateCatalog(const TenantId& tenant, std::string_view name,
                               const Catalog& catalog) = 0;
  // Deletes the catalog with all its content and commit history. Errors: kNotFound.
  virtual Status DeleteCatalog(const TenantId& tenant, std::string_view name) = 0;

  // --- Catalog content ---
  // Reads take a reference `ref`: a branch name, else a tag name, else a commit id (ResolveRef).
  // A branch shows every key as it was where the branch forked until the branch changes it; a
  // tag or commit shows the catalog exactly as of that commit (time travel).

  // The entry at `key` as of `ref`, or nullopt. Errors: kNotFound (catalog or reference).
  virtual Result<std::optional<Content>> GetContent(const TenantId& tenant,
                                                    const CatalogId& catalog, std::string_view ref,
                                                    const ContentKey& key) = 0;
  // Entries in `space` whose parent is exactly `parent`, ordered by name, optionally only those
  // of `type` (the filter applies before the page is cut). Errors: kNotFound; kBadRequest (token).
  virtual Result<Page<Entry>> ListContent(const TenantId& tenant, const CatalogId& catalog,
                                          std::string_view ref, ContentKey::Space space,
                                          const Namespace& parent, std::optional<ContentType> type,
                                          const PageRequest& page) = 0;
  // Checks every precondition against `request.branch`, then applies every operation, atomically,
  // and records a commit whose parent is the branch's head. Operations apply in order; deleting a
  // missing key is not an error (guard it with kEquals). Returns the commit's id.
  // Errors: kCommitFailed (a precondition does not hold; nothing changed; the message names the
  // key); kNotFound (catalog or branch — a tag or commit is not a branch); kInvalidArgument (a
  // kPut without content, an unknown merge parent); kAlreadyExists (the audit entry's id);
  // kUnavailable (nothing changed); kCommitStateUnknown (the connection to a database server was
  // lost while the commit was being committed, or SQLite could not sync it: it may or may not
  // have landed).
  virtual Result<std::string> Commit(const TenantId& tenant, const CatalogId& catalog,
                                     const CommitRequest& request) = 0;
  // The history of `ref`, newest first, following first parents: the branch's own commits, then
  // those of the branch it forked from up to the fork, and so on. Errors: kNotFound; kBadRequest.
  virtual Result<Page<CommitRecord>> ListCommits(const TenantId& tenant, const CatalogId& catalog,
                                                 std::string_view ref, const PageRequest& page) = 0;
  // One commit with its operations. Errors: kNotFound.
  virtual Result<CommitRecord> GetCommit(const TenantId& tenant, const CatalogId& catalog,
                                         std::string_view commit_id) = 0;

  // Where the asset (table or view) with the stable id `asset_id` lives in `tenant`: on its
  // catalog's main branch when it is there, else on the branch (by name) holding it. One indexed
  // read. Errors: kNotFound (no branch holds a live entry with that id of its own: an asset that
  // a branch only inherits from before main dropped it is not found).
  virtual Result<catalog::AssetLocation> FindAsset(const TenantId& tenant,
                                                   std::string_view asset_id) = 0;

  // --- References ---
  // Resolves `ref` as a branch name, else a tag name, else a commit id. Errors: kNotFound.
  virtual Result<RefInfo> ResolveRef(const TenantId& tenant, const CatalogId& catalog,
                                     std::string_view ref) = 0;
  // Creates a branch at the commit `from` resolves to, in O(1) of the catalog's size: nothing is
  // copied. Errors: kAlreadyExists (a branch or tag has the name); kNotFound (catalog or `from`).
  virtual Result<Branch> CreateBranch(const TenantId& tenant, const CatalogId& catalog,
                                      const NewBranch& branch) = 0;
  // Errors: kNotFound.
  virtual Result<Branch> GetBranch(const TenantId& tenant, const CatalogId& catalog,
                                   std::string_view name) = 0;
  virtual Result<Page<Branch>> ListBranches(const TenantId& tenant, const CatalogId& catalog,
                                            const PageRequest& page) = 0;
  // Removes the name; its commits stay readable through tags and branches forked from it.
  // Errors: kNotFound; kInvalidArgument for main.
  virtual Status DeleteBranch(const TenantId& tenant, const CatalogId& catalog,
                              std::string_view name) = 0;
  // Tags the commit `target` resolves to (a commit id, branch or tag).
  // Errors: kAlreadyExists (a branch or tag has the name); kNotFound (catalog or target).
  virtual Result<Tag> CreateTag(const TenantId& tenant, const CatalogId& catalog,
                                std::string_view name, std::string_view target,
                                int64_t time_ms) = 0;
  // Errors: kNotFound.
  virtual Result<Tag> GetTag(const TenantId& tenant, const CatalogId& catalog,
                             std::string_view name) = 0;
  virtual Result<Page<Tag>> ListTags(const TenantId& tenant, const CatalogId& catalog,
                                     const PageRequest& page) = 0;
  // Errors: kNotFound.
  virtual Status DeleteTag(const TenantId& tenant, const CatalogId& catalog,
                           std::string_view name) = 0;

  // --- Merge operations (deleted with their catalog) ---
  // Stores a new operation for `op.catalog_id` with version 1 (whatever `op.version` says).
  // Errors: kNotFound (catalog); kAlreadyExists (id, unique across tenants); kInvalidArgument
  // (empty id).
  virtual Status CreateMergeOperation(const TenantId& tenant, const MergeOperation& op) = 0;
  // Errors: kNotFound (also for another tenant's operation).
  virtual Result<MergeOperation> GetMergeOperation(const TenantId& tenant, std::string_view id) = 0;
  // The catalog's operations, newest first: by `initiated_ms`, equal times the last created
  // first. Errors: kNotFound (catalog); kBadRequest (token).
  virtual Result<Page<MergeOperation>> ListMergeOperations(const TenantId& tenant,
                                                           const CatalogId& catalog,
                                                           const PageRequest& page) = 0;
  // Replaces the operation `op.id` when its stored version equals `op.version`, and stores it
  // with the version incremented; returns what was stored. The catalog (id and name), id and
  // initiation fields (initiated_by, initiated_ms) are kept as stored.
  // Errors: kNotFound; kCommitFailed (changed since it was read).
  virtual Result<MergeOperation> UpdateMergeOperation(const TenantId& tenant,
                                                      const MergeOperation& op) = 0;

  // --- Metrics reports (deleted with their catalog) ---
  // Errors: kNotFound (catalog); kAlreadyExists (id).
  virtual Status AddMetricsReport(const TenantId& tenant, const MetricsReport& report) = 0;
  // The catalog's reports matching `filter`, newest first (by received_ms, then the last added).
  // Errors: kNotFound (catalog); kBadRequest (token).
  virtual Result<Page<MetricsReport>> ListMetricsReports(const TenantId& tenant,
                                                         const CatalogId& catalog,
                                                         const MetricsReportFilter& filter,
                                                         const PageRequest& page) = 0;
  // Deletes every tenant's reports received before `before_ms`; returns how many.
  virtual Result<size_t> PurgeMetricsReports(int64_t before_ms) = 0;

  // --- Idempotency keys (shared by every server on the store) ---
  // Claims `record.key` (stored as given, without a response) when the tenant has no record for
  // it, when the record expired (expires_ms <= now_ms), or when `takeover` is the claim_id of the
  // record's unfinished claim. Returns nullopt when claimed, else the existing record unchanged.
  virtual Result<std::optional<IdempotencyRecord>> ClaimIdempotencyKey(
      const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
      const std::optional<std::string>& takeover) = 0;
  // Ends the claim `claim_id` of `key`: stores `response` for replay, or with nullopt deletes the
  // record so that a retry runs again. A claim that was taken over meanwhile is left alone.
  virtual Status FinishIdempotencyKey(const TenantId& tenant, std::string_view key,
                                      std::string_view claim_id,
                                      const std::optional<StoredResponse>& response) = 0;
  // Deletes every tenant's records with expires_ms <= now_ms; returns how many.
  virtual Result<size_t> PurgeIdempotencyKeys(int64_t now_ms) = 0;
};

}  // namespace pangolin::store
