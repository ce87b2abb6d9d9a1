// MergeService: merges one branch (or tag, or commit) of a catalog into a branch, as ARCHITECTURE
// §3.4 describes. A merge finds the merge base in the commit graph, classifies every key changed
// on either side since it (catalog/merge_classify.h), and records a merge operation. Without
// conflicts the merge completes at once: one commit on the target whose second parent is the
// source head. With conflicts it waits for a resolution of each (TakeSource, TakeTarget or
// ThreeWayMerge), then completes; completion is guarded so that a change to the target since the
// analysis fails it instead of being overwritten. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/merge.h"
#include "common/clock.h"
#include "service/catalog_storage.h"
#include "service/context.h"
#include "service/table_files.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct Resolution {
  catalog::ResolutionStrategy strategy = catalog::ResolutionStrategy::kTakeSource;
};

class MergeService {
 public:
  MergeService(store::MetadataStore& store, TableFiles& files, CatalogStorage& storage,
               const Clock& clock);

  // Merges `source` (a branch, tag or commit) into the branch `target`. Returns the operation:
  // Completed (with `result_commit_id`, absent when the target already contained the source), or
  // Conflicted. Errors: kNotFound (catalog, source, target); kBadRequest (target not a branch,
  // source = target); kConflict (the target moved while the merge completed: merge again).
  Result<catalog::MergeOperation> Merge(const Context& ctx, std::string_view catalog,
                                        std::string_view source, std::string_view target);
  // Brings everything `onto` has into the branch `branch`, keeping the branch's own changes (a
  // merge of `onto` into `branch`). Refuses with kConflict, changing nothing, when any key was
  // changed on both sides.
  Result<catalog::MergeOperation> Rebase(const Context& ctx, std::string_view catalog,
                                         std::string_view branch, std::string_view onto);

  Result<store::Page<catalog::MergeOperation>> List(const Context& ctx, std::string_view catalog,
                                                    const store::PageRequest& page);
  // Errors: kNotFound.
  Result<catalog::MergeOperation> Get(const Context& ctx, std::string_view id);
  // Records how the conflict `conflict_id` is resolved (ThreeWayMerge computes the merged state
  // now); the operation becomes Ready when every conflict is resolved. Errors: kNotFound;
  // kBadRequest (a strategy Pangolin does not apply, or the operation is finished); kConflict
  // (ThreeWayMerge cannot reconcile the two sides: the message says what).
  Result<catalog::MergeOperation> Resolve(const Context& ctx, std::string_view conflict_id,
                                          const Resolution& resolution);
  // Commits a Ready operation (or a Pending one without conflicts) on the target. Errors:
  // kNotFound; kBadRequest (not ready); kConflict (the target changed one of the merged keys since
  // the analysis: nothing was changed; abort and merge again).
  Result<catalog::MergeOperation> Complete(const Context& ctx, std::string_view id);
  // Errors: kNotFound; kBadRequest (already completed or aborted).
  Result<catalog::MergeOperation> Abort(const Context& ctx, std::string_view id);

 private:
  Result<catalog::MergeOperation> Analyse(const Context& ctx, const catalog::Catalog& cat,
                                          std::string_view source, std::string_view target);
  Result<catalog::MergeOperation> CommitMerge(const Context& ctx, catalog::MergeOperation op);
  Result<catalog::MergeChange> ThreeWay(storage::FileIO& io,
                                        const catalog::MergeConflict& conflict);
  // The FileIO of the catalog's warehouse.
  Result<std::shared_ptr<storage::FileIO>> Io(const catalog::Catalog& cat);
  Result<catalog::Catalog> FindCatalog(const Context& ctx, std::string_view name);

  store::MetadataStore& store_;
  TableFiles& files_;
  CatalogStorage& storage_;
  const Clock& clock_;
};

}  // namespace pangolin::service
