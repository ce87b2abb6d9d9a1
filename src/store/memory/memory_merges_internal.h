// The merge operations of every tenant in the memory store, by id. Not thread-safe; the memory
// store serialises access with its own mutex and checks catalogs before calling in.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

class MergeOperations {
 public:
  // Stores `op` (already checked: its catalog exists in `tenant`) at version 1.
  // Errors: kAlreadyExists (id, in any tenant); kInvalidArgument (no id).
  Status Create(const TenantId& tenant, const MergeOperation& op);
  // Errors: kNotFound (also for another tenant's operation).
  Result<MergeOperation> Get(const TenantId& tenant, std::string_view id) const;
  // `catalog`'s operations, newest first. Errors: kBadRequest (token).
  Result<Page<MergeOperation>> List(const CatalogId& catalog, const PageRequest& page) const;
  // Stores `op` over the stored one (merges::ForUpdate). Errors: kNotFound; kCommitFailed.
  Result<MergeOperation> Update(const TenantId& tenant, const MergeOperation& op);
  // The operation a commit on `catalog` completing `op` will store (merges::ForCompletion);
  // nothing is stored yet. Errors: kNotFound; kCommitFailed; kInvalidArgument.
  Result<MergeOperation> PrepareCompletion(const TenantId& tenant, const CatalogId& catalog,
                                           const MergeOperation& op) const;
  // Stores what PrepareCompletion returned, with its result commit set.
  void Complete(MergeOperation op);
  void EraseCatalog(const CatalogId& catalog);

 private:
  struct Stored {
    TenantId tenant;
    int64_t created = 0;  // creation order, breaks ties between equal initiation times
    MergeOperation op;
  };
  Result<const Stored*> Find(const TenantId& tenant, std::string_view id) const;

  std::map<std::string, Stored, std::less<>> by_id_;
  int64_t next_created_ = 1;
};

}  // namespace pangolin::store::memory_internal
