// OAuthStateStore: short-lived single-use records of interactive logins (the OIDC state with its
// nonce and PKCE verifier; the one-time code a finished login hands to the browser), kept in the
// store so that any server can finish a flow another server began. Part of every MetadataStore.
//
// Thread-safety: every method may be called concurrently. Atomicity: TakeOAuthState is atomic,
// so a record is taken at most once however many requests race for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::store {

struct OAuthState {
  std::string key;      // random, unguessable (the state value, or a hash of the code)
  std::string payload;  // opaque to the store
  int64_t expires_ms = 0;
  friend bool operator==(const OAuthState&, const OAuthState&) = default;
};

class OAuthStateStore {
 public:
  virtual ~OAuthStateStore() = default;

  // Errors: kAlreadyExists (key).
  virtual Status PutOAuthState(const OAuthState& state) = 0;
  // Deletes the record of `key` and returns it, or nullopt when there is none or it expired
  // (expires_ms <= now_ms; an expired record is deleted too).
  virtual Result<std::optional<OAuthState>> TakeOAuthState(std::string_view key,
                                                           int64_t now_ms) = 0;
  // Deletes every record with expires_ms <= now_ms; returns how many.
  virtual Result<size_t> PurgeOAuthStates(int64_t now_ms) = 0;
};

}  // namespace pangolin::store
