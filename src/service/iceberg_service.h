// IcebergService: the Iceberg REST catalog's use cases — namespaces, tables and commits — over a
// MetadataStore (which entry points at which metadata file) and a FileIO (the metadata files).
// Commits follow ARCHITECTURE §3.3: check requirements against the latest metadata, apply the
// updates, write a new metadata file, compare-and-swap the pointer, retry on a lost race while
// the requirements still hold. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "common/clock.h"
#include "iceberg/new_view.h"
#include "iceberg/scan_plan.h"
#include "iceberg/table_metadata.h"
#include "iceberg/view_requirement.h"
#include "serde/metrics_report.h"
#include "serde/scan_planning.h"
#include "serde/table_requests.h"
#include "service/authorizer.h"
#include "service/catalog_directory.h"
#include "service/catalog_storage.h"
#include "service/context.h"
#include "service/table_files.h"
#include "store/metadata_store.h"

namespace pangolin::service {

using catalog::Namespace;
using catalog::Properties;
using catalog::TableIdentifier;

// The catalog a request addresses and the version of it: `ref` is a branch (read and written), a
// tag or a commit id (read only). `{prefix}` = "<catalog>[@<ref>]"; the API may narrow `ref`
// with `namespace@ref`, `table@ref` or `?branch=`.
struct CatalogHandle {
  catalog::Catalog catalog;
  std::string ref{catalog::kMainBranch};
  // The catalog's storage, bound on first use by the request holding the handle (and shared by
  // its copies): a request reads its warehouse at most once, and none while the tenant's access
  // version stays where it was when the catalog was found (`access_version`).
  mutable std::shared_ptr<const StorageBinding> storage;
  int64_t access_version = 0;
};

struct PropertiesUpdateResult {
  std::vector<std::string> updated;
  std::vector<std::string> removed;
  std::vector<std::string> missing;
};

struct LoadedTable {
  std::optional<std::string> metadata_location;  // absent for a staged create
  std::shared_ptr<const CachedMetadata> metadata;
  std::string content_id;
};

enum class SnapshotMode { kAll, kRefs };

// What an engine needs to reach a table's files: the warehouse's client properties (endpoint,
// region, …) and, when vended, credentials limited to the table's location.
struct TableAccess {
  catalog::Properties config;
  std::vector<storage::VendedCredentials> credentials;
};

struct PlannedScan {
  std::string plan_id;
  iceberg::ScanPlan plan;
  std::map<int, std::string> stats_field_types;  // the requested stats fields: id → type
  std::vector<std::string> plan_tasks;           // one per deferred data manifest
};

struct IcebergServiceOptions {
  // How long metrics reports are kept.
  std::chrono::milliseconds metrics_report_retention = std::chrono::hours(24 * 7);
  // Filters listings to what the caller may see; absent: listings are not filtered.
  const Authorizer* authorizer = nullptr;
};

struct LoadedView {
  std::string metadata_location;
  std::shared_ptr<const CachedView> metadata;
};

class IcebergService {
 public:
  IcebergService(store::MetadataStore& store, TableFiles& files, CatalogStorage& storage,
                 const Clock& clock, IcebergServiceOptions options = {});

  // Errors: kNotFound (no such catalog or branch), kBadRequest (malformed prefix).
  Result<CatalogHandle> ResolveCatalog(const Context& ctx, std::string_view prefix);

  // Storage access for the table whose metadata `location` is `table_location`: the warehouse's
  // client properties, and with `vend` credentials for that location only, reading or reading
  // and writing. A warehouse that vends nothing gives none (the access-delegation header is a
  // wish), unless `required`. Errors: those of WarehouseStorage::Vend (kBadRequest when required
  // from a warehouse that vends nothing).
  Result<TableAccess> StorageAccess(const CatalogHandle& cat, const std::string& table_location,
                                    std::optional<storage::Access> vend, bool required = false);

  // Whether the catalog's warehouse can sign S3 requests for engines (remote signing).
  Result<bool> CanSignRequests(const CatalogHandle& cat);
  // Signs an engine's S3 request for the table `id` once it is shown to stay inside the table's
  // location and, with kRead, only to read (WarehouseStorage::SignForPrefix).
  // Errors: those of LoadTable and of SignForPrefix.
  Result<storage::RemoteSignResult> SignRequest(const Context& ctx, const CatalogHandle& cat,
                                                const TableIdentifier& id, storage::Access access,
                                                const storage::RemoteSignRequest& request);

