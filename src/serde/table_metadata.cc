// Table metadata JSON: the top-level document (member order of Java's TableMetadataParser),
// legacy v1 members, and unknown members carried through.
#include "serde/table_metadata.h"

#include <algorithm>

#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"

namespace pangolin::serde {

namespace internal {
namespace {

using namespace iceberg;  // NOLINT: model types throughout this file

template <typename T, typename Parse>
Status ParseList(const json::object& object, std::string_view key, Parse parse,
                 std::vector<T>* out) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Ok();
  if (!value->is_array())
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an array", key);
  for (const auto& item : value->as_array()) {
    ASSIGN_OR_RETURN(T parsed, parse(item));
    out->push_back(std::move(parsed));
  }
  return Ok();
}

Status ParseSchemas(const json::object& object, TableMetadata* md) {
  if (Find(object, "schemas")) {
    ASSIGN_OR_RETURN(md->current_schema_id, GetInt32(object, "current-schema-id"));
    return ParseList(object, "schemas", SchemaFromJson, &md->schemas);
  }
  if (md->format_version > 1) {
    return Err(ErrorCode::kValidation, "schemas must exist in format v{}", md->format_version);
  }
  const json::value* legacy = Find(object, "schema");
  if (!legacy) return Err(ErrorCode::kBadRequest, "Missing field: schema");
  ASSIGN_OR_RETURN(Schema schema, SchemaFromJson(*legacy));
  md->current_schema_id = schema.schema_id;
  md->schemas.push_back(std::move(schema));
  return Ok();
}

Status ParseSpecs(const json::object& object, TableMetadata* md) {
  if (Find(object, "partition-specs")) {
    ASSIGN_OR_RETURN(md->default_spec_id, GetInt32(object, "default-spec-id"));
    RETURN_IF_ERROR(
        ParseList(object, "partition-specs", PartitionSpecFromJson, &md->partition_specs));
  } else {
    if (md->format_version > 1) {
      return Err(ErrorCode::kValidation, "partition-specs must exist in format v{}",
                 md->format_version);
    }
    const json::value* legacy = Find(object, "partition-spec");
    if (!legacy) return Err(ErrorCode::kBadRequest, "Missing field: partition-spec");
    ASSIGN_OR_RETURN(auto fields, PartitionFieldsFromJson(*legacy));
    md->default_spec_id = 0;
    md->partition_specs.push_back(PartitionSpec{0, std::move(fields)});
  }
  ASSIGN_OR_RETURN(std::optional<int> last, GetOptionalInt32(object, "last-partition-id"));
  if (!last) {
    if (md->format_version > 1) {
      return Err(ErrorCode::kValidation, "last-partition-id must exist in format v{}",
                 md->format_version);
    }
    last = kPartitionDataIdStart - 1;
    for (const auto& spec : md->partition_specs) last = std::max(*last, LastAssignedFieldId(spec));
  }
  md->last_partition_id = *last;
  return Ok();
}

Status ParseSortOrders(const json::object& object, TableMetadata* md) {
  if (Find(object, "sort-orders")) {
    ASSIGN_OR_RETURN(md->default_sort_order_id, GetInt32(object, "default-sort-order-id"));
    return ParseList(object, "sort-orders", SortOrderFromJson, &md->sort_orders);
  }
  if (md->format_version > 1) {
    return Err(ErrorCode::kValidation, "sort-orders must exist in format v{}", md->format_version);
  }
  md->sort_orders.push_back(SortOrder{0, {}});
  md->default_sort_order_id = 0;
  return Ok();
}

Result<SnapshotLogEntry> SnapshotLogFromJson(const json::value& value) {
  if (!value.is_object()) return Err(ErrorCode::kBadRequest, "Invalid snapshot-log entry");
  SnapshotLogEntry entry;
  ASSIGN_OR_RETURN(entry.timestamp_ms, GetInt(value.as_object(), "timestamp-ms"));
  ASSIGN_OR_RETURN(entry.snapshot_id, GetInt(value.as_object(), "snapshot-id"));
  entry.extra = CollectExtras(value.as_object(), {"timestamp-ms", "snapshot-id"});
  return entry;
}

Result<MetadataLogEntry> MetadataLogFromJson(const json::value& value) {
  if (!value.is_object()) return Err(ErrorCode::kBadRequest, "Invalid metadata-log entry");
  MetadataLogEntry entry;
  ASSIGN_OR_RETURN(entry.timestamp_ms, GetInt(value.as_object(), "timestamp-ms"));
  ASSIGN_OR_RETURN(entry.metadata_file, GetString(value.as_object(), "metadata-file"));
  entry.extra = CollectExtras(value.as_object(), {"timestamp-ms", "metadata-file"});
  return entry;
}

Status ParseSnapshots(const json::object& object, TableMetadata* md) {
  ASSIGN_OR_RETURN(std::optional<int64_t> current, GetOptionalInt(object, "current-snapshot-id"));
  if (current && *current != -1) md->current_snapshot_id = *current;
  RETURN_IF_ERROR(ParseList(object, "snapshots", SnapshotFromJson, &md->snapshots));
  if (const json::value* refs = Find(object, "refs"); refs && !refs->is_null()) {
    if (!refs->is_object())
      return Err(ErrorCode::kBadRequest, "Invalid field refs: expected an object");
    for (const auto& [name, value] : refs->as_object()) {
      ASSIGN_OR_RETURN(SnapshotRef ref, SnapshotRefFromJson(value));
      md->refs.emplace(std::string(name), std::move(ref));
    }
  } else if (md->current_snapshot_id) {
    md->refs.emplace(kMainBranch, SnapshotRef{"branch", *md->current_snapshot_id, {}, {}, {}, {}});
  }
  RETURN_IF_ERROR(ParseList(object, "snapshot-log", SnapshotLogFromJson, &md->snapshot_log));
  RETURN_IF_ERROR(ParseList(object, "metadata-log", MetadataLogFromJson, &md->metadata_log));
  RETURN_IF_ERROR(ParseList(object, "statistics", StatisticsFileFromJson, &md->statistics));
  RETURN_IF_ERROR(ParseList(object, "partition-statistics", PartitionStatisticsFileFromJson,
                            &md->partition_statistics));
  return ParseList(object, "encryption-keys", EncryptedKeyFromJson, &md->encryption_keys);
}

Status ParseHeader(const json::object& object, TableMetadata* md) {
  ASSIGN_OR_RETURN(md->format_version, GetInt32(object, "format-version"));
  if (md->format_version < 1 || md->format_version > kMaxFormatVersion) {
    return Err(ErrorCode::kValidation, "Cannot read unsupported version {}", md->format_version);
  }
  ASSIGN_OR_RETURN(md->table_uuid, GetOptionalString(object, "table-uuid"));
  ASSIGN_OR_RETURN(md->location, GetString(object, "location"));
  if (md->format_version > 1) {
    ASSIGN_OR_RETURN(md->last_sequence_number, GetInt(object, "last-sequence-number"));
  }
  ASSIGN_OR_RETURN(md->last_updated_ms, GetInt(object, "last-updated-ms"));
  ASSIGN_OR_RETURN(md->last_column_id, GetInt32(object, "last-column-id"));
  ASSIGN_OR_RETURN(md->properties, GetStringMap(object, "properties"));
  ASSIGN_OR_RETURN(std::optional<int64_t> next_row_id, GetOptionalInt(object, "next-row-id"));
  md->next_row_id = next_row_id.value_or(0);
  return Ok();
}

void WriteSnapshotMembers(JsonWriter& w, const TableMetadata& md) {
  w.Key("current-snapshot-id");
  if (md.current_snapshot_id) {
    w.Int(*md.current_snapshot_id);
  } else if (md.format_version >= 3) {
    w.Null();
  } else {
    w.Int(-1);
  }
  if (md.format_version >= 3) w.Int("next-row-id", md.next_row_id);
  w.Key("refs");
  w.BeginObject();
  for (const auto& [name, ref] : md.refs) {
    w.Key(name);
    Write(w, ref);
  }
  w.EndObject();
  WriteList(w, "snapshots", md.snapshots);
  WriteList(w, "statistics", md.statistics);
  WriteList(w, "partition-statistics", md.partition_statistics);
  WriteList(w, "snapshot-log", md.snapshot_log);
  WriteList(w, "metadata-log", md.metadata_log);
  if (!md.encryption_keys.empty()) WriteList(w, "encryption-keys", md.encryption_keys);
}

}  // namespace

Result<TableMetadata> TableMetadataFromJson(const json::object& object) {
  TableMetadata md;
  RETURN_IF_ERROR(ParseHeader(object, &md));
  RETURN_IF_ERROR(ParseSchemas(object, &md));
  RETURN_IF_ERROR(ParseSpecs(object, &md));
  RETURN_IF_ERROR(ParseSortOrders(object, &md));
  RETURN_IF_ERROR(ParseSnapshots(object, &md));
  md.extra = CollectExtras(object, {"format-version",
                                    "table-uuid",
                                    "location",
                                    "last-sequence-number",
                                    "last-updated-ms",
                                    "last-column-id",
                                    "schema",
                                    "current-schema-id",
                                    "schemas",
                                    "partition-spec",
                                    "default-spec-id",
                                    "partition-specs",
                                    "last-partition-id",
                                    "default-sort-order-id",
                                    "sort-orders",
                                    "properties",
                                    "current-snapshot-id",
                                    "next-row-id",
                                    "refs",
                                    "snapshots",
                                    "statistics",
                                    "partition-statistics",
                                    "snapshot-log",
                                    "metadata-log",
                                    "encryption-keys"});
  RETURN_IF_ERROR(ValidateTableMetadata(md));
  return md;
}

void Write(JsonWriter& w, const SnapshotLogEntry& entry) {
  w.BeginObject();
  w.Int("timestamp-ms", entry.timestamp_ms);
  w.Int("snapshot-id", entry.snapshot_id);
  w.Extras(entry.extra);
  w.EndObject();
}

void Write(JsonWriter& w, const MetadataLogEntry& entry) {
  w.BeginObject();
  w.Int("timestamp-ms", entry.timestamp_ms);
  w.String("metadata-file", entry.metadata_file);
  w.Extras(entry.extra);
  w.EndObject();
}

void Write(JsonWriter& w, const TableMetadata& md) {
  w.BeginObject();
  w.Int("format-version", md.format_version);
  w.Key("table-uuid");
  if (md.table_uuid) {
    w.String(*md.table_uuid);
  } else {
    w.Null();
  }
  w.String("location", md.location);
  if (md.format_version > 1) w.Int("last-sequence-number", md.last_sequence_number);
  w.Int("last-updated-ms", md.last_updated_ms);
  w.Int("last-column-id", md.last_column_id);
  const Schema* current = md.CurrentSchema();
  if (md.format_version == 1 && current) {
    w.Key("schema");
    Write(w, *current);
  }
  w.Int("current-schema-id", md.current_schema_id);
  WriteList(w, "schemas", md.schemas);
  const PartitionSpec* spec = md.FindSpec(md.default_spec_id);
  if (md.format_version == 1 && spec) {
    w.Key("partition-spec");
    WriteFields(w, *spec);
  }
  w.Int("default-spec-id", md.default_spec_id);
  WriteList(w, "partition-specs", md.partition_specs);
  w.Int("last-partition-id", md.last_partition_id);
  w.Int("default-sort-order-id", md.default_sort_order_id);
  WriteList(w, "sort-orders", md.sort_orders);
  w.StringMap("properties", md.properties);
  WriteSnapshotMembers(w, md);
  w.Extras(md.extra);
  w.EndObject();
}

}  // namespace internal

