// Rate-limit counters of the memory store: the SQLite store's upsert, under one lock.
#include <algorithm>

#include "store/memory/memory_rate_limits_internal.h"

namespace pangolin::store::memory_internal {

int64_t RateLimits::AddHit(std::string_view key, int64_t window_start_ms, int64_t expires_ms) {
  std::lock_guard lock(mu_);
  Counter& counter =
      counters_.try_emplace({std::string(key), window_start_ms}, Counter{0, expires_ms})
          .first->second;
  counter.expires_ms = std::max(counter.expires_ms, expires_ms);
  return ++counter.count;
}

int64_t RateLimits::Count(std::string_view key, int64_t window_start_ms) {
  std::lock_guard lock(mu_);
  auto it = counters_.find({std::string(key), window_start_ms});
  return it == counters_.end() ? 0 : it->second.count;
}

size_t RateLimits::Purge(int64_t now_ms) {
  std::lock_guard lock(mu_);
  return std::erase_if(counters_,
                       [&](const auto& entry) { return entry.second.expires_ms <= now_ms; });
}

}  // namespace pangolin::store::memory_internal
