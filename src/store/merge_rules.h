// What every store does with merge operations (MetadataStore's merge methods), written once so
// the memory and SQLite stores cannot drift apart: the version a new operation gets, which fields
// an update keeps. Listings page newest first (store/newest_first.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/metadata_store.h"

namespace pangolin::store::merges {

// What CreateMergeOperation stores: `op` at version 1. Errors: kInvalidArgument (no id).
Result<MergeOperation> ForCreate(const MergeOperation& op);

// What UpdateMergeOperation stores over `stored`: `update` with the catalog, id and initiation
// fields of `stored` and the version incremented. Errors: kCommitFailed when `update.version`
// is not the stored version.
Result<MergeOperation> ForUpdate(const MergeOperation& stored, const MergeOperation& update);

// As ForUpdate, for a commit on `catalog` that completes the merge (the store sets
// `result_commit_id` once the commit has its id). Checked before the commit applies anything.
// Errors: also kInvalidArgument when the stored operation belongs to another catalog.
Result<MergeOperation> ForCompletion(const MergeOperation& stored, const MergeOperation& update,
                                     const CatalogId& catalog);

}  // namespace pangolin::store::merges
