// The versioned content of one in-memory catalog: branches with their own changes, tags, and the
// commit graph. Reads go through the shared layered view (store/layered_view.h). Not
// thread-safe; the memory store serialises access with its own mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/layered_view.h"
#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

// Opaque page tokens: base64url of the last name (or of the last commit sequence number).
std::string EncodeToken(std::string_view last);
// "" → nullopt (first page). Errors: kBadRequest (malformed token).
Result<std::optional<std::string>> DecodeToken(const std::string& token);

class CatalogVersions final : public versioning::LayerSource {
 public:
  // A catalog starts with an empty main branch.
  explicit CatalogVersions(int64_t created_ms);

  // The layers through which `ref` (branch, tag or commit id) is read. Errors: kNotFound.
  Result<std::vector<versioning::Layer>> Resolve(std::string_view ref) const;
  Result<RefInfo> ResolveRef(std::string_view ref) const;

  // Checks preconditions on `request.branch`, applies the operations as commit `seq`.
  Result<std::string> Commit(int64_t seq, const CommitRequest& request);
  Result<Page<CommitRecord>> History(std::string_view ref, std::optional<int64_t> before,
                                     size_t limit) const;
  Result<CommitRecord> GetCommit(std::string_view id) const;

  Result<Branch> CreateBranch(const NewBranch& spec);
  Result<Branch> GetBranch(std::string_view name) const;
  Page<Branch> ListBranches(const std::optional<std::string>& after, size_t limit) const;
  Status DeleteBranch(std::string_view name);
  Result<Tag> CreateTag(std::string_view name, std::string_view target, int64_t time_ms);
  Result<Tag> GetTag(std::string_view name) const;
  Page<Tag> ListTags(const std::optional<std::string>& after, size_t limit) const;
  Status DeleteTag(std::string_view name);
  // The table or view with content id `id` as a live branch's own current entry: on main when
  // it is there, else on the first such branch by name (MetadataStore::FindAsset).
  std::optional<catalog::AssetLocation> FindAsset(std::string_view id) const;

  // LayerSource
  Result<std::optional<versioning::Version>> Get(const versioning::Layer& layer,
                                                 const ContentKey& key) override;
  Result<std::vector<versioning::NamedVersion>> List(const versioning::Layer& layer,
                                                     ContentKey::Space space,
                                                     const Namespace& parent,
                                                     const std::optional<std::string>& after,
                                                     size_t limit) override;

 private:
  struct BranchState {
    Branch branch;
    std::optional<int64_t> parent;  // branch handle of the fork's source
    int64_t fork_seq = 0;           // the source's state as of this sequence number
    bool deleted = false;
    // Every change of this branch: per key, (commit seq, state) in commit order.
    std::map<ContentKey, std::vector<std::pair<int64_t, versioning::Version>>> changes;
    std::vector<std::string> commits;  // ids, oldest first
  };
  struct StoredCommit {
    int64_t branch = 0;
    CommitRecord record;
  };

  std::vector<versioning::Layer> LayersOf(int64_t branch, std::optional<int64_t> bound) const;
  Result<const StoredCommit*> FindCommit(std::string_view id) const;
  // The commit a tag names, or the commit with id `ref`. Errors: kNotFound.
  Result<const StoredCommit*> TaggedOrNamedCommit(std::string_view ref) const;
  Result<int64_t> LiveBranch(std::string_view name) const;
  bool NameTaken(std::string_view name) const;

  std::map<int64_t, BranchState> branches_;
  std::map<std::string, int64_t, std::less<>> branch_names_;  // live branches only
  std::map<std::string, Tag, std::less<>> tags_;
  std::map<std::string, StoredCommit, std::less<>> commits_;
  int64_t next_branch_ = 1;
};

}  // namespace pangolin::store::memory_internal
