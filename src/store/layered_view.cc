// The layered read shared by every store: point lookups, merged listings and preconditions.
#include "store/layered_view.h"

#include <algorithm>

namespace pangolin::store::versioning {
namespace {

constexpr size_t kChunk = 256;  // entries fetched per layer and round trip while listing

// A forward cursor over one layer's listing, fetching chunks on demand.
class Cursor {
 public:
  Cursor(LayerSource& source, const Layer& layer, ContentKey::Space space, const Namespace& parent,
         std::optional<std::string> after, size_t chunk)
      : source_(source),
        layer_(layer),
        space_(space),
        parent_(parent),
        after_(std::move(after)),
        chunk_(chunk) {}

  // The current entry, or nullptr at the end.
  Result<const NamedVersion*> Peek() {
    if (pos_ == buffer_.size() && !exhausted_) {
      ASSIGN_OR_RETURN(buffer_, source_.List(layer_, space_, parent_, after_, chunk_));
      pos_ = 0;
      exhausted_ = buffer_.size() < chunk_;
      if (!buffer_.empty()) after_ = buffer_.back().name;
    }
    if (pos_ == buffer_.size()) return static_cast<const NamedVersion*>(nullptr);
    return &buffer_[pos_];
  }
  void Advance() { ++pos_; }

 private:
  LayerSource& source_;
  Layer layer_;
  ContentKey::Space space_;
  const Namespace& parent_;
  std::optional<std::string> after_;
  size_t chunk_;
  std::vector<NamedVersion> buffer_;
  size_t pos_ = 0;
  bool exhausted_ = false;
};

Result<bool> HasVisibleChild(LayerSource& source, const std::vector<Layer>& layers,
                             const Namespace& ns) {
  for (auto space : {ContentKey::Space::kNamespace, ContentKey::Space::kObject}) {
    ASSIGN_OR_RETURN(Page<Entry> page, List(source, layers, space, ns, std::nullopt, {}, 1));
    if (!page.items.empty()) return true;
  }
  return false;
}

}  // namespace

std::string DisplayKey(const ContentKey& key) {
  if (key.space == ContentKey::Space::kNamespace) return catalog::ToString(KeyNamespacePath(key));
  return catalog::ToString(catalog::TableIdentifier{key.parent, key.name});
}

Status ValidateOperations(const CommitRequest& request) {
  for (const auto& op : request.operations) {
    if (op.kind == Operation::Kind::kPut && !op.content) {
      return Err(ErrorCode::kInvalidArgument, "Put of {} has no content", DisplayKey(op.key));
    }
  }
  return Ok();
}

Result<std::optional<Content>> Get(LayerSource& source, const std::vector<Layer>& layers,
                                   const ContentKey& key) {
  for (const auto& layer : layers) {
    ASSIGN_OR_RETURN(std::optional<Version> version, source.Get(layer, key));
    if (version) return std::move(*version);
  }
  return std::optional<Content>();
}

Result<Page<Entry>> List(LayerSource& source, const std::vector<Layer>& layers,
                         ContentKey::Space space, const Namespace& parent,
                         std::optional<ContentType> type, const std::optional<std::string>& after,
                         size_t limit) {
  size_t chunk = limit == 0 ? kChunk : std::min(kChunk, limit + 1);
  std::vector<Cursor> cursors;
  cursors.reserve(layers.size());
  for (const auto& layer : layers) cursors.emplace_back(source, layer, space, parent, after, chunk);
  Page<Entry> page;
  while (true) {
    // The smallest next name over all layers; the topmost layer holding it decides its state.
    const NamedVersion* decided = nullptr;
    for (auto& cursor : cursors) {
      ASSIGN_OR_RETURN(const NamedVersion* head, cursor.Peek());
      if (head && (!decided || head->name < decided->name)) decided = head;
    }
    if (!decided) return page;
    std::string name = decided->name;
    Version version = decided->version;
    for (auto& cursor : cursors) {
      ASSIGN_OR_RETURN(const NamedVersion* head, cursor.Peek());
      if (head && head->name == name) cursor.Advance();
    }
    if (!version || (type && version->type != *type)) continue;
    if (limit != 0 && page.items.size() == limit) {
      page.next_token = page.items.back().key.name;
      return page;
    }
    page.items.push_back(Entry{ContentKey{space, parent, std::move(name)}, std::move(*version)});
  }
}

Status CheckPreconditions(LayerSource& source, const std::vector<Layer>& layers,
                          const std::vector<Precondition>& preconditions) {
  for (const auto& pre : preconditions) {
    switch (pre.kind) {
      case Precondition::Kind::kEquals: {
        ASSIGN_OR_RETURN(std::optional<Content> current, Get(source, layers, pre.key));
        if (current != pre.expected) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: {} has changed",
                     DisplayKey(pre.key));
        }
        break;
      }
      case Precondition::Kind::kNamespaceExists: {
        std::optional<Content> current;
        if (pre.key.space == ContentKey::Space::kNamespace) {
          ASSIGN_OR_RETURN(current, Get(source, layers, pre.key));
        }
        if (!current) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} does not exist",
                     DisplayKey(pre.key));
        }
        break;
      }
      case Precondition::Kind::kNamespaceEmpty: {
        ASSIGN_OR_RETURN(bool children, HasVisibleChild(source, layers, KeyNamespacePath(pre.key)));
        if (children) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} is not empty",
                     DisplayKey(pre.key));
        }
        break;
      }
    }
  }
  return Ok();
}

}  // namespace pangolin::store::versioning
