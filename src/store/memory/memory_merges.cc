// Merge operations of the memory store. Listing sorts the catalog's operations on each call:
// the memory store serves tests, where a catalog holds a handful of them.
#include <algorithm>
#include <vector>

#include "store/memory/memory_merges_internal.h"
#include "store/merge_rules.h"
#include "store/newest_first.h"

namespace pangolin::store::memory_internal {

using newest_first::Position;

Status MergeOperations::Create(const TenantId& tenant, const MergeOperation& op) {
  ASSIGN_OR_RETURN(MergeOperation stored, merges::ForCreate(op));
  if (by_id_.contains(stored.id)) {
    return Err(ErrorCode::kAlreadyExists, "Merge operation already exists: {}", stored.id);
  }
  std::string id = stored.id;
  by_id_.emplace(std::move(id), Stored{tenant, next_created_++, std::move(stored)});
  return Ok();
}

Result<const MergeOperations::Stored*> MergeOperations::Find(const TenantId& tenant,
                                                             std::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.tenant != tenant) {
    return Err(ErrorCode::kNotFound, "Merge operation not found: {}", id);
  }
  return &it->second;
}

Result<MergeOperation> MergeOperations::Get(const TenantId& tenant, std::string_view id) const {
  ASSIGN_OR_RETURN(const Stored* stored, Find(tenant, id));
  return stored->op;
}

Result<Page<MergeOperation>> MergeOperations::List(const CatalogId& catalog,
                                                   const PageRequest& page) const {
  ASSIGN_OR_RETURN(std::optional<Position> after, newest_first::DecodeToken(page.token));
  std::vector<std::pair<Position, const MergeOperation*>> listed;
  for (const auto& [id, stored] : by_id_) {
    Position position{stored.op.initiated_ms, stored.created};
    if (stored.op.catalog_id == catalog && (!after || position < *after)) {
      listed.emplace_back(position, &stored.op);
    }
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  Page<MergeOperation> result;
  for (size_t i = 0; i < listed.size(); ++i) {
    if (page.limit != 0 && i == page.limit) {
      result.next_token = newest_first::EncodeToken(listed[i - 1].first);
      break;
    }
    result.items.push_back(*listed[i].second);
  }
  return result;
}

Result<MergeOperation> MergeOperations::Update(const TenantId& tenant, const MergeOperation& op) {
  ASSIGN_OR_RETURN(const Stored* stored, Find(tenant, op.id));
  ASSIGN_OR_RETURN(MergeOperation next, merges::ForUpdate(stored->op, op));
  by_id_.at(next.id).op = next;
  return next;
}

Result<MergeOperation> MergeOperations::PrepareCompletion(const TenantId& tenant,
                                                          const CatalogId& catalog,
                                                          const MergeOperation& op) const {
  ASSIGN_OR_RETURN(const Stored* stored, Find(tenant, op.id));
  return merges::ForCompletion(stored->op, op, catalog);
}

void MergeOperations::Complete(MergeOperation op) {
  std::string id = op.id;
  by_id_.at(id).op = std::move(op);
}

void MergeOperations::EraseCatalog(const CatalogId& catalog) {
  std::erase_if(by_id_, [&](const auto& entry) { return entry.second.op.catalog_id == catalog; });
}

}  // namespace pangolin::store::memory_internal
