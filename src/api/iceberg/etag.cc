// Entity tags: FNV-1a 64 over the metadata location and the variant.
#include "api/iceberg/etag.h"

#include <fmt/format.h>

#include <cstdint>

#include "common/strings.h"

namespace pangolin::api {
namespace {

uint64_t Fnv1a64(std::string_view text, uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string MetadataETag(std::string_view metadata_location, std::string_view variant) {
  uint64_t hash = Fnv1a64(variant, Fnv1a64("\x1f", Fnv1a64(metadata_location)));
  return fmt::format("\"{:016x}\"", hash);
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