  // The stable id of the table or view `id` as of `cat.ref` (what asset grants name), nullopt
  // when there is none. For a request that only reads (`for_reading`), the entry read is kept
  // for the request's next read of it (Context::authorized_entry); a change reads its state
  // afresh under its lock. Errors: kNotFound (catalog or reference).
  Result<std::optional<std::string>> ObjectId(const Context& ctx, const CatalogHandle& cat,
                                              const TableIdentifier& id, bool for_reading = false);

  // --- Namespaces ---
  Result<store::Page<Namespace>> ListNamespaces(const Context& ctx, const CatalogHandle& cat,
                                                const Namespace& parent,
                                                const store::PageRequest& page);
  Result<Properties> CreateNamespace(const Context& ctx, const CatalogHandle& cat,
                                     const Namespace& ns, const Properties& properties);
  Result<Properties> LoadNamespace(const Context& ctx, const CatalogHandle& cat,
                                   const Namespace& ns);
  Status DropNamespace(const Context& ctx, const CatalogHandle& cat, const Namespace& ns);
  Result<PropertiesUpdateResult> UpdateNamespaceProperties(const Context& ctx,
                                                           const CatalogHandle& cat,
                                                           const Namespace& ns,
                                                           const std::vector<std::string>& removals,
                                                           const Properties& updates);

  // --- Tables ---
  Result<store::Page<TableIdentifier>> ListTables(const Context& ctx, const CatalogHandle& cat,
                                                  const Namespace& ns,
                                                  const store::PageRequest& page);
  Result<LoadedTable> CreateTable(const Context& ctx, const CatalogHandle& cat, const Namespace& ns,
                                  const iceberg::CreateTableRequest& request);
  // A table whose current metadata location `client_has` accepts is answered without reading
  // its metadata (`metadata` null) once its file is known to be there: the client's copy is
  // current (a 304).
  Result<LoadedTable> LoadTable(
      const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id, SnapshotMode mode,
      const std::function<bool(const std::string& location)>& client_has = nullptr);
  Result<LoadedTable> CommitTable(const Context& ctx, const CatalogHandle& cat,
                                  const TableIdentifier& id,
                                  const serde::CommitTableRequest& request);
  // Commits every change (each names its table in `identifier`) in one store commit: all tables
  // change or none does. Errors: as CommitTable; kBadRequest for a table named twice.
  Status CommitTransaction(const Context& ctx, const CatalogHandle& cat,
                           const std::vector<serde::CommitTableRequest>& changes);
  // Forgets the table but keeps every file: returns its last metadata location and metadata (the
  // state the removal was guarded on, so it holds every earlier commit); later commits to it
  // fail with kNoSuchTable. Errors: kNoSuchTable, kNotFound (its metadata file is gone).
  Result<LoadedTable> UnregisterTable(const Context& ctx, const CatalogHandle& cat,
                                      const TableIdentifier& id);
  // Adopts the table whose current metadata file is `metadata_location` (it is read and
  // validated; it and the table's location must lie under the catalog's location). With
  // `overwrite`, an existing table's pointer is replaced. Errors: kAlreadyExists, kNoSuchNamespace,
  // kNotFound (no such file), kForbidden (outside the catalog), parse errors of the file.
  Result<LoadedTable> RegisterTable(const Context& ctx, const CatalogHandle& cat,
                                    const TableIdentifier& id, const std::string& metadata_location,
                                    bool overwrite);
  Status DropTable(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id,
                   bool purge);
  Status TableExists(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id);
  Status RenameTable(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& from,
                     const TableIdentifier& to);
  // --- Views (tables and views share one identifier space per namespace) ---
  Result<store::Page<TableIdentifier>> ListViews(const Context& ctx, const CatalogHandle& cat,
                                                 const Namespace& ns,
                                                 const store::PageRequest& page);
  // Errors: kAlreadyExists (a view or table of that name), kNoSuchNamespace, kForbidden (a
  // location outside the catalog), kInvalidArgument/kBadRequest (an invalid view).
  Result<LoadedView> CreateView(const Context& ctx, const CatalogHandle& cat, const Namespace& ns,
                                const iceberg::CreateViewRequest& request);
  // Errors: kNoSuchView ("View does not exist: …", also when the namespace is missing), kNotFound
  // (its metadata file is gone).
  Result<LoadedView> LoadView(const Context& ctx, const CatalogHandle& cat,
                              const TableIdentifier& id);
  // replaceView: requirements checked against the latest metadata, updates applied, a new
  // metadata file written and the pointer swapped; retried on a lost race. Errors: kNoSuchView,
  // kCommitFailed (a requirement), kInvalidArgument/kValidation (an invalid change).
  Result<LoadedView> ReplaceView(const Context& ctx, const CatalogHandle& cat,
                                 const TableIdentifier& id,
                                 const std::vector<iceberg::ViewRequirement>& requirements,
                                 const std::vector<iceberg::ViewUpdate>& updates);
  Status DropView(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id);
  Status ViewExists(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id);
  Status RenameView(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& from,
                    const TableIdentifier& to);
  // Adopts the view whose current metadata file is `metadata_location` (read and validated; it
  // must lie under the catalog's location). Errors: as RegisterTable.
  Result<LoadedView> RegisterView(const Context& ctx, const CatalogHandle& cat,
                                  const TableIdentifier& id, const std::string& metadata_location);

