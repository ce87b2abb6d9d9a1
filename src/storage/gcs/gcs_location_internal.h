// Parsing of `gs://bucket/object` locations and the JSON API URLs that address them.
// Module-private: include only from storage/gcs/*.cc.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::storage::gcs_internal {

inline constexpr std::string_view kScheme = "gs://";

struct GcsLocation {
  std::string bucket;
  std::string object;  // the object name, or a name prefix (may be empty for a prefix)
  std::string Location(std::string_view object_name) const {
    return std::string(kScheme) + bucket + "/" + std::string(object_name);
  }
};

bool IsGcsLocation(std::string_view location);
// GCS bucket naming rules: 3-63 characters (222 when dotted, 63 per dot-separated part) of
// lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit.
bool IsValidBucketName(std::string_view bucket);
// Object names Pangolin writes: 1-1024 bytes, no NUL, CR or LF, no "." or ".." segment.
// (GCS allows more; refusing these keeps prefixes and locations unambiguous.)
Status CheckObjectName(std::string_view name, std::string_view location);

// `gs://bucket/object` naming one object (not ending in '/'). Errors: kInvalidArgument.
Result<GcsLocation> ParseObjectLocation(std::string_view location);
// `gs://bucket[/prefix]`; the prefix may be empty. Errors: kInvalidArgument.
Result<GcsLocation> ParsePrefixLocation(std::string_view location);

// {endpoint}/storage/v1/b/{bucket}/o/{object} with the object name percent-encoded.
std::string ObjectUrl(std::string_view endpoint, const GcsLocation& location);
// {endpoint}/storage/v1/b/{bucket}/o (listings).
std::string ObjectsUrl(std::string_view endpoint, std::string_view bucket);
// {endpoint}/upload/storage/v1/b/{bucket}/o (media uploads).
std::string UploadUrl(std::string_view endpoint, std::string_view bucket);

}  // namespace pangolin::storage::gcs_internal
