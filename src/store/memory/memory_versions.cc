// Branches, tags, commits and per-branch change history of one in-memory catalog.
#include <algorithm>

#include "common/ids.h"
#include "common/strings.h"
#include "store/memory/memory_versions_internal.h"

namespace pangolin::store::memory_internal {

using versioning::Layer;
using versioning::NamedVersion;
using versioning::Version;

std::string EncodeToken(std::string_view last) { return Base64UrlEncode(last); }

Result<std::optional<std::string>> DecodeToken(const std::string& token) {
  if (token.empty()) return std::optional<std::string>();
  auto decoded = Base64UrlDecode(token);
  if (!decoded) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<std::string>(std::move(*decoded));
}

namespace {

// The state of `history` (ascending by seq) as of `bound`, or nullopt when it has none yet.
std::optional<Version> AsOf(const std::vector<std::pair<int64_t, Version>>& history,
                            std::optional<int64_t> bound) {
  if (!bound) return history.back().second;
  auto it = std::upper_bound(history.begin(), history.end(), *bound,
                             [](int64_t seq, const auto& entry) { return seq < entry.first; });
  if (it == history.begin()) return std::nullopt;
  return std::prev(it)->second;
}

}  // namespace

CatalogVersions::CatalogVersions(int64_t created_ms) {
  BranchState main;
  main.branch.name = std::string(catalog::kMainBranch);
  main.branch.type = BranchType::kIngest;
  main.branch.created_ms = created_ms;
  int64_t handle = next_branch_++;
  branch_names_.emplace(main.branch.name, handle);
  branches_.emplace(handle, std::move(main));
}

std::vector<Layer> CatalogVersions::LayersOf(int64_t branch, std::optional<int64_t> bound) const {
  std::vector<Layer> layers{Layer{branch, bound}};
  for (const BranchState* state = &branches_.at(branch); state->parent;) {
    layers.push_back(Layer{*state->parent, state->fork_seq});
    state = &branches_.at(*state->parent);
  }
  return layers;
}

Result<const CatalogVersions::StoredCommit*> CatalogVersions::FindCommit(
    std::string_view id) const {
  auto it = commits_.find(id);
  if (it == commits_.end()) return Err(ErrorCode::kNotFound, "Commit not found: {}", id);
  return &it->second;
}

Result<const CatalogVersions::StoredCommit*> CatalogVersions::TaggedOrNamedCommit(
    std::string_view ref) const {
  if (auto it = tags_.find(ref); it != tags_.end()) return FindCommit(it->second.commit_id);
  if (auto it = commits_.find(ref); it != commits_.end()) return &it->second;
  return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
}

Result<int64_t> CatalogVersions::LiveBranch(std::string_view name) const {
  auto it = branch_names_.find(name);
  if (it == branch_names_.end()) return Err(ErrorCode::kNotFound, "Branch not found: {}", name);
  return it->second;
}

bool CatalogVersions::NameTaken(std::string_view name) const {
  return branch_names_.contains(name) || tags_.contains(name);
}

Result<RefInfo> CatalogVersions::ResolveRef(std::string_view ref) const {
  if (auto it = branch_names_.find(ref); it != branch_names_.end()) {
    return RefInfo{RefInfo::Kind::kBranch, std::string(ref),
                   branches_.at(it->second).branch.head_commit_id};
  }
  if (auto it = tags_.find(ref); it != tags_.end()) {
    return RefInfo{RefInfo::Kind::kTag, std::string(ref), it->second.commit_id};
  }
  if (commits_.contains(ref)) {
    return RefInfo{RefInfo::Kind::kCommit, std::string(ref), std::string(ref)};
  }
  return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
}

Result<std::vector<Layer>> CatalogVersions::Resolve(std::string_view ref) const {
  if (auto it = branch_names_.find(ref); it != branch_names_.end()) {
    return LayersOf(it->second, std::nullopt);
  }
  ASSIGN_OR_RETURN(const StoredCommit* commit, TaggedOrNamedCommit(ref));
  return LayersOf(commit->branch, commit->record.sequence);
}

Result<std::string> CatalogVersions::Commit(int64_t seq, const CommitRequest& request) {
  ASSIGN_OR_RETURN(int64_t handle, LiveBranch(request.branch));
  RETURN_IF_ERROR(versioning::CheckPreconditions(*this, LayersOf(handle, std::nullopt),
                                                 request.preconditions, request.operations));
  if (request.merge_parent_id && !commits_.contains(*request.merge_parent_id)) {
    return Err(ErrorCode::kInvalidArgument, "Unknown merge parent: {}", *request.merge_parent_id);
  }
  BranchState& state = branches_.at(handle);
  CommitRecord record;
  record.id = NewUuidV7(request.time_ms);
  record.parent_id = state.branch.head_commit_id;
  record.merge_parent_id = request.merge_parent_id;
  record.sequence = seq;
  record.branch = request.branch;
  record.author = request.author;
  record.message = request.message;
  record.time_ms = request.time_ms;
  record.operations = request.operations;
  for (const auto& op : request.operations) {
    state.changes[op.key].emplace_back(
        seq, op.kind == Operation::Kind::kPut ? Version(*op.content) : Version(std::nullopt));
  }
  state.branch.head_commit_id = record.id;
  state.commits.push_back(record.id);
  std::string id = record.id;
  commits_.emplace(id, StoredCommit{handle, std::move(record)});
  return id;
}

Result<Page<CommitRecord>> CatalogVersions::History(std::string_view ref,
                                                    std::optional<int64_t> before,
                                                    size_t limit) const {
  ASSIGN_OR_RETURN(std::vector<Layer> layers, Resolve(ref));
  Page<CommitRecord> page;
  for (const auto& layer : layers) {
    const auto& ids = branches_.at(layer.branch).commits;
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      const CommitRecord& record = commits_.find(*it)->second.record;
      if (layer.bound && record.sequence > *layer.bound) continue;
      if (before && record.sequence >= *before) continue;
      if (limit != 0 && page.items.size() == limit) {
        page.next_token = EncodeToken(std::to_string(page.items.back().sequence));
        return page;
      }
      page.items.push_back(record);
    }
  }
  return page;
}

