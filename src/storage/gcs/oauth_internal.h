// The one exchange that both a service account's token request and a downscoping are: a form
// POSTed to a Google token service, answered with an OAuth token (or an OAuth error).
// Module-private: include only from storage/gcs/*.cc.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "net/http_client.h"
#include "storage/gcs/token_source.h"

namespace pangolin::storage::gcs_internal {

// POSTs `fields` (application/x-www-form-urlencoded) to `url`, retrying on lost connections,
// throttling and 5xx, and returns the token with its expiry computed from `now_ms`.
// Errors, each naming `service`: kForbidden when it refuses (400, 401, 403; the message carries
// the OAuth `error` and `error_description`); kUnavailable when it cannot be reached or keeps
// failing; kIo for any other answer, including a 200 without an access token.
Result<gcs::AccessToken> RequestToken(
    net::HttpClient& client, std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& fields, int64_t now_ms,
    std::string_view service);

// A short description of a failed answer for error messages: the service's own error message
// when the body carries one, else the start of the body.
std::string DescribeFailure(const net::HttpResponse& answer);

}  // namespace pangolin::storage::gcs_internal
