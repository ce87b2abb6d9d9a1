// Entity tags: a digest of the metadata location and the variant.
#include "api/iceberg/etag.h"

#include "common/strings.h"

namespace pangolin::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string MetadataETag(std::string_view metadata_location, std::string_view variant) {
  return '"' + Fnv1aHex(std::string(metadata_location) + '\x1f' + std::string(variant)) + '"';
}

bool IfNoneMatchHits(const http::Request& request, std::string_view etag) {
  auto header = request.Header("if-none-match");
  if (!header) return false;
  for (const auto& part : Split(*header, ",")) {
    std::string_view tag = Trim(part);
    if (tag == "*") return true;
    if (StartsWith(tag, "W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

http::Response NotModified(std::string etag) {
  http::Response response;
  response.status = 304;
  response.content_type.clear();
  response.headers.emplace_back("ETag", std::move(etag));
  return response;
}

}  // namespace pangolin::api
