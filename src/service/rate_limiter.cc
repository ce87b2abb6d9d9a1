// RateLimiter; see rate_limiter.h.
#include "service/rate_limiter.h"

#include "common/log.h"

namespace pangolin::service {

int64_t RateLimiter::WindowStart() const {
  int64_t window_ms = options_.window.count() * 1000;
  int64_t now = clock_.NowMs();
  return now - now % window_ms;
}

int64_t RateLimiter::SecondsToWindowEnd() const {
  int64_t end = WindowStart() + options_.window.count() * 1000;
  return std::max<int64_t>(1, (end - clock_.NowMs() + 999) / 1000);
}

Status RateLimiter::Check(const std::vector<std::string>& keys) {
  int64_t start = WindowStart();
  for (const auto& key : keys) {
    ASSIGN_OR_RETURN(int64_t hits, store_.CountHits(key, start));
    if (hits >= options_.limit) {
      metrics_.Increment("auth_throttled_total");
      return Err(ErrorCode::kTooManyRequests, "Too many failed attempts; try again in {} seconds",
                 SecondsToWindowEnd());
    }
  }
  return Ok();
}

void RateLimiter::Failure(const std::vector<std::string>& keys) {
  int64_t start = WindowStart();
  int64_t expires = start + options_.window.count() * 1000;
  metrics_.Increment("auth_failure_total");
  for (const auto& key : keys) {
    if (auto added = store_.AddHit(key, start, expires); !added) {
      log::Warn("cannot count a failed credential check").With("error", added.error().message);
    }
  }
}

std::string AddressKey(std::string_view address) { return "ip:" + std::string(address); }

std::string AccountKey(const std::optional<TenantId>& tenant, std::string_view name) {
  return "account:" + (tenant ? tenant->value : std::string("root")) + "/" + std::string(name);
}

std::string ClientKey(std::string_view client_id) { return "client:" + std::string(client_id); }

}  // namespace pangolin::service
