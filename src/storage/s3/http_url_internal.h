// Splitting of http(s) URLs and RFC 3986 encoding, as the S3 signer and client need them: the
// signer works on the raw path and query exactly as they will be sent.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::storage::s3 {

struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-cased host with ":port" unless it is the scheme's default port
  std::string path;    // raw (still percent-encoded), "/" when the URL has none
  std::string query;   // raw, without '?'; empty when none
};

// Errors: kInvalidArgument (not an absolute http(s) URL with a host; a fragment; a control
// character).
Result<HttpUrl> ParseHttpUrl(std::string_view url);

// Percent-encodes all but RFC 3986 unreserved characters (upper-case hex), keeping '/' when
// `keep_slash` (an object key in a path).
std::string UriEncode(std::string_view text, bool keep_slash);

}  // namespace pangolin::storage::s3
