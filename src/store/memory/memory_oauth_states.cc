// OAuth states of the memory store: the SQLite store's insert, DELETE ... RETURNING and purge,
// under one lock, so a record is taken at most once.
#include "store/memory/memory_oauth_states_internal.h"

namespace pangolin::store::memory_internal {

Status OAuthStates::Put(const OAuthState& state) {
  std::lock_guard lock(mu_);
  if (!states_.try_emplace(state.key, state).second) {
    // The key is a secret (a state value or a code's hash): the message does not repeat it.
    return Err(ErrorCode::kAlreadyExists, "OAuth state already exists");
  }
  return Ok();
}

// The record leaves the map whether or not it expired: an expired one is deleted too.
std::optional<OAuthState> OAuthStates::Take(std::string_view key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = states_.find(key);
  if (it == states_.end()) return std::nullopt;
  OAuthState taken = std::move(states_.extract(it).mapped());
  if (taken.expires_ms <= now_ms) return std::nullopt;
  return taken;
}

size_t OAuthStates::Purge(int64_t now_ms) {
  std::lock_guard lock(mu_);
  return std::erase_if(states_,
                       [&](const auto& entry) { return entry.second.expires_ms <= now_ms; });
}

}  // namespace pangolin::store::memory_internal
