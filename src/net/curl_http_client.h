// HttpClient over libcurl (one easy handle per request; TLS verification on).
#pragma once

#include <memory>

#include "net/http_client.h"

namespace pangolin::net {

Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient();

}  // namespace pangolin::net
