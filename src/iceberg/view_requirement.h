// ViewRequirement: the assertions of a view commit (spec ViewRequirement: only assert-view-uuid),
// checked with Java's UpdateRequirement message, and CommitView, which checks a commit's
// requirements and then applies its updates (Java CatalogHandlers.commit for views).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "iceberg/view_metadata.h"
#include "iceberg/view_update.h"

namespace pangolin::iceberg {

struct AssertViewUuid {
  std::string uuid;
  bool operator==(const AssertViewUuid&) const = default;
};

using ViewRequirement = std::variant<AssertViewUuid>;

// The spec's `type` discriminator of `requirement`, e.g. "assert-view-uuid".
std::string_view ViewRequirementType(const ViewRequirement& requirement);

// Checks `requirement` against `current` (nullptr: the view does not exist).
// Errors: kCommitFailed (409), "Requirement failed: view UUID does not match: expected <current>
// != <required>" (case-insensitive comparison), or "Requirement failed: view does not exist".
Status CheckViewRequirement(const ViewRequirement& requirement, const ViewMetadata* current);

// replaceView: every requirement is checked against `base` (the view's current metadata; nullptr
// when there is none), then the updates are applied as by ApplyViewUpdates. View metadata keeps
// no log of earlier metadata files, so the base's file location plays no part.
// Errors: as CheckViewRequirement (409), then as ApplyViewUpdates (400).
Result<ViewUpdateResult> CommitView(const ViewMetadata* base,
                                    const std::vector<ViewRequirement>& requirements,
                                    const std::vector<ViewUpdate>& updates, int64_t now_ms);

}  // namespace pangolin::iceberg