Result<CommitRecord> CatalogVersions::GetCommit(std::string_view id) const {
  ASSIGN_OR_RETURN(const StoredCommit* commit, FindCommit(id));
  return commit->record;
}

Result<Branch> CatalogVersions::CreateBranch(const NewBranch& spec) {
  if (NameTaken(spec.name)) {
    return Err(ErrorCode::kAlreadyExists, "Reference already exists: {}", spec.name);
  }
  BranchState state;
  if (auto it = branch_names_.find(spec.from); it != branch_names_.end()) {
    const BranchState& source = branches_.at(it->second);
    state.parent = it->second;
    state.branch.fork_commit_id = source.branch.head_commit_id;
  } else {
    ASSIGN_OR_RETURN(const StoredCommit* commit, TaggedOrNamedCommit(spec.from));
    state.parent = commit->branch;
    state.branch.fork_commit_id = commit->record.id;
  }
  if (state.branch.fork_commit_id) {
    state.fork_seq = commits_.find(*state.branch.fork_commit_id)->second.record.sequence;
  }
  state.branch.name = spec.name;
  state.branch.head_commit_id = state.branch.fork_commit_id;
  state.branch.type = spec.type;
  state.branch.assets = spec.assets;
  state.branch.created_ms = spec.time_ms;
  int64_t handle = next_branch_++;
  branch_names_.emplace(spec.name, handle);
  Branch created = state.branch;
  branches_.emplace(handle, std::move(state));
  return created;
}

Result<Branch> CatalogVersions::GetBranch(std::string_view name) const {
  ASSIGN_OR_RETURN(int64_t handle, LiveBranch(name));
  return branches_.at(handle).branch;
}

