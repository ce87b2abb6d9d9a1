// Access token sources; see token_source.h.
#include "storage/gcs/token_source.h"

#include <algorithm>
#include <mutex>
#include <optional>

namespace pangolin::storage::gcs {
namespace {

class StaticTokenSource final : public AccessTokenSource {
 public:
  explicit StaticTokenSource(std::string token) : token_{std::move(token), 0} {}
  Result<AccessToken> Token() override { return token_; }

 private:
  const AccessToken token_;
};

class CachingTokenSource final : public AccessTokenSource {
 public:
  CachingTokenSource(TokenFetch fetch, const Clock& clock, int64_t margin_ms,
                     int64_t unknown_lifetime_ms)
      : fetch_(std::move(fetch)),
        clock_(clock),
        margin_ms_(margin_ms),
        unknown_lifetime_ms_(unknown_lifetime_ms) {}

  Result<AccessToken> Token() override {
    // Held across the fetch on purpose: one refresh at a time, the others reuse its result.
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t now = clock_.NowMs();
    if (cached_ && now < refresh_at_ms_) return *cached_;
    Result<AccessToken> fresh = fetch_(now);
    if (!fresh) {
      if (cached_ && (cached_->expires_at_ms == 0 || now < cached_->expires_at_ms)) {
        return *cached_;
      }
      return fresh;
    }
    const int64_t expires =
        fresh->expires_at_ms != 0 ? fresh->expires_at_ms : now + unknown_lifetime_ms_;
    const int64_t lifetime = std::max<int64_t>(expires - now, 0);
    refresh_at_ms_ = expires - std::min(margin_ms_, lifetime / 2);
    cached_ = std::move(*fresh);
    return *cached_;
  }

 private:
  const TokenFetch fetch_;
  const Clock& clock_;
  const int64_t margin_ms_;
  const int64_t unknown_lifetime_ms_;
  std::mutex mutex_;
  std::optional<AccessToken> cached_;
  int64_t refresh_at_ms_ = 0;
};

}  // namespace

std::unique_ptr<AccessTokenSource> MakeStaticTokenSource(std::string token) {
  return std::make_unique<StaticTokenSource>(std::move(token));
}

std::unique_ptr<AccessTokenSource> MakeCachingTokenSource(
    TokenFetch fetch, const Clock& clock, std::chrono::milliseconds refresh_margin,
    std::chrono::milliseconds unknown_lifetime) {
  return std::make_unique<CachingTokenSource>(std::move(fetch), clock, refresh_margin.count(),
                                              unknown_lifetime.count());
}

}  // namespace pangolin::storage::gcs
