// Iceberg table metadata model (format v1-v3): partition specs, sort orders, snapshots, refs,
// statistics, encryption keys, the two logs and TableMetadata itself. Plain values, no JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/shared_value.h"
#include "iceberg/schema.h"

namespace pangolin::iceberg {

inline constexpr int kDefaultFormatVersion = 2;
inline constexpr int kMaxFormatVersion = 3;
inline constexpr int kPartitionDataIdStart = 1000;  // first partition field id
inline constexpr const char* kMainBranch = "main";

struct PartitionField {
  int source_id = 0;
  std::vector<int> source_ids;  // v3 multi-argument transforms; empty otherwise
  int field_id = 0;
  std::string name;
  std::string transform;
  ExtraFields extra;
  bool operator==(const PartitionField&) const = default;
};

struct PartitionSpec {
  int spec_id = 0;
  std::vector<PartitionField> fields;
  ExtraFields extra;
  bool operator==(const PartitionSpec&) const = default;
};
// Highest partition field id of `spec`, or 999 when it has none (Java lastAssignedFieldId).
int LastAssignedFieldId(const PartitionSpec& spec);

// A spec as clients send it: ids may be absent and are assigned by the catalog.
struct UnboundPartitionField {
  int source_id = 0;
  std::vector<int> source_ids;
  std::optional<int> field_id;
  std::string name;
  std::string transform;
  bool operator==(const UnboundPartitionField&) const = default;
};
struct UnboundPartitionSpec {
  std::optional<int> spec_id;
  std::vector<UnboundPartitionField> fields;
  bool operator==(const UnboundPartitionSpec&) const = default;
};

struct SortField {
  std::string transform;
  int source_id = 0;
  std::vector<int> source_ids;
  std::string direction;   // "asc" | "desc"
  std::string null_order;  // "nulls-first" | "nulls-last"
  ExtraFields extra;
  bool operator==(const SortField&) const = default;
};

struct SortOrder {
  int order_id = 0;
  std::vector<SortField> fields;
  ExtraFields extra;
  bool operator==(const SortOrder&) const = default;
};

struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  std::optional<int64_t> sequence_number;  // absent in v1 (= 0)
  int64_t timestamp_ms = 0;
  std::optional<std::string> manifest_list;
  std::optional<std::vector<std::string>> manifests;  // v1 legacy, instead of manifest_list
  std::optional<std::string> operation;               // summary["operation"]
  std::map<std::string, std::string> summary;         // without "operation"
  std::optional<int> schema_id;
  std::optional<int64_t> first_row_id;  // v3
  std::optional<int64_t> added_rows;    // v3
  std::optional<std::string> key_id;    // v3 encryption
  ExtraFields extra;
  int64_t SequenceNumber() const { return sequence_number.value_or(0); }
  bool operator==(const Snapshot&) const = default;
};

struct SnapshotRef {
  std::string type = "branch";  // "branch" | "tag"
  int64_t snapshot_id = 0;
  std::optional<int> min_snapshots_to_keep;
  std::optional<int64_t> max_snapshot_age_ms;
  std::optional<int64_t> max_ref_age_ms;
  ExtraFields extra;
  bool IsBranch() const { return type == "branch"; }
  bool operator==(const SnapshotRef&) const = default;
};
// Java SnapshotRef.equals: every typed member; unknown JSON members are ignored.
bool SameRef(const SnapshotRef& a, const SnapshotRef& b);

struct StatisticsFile {
  int64_t snapshot_id = 0;
  std::string statistics_path;
  int64_t file_size_in_bytes = 0;
  int64_t file_footer_size_in_bytes = 0;
  std::optional<std::string> key_metadata;
  RawJson blob_metadata = "[]";  // JSON array of BlobMetadata
  ExtraFields extra;
  bool operator==(const StatisticsFile&) const = default;
};

struct PartitionStatisticsFile {
  int64_t snapshot_id = 0;
  std::string statistics_path;
  int64_t file_size_in_bytes = 0;
  ExtraFields extra;
  bool operator==(const PartitionStatisticsFile&) const = default;
};

struct EncryptedKey {
  std::string key_id;
  std::string encrypted_key_metadata;  // base64
  std::optional<std::string> encrypted_by_id;
  std::optional<std::map<std::string, std::string>> properties;
  ExtraFields extra;
  bool operator==(const EncryptedKey&) const = default;
};

struct SnapshotLogEntry {
  int64_t timestamp_ms = 0;
  int64_t snapshot_id = 0;
  ExtraFields extra;
  bool operator==(const SnapshotLogEntry&) const = default;
};

struct MetadataLogEntry {
  int64_t timestamp_ms = 0;
  std::string metadata_file;
  ExtraFields extra;
  bool operator==(const MetadataLogEntry&) const = default;
};

struct TableMetadata {
  int format_version = kDefaultFormatVersion;
  std::optional<std::string> table_uuid;  // required from v2
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int last_column_id = 0;
  std::vector<Schema> schemas;
  int current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int default_spec_id = 0;
  int last_partition_id = 0;
  std::map<std::string, std::string> properties;
  std::optional<int64_t> current_snapshot_id;  // none: -1 (v1/v2) or null (v3) in JSON
  // Shared by the copies of the metadata: a commit copies pointers, not snapshots.
  std::vector<SharedValue<Snapshot>> snapshots;
  std::vector<SnapshotLogEntry> snapshot_log;
  std::vector<MetadataLogEntry> metadata_log;
  std::vector<SortOrder> sort_orders;
  int default_sort_order_id = 0;
  std::map<std::string, SnapshotRef> refs;
  std::vector<StatisticsFile> statistics;
  std::vector<PartitionStatisticsFile> partition_statistics;
  int64_t next_row_id = 0;  // v3 row lineage; serialized only for v3+
  std::vector<EncryptedKey> encryption_keys;
  ExtraFields extra;  // unknown top-level members

  const Schema* FindSchema(int schema_id) const;
  const Schema* CurrentSchema() const { return FindSchema(current_schema_id); }
  const PartitionSpec* FindSpec(int spec_id) const;
  const SortOrder* FindSortOrder(int order_id) const;
  const Snapshot* FindSnapshot(int64_t snapshot_id) const;
  const Snapshot* CurrentSnapshot() const;
  // The property value, or `fallback` when unset.
  std::string Property(const std::string& key, const std::string& fallback) const;
  bool operator==(const TableMetadata&) const = default;
};

// The ids of a metadata's snapshots, for many lookups: FindSnapshot scans the list, and a table
// may keep thousands of snapshots.
class SnapshotIds {
 public:
  explicit SnapshotIds(const TableMetadata& metadata);
  bool Contains(int64_t snapshot_id) const;

 private:
  std::vector<int64_t> ids_;  // sorted
};

// Checks the invariants Java's TableMetadata constructor enforces (refs point at snapshots, main
// matches current-snapshot-id, current schema/spec/order exist, sequence numbers, uuid in v2+).
// Errors: kValidation / kInvalidArgument with the Java message.
Status ValidateTableMetadata(const TableMetadata& metadata);

}  // namespace pangolin::iceberg
