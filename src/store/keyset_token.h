// Page tokens for listings ordered by a two-part key: (text, text) such as (username, id), or
// (time, text) such as (issued_ms, jti). Written once so that every store encodes them alike.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace pangolin::store::keyset {

struct TextKey {
  std::string first;
  std::string second;
  friend auto operator<=>(const TextKey&, const TextKey&) = default;
};

struct TimeKey {
  int64_t time_ms = 0;
  std::string id;
  friend auto operator<=>(const TimeKey&, const TimeKey&) = default;
};

// The opaque next_token of a page whose last item sits at `last`.
std::string EncodeToken(const TextKey& last);
std::string EncodeToken(const TimeKey& last);
// "" → nullopt (first page). Errors: kBadRequest (malformed token).
Result<std::optional<TextKey>> DecodeTextToken(const std::string& token);
Result<std::optional<TimeKey>> DecodeTimeToken(const std::string& token);

}  // namespace pangolin::store::keyset
