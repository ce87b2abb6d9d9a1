// Outbound calls to object stores and their token services, retried the way the clouds ask:
// on connection failures, 408, 429 and 5xx, with capped exponential backoff and full jitter, and
// a `Retry-After` in seconds honoured up to the cap. Each attempt builds its request afresh, so a
// signature that covers the time is made again.
#pragma once

#include <chrono>
#include <functional>

#include "common/result.h"
#include "net/http_client.h"

namespace pangolin::storage {

struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds base_delay{50};
  std::chrono::milliseconds max_delay{2'000};
};

// True for the statuses worth another attempt: 408, 429, 500, 502, 503, 504.
bool IsRetryableStatus(int status);

// Sends `make_request()` until an answer that is not retryable, or the attempts run out; then
// returns the last answer (which may be a retryable status) or the last transport error.
Result<net::HttpResponse> SendWithRetry(net::HttpClient& client,
                                        const std::function<net::HttpRequest()>& make_request,
                                        const RetryPolicy& policy = {});

}  // namespace pangolin::storage
