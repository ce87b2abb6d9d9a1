// BusinessMetadataRecords; see memory_discovery_internal.h.
#include <algorithm>

#include "store/memory/memory_discovery_internal.h"

namespace pangolin::store::memory_internal {

Result<BusinessMetadataRecords::Stored> BusinessMetadataRecords::Put(
    const CatalogId& catalog, const BusinessMetadata& metadata,
    const DiscoveryStore::ExpectedTags& expected) {
  auto key = std::make_pair(metadata.tenant_id.value, metadata.asset_id);
  auto it = records_.find(key);
  RETURN_IF_ERROR(CheckExpectedTags(
      expected, it == records_.end() ? std::vector<std::string>{} : it->second.metadata.tags,
      metadata.asset_id));
  Stored out{metadata, !metadata.tags.empty()};
  if (it == records_.end()) {
    records_.emplace(std::move(key), Record{catalog, metadata});
    return out;
  }
  const BusinessMetadata& before = it->second.metadata;
  out.metadata.id = before.id;
  out.metadata.created_by = before.created_by;
  out.metadata.created_ms = before.created_ms;
  out.tags_changed = before.tags != metadata.tags;
  it->second.metadata = out.metadata;
  return out;
}

Result<BusinessMetadata> BusinessMetadataRecords::Get(const TenantId& tenant,
                                                      std::string_view asset_id) const {
  auto it = records_.find(std::make_pair(tenant.value, std::string(asset_id)));
  if (it == records_.end()) {
    return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  }
  return it->second.metadata;
}

Result<BusinessMetadata> BusinessMetadataRecords::Remove(
    const TenantId& tenant, std::string_view asset_id,
    const DiscoveryStore::ExpectedTags& expected) {
  auto it = records_.find(std::make_pair(tenant.value, std::string(asset_id)));
  if (it == records_.end()) {
    return Err(ErrorCode::kNotFound, "No business metadata for asset {}", asset_id);
  }
  RETURN_IF_ERROR(CheckExpectedTags(expected, it->second.metadata.tags, asset_id));
  BusinessMetadata removed = std::move(it->second.metadata);
  records_.erase(it);
  return removed;
}

std::vector<std::pair<std::string, std::string>> BusinessMetadataRecords::TaggedAssets(
    const TenantId& tenant, const std::vector<std::string>& tags) const {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [key, record] : records_) {
    if (key.first != tenant.value) continue;
    for (const auto& tag : record.metadata.tags) {
      if (std::find(tags.begin(), tags.end(), tag) != tags.end())
        pairs.emplace_back(key.second, tag);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

void BusinessMetadataRecords::EraseCatalog(const CatalogId& catalog) {
  std::erase_if(records_, [&](const auto& entry) { return entry.second.catalog == catalog; });
}

}  // namespace pangolin::store::memory_internal
