// TableUpdate: the 23 metadata changes of a commit (spec TableUpdate), and ApplyUpdates, which
// applies them with the rules of Java's TableMetadata.Builder (iceberg-rest-notes §3-§5).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg {

struct AssignUuid {
  std::string uuid;
  bool operator==(const AssignUuid&) const = default;
};
struct UpgradeFormatVersion {
  int format_version = 0;
  bool operator==(const UpgradeFormatVersion&) const = default;
};
struct AddSchema {
  Schema schema;
  std::optional<int> last_column_id;  // deprecated; ignored (computed server side)
  bool operator==(const AddSchema&) const = default;
};
struct SetCurrentSchema {
  int schema_id = 0;
  bool operator==(const SetCurrentSchema&) const = default;
};
struct AddPartitionSpec {
  UnboundPartitionSpec spec;
  bool operator==(const AddPartitionSpec&) const = default;
};
struct SetDefaultSpec {
  int spec_id = 0;
  bool operator==(const SetDefaultSpec&) const = default;
};
struct AddSortOrder {
  SortOrder sort_order;
  bool operator==(const AddSortOrder&) const = default;
};
struct SetDefaultSortOrder {
  int sort_order_id = 0;
  bool operator==(const SetDefaultSortOrder&) const = default;
};
struct AddSnapshot {
  Snapshot snapshot;
  bool operator==(const AddSnapshot&) const = default;
};
struct SetSnapshotRef {
  std::string ref_name;
  SnapshotRef ref;
  bool operator==(const SetSnapshotRef&) const = default;
};
struct RemoveSnapshots {
  std::vector<int64_t> snapshot_ids;
  bool operator==(const RemoveSnapshots&) const = default;
};
struct RemoveSnapshotRef {
  std::string ref_name;
  bool operator==(const RemoveSnapshotRef&) const = default;
};
struct SetLocation {
  std::string location;
  bool operator==(const SetLocation&) const = default;
};
struct SetProperties {
  std::map<std::string, std::string> updates;
  bool operator==(const SetProperties&) const = default;
};
struct RemoveProperties {
  std::vector<std::string> removals;
  bool operator==(const RemoveProperties&) const = default;
};
struct SetStatistics {
  StatisticsFile statistics;
  bool operator==(const SetStatistics&) const = default;
};
struct RemoveStatistics {
  int64_t snapshot_id = 0;
  bool operator==(const RemoveStatistics&) const = default;
};
struct SetPartitionStatistics {
  PartitionStatisticsFile partition_statistics;
  bool operator==(const SetPartitionStatistics&) const = default;
};
struct RemovePartitionStatistics {
  int64_t snapshot_id = 0;
  bool operator==(const RemovePartitionStatistics&) const = default;
};
struct RemovePartitionSpecs {
  std::vector<int> spec_ids;
  bool operator==(const RemovePartitionSpecs&) const = default;
};
struct RemoveSchemas {
  std::vector<int> schema_ids;
  bool operator==(const RemoveSchemas&) const = default;
};
struct AddEncryptionKey {
  EncryptedKey key;
  bool operator==(const AddEncryptionKey&) const = default;
};
struct RemoveEncryptionKey {
  std::string key_id;
  bool operator==(const RemoveEncryptionKey&) const = default;
};

using TableUpdate =
    std::variant<AssignUuid, UpgradeFormatVersion, AddSchema, SetCurrentSchema, AddPartitionSpec,
                 SetDefaultSpec, AddSortOrder, SetDefaultSortOrder, AddSnapshot, SetSnapshotRef,
                 RemoveSnapshots, RemoveSnapshotRef, SetLocation, SetProperties, RemoveProperties,
                 SetStatistics, RemoveStatistics, SetPartitionStatistics, RemovePartitionStatistics,
                 RemovePartitionSpecs, RemoveSchemas, AddEncryptionKey, RemoveEncryptionKey>;

// The spec's `action` discriminator of `update`, e.g. "add-schema".
std::string_view UpdateAction(const TableUpdate& update);

struct UpdateResult {
  TableMetadata metadata;
  bool changed = false;  // false: nothing to write; metadata == *base
};

// Applies `updates` in order to `base` (nullptr: completing a staged create from an empty
// builder whose format version is that of the first upgrade-format-version, default 2).
// When something changed and `base_metadata_location` is set, appends
// {base.last-updated-ms, base location} to the metadata-log, trimmed to
// max(1, write.metadata.previous-versions-max (default 100)) of the new properties.
// last-updated-ms becomes `now_ms` (or the added snapshot's timestamp, as in Java).
// Errors: kValidation / kInvalidArgument for invalid changes (400); kCommitFailed with
// "Validation failed, please retry: ..." for a stale sequence number or first-row-id (409).
Result<UpdateResult> ApplyUpdates(const TableMetadata* base,
                                  std::optional<std::string> base_metadata_location,
                                  const std::vector<TableUpdate>& updates, int64_t now_ms);

}  // namespace pangolin::iceberg
