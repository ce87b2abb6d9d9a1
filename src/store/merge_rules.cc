// Merge operation rules shared by the stores.
#include "store/merge_rules.h"

#include "common/strings.h"

namespace pangolin::store::merges {

Result<MergeOperation> ForCreate(const MergeOperation& op) {
  if (op.id.empty()) return Err(ErrorCode::kInvalidArgument, "Merge operation has no id");
  MergeOperation stored = op;
  stored.version = 1;
  return stored;
}

Result<MergeOperation> ForUpdate(const MergeOperation& stored, const MergeOperation& update) {
  if (update.version != stored.version) {
    return Err(ErrorCode::kCommitFailed,
               "Merge operation {} has changed: version {} is stored, the update read {}",
               stored.id, stored.version, update.version);
  }
  MergeOperation next = update;
  next.id = stored.id;
  next.catalog_id = stored.catalog_id;
  next.catalog_name = stored.catalog_name;
  next.initiated_by = stored.initiated_by;
  next.initiated_ms = stored.initiated_ms;
  next.version = stored.version + 1;
  return next;
}

Result<MergeOperation> ForCompletion(const MergeOperation& stored, const MergeOperation& update,
                                     const CatalogId& catalog) {
  if (stored.catalog_id != catalog) {
    return Err(ErrorCode::kInvalidArgument, "Merge operation {} belongs to another catalog",
               stored.id);
  }
  return ForUpdate(stored, update);
}

}  // namespace pangolin::store::merges
