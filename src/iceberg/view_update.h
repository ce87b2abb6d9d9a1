// ViewUpdate: the 8 metadata changes of a view commit (spec ViewUpdate), and ApplyViewUpdates,
// which applies them with the rules of Java's ViewMetadata.Builder (iceberg-rest-notes §3.4).
// The six kinds views share with tables reuse the table update values.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "iceberg/table_update.h"
#include "iceberg/view_metadata.h"

namespace pangolin::iceberg {

struct AddViewVersion {
  ViewVersion view_version;  // schema-id -1: the schema added last in this commit
  bool operator==(const AddViewVersion&) const = default;
};
struct SetCurrentViewVersion {
  int view_version_id = 0;  // -1: the version added last in this commit
  bool operator==(const SetCurrentViewVersion&) const = default;
};

using ViewUpdate =
    std::variant<AssignUuid, UpgradeFormatVersion, AddSchema, SetLocation, SetProperties,
                 RemoveProperties, AddViewVersion, SetCurrentViewVersion>;

// The spec's `action` discriminator of `update`, e.g. "add-view-version".
std::string_view ViewUpdateAction(const ViewUpdate& update);

struct ViewUpdateResult {
  ViewMetadata metadata;
  bool changed = false;  // false: nothing to write; metadata == *base
};

// Applies `updates` in order to `base` (nullptr: a view built from nothing, which needs
// set-location, add-schema, add-view-version and set-current-view-version; without assign-uuid it
// gets a random uuid). add-schema's deprecated last-column-id is ignored (views have none).
// `now_ms` stamps the version-log entry of a re-activated version. When nothing changed the result
// is *base unchanged, as Java skips such commits.
// Errors: kInvalidArgument / kValidation (400) with Java's messages, e.g. "Cannot reassign uuid",
// "Cannot set current version to unknown version: 7",
// "Invalid view version: Cannot add multiple queries for dialect spark",
// "Cannot replace view due to loss of view dialects (replace.drop-dialect.allowed=false): ...".
Result<ViewUpdateResult> ApplyViewUpdates(const ViewMetadata* base,
                                          const std::vector<ViewUpdate>& updates, int64_t now_ms);

}  // namespace pangolin::iceberg