  // Server-side scan planning: the live data files of the snapshot that might match the filter,
  // with their delete files, or plan tasks to fetch them by. Errors: kNoSuchTable, kBadRequest
  // (snapshot, filter, stats field), kForbidden (a manifest outside the catalog's location),
  // manifest decoding errors; the fetches also kNoSuchPlanId / kNoSuchPlanTask.
  Result<PlannedScan> PlanTableScan(const Context& ctx, const CatalogHandle& cat,
                                    const TableIdentifier& id, const serde::PlanScanBody& body);
  Result<PlannedScan> FetchPlanningResult(const Context& ctx, const CatalogHandle& cat,
                                          const TableIdentifier& id, std::string_view plan_id);
  Result<PlannedScan> FetchScanTasks(const Context& ctx, const CatalogHandle& cat,
                                     const TableIdentifier& id, std::string_view plan_task);
  Status CancelPlanning(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id,
                        std::string_view plan_id);
  // Stores a metrics report for the table (which must exist); reports older than the retention
  // are purged now and then.
  Status ReportMetrics(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id,
                       const serde::MetricsReportBody& report);
  // The catalog's stored reports, newest first. Errors: kNotFound (catalog), kBadRequest (token).
  Result<store::Page<catalog::MetricsReport>> ListMetricsReports(
      const Context& ctx, std::string_view catalog, const store::MetricsReportFilter& filter,
      const store::PageRequest& page);

 private:
  struct TableState {
    catalog::Content content;
    std::shared_ptr<const CachedMetadata> metadata;
  };
  struct ViewState {
    catalog::Content content;
    std::shared_ptr<const CachedView> metadata;
  };
  Result<PlannedScan> Plan(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id,
                           serde::PlanScanBody body, ErrorCode unknown_snapshot);
  Status RenameObject(const Context& ctx, const CatalogHandle& cat, const TableIdentifier& from,
                      const TableIdentifier& to, catalog::ContentType type);
  Result<ViewState> LoadViewState(const Context& ctx, const CatalogHandle& cat,
                                  const TableIdentifier& id);
  // Where a new table or view `name` in `ns` lives: `requested` if given (it must lie under the
  // catalog's `base`), else under the namespace's `location` property, else under `base`.
  Result<std::string> NewObjectLocation(const Context& ctx, const CatalogHandle& cat,
                                        const Namespace& ns, const std::string& name,
                                        const std::optional<std::string>& requested,
                                        const std::string& base);
  // A table's or view's location and its write.metadata.path must lie under `base`.
  Status CheckLocations(const std::string& location, const Properties& properties,
                        const std::string& base);
  // A page of the entries under `parent` the caller may list (all of them without an
  // authorizer), filled from as many store pages as it takes.
  Result<store::Page<store::Entry>> ListVisible(const Context& ctx, const CatalogHandle& cat,
                                                catalog::ContentKey::Space space,
                                                const Namespace& parent,
                                                std::optional<catalog::ContentType> type,
                                                const store::PageRequest& page);
  Result<store::Page<TableIdentifier>> ListObjects(const Context& ctx, const CatalogHandle& cat,
                                                   const Namespace& ns, catalog::ContentType type,
                                                   const store::PageRequest& page);

