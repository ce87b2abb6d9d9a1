// Location parsing of the Azure FileIO (see azure_location_internal.h).
#include <algorithm>
#include <cctype>
#include <vector>

#include "common/strings.h"
#include "storage/azure/azure_location_internal.h"

namespace pangolin::storage::azure_internal {
namespace {

constexpr std::string_view kSchemes[] = {"abfss://", "abfs://", "wasbs://", "wasb://"};

// Account names: 3 to 24 lower-case letters and digits.
bool ValidAccount(std::string_view name) {
  return name.size() >= 3 && name.size() <= 24 && std::all_of(name.begin(), name.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) ||
                  std::isdigit(static_cast<unsigned char>(c));
         });
}

// Container names: 3 to 63 lower-case letters, digits and single inner hyphens.
bool ValidContainer(std::string_view name) {
  if (name.size() < 3 || name.size() > 63 || name.front() == '-' || name.back() == '-' ||
      name.find("--") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

// Refuses segments a URL or the service would rewrite: empty ones inside the path, "." and "..".
Status CheckSegments(std::string_view path, std::string_view location) {
  std::vector<std::string> segments = Split(path, "/");
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    bool last = i + 1 == segments.size();
    if ((segment.empty() && !last) || segment == "." || segment == "..") {
      return Err(ErrorCode::kInvalidArgument, "Invalid path segment in Azure location: {}",
                 location);
    }
  }
  return Ok();
}

}  // namespace

bool IsAzureLocation(std::string_view location) {
  return std::any_of(std::begin(kSchemes), std::end(kSchemes),
                     [&](std::string_view scheme) { return StartsWith(location, scheme); });
}

Result<AzureLocation> ParseAzureLocation(std::string_view location) {
  auto scheme = std::find_if(std::begin(kSchemes), std::end(kSchemes),
                             [&](std::string_view s) { return StartsWith(location, s); });
  if (scheme == std::end(kSchemes)) {
    return Err(ErrorCode::kInvalidArgument, "Not an Azure location (abfs[s]://, wasb[s]://): {}",
               location);
  }
  if (location.find('\0') != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "Location contains a NUL byte");
  }
  std::string_view rest = location.substr(scheme->size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view raw_path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  size_t at = authority.find('@');
  if (at == std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "Azure location without '<container>@': {}", location);
  }
  AzureLocation parsed;
  parsed.container = std::string(authority.substr(0, at));
  std::string_view host = authority.substr(at + 1);
  parsed.account = std::string(host.substr(0, host.find('.')));
  if (!ValidContainer(parsed.container) || !ValidAccount(parsed.account) ||
      host.find_first_of(":?#") != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "Invalid container or account in Azure location: {}",
               location);
  }
  RETURN_IF_ERROR(CheckSegments(raw_path, location));
  parsed.root = std::string(location.substr(0, scheme->size() + authority.size())) + "/";
  parsed.path = std::string(raw_path);
  return parsed;
}

std::string EncodeBlobPath(std::string_view path) {
  std::vector<std::string> segments = Split(path, "/");
  for (auto& segment : segments) segment = PercentEncode(segment);
  return Join(segments, "/");
}

}  // namespace pangolin::storage::azure_internal
