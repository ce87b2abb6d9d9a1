// Requirement checks with Java's UpdateRequirement messages (the RCK matches them).
#include "iceberg/table_requirement.h"

#include "common/strings.h"

namespace pangolin::iceberg {

namespace {

template <typename... Args>
tl::unexpected<Error> Failed(fmt::format_string<Args...> format, Args&&... args) {
  return MakeError(ErrorCode::kCommitFailed,
                   "Requirement failed: " + fmt::format(format, std::forward<Args>(args)...));
}

struct Checker {
  const TableMetadata* base;

  Status operator()(const AssertCreate&) const {
    if (base) return Failed("table already exists");
    return Ok();
  }
  Status operator()(const AssertTableUuid& r) const {
    std::string uuid = base->table_uuid.value_or("null");
    if (!base->table_uuid || ToLower(r.uuid) != ToLower(uuid)) {
      return Failed("UUID does not match: expected {} != {}", uuid, r.uuid);
    }
    return Ok();
  }
  Status operator()(const AssertRefSnapshotId& r) const {
    auto it = base->refs.find(r.ref);
    if (it != base->refs.end()) {
      const char* type = it->second.IsBranch() ? "branch" : "tag";
      if (!r.snapshot_id) return Failed("{} {} was created concurrently", type, r.ref);
      if (*r.snapshot_id != it->second.snapshot_id) {
        return Failed("{} {} has changed: expected id {} != {}", type, r.ref, *r.snapshot_id,
                      it->second.snapshot_id);
      }
    } else if (r.snapshot_id) {
      return Failed("branch or tag {} is missing, expected {}", r.ref, *r.snapshot_id);
    }
    return Ok();
  }
  Status operator()(const AssertLastAssignedFieldId& r) const {
    if (base->last_column_id != r.last_assigned_field_id) {
      return Failed("last assigned field id changed: expected id {} != {}",
                    r.last_assigned_field_id, base->last_column_id);
    }
    return Ok();
  }
  Status operator()(const AssertCurrentSchemaId& r) const {
    if (base->current_schema_id != r.current_schema_id) {
      return Failed("current schema changed: expected id {} != {}", r.current_schema_id,
                    base->current_schema_id);
    }
    return Ok();
  }
  Status operator()(const AssertLastAssignedPartitionId& r) const {
    if (base->last_partition_id != r.last_assigned_partition_id) {
      return Failed("last assigned partition id changed: expected id {} != {}",
                    r.last_assigned_partition_id, base->last_partition_id);
    }
    return Ok();
  }
  Status operator()(const AssertDefaultSpecId& r) const {
    if (base->default_spec_id != r.default_spec_id) {
      return Failed("default partition spec changed: expected id {} != {}", r.default_spec_id,
                    base->default_spec_id);
    }
    return Ok();
  }
  Status operator()(const AssertDefaultSortOrderId& r) const {
    if (base->default_sort_order_id != r.default_sort_order_id) {
      return Failed("default sort order changed: expected id {} != {}", r.default_sort_order_id,
                    base->default_sort_order_id);
    }
    return Ok();
  }
};

struct TypeNamer {
  std::string_view operator()(const AssertCreate&) const { return "assert-create"; }
  std::string_view operator()(const AssertTableUuid&) const { return "assert-table-uuid"; }
  std::string_view operator()(const AssertRefSnapshotId&) const { return "assert-ref-snapshot-id"; }
  std::string_view operator()(const AssertLastAssignedFieldId&) const {
    return "assert-last-assigned-field-id";
  }
  std::string_view operator()(const AssertCurrentSchemaId&) const {
    return "assert-current-schema-id";
  }
  std::string_view operator()(const AssertLastAssignedPartitionId&) const {
    return "assert-last-assigned-partition-id";
  }
  std::string_view operator()(const AssertDefaultSpecId&) const { return "assert-default-spec-id"; }
  std::string_view operator()(const AssertDefaultSortOrderId&) const {
    return "assert-default-sort-order-id";
  }
};

}  // namespace

std::string_view RequirementType(const TableRequirement& requirement) {
  return std::visit(TypeNamer{}, requirement);
}

Status CheckRequirement(const TableRequirement& requirement, const TableMetadata* current) {
  if (!current) {
    // Java skips the last-assigned checks for a missing table; the others need a table.
    if (std::holds_alternative<AssertCreate>(requirement) ||
        std::holds_alternative<AssertLastAssignedFieldId>(requirement) ||
        std::holds_alternative<AssertLastAssignedPartitionId>(requirement)) {
      return Ok();
    }
    return Failed("table does not exist");
  }
  return std::visit(Checker{current}, requirement);
}

Result<bool> IsCreateCommit(const std::vector<TableRequirement>& requirements) {
  bool has_create = false;
  for (const auto& requirement : requirements) {
    if (std::holds_alternative<AssertCreate>(requirement)) has_create = true;
  }
  if (has_create && requirements.size() != 1) {
    std::string types;
    for (const auto& requirement : requirements) {
      if (!types.empty()) types += ", ";
      types += RequirementType(requirement);
    }
    return Err(ErrorCode::kInvalidArgument, "Invalid create requirements: {}", types);
  }
  return has_create;
}

}  // namespace pangolin::iceberg
