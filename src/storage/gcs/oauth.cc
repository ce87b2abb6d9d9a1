// Token requests to Google's OAuth token endpoint and STS; see oauth_internal.h.
#include "common/strings.h"
#include "serde/gcs.h"
#include "storage/gcs/oauth_internal.h"
#include "storage/http_retry.h"

namespace pangolin::storage::gcs_internal {

std::string DescribeFailure(const net::HttpResponse& answer) {
  if (auto message = serde::OAuthErrorMessage(answer.body)) return *message;
  if (auto message = serde::GcsErrorMessage(answer.body)) return *message;
  constexpr size_t kMaxShown = 200;
  std::string text(Trim(answer.body.substr(0, kMaxShown)));
  return text.empty() ? "HTTP " + std::to_string(answer.status) : text;
}

Result<gcs::AccessToken> RequestToken(
    net::HttpClient& client, std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& fields, int64_t now_ms,
    std::string_view service) {
  const std::string body = net::FormEncode(fields);
  auto answer = SendWithRetry(client, [&] {
    net::HttpRequest request;
    request.method = "POST";
    request.url = std::string(url);
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = body;
    return request;
  });
  if (!answer) {
    return Err(ErrorCode::kUnavailable, "{} at {} is unreachable: {}", service, url,
               answer.error().message);
  }
  const int status = answer->status;
  if (status == 400 || status == 401 || status == 403) {
    return Err(ErrorCode::kForbidden, "{} refused the request (HTTP {}): {}", service, status,
               DescribeFailure(*answer));
  }
  if (status != 200) {
    return Err(IsRetryableStatus(status) ? ErrorCode::kUnavailable : ErrorCode::kIo,
               "{} answered HTTP {}: {}", service, status, DescribeFailure(*answer));
  }
  auto token = serde::ParseOAuthAccessToken(answer->body);
  if (!token) {
    return Err(ErrorCode::kIo, "{} answered without a usable token: {}", service,
               token.error().message);
  }
  gcs::AccessToken out{std::move(token->access_token), 0};
  if (token->expires_in && *token->expires_in > 0) {
    out.expires_at_ms = now_ms + *token->expires_in * 1000;
  }
  return out;
}

}  // namespace pangolin::storage::gcs_internal
