// DiscoveryStore: the business metadata of assets, one record per (tenant, asset id). Part of
// every MetadataStore (it inherits this interface). A record belongs to the catalog its asset was
// in when it was first stored and is deleted with that catalog. Because tags feed tag grants,
// every change to a record's tags moves the tenant's access version (AccessStore::AccessVersion)
// in the same transaction.
//
// Thread-safety: every method may be called concurrently. Atomicity: every method is atomic.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/discovery.h"
#include "common/result.h"

namespace pangolin::store {

using catalog::BusinessMetadata;

// kCommitFailed unless `expected` is unset or equals `stored` (the tags stored now; none without a
// record). The backends call it with the record read inside the change's transaction.
inline Status CheckExpectedTags(const std::optional<std::vector<std::string>>& expected,
                                const std::vector<std::string>& stored, std::string_view asset_id) {
  if (!expected || *expected == stored) return Ok();
  return Err(ErrorCode::kCommitFailed, "The tags of asset {} changed meanwhile", asset_id);
}

class DiscoveryStore {
 public:
  virtual ~DiscoveryStore() = default;

  // The tags a change expects the stored record to carry (no record: none), checked atomically
  // with the change; nullopt: no check. Callers that decided who may change tags on what they
  // read pass it, so that a concurrent retagging cannot slip past their decision.
  using ExpectedTags = std::optional<std::vector<std::string>>;

  // Stores `metadata` for `metadata.asset_id` in `metadata.tenant_id`, in the catalog
  // `catalog`: a new record as given, or a replacement of the existing one that keeps its id,
  // catalog, created_by and created_ms. Returns what was stored.
  // Errors: kNotFound (no such catalog in the tenant); kCommitFailed (`expected` differs from
  // the stored tags; nothing changed).
  virtual Result<BusinessMetadata> PutBusinessMetadata(const CatalogId& catalog,
                                                       const BusinessMetadata& metadata,
                                                       const ExpectedTags& expected) = 0;
  // Errors: kNotFound.
  virtual Result<BusinessMetadata> GetBusinessMetadata(const TenantId& tenant,
                                                       std::string_view asset_id) = 0;
  // Errors: kNotFound; kCommitFailed (`expected` differs from the stored tags; nothing changed).
  virtual Status DeleteBusinessMetadata(const TenantId& tenant, std::string_view asset_id,
                                        const ExpectedTags& expected) = 0;
  // The (asset id, tag) pairs of `tenant` whose tag is one of `tags`, ordered by asset id then
  // tag. One indexed read per tag.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListTaggedAssets(
      const TenantId& tenant, const std::vector<std::string>& tags) = 0;
};

}  // namespace pangolin::store