Result<iceberg::TableMetadata> ParseTableMetadata(std::string_view json) {
  ASSIGN_OR_RETURN(auto object, internal::ParseObject(json, "table metadata"));
  return internal::TableMetadataFromJson(object);
}

std::string SerializeTableMetadata(const iceberg::TableMetadata& metadata, size_t expected_size) {
  return internal::WriteToString(metadata, expected_size);
}

Result<iceberg::Schema> ParseSchema(std::string_view json) {
  ASSIGN_OR_RETURN(auto value, internal::ParseJson(json));
  return internal::SchemaFromJson(value);
}

std::string SerializeSchema(const iceberg::Schema& schema) {
  return internal::WriteToString(schema);
}

Result<iceberg::PartitionSpec> ParsePartitionSpec(std::string_view json) {
  ASSIGN_OR_RETURN(auto value, internal::ParseJson(json));
  return internal::PartitionSpecFromJson(value);
}

std::string SerializePartitionSpec(const iceberg::PartitionSpec& spec) {
  return internal::WriteToString(spec);
}

Result<iceberg::SortOrder> ParseSortOrder(std::string_view json) {
  ASSIGN_OR_RETURN(auto value, internal::ParseJson(json));
  return internal::SortOrderFromJson(value);
}

std::string SerializeSortOrder(const iceberg::SortOrder& order) {
  return internal::WriteToString(order);
}

}  // namespace pangolin::serde
