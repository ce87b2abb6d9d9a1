// gs:// location parsing and JSON API URLs; see gcs_location_internal.h.
#include "common/strings.h"
#include "storage/gcs/gcs_location_internal.h"

namespace pangolin::storage::gcs_internal {
namespace {

constexpr size_t kMaxObjectName = 1024;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Result<GcsLocation> SplitLocation(std::string_view location) {
  if (!IsGcsLocation(location)) {
    return Err(ErrorCode::kInvalidArgument, "Not a gs:// location: '{}'", location);
  }
  std::string_view rest = location.substr(kScheme.size());
  size_t slash = rest.find('/');
  GcsLocation out;
  out.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) out.object = std::string(rest.substr(slash + 1));
  if (!IsValidBucketName(out.bucket)) {
    return Err(ErrorCode::kInvalidArgument, "Invalid bucket name in '{}'", location);
  }
  return out;
}

}  // namespace

bool IsGcsLocation(std::string_view location) { return StartsWith(location, kScheme); }

bool IsValidBucketName(std::string_view bucket) {
  const bool dotted = bucket.find('.') != std::string_view::npos;
  if (bucket.size() < 3 || bucket.size() > (dotted ? 222u : 63u)) return false;
  if (!IsLowerAlnum(bucket.front()) || !IsLowerAlnum(bucket.back())) return false;
  for (char c : bucket) {
    if (!IsLowerAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  for (const std::string& part : Split(bucket, ".")) {
    if (part.empty() || part.size() > 63) return false;
  }
  return true;
}

Status CheckObjectName(std::string_view name, std::string_view location) {
  if (name.size() > kMaxObjectName) {
    return Err(ErrorCode::kInvalidArgument, "Object name longer than 1024 bytes: '{}'", location);
  }
  if (name.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "Control character in location '{}'", location);
  }
  for (const std::string& segment : Split(name, "/")) {
    if (segment == "." || segment == "..") {
      return Err(ErrorCode::kInvalidArgument, "'.' or '..' segment in location '{}'", location);
    }
  }
  return Ok();
}

Result<GcsLocation> ParseObjectLocation(std::string_view location) {
  ASSIGN_OR_RETURN(GcsLocation out, SplitLocation(location));
  if (out.object.empty() || EndsWith(out.object, "/")) {
    return Err(ErrorCode::kInvalidArgument, "Location names no object: '{}'", location);
  }
  RETURN_IF_ERROR(CheckObjectName(out.object, location));
  return out;
}

Result<GcsLocation> ParsePrefixLocation(std::string_view location) {
  ASSIGN_OR_RETURN(GcsLocation out, SplitLocation(location));
  RETURN_IF_ERROR(CheckObjectName(out.object, location));
  return out;
}

std::string ObjectsUrl(std::string_view endpoint, std::string_view bucket) {
  return std::string(endpoint) + "/storage/v1/b/" + PercentEncode(bucket) + "/o";
}

std::string ObjectUrl(std::string_view endpoint, const GcsLocation& location) {
  return ObjectsUrl(endpoint, location.bucket) + "/" + PercentEncode(location.object);
}

std::string UploadUrl(std::string_view endpoint, std::string_view bucket) {
  return std::string(endpoint) + "/upload/storage/v1/b/" + PercentEncode(bucket) + "/o";
}

}  // namespace pangolin::storage::gcs_internal
