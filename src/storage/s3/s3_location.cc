// Parsing of S3 locations and endpoints, and the URLs of objects.
#include <algorithm>

#include "common/strings.h"
#include "storage/s3/s3_location_internal.h"

namespace pangolin::storage::s3 {
namespace {

// S3's rules (3-63 characters of lower-case letters, digits, '.' and '-', starting and ending
// with a letter or digit), relaxed to accept the '_' and capitals of legacy buckets; GCS allows
// dotted names up to 222 characters.
bool ValidBucket(std::string_view bucket, S3Flavor flavor) {
  const bool long_dotted = flavor == S3Flavor::kGcsXml && bucket.find('.') != bucket.npos;
  if (bucket.size() < 3 || bucket.size() > (long_dotted ? 222u : 63u)) return false;
  auto allowed = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  };
  return std::all_of(bucket.begin(), bucket.end(), allowed) &&
         std::isalnum(static_cast<unsigned char>(bucket.front())) &&
         std::isalnum(static_cast<unsigned char>(bucket.back()));
}

// A key that addresses one object the same way through every HTTP stack: no dot segments (URL
// normalization would change them), no empty segments inside, no control characters.
bool ValidKey(std::string_view key) {
  if (std::any_of(key.begin(), key.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; })) {
    return false;
  }
  std::vector<std::string> segments = Split(key, "/");
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (segment == "." || segment == "..") return false;
    if (segment.empty() && i + 1 != segments.size()) return false;
  }
  return true;
}

std::string_view SchemeOf(std::string_view location) {
  size_t colon = location.find("://");
  return colon == std::string_view::npos ? std::string_view() : location.substr(0, colon);
}

}  // namespace

std::string S3Location::WithKey(std::string_view other_key) const {
  return scheme + "://" + bucket + "/" + std::string(other_key);
}

bool IsS3Location(std::string_view location, S3Flavor flavor) {
  std::string scheme = ToLower(SchemeOf(location));
  if (flavor == S3Flavor::kGcsXml) return scheme == "gs";
  return scheme == "s3" || scheme == "s3a" || scheme == "s3n";
}

Result<S3Location> ParseS3Location(std::string_view location, bool key_required, S3Flavor flavor) {
  if (!IsS3Location(location, flavor)) {
    return Err(ErrorCode::kInvalidArgument, "Not an {} location ({}://bucket/key): '{}'",
               flavor == S3Flavor::kGcsXml ? "GCS" : "S3",
               flavor == S3Flavor::kGcsXml ? "gs" : "s3", location);
  }
  S3Location out;
  out.scheme = std::string(SchemeOf(location));
  std::string_view rest = location.substr(out.scheme.size() + 3);
  size_t slash = rest.find('/');
  out.bucket = std::string(rest.substr(0, slash));
  if (!ValidBucket(out.bucket, flavor)) {
    return Err(ErrorCode::kInvalidArgument, "Invalid or missing bucket in '{}'", location);
  }
  if (slash != std::string_view::npos) out.key = std::string(rest.substr(slash + 1));
  if (!ValidKey(out.key)) {
    return Err(ErrorCode::kInvalidArgument, "Invalid object key in '{}'", location);
  }
  if (key_required && (out.key.empty() || EndsWith(out.key, "/"))) {
    return Err(ErrorCode::kInvalidArgument, "Location names no object: '{}'", location);
  }
  return out;
}

Result<S3Endpoint> ParseS3Endpoint(std::string_view endpoint, std::string_view region,
                                   bool path_style, S3Flavor flavor) {
  std::string text = !endpoint.empty() ? std::string(endpoint)
                     : flavor == S3Flavor::kGcsXml
                         ? "https://storage.googleapis.com"
                         : fmt::format("https://s3.{}.amazonaws.com", region);
  ASSIGN_OR_RETURN(HttpUrl base, ParseHttpUrl(text));
  if (!base.query.empty()) {
    return Err(ErrorCode::kInvalidArgument, "An S3 endpoint has no query: '{}'", endpoint);
  }
  while (base.path.size() > 1 && EndsWith(base.path, "/")) base.path.pop_back();
  return S3Endpoint{std::move(base), path_style};
}

std::string ObjectUrl(const S3Endpoint& endpoint, std::string_view bucket, std::string_view key,
                      std::string_view query) {
  const HttpUrl& base = endpoint.base;
  const bool path_style =
      endpoint.path_style || (base.scheme == "https" && bucket.find('.') != std::string_view::npos);
  std::string base_path = base.path == "/" ? "" : base.path;
  std::string url = path_style ? fmt::format("{}://{}{}/{}/{}", base.scheme, base.host, base_path,
                                             bucket, UriEncode(key, true))
                               : fmt::format("{}://{}.{}{}/{}", base.scheme, bucket, base.host,
                                             base_path, UriEncode(key, true));
  if (!query.empty()) url += "?" + std::string(query);
  return url;
}

}  // namespace pangolin::storage::s3
