// Newest-first listings (merge operations, metrics reports): an item's position is its time and,
// among equal times, the store's own creation counter, so pages are stable while items arrive.
// Written once so every store pages the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace pangolin::store::newest_first {

struct Position {
  int64_t time_ms = 0;
  int64_t created = 0;
  friend auto operator<=>(const Position&, const Position&) = default;
};

// The opaque next_token of a page whose last item sits at `last`.
std::string EncodeToken(const Position& last);
// "" → nullopt (first page). Errors: kBadRequest.
Result<std::optional<Position>> DecodeToken(const std::string& token);

}  // namespace pangolin::store::newest_first
