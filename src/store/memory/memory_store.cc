// MemoryStore: every tenant's warehouses, catalogs, versioned catalog content and merge
// operations in ordered maps behind one mutex; identities, access records, audit chains,
// idempotency keys, rate-limit counters and OAuth states in components with their own locks.
// Semantics match the SQLite store exactly (same contract suite).
#include "store/memory/memory_store.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "common/clock.h"
#include "common/strings.h"
#include "store/memory/memory_audit_internal.h"
#include "store/memory/memory_discovery_internal.h"
#include "store/memory/memory_idempotency_internal.h"
#include "store/memory/memory_merges_internal.h"
#include "store/memory/memory_metrics_internal.h"
#include "store/memory/memory_oauth_states_internal.h"
#include "store/memory/memory_principal_store_internal.h"
#include "store/memory/memory_rate_limits_internal.h"
#include "store/memory/memory_versions_internal.h"

namespace pangolin::store {
namespace {

using memory_internal::CatalogVersions;
using memory_internal::DecodeToken;
using memory_internal::EncodeToken;
using NameKey = std::pair<TenantId, std::string>;

struct CatalogState {
  Catalog catalog;
  CatalogVersions versions;
};

// One page of a (tenant, name)-keyed map, in name order.
template <typename T, typename V, typename Project>
Result<Page<T>> PageByName(const std::map<NameKey, V>& map, const TenantId& tenant,
                           const PageRequest& request, Project project) {
  ASSIGN_OR_RETURN(auto after, DecodeToken(request.token));
  NameKey start{tenant, after.value_or("")};
  auto it = after ? map.upper_bound(start) : map.lower_bound(start);
  Page<T> page;
  for (; it != map.end() && it->first.first == tenant; ++it) {
    if (request.limit != 0 && page.items.size() == request.limit) {
      page.next_token = EncodeToken(page.items.back().name);
      break;
    }
    page.items.push_back(project(it->second));
  }
  return page;
}

Result<std::optional<int64_t>> DecodeSeqToken(const std::string& token) {
  ASSIGN_OR_RETURN(auto decoded, DecodeToken(token));
  if (!decoded) return std::optional<int64_t>();
  auto seq = ParseInt(*decoded);
  if (!seq) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<int64_t>(*seq);
}

class MemoryStore final : public memory_internal::PrincipalStore {
 public:
  Status Ping() override { return Ok(); }

  Status CreateWarehouse(const Warehouse& warehouse) override {
    std::lock_guard lock(mu_);
    if (warehouses_.contains({warehouse.tenant_id, warehouse.name})) {
      return Err(ErrorCode::kAlreadyExists, "Warehouse already exists: {}", warehouse.name);
    }
    Warehouse stored = warehouse;
    if (stored.id.value.empty()) stored.id.value = NewUuid();
    for (const auto& [key, existing] : warehouses_) {
      if (existing.id == stored.id) {
        return Err(ErrorCode::kAlreadyExists, "Warehouse id already exists: {}", stored.id.value);
      }
    }
    warehouses_.emplace(NameKey{stored.tenant_id, stored.name}, std::move(stored));
    return Ok();
  }

  Result<Warehouse> GetWarehouse(const TenantId& tenant, std::string_view name) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(Warehouse * warehouse, FindWarehouse(tenant, name));
    return *warehouse;
  }

  Result<Page<Warehouse>> ListWarehouses(const TenantId& tenant, const PageRequest& page) override {
    std::lock_guard lock(mu_);
    return PageByName<Warehouse>(warehouses_, tenant, page, [](const Warehouse& w) { return w; });
  }

  Status UpdateWarehouse(const TenantId& tenant, std::string_view name,
                         const Warehouse& warehouse) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(Warehouse * current, FindWarehouse(tenant, name));
    Warehouse updated = warehouse;
    updated.id = current->id;
    updated.tenant_id = tenant;
    if (updated.name == name) {
      *current = std::move(updated);
      accesses_.BumpAccessVersion(tenant);
      return Ok();
    }
    if (warehouses_.contains({tenant, updated.name})) {
      return Err(ErrorCode::kAlreadyExists, "Warehouse already exists: {}", updated.name);
    }
    accesses_.BumpAccessVersion(tenant);
    for (auto& [id, state] : catalogs_) {  // catalogs follow their warehouse's new name
      if (state.catalog.tenant_id == tenant && state.catalog.warehouse_name == name) {
        state.catalog.warehouse_name = updated.name;
      }
    }
    warehouses_.erase({tenant, std::string(name)});
    warehouses_.emplace(NameKey{tenant, updated.name}, std::move(updated));
    return Ok();
  }

