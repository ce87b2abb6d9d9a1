// Wire formats of the versioning part of the management API: branches, tags and commits in the
// original's snake_case JSON (see docs/api.md). Unknown request fields are refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/versioning.h"
#include "common/result.h"

namespace pangolin::serde {

struct BranchBody {
  std::string name;
  std::string catalog;
  catalog::BranchType type = catalog::BranchType::kExperimental;
  std::string from;  // a branch, tag or commit id; "main" when absent
  std::vector<std::string> assets;
};
// `branch_type` "ingest" (any case) is ingest; anything else experimental, as in the original.
Result<BranchBody> ParseBranchRequest(std::string_view json);
std::string BranchJson(const catalog::Branch& branch);
std::string BranchListJson(const std::vector<catalog::Branch>& branches);

struct TagBody {
  std::string name;
  std::string catalog;  // "default" when absent, as in the original
  std::string target;   // commit_id: a commit id, or a branch or tag whose commit is tagged
};
Result<TagBody> ParseTagRequest(std::string_view json);
std::string TagJson(const catalog::Tag& tag);
std::string TagListJson(const std::vector<catalog::Tag>& tags);

std::string CommitListJson(const std::vector<catalog::CommitRecord>& commits);
// A commit with each operation's state before it (`before`, null when the key was absent).
std::string CommitDiffJson(const catalog::CommitRecord& commit,
                           const std::vector<std::optional<catalog::Content>>& before);

}  // namespace pangolin::serde
