// Iceberg view metadata JSON: the view metadata file and the `metadata` member of LoadViewResult.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "iceberg/view_metadata.h"

namespace pangolin::serde {

// Parses a view metadata document (format v1). Unknown members (top level, versions,
// representations, version-log entries) are kept in the model's `extra`; representations of a
// type other than "sql" are kept whole. Errors: kBadRequest for malformed JSON or missing/wrong
// members, kInvalidArgument for an unsupported format version or a current-version-id that names
// no version.
Result<iceberg::ViewMetadata> ParseViewMetadata(std::string_view json);

// Compact JSON in the member order of Java's ViewMetadataParser (view-uuid, format-version,
// location, properties when non-empty, schemas, current-version-id, versions, version-log),
// unknown members last.
std::string SerializeViewMetadata(const iceberg::ViewMetadata& metadata);

}  // namespace pangolin::serde
