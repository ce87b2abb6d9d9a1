// The rate-limit counters of the memory store, one per (key, window). Thread-safe on its own: no
// other state of the store is involved, so its lock is never held together with another.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "store/rate_limit_store.h"

namespace pangolin::store::memory_internal {

// Semantics as documented on RateLimitStore, method by method.
class RateLimits {
 public:
  // A counter's expiry is the latest `expires_ms` any of its hits gave.
  int64_t AddHit(std::string_view key, int64_t window_start_ms, int64_t expires_ms);
  int64_t Count(std::string_view key, int64_t window_start_ms);
  size_t Purge(int64_t now_ms);

 private:
  struct Counter {
    int64_t count = 0;
    int64_t expires_ms = 0;
  };

  std::mutex mu_;
  std::map<std::pair<std::string, int64_t>, Counter> counters_;  // (key, window_start_ms)
};

}  // namespace pangolin::store::memory_internal
