// PostgresStore, part 1: construction, warehouses, catalogs, versioned content, references, merge
// operations, metrics reports and idempotency keys.
#include "store/postgres/postgres_store.h"

#include "common/strings.h"
#include "store/postgres/postgres_schema_internal.h"
#include "store/postgres/postgres_store_internal.h"

namespace pangolin::store {
namespace postgres_internal {
namespace {

Result<std::optional<int64_t>> DecodeSeqToken(const std::string& token) {
  ASSIGN_OR_RETURN(auto text, DecodeToken(token));
  if (!text) return std::optional<int64_t>();
  auto seq = ParseInt(*text);
  if (!seq) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<int64_t>(*seq);
}

Status Done(const Result<Rows>& rows) {
  return rows.map([](const Rows&) {});
}

}  // namespace

PostgresStore::PostgresStore(ConnectSettings settings, const PostgresOptions& options)
    : pool_(std::move(settings), options.pool_size,
            std::chrono::milliseconds(options.acquire_timeout_ms)),
      db_(pool_) {}

Status PostgresStore::Ping() {
  return db_.Query([](Connection& c) { return Done(c.Query("SELECT 1")); });
}

Status PostgresStore::Audited(const AuditEntry& audit, const std::function<Status()>& change) {
  return db_.Bound(change, [&](Connection& c) {
    return InsertAuditEntry(c, audit).map([](const AuditEntry&) {});
  });
}

Status PostgresStore::CreateWarehouse(const Warehouse& warehouse) {
  return db_.Write([&](Connection& c) { return InsertWarehouse(c, warehouse); });
}
Result<Warehouse> PostgresStore::GetWarehouse(const TenantId& tenant, std::string_view name) {
  return db_.Query([&](Connection& c) { return SelectWarehouse(c, tenant, name); });
}
Result<Page<Warehouse>> PostgresStore::ListWarehouses(const TenantId& tenant,
                                                      const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectWarehouses(c, tenant, page); });
}
Status PostgresStore::UpdateWarehouse(const TenantId& tenant, std::string_view name,
                                      const Warehouse& warehouse) {
  return db_.Write([&](Connection& c) { return ReplaceWarehouse(c, tenant, name, warehouse); });
}
Status PostgresStore::DeleteWarehouse(const TenantId& tenant, std::string_view name) {
  return db_.Write([&](Connection& c) { return RemoveWarehouse(c, tenant, name); });
}

Status PostgresStore::CreateCatalog(const Catalog& catalog) {
  return db_.Write([&](Connection& c) { return InsertCatalog(c, catalog); });
}
Result<Catalog> PostgresStore::GetCatalog(const TenantId& tenant, std::string_view name) {
  return db_.Query([&](Connection& c) { return SelectCatalog(c, tenant, name); });
}
Result<Page<Catalog>> PostgresStore::ListCatalogs(const TenantId& tenant, const PageRequest& page) {
  return db_.Query([&](Connection& c) { return SelectCatalogs(c, tenant, page); });
}
Status PostgresStore::UpdateCatalog(const TenantId& tenant, std::string_view name,
                                    const Catalog& catalog) {
  return db_.Write([&](Connection& c) { return ReplaceCatalog(c, tenant, name, catalog); });
}
Status PostgresStore::DeleteCatalog(const TenantId& tenant, std::string_view name) {
  return db_.Write([&](Connection& c) { return RemoveCatalog(c, tenant, name); });
}

Result<std::optional<Content>> PostgresStore::GetContent(const TenantId& tenant,
                                                         const CatalogId& catalog,
                                                         std::string_view ref,
                                                         const ContentKey& key) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) -> Result<std::optional<Content>> {
                       ASSIGN_OR_RETURN(auto layers, LayersFor(c, pk, ref));
                       PostgresLayers source(c);
                       return versioning::Get(source, layers, key);
                     });
}

Result<Page<Entry>> PostgresStore::ListContent(const TenantId& tenant, const CatalogId& catalog,
                                               std::string_view ref, ContentKey::Space space,
                                               const Namespace& parent,
                                               std::optional<ContentType> type,
                                               const PageRequest& page) {
  ASSIGN_OR_RETURN(auto after, DecodeToken(page.token));
  return ReadCatalog(tenant, catalog, [&](Connection& c, int64_t pk) -> Result<Page<Entry>> {
    ASSIGN_OR_RETURN(auto layers, LayersFor(c, pk, ref));
    PostgresLayers source(c);
    ASSIGN_OR_RETURN(Page<Entry> result,
                     versioning::List(source, layers, space, parent, type, after, page.limit));
    if (result.next_token) result.next_token = EncodeToken(*result.next_token);
    return result;
  });
}

