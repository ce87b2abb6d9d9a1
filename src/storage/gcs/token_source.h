// OAuth access tokens for Google APIs and the sources that hand them out: a fixed token, or a
// cache in front of a fetch (a service account's token exchange, a downscoping) that fetches
// again a few minutes before the token expires.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace pangolin::storage::gcs {

struct AccessToken {
  std::string value;
  int64_t expires_at_ms = 0;  // Unix ms; 0 when the issuer did not say
};

// Thread-safety: Token may be called concurrently.
class AccessTokenSource {
 public:
  virtual ~AccessTokenSource() = default;
  // A token usable now. Errors: those of the fetch behind the source (kForbidden when the token
  // service refused the credentials, kUnavailable when it could not be reached).
  virtual Result<AccessToken> Token() = 0;
};

// Always `token` (an operator-supplied token; it is never refreshed).
std::unique_ptr<AccessTokenSource> MakeStaticTokenSource(std::string token);

// Fetches a token at `now_ms`.
using TokenFetch = std::function<Result<AccessToken>(int64_t now_ms)>;

// Caches the token `fetch` returns and fetches a new one when less than `refresh_margin` of its
// life is left (at least half of its life is used before a refresh; a token of unknown expiry
// is taken to expire `unknown_lifetime` after its fetch). Concurrent callers wait for one fetch
// instead of each fetching. When a refresh fails while the cached token has not expired yet, the
// cached token is returned and the next call tries again.
std::unique_ptr<AccessTokenSource> MakeCachingTokenSource(
    TokenFetch fetch, const Clock& clock = SystemClock(),
    std::chrono::milliseconds refresh_margin = std::chrono::minutes(5),
    std::chrono::milliseconds unknown_lifetime = std::chrono::minutes(30));

}  // namespace pangolin::storage::gcs