  Status DeleteWarehouse(const TenantId& tenant, std::string_view name) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(FindWarehouse(tenant, name));
    for (const auto& [id, state] : catalogs_) {
      if (state.catalog.tenant_id == tenant && state.catalog.warehouse_name == name) {
        return Err(ErrorCode::kConflict, "Warehouse {} is used by catalog {}", name,
                   state.catalog.name);
      }
    }
    warehouses_.erase({tenant, std::string(name)});
    accesses_.BumpAccessVersion(tenant);
    return Ok();
  }

  Status CreateCatalog(const Catalog& catalog) override {
    std::lock_guard lock(mu_);
    if (catalog_names_.contains({catalog.tenant_id, catalog.name})) {
      return Err(ErrorCode::kAlreadyExists, "Catalog already exists: {}", catalog.name);
    }
    RETURN_IF_ERROR(CheckWarehouseRef(catalog.tenant_id, catalog.warehouse_name));
    CatalogState state{catalog, CatalogVersions(SystemClock().NowMs())};
    if (state.catalog.id.value.empty()) state.catalog.id.value = NewUuid();
    if (catalogs_.contains(state.catalog.id)) {
      return Err(ErrorCode::kAlreadyExists, "Catalog id already exists: {}",
                 state.catalog.id.value);
    }
    catalog_names_.emplace(NameKey{catalog.tenant_id, catalog.name}, state.catalog.id);
    catalogs_.emplace(state.catalog.id, std::move(state));
    return Ok();
  }

  Result<Catalog> GetCatalog(const TenantId& tenant, std::string_view name) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogState * state, FindCatalogByName(tenant, name));
    return state->catalog;
  }

  Result<Page<Catalog>> ListCatalogs(const TenantId& tenant, const PageRequest& page) override {
    std::lock_guard lock(mu_);
    return PageByName<Catalog>(catalog_names_, tenant, page,
                               [this](const CatalogId& id) { return catalogs_.at(id).catalog; });
  }

  Status UpdateCatalog(const TenantId& tenant, std::string_view name,
                       const Catalog& catalog) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogState * state, FindCatalogByName(tenant, name));
    RETURN_IF_ERROR(CheckWarehouseRef(tenant, catalog.warehouse_name));
    Catalog updated = catalog;
    updated.id = state->catalog.id;
    updated.tenant_id = tenant;
    updated.name = state->catalog.name;
    state->catalog = std::move(updated);
    accesses_.BumpAccessVersion(tenant);
    return Ok();
  }

  Status DeleteCatalog(const TenantId& tenant, std::string_view name) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogState * state, FindCatalogByName(tenant, name));
    CatalogId id = state->catalog.id;
    catalog_names_.erase({tenant, std::string(name)});
    catalogs_.erase(id);
    merges_.EraseCatalog(id);
    metrics_reports_.EraseCatalog(id);
    business_metadata_.EraseCatalog(id);
    accesses_.BumpAccessVersion(tenant);
    return Ok();
  }

  Result<std::optional<Content>> GetContent(const TenantId& tenant, const CatalogId& catalog,
                                            std::string_view ref, const ContentKey& key) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogVersions * versions, FindVersions(tenant, catalog));
    ASSIGN_OR_RETURN(auto layers, versions->Resolve(ref));
    return versioning::Get(*versions, layers, key);
  }

  Result<Page<Entry>> ListContent(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view ref, ContentKey::Space space,
                                  const Namespace& parent, std::optional<ContentType> type,
                                  const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto after, DecodeToken(page.token));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogVersions * versions, FindVersions(tenant, catalog));
    ASSIGN_OR_RETURN(auto layers, versions->Resolve(ref));
    ASSIGN_OR_RETURN(Page<Entry> result,
                     versioning::List(*versions, layers, space, parent, type, after, page.limit));
    if (result.next_token) result.next_token = EncodeToken(*result.next_token);
    return result;
  }

  Result<std::string> Commit(const TenantId& tenant, const CatalogId& catalog,
                             const CommitRequest& request) override {
    RETURN_IF_ERROR(versioning::ValidateOperations(request));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogVersions * versions, FindVersions(tenant, catalog));
    // Everything that can fail is checked before the commit changes anything.
    std::optional<MergeOperation> completed;
    if (request.completes_merge) {
      ASSIGN_OR_RETURN(completed,
                       merges_.PrepareCompletion(tenant, catalog, *request.completes_merge));
    }
    std::string id;
    auto apply = [&]() -> Status {
      ASSIGN_OR_RETURN(id, versions->Commit(next_seq_, request));
      ++next_seq_;
      if (completed) {
        completed->result_commit_id = id;
        merges_.Complete(std::move(*completed));
      }
      return Ok();
    };
    // With an audit entry, the commit runs inside the append: both happen or neither does.
    if (request.audit) {
      RETURN_IF_ERROR(audits_.AppendWith(*request.audit, apply));
    } else {
      RETURN_IF_ERROR(apply());
    }
    return id;
  }

  Result<Page<CommitRecord>> ListCommits(const TenantId& tenant, const CatalogId& catalog,
                                         std::string_view ref, const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto before, DecodeSeqToken(page.token));
    return InCatalog(tenant, catalog,
                     [&](CatalogVersions& v) { return v.History(ref, before, page.limit); });
  }

  Result<CommitRecord> GetCommit(const TenantId& tenant, const CatalogId& catalog,
                                 std::string_view commit_id) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.GetCommit(commit_id); });
  }

  Result<RefInfo> ResolveRef(const TenantId& tenant, const CatalogId& catalog,
                             std::string_view ref) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.ResolveRef(ref); });
  }

  Result<Branch> CreateBranch(const TenantId& tenant, const CatalogId& catalog,
                              const NewBranch& branch) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.CreateBranch(branch); });
  }

  Result<Branch> GetBranch(const TenantId& tenant, const CatalogId& catalog,
                           std::string_view name) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.GetBranch(name); });
  }

  Result<Page<Branch>> ListBranches(const TenantId& tenant, const CatalogId& catalog,
                                    const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto after, DecodeToken(page.token));
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) -> Result<Page<Branch>> {
      return v.ListBranches(after, page.limit);
    });
  }

  Status DeleteBranch(const TenantId& tenant, const CatalogId& catalog,
                      std::string_view name) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.DeleteBranch(name); });
  }

  Result<Tag> CreateTag(const TenantId& tenant, const CatalogId& catalog, std::string_view name,
                        std::string_view target, int64_t time_ms) override {
    return InCatalog(tenant, catalog,
                     [&](CatalogVersions& v) { return v.CreateTag(name, target, time_ms); });
  }

  Result<Tag> GetTag(const TenantId& tenant, const CatalogId& catalog,
                     std::string_view name) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.GetTag(name); });
  }

  Result<Page<Tag>> ListTags(const TenantId& tenant, const CatalogId& catalog,
                             const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto after, DecodeToken(page.token));
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) -> Result<Page<Tag>> {
      return v.ListTags(after, page.limit);
    });
  }

  Status DeleteTag(const TenantId& tenant, const CatalogId& catalog,
                   std::string_view name) override {
    return InCatalog(tenant, catalog, [&](CatalogVersions& v) { return v.DeleteTag(name); });
  }

  Status CreateMergeOperation(const TenantId& tenant, const MergeOperation& op) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(FindVersions(tenant, op.catalog_id));
    return merges_.Create(tenant, op);
  }

  Result<MergeOperation> GetMergeOperation(const TenantId& tenant, std::string_view id) override {
    std::lock_guard lock(mu_);
    return merges_.Get(tenant, id);
  }

  Result<Page<MergeOperation>> ListMergeOperations(const TenantId& tenant, const CatalogId& catalog,
                                                   const PageRequest& page) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(FindVersions(tenant, catalog));
    return merges_.List(catalog, page);
  }

  Result<MergeOperation> UpdateMergeOperation(const TenantId& tenant,
                                              const MergeOperation& op) override {
    std::lock_guard lock(mu_);
    return merges_.Update(tenant, op);
  }

  Status AddMetricsReport(const TenantId& tenant, const MetricsReport& report) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(FindVersions(tenant, report.catalog_id));
    return metrics_reports_.Add(report);
  }

  Result<Page<MetricsReport>> ListMetricsReports(const TenantId& tenant, const CatalogId& catalog,
                                                 const MetricsReportFilter& filter,
                                                 const PageRequest& page) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(FindVersions(tenant, catalog));
    return metrics_reports_.List(catalog, filter, page);
  }

  Result<size_t> PurgeMetricsReports(int64_t before_ms) override {
    std::lock_guard lock(mu_);
    return metrics_reports_.Purge(before_ms);
  }

  Result<std::optional<IdempotencyRecord>> ClaimIdempotencyKey(
      const TenantId& tenant, const IdempotencyRecord& record, int64_t now_ms,
      const std::optional<std::string>& takeover) override {
    return idempotency_keys_.Claim(tenant, record, now_ms, takeover);
  }

  Status FinishIdempotencyKey(const TenantId& tenant, std::string_view key,
                              std::string_view claim_id,
                              const std::optional<StoredResponse>& response) override {
    return idempotency_keys_.Finish(tenant, key, claim_id, response);
  }

  Result<size_t> PurgeIdempotencyKeys(int64_t now_ms) override {
    return idempotency_keys_.Purge(now_ms);
  }

  Result<int64_t> AddHit(std::string_view key, int64_t window_start_ms,
                         int64_t expires_ms) override {
    return rate_limits_.AddHit(key, window_start_ms, expires_ms);
  }
  Result<int64_t> CountHits(std::string_view key, int64_t window_start_ms) override {
    return rate_limits_.Count(key, window_start_ms);
  }
  Result<size_t> PurgeRateLimits(int64_t now_ms) override { return rate_limits_.Purge(now_ms); }

  Status PutOAuthState(const OAuthState& state) override { return oauth_states_.Put(state); }
  Result<std::optional<OAuthState>> TakeOAuthState(std::string_view key, int64_t now_ms) override {
    return oauth_states_.Take(key, now_ms);
  }
  Result<size_t> PurgeOAuthStates(int64_t now_ms) override { return oauth_states_.Purge(now_ms); }

  Result<catalog::AssetLocation> FindAsset(const TenantId& tenant,
                                           std::string_view asset_id) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, state] : catalogs_) {
      if (state.catalog.tenant_id != tenant) continue;
      if (auto found = state.versions.FindAsset(asset_id)) {
        found->catalog_id = id;
        found->catalog_name = state.catalog.name;
        return *found;
      }
    }
    return Err(ErrorCode::kNotFound, "Asset not found: {}", asset_id);
  }

  Result<BusinessMetadata> PutBusinessMetadata(const CatalogId& catalog,
                                               const BusinessMetadata& metadata,
                                               const ExpectedTags& expected) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(FindVersions(metadata.tenant_id, catalog).map([](CatalogVersions*) {}));
    ASSIGN_OR_RETURN(auto stored, business_metadata_.Put(catalog, metadata, expected));
    if (stored.tags_changed) accesses_.BumpAccessVersion(metadata.tenant_id);
    return stored.metadata;
  }
  Result<BusinessMetadata> GetBusinessMetadata(const TenantId& tenant,
                                               std::string_view asset_id) override {
    std::lock_guard lock(mu_);
    return business_metadata_.Get(tenant, asset_id);
  }
  Status DeleteBusinessMetadata(const TenantId& tenant, std::string_view asset_id,
                                const ExpectedTags& expected) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(BusinessMetadata removed,
                     business_metadata_.Remove(tenant, asset_id, expected));
    if (!removed.tags.empty()) accesses_.BumpAccessVersion(tenant);
    return Ok();
  }
  Result<std::vector<std::pair<std::string, std::string>>> ListTaggedAssets(
      const TenantId& tenant, const std::vector<std::string>& tags) override {
    std::lock_guard lock(mu_);
    return business_metadata_.TaggedAssets(tenant, tags);
  }

  // No rollback here: each write of `change` applies as it is made (see MetadataStore).
  Status Audited(const AuditEntry& audit, const std::function<Status()>& change) override {
    RETURN_IF_ERROR(change());
    return AppendAudit(audit).map([](const AuditEntry&) {});
  }

  Result<AuditEntry> AppendAudit(AuditEntry entry) override {
    return audits_.Append(std::move(entry));
  }

  Result<std::vector<AuditEntry>> ListAudit(const std::optional<TenantId>& tenant,
                                            const AuditFilter& filter, size_t offset,
                                            size_t limit) override {
    return audits_.List(tenant, filter, offset, limit);
  }

  Result<size_t> CountAudit(const std::optional<TenantId>& tenant,
                            const AuditFilter& filter) override {
    return audits_.Count(tenant, filter);
  }

  Result<AuditEntry> GetAudit(const std::optional<TenantId>& tenant, std::string_view id) override {
    return audits_.Get(tenant, id);
  }

  Result<std::vector<AuditEntry>> ReadAuditChain(const TenantId& tenant, int64_t after_seq,
                                                 size_t limit) override {
    return audits_.ReadChain(tenant, after_seq, limit);
  }

  Status DeleteTenant(const TenantId& id) override {
    // The store's lock first, then the identity component's (the only order these two are ever
    // taken in): no warehouse or catalog can appear in the tenant while it goes.
    std::lock_guard lock(mu_);
    std::vector<std::string> remaining;
    auto in_tenant = [&](const auto& entry) { return entry.first.first == id; };
    if (std::any_of(warehouses_.begin(), warehouses_.end(), in_tenant)) {
      remaining.emplace_back("warehouses");
    }
    if (std::any_of(catalog_names_.begin(), catalog_names_.end(), in_tenant)) {
      remaining.emplace_back("catalogs");
    }
    return identities_.DeleteTenant(id, std::move(remaining));
  }

 private:
  // Runs `body` on the catalog's versions under the store's lock.
  template <typename Body>
  auto InCatalog(const TenantId& tenant, const CatalogId& catalog, Body&& body)
      -> decltype(body(std::declval<CatalogVersions&>())) {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogVersions * versions, FindVersions(tenant, catalog));
    return body(*versions);
  }

  Result<Warehouse*> FindWarehouse(const TenantId& tenant, std::string_view name) {
    auto it = warehouses_.find({tenant, std::string(name)});
    if (it == warehouses_.end()) {
      return Err(ErrorCode::kNoSuchWarehouse, "Warehouse not found: {}", name);
    }
    return &it->second;
  }

  Status CheckWarehouseRef(const TenantId& tenant, const std::optional<std::string>& name) {
    if (name) RETURN_IF_ERROR(FindWarehouse(tenant, *name));
    return Ok();
  }

  Result<CatalogState*> FindCatalogByName(const TenantId& tenant, std::string_view name) {
    auto it = catalog_names_.find({tenant, std::string(name)});
    if (it == catalog_names_.end()) return Err(ErrorCode::kNotFound, "Catalog not found: {}", name);
    return &catalogs_.at(it->second);
  }

  Result<CatalogVersions*> FindVersions(const TenantId& tenant, const CatalogId& catalog) {
    auto it = catalogs_.find(catalog);
    if (it == catalogs_.end() || it->second.catalog.tenant_id != tenant) {
      return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
    }
    return &it->second.versions;
  }

  std::mutex mu_;
  std::map<NameKey, Warehouse> warehouses_;
  std::map<CatalogId, CatalogState> catalogs_;
  std::map<NameKey, CatalogId> catalog_names_;
  memory_internal::MergeOperations merges_;
  memory_internal::MetricsReports metrics_reports_;
  memory_internal::BusinessMetadataRecords business_metadata_;
  memory_internal::IdempotencyKeys idempotency_keys_;
  memory_internal::RateLimits rate_limits_;
  memory_internal::OAuthStates oauth_states_;
  memory_internal::Audits audits_;  // taken after mu_ (Commit), never before
  int64_t next_seq_ = 1;
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> MakeMemoryStore() {
  return std::unique_ptr<MetadataStore>(std::make_unique<MemoryStore>());
}

}  // namespace pangolin::store
