// One branch of a catalog held in memory: its current content and its commit history. Not
// thread-safe; the memory store serialises access with its own mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/metadata_store.h"

namespace pangolin::store::memory_internal {

// "a.b.t": how error messages name a key.
std::string DisplayKey(const ContentKey& key);

// Opaque page tokens: base64url of the last name (or of the last commit sequence number).
std::string EncodeToken(std::string_view last);
// "" → nullopt (first page). Errors: kBadRequest (malformed token).
Result<std::optional<std::string>> DecodeToken(const std::string& token);

class BranchState {
 public:
  std::optional<Content> Get(const ContentKey& key) const;
  // Direct children of `parent` in `space` after `after`, by name (see MetadataStore).
  Page<Entry> List(ContentKey::Space space, const Namespace& parent,
                   std::optional<ContentType> type, const std::optional<std::string>& after,
                   size_t limit) const;
  // Errors: kCommitFailed naming the first precondition that does not hold.
  Status Check(const std::vector<Precondition>& preconditions) const;
  // Applies `operations` in order and records the commit `record` with sequence number `seq`.
  void Apply(int64_t seq, CommitRecord record);
  // The head commit id, if any commit was made.
  std::optional<std::string> Head() const;
  // Commits newest first, starting after sequence number `before` (exclusive) when set.
  Page<CommitRecord> Commits(std::optional<int64_t> before, size_t limit) const;

 private:
  bool HasChildren(const Namespace& ns) const;

  std::map<ContentKey, Content> content_;
  std::vector<std::pair<int64_t, CommitRecord>> commits_;  // oldest first
};

}  // namespace pangolin::store::memory_internal
