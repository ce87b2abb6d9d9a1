// Manifest list and manifest decoding (format spec "Manifests" and "Manifest Lists") and
// metadata inheritance ("Sequence Number Inheritance", "First Row ID Inheritance").
#include "iceberg/manifest.h"

#include "avro/container.h"
#include "common/strings.h"
#include "iceberg/manifest_internal.h"

namespace pangolin::iceberg {

using internal::FieldKey;
using internal::GetArray;
using internal::GetBool;
using internal::GetBytes;
using internal::GetIdToBytes;
using internal::GetIdToLong;
using internal::GetInt;
using internal::GetLong;
using internal::GetLongList;
using internal::GetRecord;
using internal::GetString;
using internal::RequireInt;
using internal::RequireLong;
using internal::RequireString;

namespace {

// manifest_file (manifest lists)
constexpr FieldKey kManifestPath{500, "manifest_path"};
constexpr FieldKey kManifestLength{501, "manifest_length"};
constexpr FieldKey kPartitionSpecId{502, "partition_spec_id"};
constexpr FieldKey kManifestContent{517, "content"};
constexpr FieldKey kSequenceNumber{515, "sequence_number"};
constexpr FieldKey kMinSequenceNumber{516, "min_sequence_number"};
constexpr FieldKey kAddedSnapshotId{503, "added_snapshot_id"};
constexpr FieldKey kAddedFilesCount{504, "added_files_count", "added_data_files_count"};
constexpr FieldKey kExistingFilesCount{505, "existing_files_count", "existing_data_files_count"};
constexpr FieldKey kDeletedFilesCount{506, "deleted_files_count", "deleted_data_files_count"};
constexpr FieldKey kAddedRowsCount{512, "added_rows_count"};
constexpr FieldKey kExistingRowsCount{513, "existing_rows_count"};
constexpr FieldKey kDeletedRowsCount{514, "deleted_rows_count"};
constexpr FieldKey kPartitions{507, "partitions"};
constexpr FieldKey kManifestKeyMetadata{519, "key_metadata"};
constexpr FieldKey kManifestFirstRowId{520, "first_row_id"};
// field_summary
constexpr FieldKey kContainsNull{509, "contains_null"};
constexpr FieldKey kContainsNan{518, "contains_nan"};
constexpr FieldKey kLowerBound{510, "lower_bound"};
constexpr FieldKey kUpperBound{511, "upper_bound"};
// manifest_entry
constexpr FieldKey kStatus{0, "status"};
constexpr FieldKey kSnapshotId{1, "snapshot_id"};
constexpr FieldKey kEntrySequenceNumber{3, "sequence_number"};
constexpr FieldKey kFileSequenceNumber{4, "file_sequence_number"};
constexpr FieldKey kDataFile{2, "data_file"};
// data_file
constexpr FieldKey kFileContent{134, "content"};
constexpr FieldKey kFilePath{100, "file_path"};
constexpr FieldKey kFileFormat{101, "file_format"};
constexpr FieldKey kPartition{102, "partition"};
constexpr FieldKey kRecordCount{103, "record_count"};
constexpr FieldKey kFileSize{104, "file_size_in_bytes"};
constexpr FieldKey kColumnSizes{108, "column_sizes"};
constexpr FieldKey kValueCounts{109, "value_counts"};
constexpr FieldKey kNullValueCounts{110, "null_value_counts"};
constexpr FieldKey kNanValueCounts{137, "nan_value_counts"};
constexpr FieldKey kLowerBounds{125, "lower_bounds"};
constexpr FieldKey kUpperBounds{128, "upper_bounds"};
constexpr FieldKey kFileKeyMetadata{131, "key_metadata"};
constexpr FieldKey kSplitOffsets{132, "split_offsets"};
constexpr FieldKey kEqualityIds{135, "equality_ids"};
constexpr FieldKey kSortOrderId{140, "sort_order_id"};
constexpr FieldKey kFileFirstRowId{142, "first_row_id"};
constexpr FieldKey kReferencedDataFile{143, "referenced_data_file"};
constexpr FieldKey kContentOffset{144, "content_offset"};
constexpr FieldKey kContentSize{145, "content_size_in_bytes"};

Error WithContext(Error error, std::string_view what, size_t index) {
  error.message = fmt::format("Invalid {} {}: {}", what, index, error.message);
  return error;
}

Result<PartitionFieldSummary> ToSummary(const avro::Value& value) {
  const avro::Record* record = value.AsRecord();
  if (record == nullptr) return Err(ErrorCode::kBadRequest, "a partition summary is not a struct");
  PartitionFieldSummary out;
  ASSIGN_OR_RETURN(std::optional<bool> contains_null, GetBool(*record, kContainsNull));
  if (!contains_null) return Err(ErrorCode::kBadRequest, "contains_null is missing");
  out.contains_null = *contains_null;
  ASSIGN_OR_RETURN(out.contains_nan, GetBool(*record, kContainsNan));
  ASSIGN_OR_RETURN(out.lower_bound, GetBytes(*record, kLowerBound));
  ASSIGN_OR_RETURN(out.upper_bound, GetBytes(*record, kUpperBound));
  return out;
}

Result<ManifestFile> ToManifestFile(const avro::Record& record) {
  ManifestFile out;
  ASSIGN_OR_RETURN(out.manifest_path, RequireString(record, kManifestPath));
  ASSIGN_OR_RETURN(out.manifest_length, RequireLong(record, kManifestLength));
  ASSIGN_OR_RETURN(out.partition_spec_id, RequireInt(record, kPartitionSpecId));
  ASSIGN_OR_RETURN(std::optional<int> content, GetInt(record, kManifestContent));
  if (content.value_or(0) < 0 || content.value_or(0) > 1) {
    return Err(ErrorCode::kBadRequest, "unknown manifest content {}", *content);
  }
  out.content = static_cast<ManifestContent>(content.value_or(0));
  ASSIGN_OR_RETURN(std::optional<int64_t> sequence_number, GetLong(record, kSequenceNumber));
  out.sequence_number = sequence_number.value_or(0);
  ASSIGN_OR_RETURN(std::optional<int64_t> min_sequence, GetLong(record, kMinSequenceNumber));
  out.min_sequence_number = min_sequence.value_or(0);
  ASSIGN_OR_RETURN(out.added_snapshot_id, RequireLong(record, kAddedSnapshotId));
  ASSIGN_OR_RETURN(out.added_files_count, GetInt(record, kAddedFilesCount));
  ASSIGN_OR_RETURN(out.existing_files_count, GetInt(record, kExistingFilesCount));
  ASSIGN_OR_RETURN(out.deleted_files_count, GetInt(record, kDeletedFilesCount));
  ASSIGN_OR_RETURN(out.added_rows_count, GetLong(record, kAddedRowsCount));
  ASSIGN_OR_RETURN(out.existing_rows_count, GetLong(record, kExistingRowsCount));
  ASSIGN_OR_RETURN(out.deleted_rows_count, GetLong(record, kDeletedRowsCount));
  ASSIGN_OR_RETURN(const avro::Array* partitions, GetArray(record, kPartitions));
  if (partitions != nullptr) {
    out.partitions.emplace();
    for (const avro::Value& item : *partitions) {
      ASSIGN_OR_RETURN(PartitionFieldSummary summary, ToSummary(item));
      out.partitions->push_back(std::move(summary));
    }
  }
  ASSIGN_OR_RETURN(out.key_metadata, GetBytes(record, kManifestKeyMetadata));
  ASSIGN_OR_RETURN(out.first_row_id, GetLong(record, kManifestFirstRowId));
  return out;
}

// The partition tuple's fields, typed once from the manifest's Avro schema.
struct PartitionLayout {
  struct Field {
    std::optional<int> id;
    std::string name;
    std::string type;
  };
  std::vector<Field> fields;
};

// The record node of a field of `record_node` (looking through a nullable union), or nullptr.
const avro::Node* RecordField(const avro::Node& record_node, const FieldKey& key) {
  int index = internal::FindFieldIndex(record_node, key);
  if (index < 0) return nullptr;
  const avro::Node* node = record_node.fields[static_cast<size_t>(index)].type.get();
  if (const avro::Node* inner = node->NonNullBranch()) node = inner;
  return node->type == avro::Type::kRecord ? node : nullptr;
}

Result<PartitionLayout> LayoutOf(const avro::Node& schema) {
  const avro::Node* data_file =
      schema.type == avro::Type::kRecord ? RecordField(schema, kDataFile) : nullptr;
  if (data_file == nullptr) {
    return Err(ErrorCode::kBadRequest, "Invalid manifest: no data_file struct in its schema");
  }
  PartitionLayout layout;
  const avro::Node* partition = RecordField(*data_file, kPartition);
  if (partition == nullptr) return layout;  // tolerated: read as unpartitioned
  for (const avro::Field& field : partition->fields) {
    auto type = internal::IcebergType(*field.type);
    if (!type) {
      return Err(type.error().code, "Invalid manifest: partition field '{}': {}", field.name,
                 type.error().message);
    }
    layout.fields.push_back({field.field_id, field.name, std::move(*type)});
  }
  return layout;
}

Result<std::vector<PartitionValue>> ToPartition(const avro::Record& data_file,
                                                const PartitionLayout& layout) {
  std::vector<PartitionValue> out;
  ASSIGN_OR_RETURN(const avro::Record* partition, GetRecord(data_file, kPartition));
  if (partition == nullptr) return out;
  if (partition->fields.size() != layout.fields.size()) {
    return Err(ErrorCode::kInternal, "partition tuple does not match the manifest schema");
  }
  out.reserve(layout.fields.size());
  for (size_t i = 0; i < layout.fields.size(); ++i) {
    const PartitionLayout::Field& field = layout.fields[i];
    auto value = internal::ToLiteral(partition->fields[i], field.type);
    if (!value) {
      return Err(ErrorCode::kBadRequest, "partition field '{}': {}", field.name,
                 value.error().message);
    }
    out.push_back({field.id, field.name, field.type, std::move(*value)});
  }
  return out;
}

template <typename Enum>
Result<Enum> ToEnum(int value, int max, std::string_view what) {
  if (value < 0 || value > max) return Err(ErrorCode::kBadRequest, "unknown {} {}", what, value);
  return static_cast<Enum>(value);
}

Result<DataFile> ToDataFile(const avro::Record& record, const PartitionLayout& layout) {
  DataFile out;
  ASSIGN_OR_RETURN(std::optional<int> content, GetInt(record, kFileContent));
  ASSIGN_OR_RETURN(out.content, ToEnum<FileContent>(content.value_or(0), 2, "file content"));
  ASSIGN_OR_RETURN(out.file_path, RequireString(record, kFilePath));
  ASSIGN_OR_RETURN(std::string format, RequireString(record, kFileFormat));
  out.file_format = ToLower(format);
  ASSIGN_OR_RETURN(out.partition, ToPartition(record, layout));
  ASSIGN_OR_RETURN(out.record_count, RequireLong(record, kRecordCount));
  ASSIGN_OR_RETURN(out.file_size_in_bytes, RequireLong(record, kFileSize));
  ASSIGN_OR_RETURN(out.column_sizes, GetIdToLong(record, kColumnSizes));
  ASSIGN_OR_RETURN(out.value_counts, GetIdToLong(record, kValueCounts));
  ASSIGN_OR_RETURN(out.null_value_counts, GetIdToLong(record, kNullValueCounts));
  ASSIGN_OR_RETURN(out.nan_value_counts, GetIdToLong(record, kNanValueCounts));
  ASSIGN_OR_RETURN(out.lower_bounds, GetIdToBytes(record, kLowerBounds));
  ASSIGN_OR_RETURN(out.upper_bounds, GetIdToBytes(record, kUpperBounds));
  ASSIGN_OR_RETURN(out.key_metadata, GetBytes(record, kFileKeyMetadata));
  ASSIGN_OR_RETURN(out.split_offsets, GetLongList(record, kSplitOffsets));
  ASSIGN_OR_RETURN(std::optional<std::vector<int64_t>> equality_ids,
                   GetLongList(record, kEqualityIds));
  if (equality_ids) out.equality_ids = std::vector<int>(equality_ids->begin(), equality_ids->end());
  ASSIGN_OR_RETURN(out.sort_order_id, GetInt(record, kSortOrderId));
  ASSIGN_OR_RETURN(out.first_row_id, GetLong(record, kFileFirstRowId));
  ASSIGN_OR_RETURN(out.referenced_data_file, GetString(record, kReferencedDataFile));
  ASSIGN_OR_RETURN(out.content_offset, GetLong(record, kContentOffset));
  ASSIGN_OR_RETURN(out.content_size_in_bytes, GetLong(record, kContentSize));
  return out;
}

Result<ManifestEntry> ToManifestEntry(const avro::Record& record, const PartitionLayout& layout) {
  ManifestEntry out;
  ASSIGN_OR_RETURN(int status, RequireInt(record, kStatus));
  ASSIGN_OR_RETURN(out.status, ToEnum<ManifestEntryStatus>(status, 2, "entry status"));
  ASSIGN_OR_RETURN(out.snapshot_id, GetLong(record, kSnapshotId));
  ASSIGN_OR_RETURN(out.sequence_number, GetLong(record, kEntrySequenceNumber));
  ASSIGN_OR_RETURN(out.file_sequence_number, GetLong(record, kFileSequenceNumber));
  ASSIGN_OR_RETURN(const avro::Record* data_file, GetRecord(record, kDataFile));
  if (data_file == nullptr) return Err(ErrorCode::kBadRequest, "data_file is missing");
  ASSIGN_OR_RETURN(out.data_file, ToDataFile(*data_file, layout));
  return out;
}

// Calls `convert(record, index)` for every record of a container file.
template <typename Convert>
Status ForEachRecord(avro::ContainerReader& reader, std::string_view what, Convert convert) {
  for (size_t index = 0;; ++index) {
    ASSIGN_OR_RETURN(std::optional<avro::Value> value, reader.Next());
    if (!value) return Ok();
    const avro::Record* record = value->AsRecord();
    if (record == nullptr) {
      return Err(ErrorCode::kBadRequest, "Invalid {} {}: not a struct", what, index);
    }
    auto done = convert(*record);
    if (!done) return tl::unexpected(WithContext(done.error(), what, index));
  }
}

}  // namespace

Result<std::vector<ManifestFile>> ReadManifestList(std::string_view avro_bytes) {
  ASSIGN_OR_RETURN(avro::ContainerReader reader, avro::ContainerReader::Open(avro_bytes));
  std::vector<ManifestFile> out;
  RETURN_IF_ERROR(
      ForEachRecord(reader, "manifest list entry", [&](const avro::Record& record) -> Status {
        ASSIGN_OR_RETURN(ManifestFile manifest, ToManifestFile(record));
        out.push_back(std::move(manifest));
        return Ok();
      }));
  return out;
}

Result<std::vector<ManifestEntry>> ReadManifest(std::string_view avro_bytes) {
  ASSIGN_OR_RETURN(avro::ContainerReader reader, avro::ContainerReader::Open(avro_bytes));
  ASSIGN_OR_RETURN(PartitionLayout layout, LayoutOf(*reader.schema()));
  std::vector<ManifestEntry> out;
  RETURN_IF_ERROR(
      ForEachRecord(reader, "manifest entry", [&](const avro::Record& record) -> Status {
        ASSIGN_OR_RETURN(ManifestEntry entry, ToManifestEntry(record, layout));
        out.push_back(std::move(entry));
        return Ok();
      }));
  return out;
}

Result<std::vector<ManifestEntry>> ReadManifest(std::string_view avro_bytes,
                                                const ManifestFile& manifest) {
  ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifest(avro_bytes));
  InheritFromManifest(manifest, &entries);
  return entries;
}

