// View requirement checks with Java's UpdateRequirement messages (the RCK matches them).
#include "iceberg/view_requirement.h"

#include "common/strings.h"

namespace pangolin::iceberg {

namespace {

struct Checker {
  const ViewMetadata* base;

  Status operator()(const AssertViewUuid& r) const {
    if (ToLower(r.uuid) != ToLower(base->view_uuid)) {
      return Err(ErrorCode::kCommitFailed,
                 "Requirement failed: view UUID does not match: expected {} != {}", base->view_uuid,
                 r.uuid);
    }
    return Ok();
  }
};

struct TypeNamer {
  std::string_view operator()(const AssertViewUuid&) const { return "assert-view-uuid"; }
};

}  // namespace

std::string_view ViewRequirementType(const ViewRequirement& requirement) {
  return std::visit(TypeNamer{}, requirement);
}

Status CheckViewRequirement(const ViewRequirement& requirement, const ViewMetadata* current) {
  if (!current) return Err(ErrorCode::kCommitFailed, "Requirement failed: view does not exist");
  return std::visit(Checker{current}, requirement);
}

Result<ViewUpdateResult> CommitView(const ViewMetadata* base,
                                    const std::vector<ViewRequirement>& requirements,
                                    const std::vector<ViewUpdate>& updates, int64_t now_ms) {
  for (const auto& requirement : requirements) {
    RETURN_IF_ERROR(CheckViewRequirement(requirement, base));
  }
  return ApplyViewUpdates(base, updates, now_ms);
}

}  // namespace pangolin::iceberg
