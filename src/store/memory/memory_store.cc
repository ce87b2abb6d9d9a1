// MemoryStore: every tenant's warehouses, catalogs and versioned catalog content in ordered maps
// behind one mutex. Semantics match the SQLite store exactly (same contract suite).
#include "store/memory/memory_store.h"

#include <map>
#include <mutex>

#include "common/strings.h"
#include "store/memory/memory_branch_internal.h"

namespace pangolin::store {
namespace {

using memory_internal::BranchState;
using memory_internal::DecodeToken;
using memory_internal::EncodeToken;
using NameKey = std::pair<TenantId, std::string>;

struct CatalogState {
  Catalog catalog;
  std::map<std::string, BranchState, std::less<>> branches;
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

Status ValidateOperations(const CommitRequest& request) {
  for (const auto& op : request.operations) {
    if (op.kind == Operation::Kind::kPut && !op.content) {
      return Err(ErrorCode::kInvalidArgument, "Put of {} has no content",
                 memory_internal::DisplayKey(op.key));
    }
  }
  return Ok();
}

class MemoryStore final : public MetadataStore {
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
      return Ok();
    }
    if (warehouses_.contains({tenant, updated.name})) {
      return Err(ErrorCode::kAlreadyExists, "Warehouse already exists: {}", updated.name);
    }
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
    return Ok();
  }

  Status CreateCatalog(const Catalog& catalog) override {
    std::lock_guard lock(mu_);
    if (catalog_names_.contains({catalog.tenant_id, catalog.name})) {
      return Err(ErrorCode::kAlreadyExists, "Catalog already exists: {}", catalog.name);
    }
    RETURN_IF_ERROR(CheckWarehouseRef(catalog.tenant_id, catalog.warehouse_name));
    CatalogState state{catalog, {}};
    if (state.catalog.id.value.empty()) state.catalog.id.value = NewUuid();
    if (catalogs_.contains(state.catalog.id)) {
      return Err(ErrorCode::kAlreadyExists, "Catalog id already exists: {}",
                 state.catalog.id.value);
    }
    state.branches.emplace(std::string(catalog::kMainBranch), BranchState{});
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
    return Ok();
  }

  Status DeleteCatalog(const TenantId& tenant, std::string_view name) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CatalogState * state, FindCatalogByName(tenant, name));
    CatalogId id = state->catalog.id;
    catalog_names_.erase({tenant, std::string(name)});
    catalogs_.erase(id);
    return Ok();
  }

  Result<std::optional<Content>> GetContent(const TenantId& tenant, const CatalogId& catalog,
                                            std::string_view branch,
                                            const ContentKey& key) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(BranchState * state, FindBranch(tenant, catalog, branch));
    return state->Get(key);
  }

  Result<Page<Entry>> ListContent(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view branch, ContentKey::Space space,
                                  const Namespace& parent, std::optional<ContentType> type,
                                  const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto after, DecodeToken(page.token));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(BranchState * state, FindBranch(tenant, catalog, branch));
    return state->List(space, parent, type, after, page.limit);
  }

  Result<std::string> Commit(const TenantId& tenant, const CatalogId& catalog,
                             const CommitRequest& request) override {
    RETURN_IF_ERROR(ValidateOperations(request));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(BranchState * state, FindBranch(tenant, catalog, request.branch));
    RETURN_IF_ERROR(state->Check(request.preconditions));
    CommitRecord record{NewUuid(),       state->Head(),   request.branch,    request.author,
                        request.message, request.time_ms, request.operations};
    std::string id = record.id;
    state->Apply(next_seq_++, std::move(record));
    return id;
  }

  Result<Page<CommitRecord>> ListCommits(const TenantId& tenant, const CatalogId& catalog,
                                         std::string_view branch,
                                         const PageRequest& page) override {
    ASSIGN_OR_RETURN(auto token, DecodeToken(page.token));
    std::optional<int64_t> before;
    if (token) {
      auto seq = ParseInt(*token);
      if (!seq) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", page.token);
      before = *seq;
    }
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(BranchState * state, FindBranch(tenant, catalog, branch));
    return state->Commits(before, page.limit);
  }

 private:
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

  Result<BranchState*> FindBranch(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view branch) {
    auto it = catalogs_.find(catalog);
    if (it == catalogs_.end() || it->second.catalog.tenant_id != tenant) {
      return Err(ErrorCode::kNotFound, "Catalog not found: {}", catalog.value);
    }
    auto branch_it = it->second.branches.find(branch);
    if (branch_it == it->second.branches.end()) {
      return Err(ErrorCode::kNotFound, "Branch not found: {}", branch);
    }
    return &branch_it->second;
  }

  std::mutex mu_;
  std::map<NameKey, Warehouse> warehouses_;
  std::map<CatalogId, CatalogState> catalogs_;
  std::map<NameKey, CatalogId> catalog_names_;
  int64_t next_seq_ = 1;
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> MakeMemoryStore() {
  return std::unique_ptr<MetadataStore>(std::make_unique<MemoryStore>());
}

}  // namespace pangolin::store
