// Serde-private: the Asset JSON of the management API, shared by commits and merge operations.
#pragma once

#include "catalog/model.h"
#include "serde/json_internal.h"

namespace pangolin::serde::internal {

// {"id", "name", "namespace", "kind", "properties" (+ "metadata_location")}
json::object AssetObject(const catalog::ContentKey& key, const catalog::Content& content);

}  // namespace pangolin::serde::internal
