// http(s) URL splitting and RFC 3986 encoding for the S3 signer and client.
#include <algorithm>

#include "common/strings.h"
#include "storage/s3/http_url_internal.h"

namespace pangolin::storage::s3 {
namespace {

// Drops ":443" from https and ":80" from http authorities, as a Host header omits them.
std::string NormalizeAuthority(std::string_view scheme, std::string_view authority) {
  std::string host = ToLower(authority);
  const std::string_view default_port = scheme == "https" ? ":443" : ":80";
  // An IPv6 literal ends with ']', so only an explicit port can match.
  if (EndsWith(host, default_port)) host.resize(host.size() - default_port.size());
  return host;
}

}  // namespace

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7F; })) {
    return Err(ErrorCode::kInvalidArgument, "URL contains spaces or control characters");
  }
  HttpUrl out;
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "Not an absolute URL: {}", url);
  }
  out.scheme = ToLower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    return Err(ErrorCode::kInvalidArgument, "Not an http(s) URL: {}", url);
  }
  std::string_view rest = url.substr(colon + 3);
  if (rest.find('#') != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "URL has a fragment: {}", url);
  }
  size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "URL has no host (or has user info): {}", url);
  }
  out.host = NormalizeAuthority(out.scheme, authority);
  std::string_view tail = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  size_t question = tail.find('?');
  std::string_view path = tail.substr(0, question);
  out.path = path.empty() ? "/" : std::string(path);
  if (question != std::string_view::npos) out.query = std::string(tail.substr(question + 1));
  return out;
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  if (!keep_slash) return PercentEncode(text);
  std::string out;
  for (size_t start = 0;;) {
    size_t slash = text.find('/', start);
    out +=
        PercentEncode(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) return out;
    out += '/';
    start = slash + 1;
  }
}

}  // namespace pangolin::storage::s3