void InheritFromManifest(const ManifestFile& manifest, std::vector<ManifestEntry>* entries) {
  std::optional<int64_t> next_row_id;
  if (manifest.content == ManifestContent::kData) next_row_id = manifest.first_row_id;
  for (ManifestEntry& entry : *entries) {
    DataFile& file = entry.data_file;
    if (!next_row_id) {
      file.first_row_id.reset();  // no row lineage for this manifest (Java clears it too)
    } else if (entry.status != ManifestEntryStatus::kDeleted &&
               file.content == FileContent::kData && !file.first_row_id) {
      file.first_row_id = *next_row_id;
      *next_row_id += file.record_count;
    }
    if (!entry.snapshot_id) entry.snapshot_id = manifest.added_snapshot_id;
    bool inherits = manifest.sequence_number == 0 || entry.status == ManifestEntryStatus::kAdded;
    if (!entry.sequence_number && inherits) entry.sequence_number = manifest.sequence_number;
    if (!entry.file_sequence_number && inherits) {
      entry.file_sequence_number = manifest.sequence_number;
    }
  }
}

Result<std::map<std::string, std::string>> ReadManifestMetadata(std::string_view avro_bytes) {
  ASSIGN_OR_RETURN(avro::ContainerReader reader, avro::ContainerReader::Open(avro_bytes));
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : reader.metadata()) {
    if (!StartsWith(key, "avro.")) out[key] = value;
  }
  return out;
}

}  // namespace pangolin::iceberg
