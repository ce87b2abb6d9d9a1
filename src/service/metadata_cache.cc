// LRU bookkeeping for the metadata cache.
#include "service/metadata_cache.h"

#include <vector>

namespace pangolin::service {

std::shared_ptr<const CachedMetadata> MetadataCache::Get(const std::string& location) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(location);
  if (it == slots_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.position);
  return it->second.entry;
}

void MetadataCache::Put(const std::string& location, std::shared_ptr<const CachedMetadata> entry) {
  // Evicted entries are freed after the lock is released: freeing a table's parsed metadata
  // takes long enough to hold up every other lookup.
  std::vector<std::shared_ptr<const CachedMetadata>> evicted;
  std::lock_guard lock(mutex_);
  if (slots_.count(location)) return;
  size_bytes_ += EntryBytes(*entry);
  lru_.push_front(location);
  slots_.emplace(location, Slot{std::move(entry), lru_.begin()});
  while (size_bytes_ > capacity_bytes_ && lru_.size() > 1) {
    auto victim = slots_.find(lru_.back());
    size_bytes_ -= EntryBytes(*victim->second.entry);
    evicted.push_back(std::move(victim->second.entry));
    slots_.erase(victim);
    lru_.pop_back();
  }
}

}  // namespace pangolin::service
