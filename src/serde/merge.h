// Wire formats of merge operations and conflicts in the management API, in the original's
// snake_case JSON with externally tagged conflict types (see docs/api.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/merge.h"
#include "common/ids.h"
#include "common/result.h"

namespace pangolin::serde {

struct MergeBody {
  std::string catalog;
  std::string source;  // source_branch: a branch, tag or commit id
  std::string target;  // target_branch
};
Result<MergeBody> ParseMergeRequest(std::string_view json);

// {"strategy": "TakeSource"} (also "resolution"); `resolved_value` is refused: Pangolin computes
// the resolved state from the strategy.
Result<catalog::ResolutionStrategy> ParseResolveRequest(std::string_view json);

std::string MergeOperationJson(const TenantId& tenant, const catalog::MergeOperation& op);
// Summaries: {id, status, source_branch, target_branch, conflicts_count, initiated_at,
// completed_at}.
std::string MergeOperationListJson(const std::vector<catalog::MergeOperation>& ops);
std::string ConflictListJson(const catalog::MergeOperation& op);
// 409 body of a merge that stopped on conflicts.
std::string MergeConflictedJson(const catalog::MergeOperation& op);
std::string MergeCompletedJson(const catalog::MergeOperation& op);
std::string MergeAbortedJson(const catalog::MergeOperation& op);
std::string ConflictResolvedJson(const catalog::MergeOperation& op, std::string_view conflict_id);

}  // namespace pangolin::serde
