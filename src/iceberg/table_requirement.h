// TableRequirement: the 8 assertions of a commit (spec TableRequirement), checked against the
// table's current metadata with the exact failure messages of Java's UpdateRequirement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg {

struct AssertCreate {
  bool operator==(const AssertCreate&) const = default;
};
struct AssertTableUuid {
  std::string uuid;
  bool operator==(const AssertTableUuid&) const = default;
};
struct AssertRefSnapshotId {
  std::string ref;
  std::optional<int64_t> snapshot_id;  // nullopt: the ref must not exist
  bool operator==(const AssertRefSnapshotId&) const = default;
};
struct AssertLastAssignedFieldId {
  int last_assigned_field_id = 0;
  bool operator==(const AssertLastAssignedFieldId&) const = default;
};
struct AssertCurrentSchemaId {
  int current_schema_id = 0;
  bool operator==(const AssertCurrentSchemaId&) const = default;
};
struct AssertLastAssignedPartitionId {
  int last_assigned_partition_id = 0;
  bool operator==(const AssertLastAssignedPartitionId&) const = default;
};
struct AssertDefaultSpecId {
  int default_spec_id = 0;
  bool operator==(const AssertDefaultSpecId&) const = default;
};
struct AssertDefaultSortOrderId {
  int default_sort_order_id = 0;
  bool operator==(const AssertDefaultSortOrderId&) const = default;
};

using TableRequirement =
    std::variant<AssertCreate, AssertTableUuid, AssertRefSnapshotId, AssertLastAssignedFieldId,
                 AssertCurrentSchemaId, AssertLastAssignedPartitionId, AssertDefaultSpecId,
                 AssertDefaultSortOrderId>;

// The spec's `type` discriminator of `requirement`, e.g. "assert-table-uuid".
std::string_view RequirementType(const TableRequirement& requirement);

// Checks `requirement` against `current` (nullptr: the table does not exist).
// Errors: kCommitFailed, "Requirement failed: ..." exactly as Java words it.
Status CheckRequirement(const TableRequirement& requirement, const TableMetadata* current);

// True when `requirements` is a create commit (contains assert-create). A create must carry it
// as its only requirement. Errors: kInvalidArgument "Invalid create requirements: ...".
Result<bool> IsCreateCommit(const std::vector<TableRequirement>& requirements);

}  // namespace pangolin::iceberg