// One transaction: any failure, the merge operation's version check or the audit append included,
// rolls back the commit, the operation and the audit entry together. Lock order: the merge
// operation, the branch, the audit chain's head.
Result<std::string> PostgresStore::Commit(const TenantId& tenant, const CatalogId& catalog,
                                          const CommitRequest& request) {
  return db_.Write(
      [&](Connection& c) -> Result<std::string> {
        ASSIGN_OR_RETURN(int64_t catalog_pk, CatalogPk(c, tenant, catalog));
        std::optional<MergeOperation> completed;
        if (request.completes_merge) {
          ASSIGN_OR_RETURN(completed,
                           PrepareMergeCompletion(c, tenant, catalog, *request.completes_merge));
        }
        ASSIGN_OR_RETURN(BranchRow branch, SelectLiveBranch(c, catalog_pk, request.branch, true));
        ASSIGN_OR_RETURN(auto layers, LayersFor(c, catalog_pk, request.branch));
        PostgresLayers source(c);
        RETURN_IF_ERROR(versioning::CheckPreconditions(source, layers, request.preconditions,
                                                       request.operations));
        ASSIGN_OR_RETURN(std::string id, WriteCommit(c, branch, request));
        if (completed) {
          completed->result_commit_id = id;
          RETURN_IF_ERROR(WriteMergeOperation(c, *completed));
        }
        if (request.audit) RETURN_IF_ERROR(InsertAuditEntry(c, *request.audit));
        return id;
      },
      ErrorCode::kCommitStateUnknown);
}

Result<Page<CommitRecord>> PostgresStore::ListCommits(const TenantId& tenant,
                                                      const CatalogId& catalog,
                                                      std::string_view ref,
                                                      const PageRequest& page) {
  ASSIGN_OR_RETURN(auto before, DecodeSeqToken(page.token));
  return ReadCatalog(tenant, catalog, [&](Connection& c, int64_t pk) -> Result<Page<CommitRecord>> {
    ASSIGN_OR_RETURN(auto layers, LayersFor(c, pk, ref));
    return SelectHistory(c, layers, before, page.limit);
  });
}

Result<CommitRecord> PostgresStore::GetCommit(const TenantId& tenant, const CatalogId& catalog,
                                              std::string_view commit_id) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectCommit(c, pk, commit_id); });
}

Result<catalog::AssetLocation> PostgresStore::FindAsset(const TenantId& tenant,
                                                        std::string_view asset_id) {
  return db_.Query([&](Connection& c) { return SelectAsset(c, tenant, asset_id); });
}

Result<RefInfo> PostgresStore::ResolveRef(const TenantId& tenant, const CatalogId& catalog,
                                          std::string_view ref) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectRef(c, pk, ref); });
}

Result<Branch> PostgresStore::CreateBranch(const TenantId& tenant, const CatalogId& catalog,
                                           const NewBranch& branch) {
  return ChangeRefs(tenant, catalog,
                    [&](Connection& c, int64_t pk) { return InsertBranch(c, pk, branch); });
}

Result<Branch> PostgresStore::GetBranch(const TenantId& tenant, const CatalogId& catalog,
                                        std::string_view name) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectBranch(c, pk, name); });
}

Result<Page<Branch>> PostgresStore::ListBranches(const TenantId& tenant, const CatalogId& catalog,
                                                 const PageRequest& page) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectBranches(c, pk, page); });
}

Status PostgresStore::DeleteBranch(const TenantId& tenant, const CatalogId& catalog,
                                   std::string_view name) {
  return ChangeRefs(tenant, catalog,
                    [&](Connection& c, int64_t pk) { return RemoveBranch(c, pk, name); });
}

Result<Tag> PostgresStore::CreateTag(const TenantId& tenant, const CatalogId& catalog,
                                     std::string_view name, std::string_view target,
                                     int64_t time_ms) {
  return ChangeRefs(tenant, catalog, [&](Connection& c, int64_t pk) {
    return InsertTag(c, pk, name, target, time_ms);
  });
}

