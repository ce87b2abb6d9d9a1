// The OAuth states of the memory store, by key. Thread-safe on its own: no other state of the
// store is involved, so its lock is never held together with another.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/oauth_state_store.h"

namespace pangolin::store::memory_internal {

// Semantics as documented on OAuthStateStore, method by method.
class OAuthStates {
 public:
  // Errors: kAlreadyExists, also while an expired record of the key waits to be taken or purged.
  Status Put(const OAuthState& state);
  std::optional<OAuthState> Take(std::string_view key, int64_t now_ms);
  size_t Purge(int64_t now_ms);

 private:
  std::mutex mu_;
  std::map<std::string, OAuthState, std::less<>> states_;  // by key
};

}  // namespace pangolin::store::memory_internal
