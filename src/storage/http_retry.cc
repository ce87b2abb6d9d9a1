#include "storage/http_retry.h"

#include <algorithm>
#include <random>
#include <thread>

#include "common/strings.h"

namespace pangolin::storage {
namespace {

std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt,
                                  const net::HttpResponse* answer) {
  if (answer != nullptr) {
    if (auto after = answer->Header("retry-after")) {
      if (auto seconds = ParseInt(Trim(*after)); seconds && *seconds >= 0) {
        return std::min<std::chrono::milliseconds>(std::chrono::seconds(*seconds),
                                                   policy.max_delay);
      }
    }
  }
  auto ceiling = std::min<int64_t>(policy.max_delay.count(), policy.base_delay.count()
                                                                 << std::min(attempt, 20));
  thread_local std::mt19937_64 random{std::random_device{}()};
  return std::chrono::milliseconds(
      std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(ceiling, 0))(random));
}

}  // namespace

bool IsRetryableStatus(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

Result<net::HttpResponse> SendWithRetry(net::HttpClient& client,
                                        const std::function<net::HttpRequest()>& make_request,
                                        const RetryPolicy& policy) {
  for (int attempt = 1;; ++attempt) {
    auto answer = client.Send(make_request());
    bool retry =
        answer ? IsRetryableStatus(answer->status) : answer.error().code == ErrorCode::kUnavailable;
    if (!retry || attempt >= policy.max_attempts) return answer;
    std::this_thread::sleep_for(Backoff(policy, attempt, answer ? &*answer : nullptr));
  }
}

}  // namespace pangolin::storage
