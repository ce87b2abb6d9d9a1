// Business metadata of assets (reference §2.10): a description, tags, free-form properties and
// whether the asset is discoverable by members who cannot read it. Tags feed tag grants (an
// access grant on `{"type":"tag"}` covers every asset carrying the tag), so they are part of
// access control as much as of discovery.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "common/ids.h"
#include "common/result.h"

namespace pangolin::catalog {

struct BusinessMetadata {
  std::string id;
  TenantId tenant_id;
  std::string asset_id;
  std::optional<std::string> description;
  std::vector<std::string> tags;       // sorted, without duplicates (NormalizeTags)
  std::string properties_json = "{}";  // any JSON value, stored as given (compact)
  bool discoverable = false;
  std::string created_by;
  int64_t created_ms = 0;
  std::string updated_by;
  int64_t updated_ms = 0;
  friend bool operator==(const BusinessMetadata&, const BusinessMetadata&) = default;
};

// Where an asset lives: its catalog, its key there, and its entry.
struct AssetLocation {
  CatalogId catalog_id;
  std::string catalog_name;
  std::string branch;  // the branch it was found on: main when it is there
  ContentKey key;
  Content content;
  friend bool operator==(const AssetLocation&, const AssetLocation&) = default;
};

// Tags are 1 to 64 characters of letters, digits and `_ - . : /`. Errors: kBadRequest.
Status ValidateTag(std::string_view tag);
// Sorted and deduplicated, each validated; at most 64. Errors: kBadRequest.
Result<std::vector<std::string>> NormalizeTags(std::vector<std::string> tags);

}  // namespace pangolin::catalog
