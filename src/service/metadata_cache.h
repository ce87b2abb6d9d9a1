// Cache of parsed and serialized table metadata keyed by metadata location. A metadata file is
// never rewritten once created, so an entry can never go stale; entries are evicted LRU by size.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "iceberg/table_metadata.h"

namespace pangolin::service {

struct CachedMetadata {
  iceberg::TableMetadata metadata;
  std::string json;  // the canonical serialization of `metadata`
};

class MetadataCache {
 public:
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
