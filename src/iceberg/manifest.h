// Manifest lists and manifests (format v1-v3) decoded from their Avro bytes into plain values, and
// the inheritance rules that fill what writers leave null (snapshot id, sequence numbers, first
// row id). Fields are found by Iceberg field id, then by name, so v1 files that lack fields or use
// older names still read. The bytes come from the caller: this module does no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "iceberg/literal.h"

namespace pangolin::iceberg {

enum class ManifestContent { kData = 0, kDeletes = 1 };

struct PartitionFieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  // Single-value serialization of the partition field's type (see DecodeSingleValue).
  std::optional<std::string> lower_bound;
  std::optional<std::string> upper_bound;
  bool operator==(const PartitionFieldSummary&) const = default;
};

// One entry of a manifest list.
struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int partition_spec_id = 0;
  ManifestContent content = ManifestContent::kData;  // v1: data
  int64_t sequence_number = 0;                       // v1: 0
  int64_t min_sequence_number = 0;                   // v1: 0
  int64_t added_snapshot_id = 0;
  // Optional in v1 (null means "not known, assume non-zero"), required from v2.
  std::optional<int> added_files_count;
  std::optional<int> existing_files_count;
  std::optional<int> deleted_files_count;
  std::optional<int64_t> added_rows_count;
  std::optional<int64_t> existing_rows_count;
  std::optional<int64_t> deleted_rows_count;
  std::optional<std::vector<PartitionFieldSummary>> partitions;  // one per partition field
  std::optional<std::string> key_metadata;
  std::optional<int64_t> first_row_id;  // v3, data manifests
  bool operator==(const ManifestFile&) const = default;
};

enum class ManifestEntryStatus { kExisting = 0, kAdded = 1, kDeleted = 2 };
enum class FileContent { kData = 0, kPositionDeletes = 1, kEqualityDeletes = 2 };

// One field of a data file's partition tuple, in partition spec order.
struct PartitionValue {
  std::optional<int> field_id;  // the partition field id (1000, 1001, ...)
  std::string name;
  // The Iceberg type of the field, derived from its Avro type and logical type ("string",
  // "date", "int", "timestamptz", "decimal(9, 2)", "uuid", "fixed[3]", ...).
  std::string type;
  std::optional<Literal> value;  // nullopt for a null partition value
  bool operator==(const PartitionValue&) const = default;
};

struct DataFile {
  FileContent content = FileContent::kData;  // v1: data
  std::string file_path;
  std::string file_format;  // lower case: "parquet", "avro", "orc", "puffin"
  std::vector<PartitionValue> partition;
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;
  // Per column id; absent maps are empty.
  std::map<int, int64_t> column_sizes;
  std::map<int, int64_t> value_counts;
  std::map<int, int64_t> null_value_counts;
  std::map<int, int64_t> nan_value_counts;
  // Per column id, in single-value serialization of the column's type.
  std::map<int, std::string> lower_bounds;
  std::map<int, std::string> upper_bounds;
  std::optional<std::string> key_metadata;
  std::optional<std::vector<int64_t>> split_offsets;
  std::optional<std::vector<int>> equality_ids;
  std::optional<int> sort_order_id;
  std::optional<int64_t> first_row_id;              // v3
  std::optional<std::string> referenced_data_file;  // v2+ deletes
  std::optional<int64_t> content_offset;            // v3 deletion vectors
  std::optional<int64_t> content_size_in_bytes;     // v3 deletion vectors
  bool operator==(const DataFile&) const = default;
};

struct ManifestEntry {
  ManifestEntryStatus status = ManifestEntryStatus::kExisting;
  std::optional<int64_t> snapshot_id;           // null: inherited from the manifest
  std::optional<int64_t> sequence_number;       // data sequence number; null: inherited
  std::optional<int64_t> file_sequence_number;  // null: inherited
  DataFile data_file;
  bool operator==(const ManifestEntry&) const = default;
};

// Decodes a manifest list. v1 lists read with content data and sequence numbers 0; the v1 count
// names (added_data_files_count, ...) are accepted.
// Errors: kBadRequest for a corrupt Avro file or a required field that is missing or mistyped;
// kUnsupported for an Avro codec this build cannot decode (named in the message).
Result<std::vector<ManifestFile>> ReadManifestList(std::string_view avro_bytes);

// Decodes every entry of a manifest (DELETED ones included) exactly as stored: nothing inherited.
// Partition values are typed from the manifest's own Avro schema (see PartitionValue::type).
// Errors: as ReadManifestList; kUnsupported for a partition field of a non-primitive type.
Result<std::vector<ManifestEntry>> ReadManifest(std::string_view avro_bytes);

// ReadManifest, then InheritFromManifest(manifest, ...): what a scan should use.
Result<std::vector<ManifestEntry>> ReadManifest(std::string_view avro_bytes,
                                                const ManifestFile& manifest);

// Applies the spec's inheritance rules for entries read from `manifest`, as Java's ManifestReader
// does: a null snapshot id takes the manifest's added_snapshot_id; a null data or file sequence
// number takes the manifest's sequence number when the entry is ADDED or the manifest's sequence
// number is 0 (v1); in a data manifest with a first_row_id, live (not DELETED) data files with a
// null first_row_id take it plus the record counts of the earlier such files, in file order; in a
// manifest without one, every first_row_id reads as null (no row lineage).
void InheritFromManifest(const ManifestFile& manifest, std::vector<ManifestEntry>* entries);

// The key-value metadata of a manifest or manifest list (Avro header, avro.* keys excluded): for
// a manifest "schema", "partition-spec", "partition-spec-id", "format-version", "content".
// Errors: as ReadManifestList, for the header only.
Result<std::map<std::string, std::string>> ReadManifestMetadata(std::string_view avro_bytes);

}  // namespace pangolin::iceberg
