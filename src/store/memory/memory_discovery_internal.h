// The business metadata of every tenant's assets in the memory store. Not thread-safe; the memory
// store serialises access with its own mutex and checks catalogs before calling in.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

// Semantics as on DiscoveryStore; the store moves the access version when `tags_changed`.
class BusinessMetadataRecords {
 public:
  struct Stored {
    BusinessMetadata metadata;
    bool tags_changed = false;  // the asset's tags differ from before (none counts as empty)
  };
  Result<Stored> Put(const CatalogId& catalog, const BusinessMetadata& metadata,
                     const DiscoveryStore::ExpectedTags& expected);
  Result<BusinessMetadata> Get(const TenantId& tenant, std::string_view asset_id) const;
  // Returns the removed record. Errors: kNotFound.
  Result<BusinessMetadata> Remove(const TenantId& tenant, std::string_view asset_id,
                                  const DiscoveryStore::ExpectedTags& expected);
  std::vector<std::pair<std::string, std::string>> TaggedAssets(
      const TenantId& tenant, const std::vector<std::string>& tags) const;
  void EraseCatalog(const CatalogId& catalog);

 private:
  struct Record {
    CatalogId catalog;
    BusinessMetadata metadata;
  };
  std::map<std::pair<std::string, std::string>, Record, std::less<>> records_;  // (tenant, asset)
};

}  // namespace pangolin::store::memory_internal
