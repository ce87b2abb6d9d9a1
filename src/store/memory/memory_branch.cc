// Content, preconditions and history of one in-memory branch.
#include <algorithm>

#include "common/strings.h"
#include "store/memory/memory_branch_internal.h"

namespace pangolin::store::memory_internal {

std::string DisplayKey(const ContentKey& key) {
  if (key.space == ContentKey::Space::kNamespace) return catalog::ToString(KeyNamespacePath(key));
  return catalog::ToString(catalog::TableIdentifier{key.parent, key.name});
}

std::string EncodeToken(std::string_view last) { return Base64UrlEncode(last); }

Result<std::optional<std::string>> DecodeToken(const std::string& token) {
  if (token.empty()) return std::optional<std::string>();
  auto decoded = Base64UrlDecode(token);
  if (!decoded) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<std::string>(std::move(*decoded));
}

std::optional<Content> BranchState::Get(const ContentKey& key) const {
  auto it = content_.find(key);
  if (it == content_.end()) return std::nullopt;
  return it->second;
}

Page<Entry> BranchState::List(ContentKey::Space space, const Namespace& parent,
                              std::optional<ContentType> type,
                              const std::optional<std::string>& after, size_t limit) const {
  ContentKey start{space, parent, after.value_or("")};
  auto it = after ? content_.upper_bound(start) : content_.lower_bound(start);
  Page<Entry> page;
  for (; it != content_.end() && it->first.space == space && it->first.parent == parent; ++it) {
    if (type && it->second.type != *type) continue;
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = EncodeToken(page.items.back().key.name);
      break;
    }
    page.items.push_back(Entry{it->first, it->second});
  }
  return page;
}

bool BranchState::HasChildren(const Namespace& ns) const {
  for (auto space : {ContentKey::Space::kNamespace, ContentKey::Space::kObject}) {
    auto it = content_.lower_bound(ContentKey{space, ns, ""});
    if (it != content_.end() && it->first.space == space && it->first.parent == ns) return true;
  }
  return false;
}

Status BranchState::Check(const std::vector<Precondition>& preconditions) const {
  for (const auto& pre : preconditions) {
    switch (pre.kind) {
      case Precondition::Kind::kEquals:
        if (Get(pre.key) != pre.expected) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: {} has changed",
                     DisplayKey(pre.key));
        }
        break;
      case Precondition::Kind::kNamespaceExists:
        if (pre.key.space != ContentKey::Space::kNamespace || !content_.contains(pre.key)) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} does not exist",
                     DisplayKey(pre.key));
        }
        break;
      case Precondition::Kind::kNamespaceEmpty:
        if (HasChildren(KeyNamespacePath(pre.key))) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} is not empty",
                     DisplayKey(pre.key));
        }
        break;
    }
  }
  return Ok();
}

void BranchState::Apply(int64_t seq, CommitRecord record) {
  for (const auto& op : record.operations) {
    if (op.kind == Operation::Kind::kPut) {
      content_[op.key] = *op.content;
    } else {
      content_.erase(op.key);
    }
  }
  commits_.emplace_back(seq, std::move(record));
}

std::optional<std::string> BranchState::Head() const {
  if (commits_.empty()) return std::nullopt;
  return commits_.back().second.id;
}

Page<CommitRecord> BranchState::Commits(std::optional<int64_t> before, size_t limit) const {
  Page<CommitRecord> page;
  for (auto it = commits_.rbegin(); it != commits_.rend(); ++it) {
    if (before && it->first >= *before) continue;
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = EncodeToken(std::to_string(std::prev(it)->first));
      break;
    }
    page.items.push_back(it->second);
  }
  return page;
}

}  // namespace pangolin::store::memory_internal
