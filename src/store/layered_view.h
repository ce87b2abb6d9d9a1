// How every store reads versioned content (ARCHITECTURE §3.4). A branch stores only its own
// changes; a read walks a stack of layers: the branch itself, then the branch it forked from as
// of the fork, then that branch's parent as of its own fork, and so on. A tag or commit is the
// same stack with the top layer bounded by the commit's sequence number. Nothing is copied when a
// branch is created, and a read costs one lookup per layer that does not hold the key.
//
// The stores implement LayerSource (one layer's own entries); the walk, shadowing, tombstones,
// type filtering and paging live here once, so every store behaves the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/metadata_store.h"

namespace pangolin::store::versioning {

// One branch's own entries, all of them (bound unset) or as of commit sequence `bound`.
struct Layer {
  int64_t branch = 0;  // the store's branch handle
  std::optional<int64_t> bound;
};

// A key's state within one layer: content, or nullopt for a deletion (a tombstone).
using Version = std::optional<Content>;

struct NamedVersion {
  std::string name;
  Version version;
};

class LayerSource {
 public:
  virtual ~LayerSource() = default;
  // The key's latest state in `layer` alone; nullopt when the layer never touched the key (as of
  // its bound), so the read falls through to the next layer.
  virtual Result<std::optional<Version>> Get(const Layer& layer, const ContentKey& key) = 0;
  // Up to `limit` (> 0) of the layer's own entries in `space` under `parent`, tombstones included,
  // with names after `after` (from the first name when unset), ascending by name.
  virtual Result<std::vector<NamedVersion>> List(const Layer& layer, ContentKey::Space space,
                                                 const Namespace& parent,
                                                 const std::optional<std::string>& after,
                                                 size_t limit) = 0;
};

// The entry at `key` seen through `layers` (top first), or nullopt.
Result<std::optional<Content>> Get(LayerSource& source, const std::vector<Layer>& layers,
                                   const ContentKey& key);

// A page of entries under `parent` seen through `layers`: each name decided by the topmost layer
// that has it, tombstones and other types dropped before the page is cut. `next_token` is set only
// when a further visible entry exists; it holds the last returned name (the caller encodes it).
Result<Page<Entry>> List(LayerSource& source, const std::vector<Layer>& layers,
                         ContentKey::Space space, const Namespace& parent,
                         std::optional<ContentType> type, const std::optional<std::string>& after,
                         size_t limit);

// Checks `preconditions` for a commit of `operations` onto the view `layers` (the branch before
// the commit), applying nothing: kEquals against the view itself, the namespace conditions
// against the view as `operations` would leave it. Errors: kCommitFailed naming the first one
// that does not hold.
Status CheckPreconditions(LayerSource& source, const std::vector<Layer>& layers,
                          const std::vector<Precondition>& preconditions,
                          const std::vector<Operation>& operations);

// Errors: kInvalidArgument when a kPut carries no content.
Status ValidateOperations(const CommitRequest& request);

}  // namespace pangolin::store::versioning
