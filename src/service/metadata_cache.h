// Cache of parsed and serialized table metadata keyed by metadata location. A metadata file is
// never rewritten once created, so an entry can never go stale; entries are evicted LRU by the
// memory they hold, estimated from their text (EntryBytes).
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/deflate.h"
#include "common/memory_file.h"
#include "iceberg/table_metadata.h"

namespace pangolin::service {

struct CachedMetadata {
  iceberg::TableMetadata metadata;
  std::string json;               // the canonical serialization of `metadata`
  LazyMemoryFile json_file;       // `json` in a file, for answers sent with sendfile
  LazyDeflatePiece json_deflate;  // `json` compressed, for answers to clients that accept gzip
};

// The memory an entry holds: its text, its parsed form, measured at about 3.2 times the text
// (a 186 KB file with 100 snapshots parses into 600 KB of allocations), the texts its snapshots
// keep (less than the whole text), and for a large text the memory file it may get (its
// compressed piece, a tenth of the text or less, fits in the estimate's slack).
inline size_t EntryBytes(const CachedMetadata& entry) {
  return entry.json.size() * (entry.json.size() >= MemoryFile::kWorthBytes ? 6 : 5);
}

class MetadataCache {
 public:
  // `capacity_bytes` bounds the sum of EntryBytes (one entry larger than that is still kept).
  explicit MetadataCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  // Thread-safe. Null when absent.
  std::shared_ptr<const CachedMetadata> Get(const std::string& location);
  void Put(const std::string& location, std::shared_ptr<const CachedMetadata> entry);

 private:
  using Lru = std::list<std::string>;
  struct Slot {
    std::shared_ptr<const CachedMetadata> entry;
    Lru::iterator position;
  };
  std::mutex mutex_;
  size_t capacity_bytes_;
  size_t size_bytes_ = 0;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, Slot> slots_;
};

}  // namespace pangolin::service
