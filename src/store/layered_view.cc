// The layered read shared by every store: point lookups, merged listings and preconditions.
#include "store/layered_view.h"

#include <algorithm>
#include <set>

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

// What `operations` leave at `key`: the last one on it wins. nullopt when none touches the key,
// so the view before the commit still decides.
std::optional<Version> StateAfter(const std::vector<Operation>& operations, const ContentKey& key) {
  for (auto op = operations.rbegin(); op != operations.rend(); ++op) {
    if (op->key == key) return op->kind == Operation::Kind::kPut ? op->content : Version();
  }
  return std::nullopt;
}

Result<bool> NamespaceExistsAfter(LayerSource& source, const std::vector<Layer>& layers,
                                  const std::vector<Operation>& operations, const ContentKey& key) {
  if (key.space != ContentKey::Space::kNamespace) return false;
  if (std::optional<Version> after = StateAfter(operations, key)) return after->has_value();
  ASSIGN_OR_RETURN(std::optional<Content> before, Get(source, layers, key));
  return before.has_value();
}

// Whether `ns` has a child in `space` once `operations` are applied: one they put, or one of the
// view's they do not delete. Only (deleted children + 1) of the view's children need reading:
// if that many exist, at least one of them survives.
Result<bool> HasChildAfter(LayerSource& source, const std::vector<Layer>& layers,
                           const std::vector<Operation>& operations, ContentKey::Space space,
                           const Namespace& ns) {
  std::set<std::string> decided;  // children whose last operation has been seen
  std::set<std::string> deleted;
  for (auto op = operations.rbegin(); op != operations.rend(); ++op) {
    if (op->key.space != space || op->key.parent != ns) continue;
    if (!decided.insert(op->key.name).second) continue;
    if (op->kind == Operation::Kind::kPut) return true;
    deleted.insert(op->key.name);
  }
  ASSIGN_OR_RETURN(Page<Entry> before,
                   List(source, layers, space, ns, std::nullopt, {}, deleted.size() + 1));
  return std::any_of(before.items.begin(), before.items.end(),
                     [&](const Entry& entry) { return !deleted.contains(entry.key.name); });
}

Result<bool> NamespaceEmptyAfter(LayerSource& source, const std::vector<Layer>& layers,
                                 const std::vector<Operation>& operations, const ContentKey& key) {
  Namespace ns = KeyNamespacePath(key);
  for (auto space : {ContentKey::Space::kNamespace, ContentKey::Space::kObject}) {
    ASSIGN_OR_RETURN(bool child, HasChildAfter(source, layers, operations, space, ns));
    if (child) return false;
  }
  return true;
}

}  // namespace

Status ValidateOperations(const CommitRequest& request) {
  for (const auto& op : request.operations) {
    if (op.kind == Operation::Kind::kPut && !op.content) {
      return Err(ErrorCode::kInvalidArgument, "Put of {} has no content",
                 catalog::ToString(op.key));
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
                          const std::vector<Precondition>& preconditions,
                          const std::vector<Operation>& operations) {
  for (const auto& pre : preconditions) {
    switch (pre.kind) {
      case Precondition::Kind::kEquals: {
        ASSIGN_OR_RETURN(std::optional<Content> current, Get(source, layers, pre.key));
        if (current != pre.expected) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: {} has changed",
                     catalog::ToString(pre.key));
        }
        break;
      }
      case Precondition::Kind::kNamespaceExists: {
        ASSIGN_OR_RETURN(bool exists, NamespaceExistsAfter(source, layers, operations, pre.key));
        if (!exists) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} does not exist",
                     catalog::ToString(pre.key));
        }
        break;
      }
      case Precondition::Kind::kNamespaceEmpty: {
        ASSIGN_OR_RETURN(bool empty, NamespaceEmptyAfter(source, layers, operations, pre.key));
        if (!empty) {
          return Err(ErrorCode::kCommitFailed, "Precondition failed: namespace {} is not empty",
                     catalog::ToString(pre.key));
        }
        break;
      }
    }
  }
  return Ok();
}

}  // namespace pangolin::store::versioning
