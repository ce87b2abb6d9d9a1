// Tag rules; see discovery.h.
#include "catalog/discovery.h"

#include <algorithm>

namespace pangolin::catalog {
namespace {

constexpr size_t kMaxTagLength = 64;
constexpr size_t kMaxTags = 64;

bool TagChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || c == '/';
}

}  // namespace

Status ValidateTag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagLength || !std::all_of(tag.begin(), tag.end(), TagChar)) {
    return Err(ErrorCode::kBadRequest, "Invalid tag '{}': 1 to {} letters, digits or _ - . : /",
               tag, kMaxTagLength);
  }
  return Ok();
}

Result<std::vector<std::string>> NormalizeTags(std::vector<std::string> tags) {
  for (const auto& tag : tags) RETURN_IF_ERROR(ValidateTag(tag));
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  if (tags.size() > kMaxTags) return Err(ErrorCode::kBadRequest, "At most {} tags", kMaxTags);
  return tags;
}

}  // namespace pangolin::catalog
