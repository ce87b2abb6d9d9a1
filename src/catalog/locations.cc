// Location normalization and containment checks.
#include "catalog/locations.h"

#include "common/strings.h"

namespace pangolin::catalog {

Result<std::string> NormalizeLocation(std::string_view location) {
  std::string out;
  if (StartsWith(location, "file://")) {
    out = "file://" + std::string(location.substr(7));
  } else if (StartsWith(location, "file:/")) {
    out = "file://" + std::string(location.substr(5));
  } else if (StartsWith(location, "/")) {
    out = "file://" + std::string(location);
  } else if (location.find("://") != std::string_view::npos) {
    out = std::string(location);
  } else {
    return Err(ErrorCode::kInvalidArgument, "Invalid location '{}': not an absolute URI", location);
  }
  if (StartsWith(out, "file://") && !StartsWith(out, "file:///")) {
    return Err(ErrorCode::kInvalidArgument,
               "Invalid location '{}': file URIs need an absolute path", location);
  }
  while (out.size() > 1 && out.back() == '/' && !EndsWith(out, "://") && !EndsWith(out, ":///")) {
    out.pop_back();
  }
  size_t path_start = out.find("://") + 3;
  for (const std::string& segment : Split(std::string_view(out).substr(path_start), "/")) {
    if (segment == "." || segment == "..") {
      return Err(ErrorCode::kInvalidArgument, "Invalid location '{}': contains '{}'", location,
                 segment);
    }
  }
  return out;
}

Result<std::string> CatalogBaseLocation(const Catalog& catalog, const Warehouse* warehouse) {
  if (catalog.storage_location && !catalog.storage_location->empty()) {
    return NormalizeLocation(*catalog.storage_location);
  }
  if (warehouse) {
    auto root = warehouse->storage_config.find("root");
    if (root != warehouse->storage_config.end() && !root->second.empty()) {
      ASSIGN_OR_RETURN(std::string base, NormalizeLocation(root->second));
      return base + "/" + catalog.name;
    }
  }
  return Err(ErrorCode::kInvalidArgument,
             "Catalog '{}' has no storage_location and its warehouse has no root", catalog.name);
}

namespace {
std::string SafeSegment(std::string_view segment) {
  if (segment == ".") return "%2E";
  if (segment == "..") return "%2E%2E";
  if (segment.find('/') != std::string_view::npos || segment.find('%') != std::string_view::npos) {
    return PercentEncode(segment);
  }
  return std::string(segment);
}
}  // namespace

std::string DefaultTableLocation(std::string_view base, const Namespace& ns,
                                 std::string_view name) {
  std::string out(base);
  for (const auto& level : ns) out += "/" + SafeSegment(level);
  out += "/" + SafeSegment(name);
  return out;
}

bool IsUnder(std::string_view location, std::string_view base) {
  auto normalized = NormalizeLocation(location);
  if (!normalized) return false;
  return *normalized == base || StartsWith(*normalized, std::string(base) + "/");
}

Result<std::string> CheckLocation(std::string_view location, std::string_view base) {
  ASSIGN_OR_RETURN(std::string normalized, NormalizeLocation(location));
  if (normalized != base && !StartsWith(normalized, std::string(base) + "/")) {
    return Err(ErrorCode::kForbidden, "Location '{}' is outside the catalog's location '{}'",
               location, base);
  }
  return normalized;
}

}  // namespace pangolin::catalog
