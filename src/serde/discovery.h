// Business metadata JSON (reference §1.13, §2.10): the record in kebab-case, the upsert body,
// and the asset detail answer. Timestamps are RFC 3339 strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/discovery.h"
#include "common/result.h"

namespace pangolin::serde {

// {"metadata": {id, asset-id, description, tags, properties, discoverable, created-by,
// created-at, updated-by, updated-at}}.
std::string BusinessMetadataResponseJson(const catalog::BusinessMetadata& metadata);

// Upsert body {description?, tags?, properties?, discoverable?} into the members of a record
// it sets (the rest left empty): tags default to none, properties to {} (any JSON value),
// discoverable to false. Strict: another member is kUnprocessable; an ill-typed one kBadRequest.
// Tags are not validated here (catalog::NormalizeTags).
Result<catalog::BusinessMetadata> ParseBusinessMetadataRequest(std::string_view json);

// GET /api/v1/assets/{id}: {"asset": {id, name, kind, metadata-location, branch},
// "metadata": <record or null>, "catalog": name, "namespace": "a.b"}. kind is IcebergTable or
// IcebergView.
std::string AssetDetailJson(const catalog::AssetLocation& asset,
                            const std::optional<catalog::BusinessMetadata>& metadata);

}  // namespace pangolin::serde