Result<Tag> PostgresStore::GetTag(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view name) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectTag(c, pk, name); });
}

Result<Page<Tag>> PostgresStore::ListTags(const TenantId& tenant, const CatalogId& catalog,
                                          const PageRequest& page) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectTags(c, pk, page); });
}

Status PostgresStore::DeleteTag(const TenantId& tenant, const CatalogId& catalog,
                                std::string_view name) {
  return ChangeRefs(tenant, catalog,
                    [&](Connection& c, int64_t pk) { return RemoveTag(c, pk, name); });
}

Status PostgresStore::CreateMergeOperation(const TenantId& tenant, const MergeOperation& op) {
  return db_.Write([&](Connection& c) { return InsertMergeOperation(c, tenant, op); });
}

Result<MergeOperation> PostgresStore::GetMergeOperation(const TenantId& tenant,
                                                        std::string_view id) {
  return db_.Query([&](Connection& c) { return SelectMergeOperation(c, tenant, id); });
}

Result<Page<MergeOperation>> PostgresStore::ListMergeOperations(const TenantId& tenant,
                                                                const CatalogId& catalog,
                                                                const PageRequest& page) {
  return ReadCatalog(tenant, catalog,
                     [&](Connection& c, int64_t pk) { return SelectMergeOperations(c, pk, page); });
}

Result<MergeOperation> PostgresStore::UpdateMergeOperation(const TenantId& tenant,
                                                           const MergeOperation& op) {
  return db_.Write([&](Connection& c) { return ReplaceMergeOperation(c, tenant, op); });
}

Status PostgresStore::AddMetricsReport(const TenantId& tenant, const MetricsReport& report) {
  return db_.Write([&](Connection& c) { return InsertMetricsReport(c, tenant, report); });
}

Result<Page<MetricsReport>> PostgresStore::ListMetricsReports(const TenantId& tenant,
                                                              const CatalogId& catalog,
                                                              const MetricsReportFilter& filter,
                                                              const PageRequest& page) {
  return ReadCatalog(tenant, catalog, [&](Connection& c, int64_t pk) {
    return SelectMetricsReports(c, pk, catalog, filter, page);
  });
}

Result<size_t> PostgresStore::PurgeMetricsReports(int64_t before_ms) {
  return db_.Write([&](Connection& c) { return PurgeMetricsReportRows(c, before_ms); });
}

Result<std::optional<IdempotencyRecord>> PostgresStore::ClaimIdempotencyKey(
    const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
    const std::optional<std::string>& takeover) {
  return db_.Write(
      [&](Connection& c) { return ClaimIdempotencyRow(c, tenant, record, now_ms, takeover); });
}

Status PostgresStore::FinishIdempotencyKey(const TenantId& tenant, std::string_view key,
                                           std::string_view claim_id,
                                           const std::optional<StoredResponse>& response) {
  return db_.Write(
      [&](Connection& c) { return FinishIdempotencyRow(c, tenant, key, claim_id, response); });
}

Result<size_t> PostgresStore::PurgeIdempotencyKeys(int64_t now_ms) {
  return db_.Write([&](Connection& c) { return PurgeIdempotencyRows(c, now_ms); });
}

}  // namespace postgres_internal

Result<std::unique_ptr<MetadataStore>> MakePostgresStore(const PostgresOptions& options) {
  using namespace postgres_internal;
  if (options.url.empty()) return Err(ErrorCode::kInvalidArgument, "PostgreSQL store needs a URL");
  if (options.pool_size < 1 || options.connect_timeout_s < 0 || options.acquire_timeout_ms < 0) {
    return Err(ErrorCode::kInvalidArgument,
               "PostgreSQL store: invalid pool size, connect timeout or acquire timeout");
  }
  ConnectSettings settings{options.url, "", options.connect_timeout_s};
  ASSIGN_OR_RETURN(auto first, Connection::Open(settings));
  if (!options.schema.empty()) {
    ASSIGN_OR_RETURN(settings.search_path, first->QuoteIdentifier(options.schema));
    RETURN_IF_ERROR(
        Done(first->Query("SELECT set_config('search_path', $1, false)", settings.search_path)));
  }
  RETURN_IF_ERROR(Migrate(*first, options.schema));
  return std::unique_ptr<MetadataStore>(new PostgresStore(std::move(settings), options));
}

}  // namespace pangolin::store
