// RateLimiter: throttles credential guessing. Failed credential checks are counted per source
// address and per account in fixed windows kept in the store (so the throttle holds across
// replicas); once a key reaches the limit, every check for it is refused until its window ends,
// right credentials included. Successful checks are not counted.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "store/rate_limit_store.h"

namespace pangolin::service {

struct RateLimitOptions {
  int64_t limit = 10;  // failures per key and window
  std::chrono::seconds window{60};
};

class RateLimiter {
 public:
  RateLimiter(store::RateLimitStore& store, const Clock& clock, Metrics& metrics,
              RateLimitOptions options)
      : store_(store), clock_(clock), metrics_(metrics), options_(options) {}

  // Ok unless one of `keys` reached the limit in the current window. Errors:
  // kTooManyRequests saying when to retry; kUnavailable (the store).
  Status Check(const std::vector<std::string>& keys);
  // Counts one failure under each of `keys` (a store failure is logged, not returned).
  void Failure(const std::vector<std::string>& keys);
  // Seconds until the current window ends (for Retry-After).
  int64_t SecondsToWindowEnd() const;

 private:
  int64_t WindowStart() const;

  store::RateLimitStore& store_;
  const Clock& clock_;
  Metrics& metrics_;
  RateLimitOptions options_;
};

// Keys of the throttle: a source address, an account of a tenant (or a root account), an OAuth2
// client.
std::string AddressKey(std::string_view address);
std::string AccountKey(const std::optional<TenantId>& tenant, std::string_view name);
std::string ClientKey(std::string_view client_id);

}  // namespace pangolin::service