Page<Branch> CatalogVersions::ListBranches(const std::optional<std::string>& after,
                                           size_t limit) const {
  Page<Branch> page;
  auto it = after ? branch_names_.upper_bound(*after) : branch_names_.begin();
  for (; it != branch_names_.end(); ++it) {
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = EncodeToken(page.items.back().name);
      break;
    }
    page.items.push_back(branches_.at(it->second).branch);
  }
  return page;
}

Status CatalogVersions::DeleteBranch(std::string_view name) {
  if (name == catalog::kMainBranch) {
    return Err(ErrorCode::kInvalidArgument, "The main branch cannot be deleted");
  }
  ASSIGN_OR_RETURN(int64_t handle, LiveBranch(name));
  branches_.at(handle).deleted = true;
  branch_names_.erase(branch_names_.find(name));
  return Ok();
}

Result<Tag> CatalogVersions::CreateTag(std::string_view name, std::string_view target,
                                       int64_t time_ms) {
  if (NameTaken(name)) return Err(ErrorCode::kAlreadyExists, "Reference already exists: {}", name);
  ASSIGN_OR_RETURN(RefInfo info, ResolveRef(target));
  if (!info.commit_id) {
    return Err(ErrorCode::kInvalidArgument, "Branch {} has no commit to tag", target);
  }
  Tag tag{std::string(name), *info.commit_id, time_ms};
  tags_.emplace(tag.name, tag);
  return tag;
}

Result<Tag> CatalogVersions::GetTag(std::string_view name) const {
  auto it = tags_.find(name);
  if (it == tags_.end()) return Err(ErrorCode::kNotFound, "Tag not found: {}", name);
  return it->second;
}

Page<Tag> CatalogVersions::ListTags(const std::optional<std::string>& after, size_t limit) const {
  Page<Tag> page;
  auto it = after ? tags_.upper_bound(*after) : tags_.begin();
  for (; it != tags_.end(); ++it) {
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = EncodeToken(page.items.back().name);
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

Status CatalogVersions::DeleteTag(std::string_view name) {
  auto it = tags_.find(name);
  if (it == tags_.end()) return Err(ErrorCode::kNotFound, "Tag not found: {}", name);
  tags_.erase(it);
  return Ok();
}

Result<std::optional<Version>> CatalogVersions::Get(const Layer& layer, const ContentKey& key) {
  const auto& changes = branches_.at(layer.branch).changes;
  auto it = changes.find(key);
  if (it == changes.end()) return std::optional<Version>();
  return AsOf(it->second, layer.bound);
}

Result<std::vector<NamedVersion>> CatalogVersions::List(const Layer& layer, ContentKey::Space space,
                                                        const Namespace& parent,
                                                        const std::optional<std::string>& after,
                                                        size_t limit) {
  const auto& changes = branches_.at(layer.branch).changes;
  ContentKey start{space, parent, after.value_or("")};
  auto it = after ? changes.upper_bound(start) : changes.lower_bound(start);
  std::vector<NamedVersion> out;
  for (; it != changes.end() && it->first.space == space && it->first.parent == parent; ++it) {
    std::optional<Version> version = AsOf(it->second, layer.bound);
    if (!version) continue;
    out.push_back(NamedVersion{it->first.name, std::move(*version)});
    if (out.size() == limit) break;
  }
  return out;
}

std::optional<catalog::AssetLocation> CatalogVersions::FindAsset(std::string_view id) const {
  std::vector<std::pair<std::string, int64_t>> order(branch_names_.begin(), branch_names_.end());
  std::stable_partition(order.begin(), order.end(),
                        [](const auto& named) { return named.first == catalog::kMainBranch; });
  for (const auto& [name, handle] : order) {
    for (const auto& [key, history] : branches_.at(handle).changes) {
      const Version& current = history.back().second;
      if (current && current->id == id && current->type != catalog::ContentType::kNamespace) {
        catalog::AssetLocation found;
        found.branch = name;
        found.key = key;
        found.content = *current;
        return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace pangolin::store::memory_internal
