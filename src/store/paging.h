// Keyset pagination shared by every store listing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pangolin::store {

// `token` is opaque and comes from a previous page's `next_token` ("" = first page); `limit` 0
// means no limit. Results are ordered by a unique key, so pages stay stable while other entries
// are added or removed.
struct PageRequest {
  std::string token;
  size_t limit = 0;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_token;  // absent on the last page
};

}  // namespace pangolin::store
