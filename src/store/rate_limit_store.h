// RateLimitStore: counters of failed credential checks in fixed time windows, shared by every
// server on the store so that a throttle holds across replicas. Keys are opaque ("ip:1.2.3.4",
// "account:<tenant>/<name>"). Part of every MetadataStore (it inherits this interface).
//
// Thread-safety: every method may be called concurrently. Atomicity: AddHit is atomic, so
// concurrent hits are all counted.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace pangolin::store {

class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;

  // Counts one hit for `key` in the window starting at `window_start_ms` and returns the
  // window's count including it. The counter may be forgotten once `expires_ms` has passed.
  virtual Result<int64_t> AddHit(std::string_view key, int64_t window_start_ms,
                                 int64_t expires_ms) = 0;
  // The count of `key` in the window starting at `window_start_ms`; 0 when none.
  virtual Result<int64_t> CountHits(std::string_view key, int64_t window_start_ms) = 0;
  // Deletes counters whose expires_ms <= now_ms; returns how many.
  virtual Result<size_t> PurgeRateLimits(int64_t now_ms) = 0;
};

}  // namespace pangolin::store