  // Writes need a branch: a tag or commit is refused (kBadRequest), a missing branch is
  // kNotFound unless `create_for` names the asset being created, which creates the branch
  // (experimental, from main, tracking that asset) as the reference's auto-add does.
  Status RequireBranch(const Context& ctx, const CatalogHandle& cat,
                       const std::optional<TableIdentifier>& create_for = std::nullopt);
  // Whether a branch or tag other than `cat.ref` sees the content `content_id` at `key`: its files
  // are shared and must not be purged.
  Result<bool> SharedWithOtherRefs(const Context& ctx, const CatalogHandle& cat,
                                   const catalog::ContentKey& key, const std::string& content_id);
  // Whether the catalog has any reference besides main (then old metadata files may be shared).
  Result<bool> HasOtherRefs(const Context& ctx, const CatalogHandle& cat);
  // The entry at `key` on `cat.ref`: the one the request's authorization read, when it read this
  // one, else the store's.
  Result<std::optional<catalog::Content>> GetEntry(const Context& ctx, const CatalogHandle& cat,
                                                   const catalog::ContentKey& key);
  Status RequireNamespace(const Context& ctx, const CatalogHandle& cat, const Namespace& ns);
  Result<TableState> LoadTableState(const Context& ctx, const CatalogHandle& cat,
                                    const TableIdentifier& id);
  // The table's entry. Errors: kNoSuchTable (none, or not a table); kBadRequest (the name).
  Result<catalog::Content> TableEntry(const Context& ctx, const CatalogHandle& cat,
                                      const TableIdentifier& id);
  Result<std::string> BaseLocation(const Context& ctx, const CatalogHandle& cat);
  Status CheckTableLocations(const iceberg::TableMetadata& metadata, const std::string& base);
  Result<std::string> Commit(const Context& ctx, const CatalogHandle& cat,
                             store::CommitRequest request, std::string message);
  // One table's part of a commit.
  struct TableChange {
    TableIdentifier id;
    const serde::CommitTableRequest* request;
  };
  struct PreparedChange;
  Result<std::vector<LoadedTable>> CommitTables(const Context& ctx, const CatalogHandle& cat,
                                                const std::vector<TableChange>& changes);
  // A staged create's completion (`assert-create`) and an update of an existing table.
  Result<PreparedChange> PrepareCreate(const Context& ctx, const CatalogHandle& cat,
                                       const TableChange& change, const std::string& base,
                                       store::CommitRequest* commit);
  Result<PreparedChange> PrepareUpdate(const Context& ctx, const CatalogHandle& cat,
                                       const TableChange& change, const std::string& base,
                                       store::CommitRequest* commit);
  // write.metadata.delete-after-commit.enabled: deletes the metadata files the commit dropped.
  void DeleteRemovedFiles(const Context& ctx, const CatalogHandle& cat,
                          const std::vector<PreparedChange>& committed);
  // The 409 for creating a `creating` object where `existing` is: the Java client's messages
  // ("Table already exists: …", "View with same name already exists: …", …).
  static Error AlreadyExists(const catalog::Content& existing, const TableIdentifier& id,
                             catalog::ContentType creating);
  std::mutex& TableLock(const CatalogHandle& cat, const TableIdentifier& id);
  void PurgeOldMetricsReports(int64_t now_ms);
  // Deletes the files `metadata` references that lie under `base` (best effort: logged).
  void PurgeTableFiles(storage::FileIO& io, const iceberg::TableMetadata& metadata,
                       const std::string& metadata_location, const std::string& base);
  // The catalog's storage (bound once per handle) and its FileIO.
  Result<std::shared_ptr<const StorageBinding>> Storage(const CatalogHandle& cat);
  Result<std::shared_ptr<storage::FileIO>> Io(const CatalogHandle& cat);

  store::MetadataStore& store_;
  TableFiles& files_;
  CatalogStorage& storage_;
  CatalogDirectory directory_;
  const Clock& clock_;
  IcebergServiceOptions options_;
  std::atomic<int64_t> last_metrics_purge_ms_{0};
  // Serializes commits to one table within this process, so concurrent writers queue instead of
  // wasting metadata writes on lost compare-and-swaps; the store's CAS still decides across nodes.
  std::array<std::mutex, 64> table_locks_;
};

}  // namespace pangolin::service
