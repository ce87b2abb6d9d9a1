// VersioningService: branches, tags and commit history of a catalog, for the management API.
// Reads and writes through the store's versioning operations (ARCHITECTURE §3.4). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/versioning.h"
#include "common/clock.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct BranchInput {
  std::string catalog;
  std::string name;
  catalog::BranchType type = catalog::BranchType::kExperimental;
  std::string from{catalog::kMainBranch};  // a branch, tag or commit id
  std::vector<std::string> assets;
};

struct CommitDiff {
  catalog::CommitRecord commit;
  std::vector<std::optional<catalog::Content>> before;  // per operation, as of the parent
};

class VersioningService {
 public:
  VersioningService(store::MetadataStore& store, const Clock& clock);

  // Errors: kNotFound (catalog, or `from`), kAlreadyExists, kBadRequest (invalid name).
  Result<catalog::Branch> CreateBranch(const Context& ctx, const BranchInput& input);
  Result<catalog::Branch> GetBranch(const Context& ctx, std::string_view catalog,
                                    std::string_view name);
  Result<store::Page<catalog::Branch>> ListBranches(const Context& ctx, std::string_view catalog,
                                                    const store::PageRequest& page);
  // Errors: kBadRequest for main; kNotFound.
  Status DeleteBranch(const Context& ctx, std::string_view catalog, std::string_view name);

  // History of a branch, tag or commit, newest first (first parents).
  Result<store::Page<catalog::CommitRecord>> ListCommits(const Context& ctx,
                                                         std::string_view catalog,
                                                         std::string_view ref,
                                                         const store::PageRequest& page);
  // One commit with the state each of its operations replaced.
  Result<CommitDiff> GetCommit(const Context& ctx, std::string_view catalog,
                               std::string_view commit_id);

  // Tags the commit `target` resolves to. Errors: kNotFound, kAlreadyExists, kBadRequest.
  Result<catalog::Tag> CreateTag(const Context& ctx, std::string_view catalog,
                                 std::string_view name, std::string_view target);
  Result<store::Page<catalog::Tag>> ListTags(const Context& ctx, std::string_view catalog,
                                             const store::PageRequest& page);
  Status DeleteTag(const Context& ctx, std::string_view catalog, std::string_view name);

 private:
  Result<CatalogId> FindCatalog(const Context& ctx, std::string_view name);

  store::MetadataStore& store_;
  const Clock& clock_;
};

}  // namespace pangolin::service
