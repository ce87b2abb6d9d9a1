// Outbound HTTP: the one seam through which Pangolin calls other services (OIDC providers now;
// object stores and federated catalogs later). Implementations: libcurl (curl_http_client.h).
//
// Thread-safety: Send may be called concurrently from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace pangolin::net {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, DELETE, HEAD
  std::string url;             // http:// or https:// only
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};  // the whole exchange, connection included
  size_t max_response_bytes = 4u << 20;       // a longer answer is an error
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header named `name` (lower case), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs the request; redirects are not followed (a 3xx is returned as it is). Any HTTP
  // status is a successful Send. Errors: kBadRequest (a URL that is not http(s) or malformed);
  // kUnavailable (connection refused, DNS, TLS, timeout); kPayloadTooLarge (answer over
  // max_response_bytes).
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// application/x-www-form-urlencoded text of `fields`.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace pangolin::net
