// Versioned content of the MongoDB store, shared by mongo_refs.cc, mongo_content.cc and
// mongo_commits.cc. Documents:
//   refs      {catalog_id, name, kind: "branch"|"tag", no, ...}: unique (catalog_id, name) keeps
//             branch and tag names apart; a branch's `no` (unique per catalog) is its layer handle;
//             a branch records where it forked (parent_no, fork_seq, fork_commit_id).
//   commits   {_id: id, catalog_id, branch_no, seq, parent_seq, ...}: unique (catalog_id, seq)
//             numbers the catalog's commits; unique (catalog_id, branch_no, parent_seq) lets one
//             commit only follow a given head: the insert is the branch head's compare-and-swap.
//   versions  {catalog_id, branch_no, space, parent, name, seq, ordinal, commit_id, op, content}:
//             written before their commit; valid only once a commit with that id and seq exists.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/layered_view.h"
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {

using versioning::Layer;
using versioning::NamedVersion;
using versioning::Version;

struct BranchDoc {
  std::string id;
  int64_t no = 0;
  std::string name;
  std::optional<int64_t> parent_no;
  int64_t fork_seq = 0;
  std::optional<std::string> fork_commit_id;
  BranchType type = BranchType::kExperimental;
  std::vector<std::string> assets;
  int64_t created_ms = 0;
};

struct HeadCommit {
  std::optional<std::string> id;  // the branch's last commit, else its fork commit
  int64_t seq = 0;                // the branch's last own commit's seq, 0 when none
};

// The live branch `name`. Errors: kNotFound.
Result<BranchDoc> FindBranch(Client& client, const std::string& catalog_id, std::string_view name);
Result<HeadCommit> HeadOf(Client& client, const std::string& catalog_id, const BranchDoc& branch);
// The layers `ref` (branch, tag or commit id) reads through, top first. A branch's own layer is
// bounded by its head as read here, so that versions of commits not yet made stay invisible.
// Errors: kNotFound.
Result<std::vector<Layer>> LayersFor(Client& client, const std::string& catalog_id,
                                     std::string_view ref);
// The layers below a branch's own one: its parent as of the fork, and so on.
Result<std::vector<Layer>> ParentLayers(Client& client, const std::string& catalog_id,
                                        const BranchDoc& branch);

// Content and keys as stored in version documents.
Doc ContentFields(const Content& content);
Result<Content> ReadContent(const bson_t* doc);
std::string EncodeParent(const Namespace& ns);
Namespace DecodeParent(std::string_view text);
int64_t SpaceCode(ContentKey::Space space);

// The LayerSource over version documents; skips versions whose commit never landed.
class MongoLayers final : public versioning::LayerSource {
 public:
  MongoLayers(Client& client, std::string catalog_id)
      : client_(client), catalog_id_(std::move(catalog_id)) {}
  Result<std::optional<Version>> Get(const Layer& layer, const ContentKey& key) override;
  Result<std::vector<NamedVersion>> List(const Layer& layer, ContentKey::Space space,
                                         const Namespace& parent,
                                         const std::optional<std::string>& after,
                                         size_t limit) override;
  // Whether the version document belongs to a commit that exists.
  Result<bool> Valid(const bson_t* version);
  // The state a valid version holds: content, or nullopt for a deletion.
  static Result<Version> StateOf(const bson_t* version);

 private:
  Client& client_;
  std::string catalog_id_;
  std::map<std::pair<std::string, int64_t>, bool> valid_;  // (commit id, seq) → landed
};

}  // namespace pangolin::store::mongo_internal
