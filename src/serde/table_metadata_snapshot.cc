// JSON of snapshots, refs, statistics files and encryption keys (spec schemas Snapshot,
// SnapshotReference, StatisticsFile, PartitionStatisticsFile, EncryptedKey). Unknown members and
// exact int64 values survive a round trip.
#include "common/strings.h"
#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"

namespace pangolin::serde::internal {

using namespace iceberg;  // NOLINT: model types throughout this file

namespace {

Result<const json::object*> AsObject(const json::value& value, std::string_view what) {
  if (!value.is_object())
    return Err(ErrorCode::kBadRequest, "Invalid {}: expected an object", what);
  return &value.as_object();
}

Status ParseSummary(const json::object& object, Snapshot* snapshot) {
  const json::value* summary = Find(object, "summary");
  if (!summary || summary->is_null()) return Ok();
  if (!summary->is_object())
    return Err(ErrorCode::kBadRequest, "Invalid field summary: expected an object");
  for (const auto& [key, item] : summary->as_object()) {
    if (!item.is_string()) {
      return Err(ErrorCode::kBadRequest, "Invalid field summary: value of {} is not a string", key);
    }
    if (key == "operation") {
      snapshot->operation = std::string(item.as_string());
    } else {
      snapshot->summary.emplace(key, item.as_string());
    }
  }
  return Ok();
}

}  // namespace

Result<Snapshot> SnapshotFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "snapshot"));
  Snapshot s;
  ASSIGN_OR_RETURN(s.snapshot_id, GetInt(*object, "snapshot-id"));
  ASSIGN_OR_RETURN(s.parent_snapshot_id, GetOptionalInt(*object, "parent-snapshot-id"));
  ASSIGN_OR_RETURN(s.sequence_number, GetOptionalInt(*object, "sequence-number"));
  ASSIGN_OR_RETURN(s.timestamp_ms, GetInt(*object, "timestamp-ms"));
  ASSIGN_OR_RETURN(s.manifest_list, GetOptionalString(*object, "manifest-list"));
  if (const json::value* m = Find(*object, "manifests"); m && !m->is_null()) {
    ASSIGN_OR_RETURN(s.manifests, GetStringList(*object, "manifests"));
  }
  RETURN_IF_ERROR(ParseSummary(*object, &s));
  ASSIGN_OR_RETURN(s.schema_id, GetOptionalInt32(*object, "schema-id"));
  ASSIGN_OR_RETURN(s.first_row_id, GetOptionalInt(*object, "first-row-id"));
  ASSIGN_OR_RETURN(s.added_rows, GetOptionalInt(*object, "added-rows"));
  ASSIGN_OR_RETURN(s.key_id, GetOptionalString(*object, "key-id"));
  s.extra = CollectExtras(*object, {"snapshot-id", "parent-snapshot-id", "sequence-number",
                                    "timestamp-ms", "manifest-list", "manifests", "summary",
                                    "schema-id", "first-row-id", "added-rows", "key-id"});
  return s;
}

void Write(JsonWriter& w, const Snapshot& s) {
  w.BeginObject();
  w.Int("snapshot-id", s.snapshot_id);
  if (s.parent_snapshot_id) w.Int("parent-snapshot-id", *s.parent_snapshot_id);
  if (s.sequence_number) w.Int("sequence-number", *s.sequence_number);
  w.Int("timestamp-ms", s.timestamp_ms);
  if (s.operation || !s.summary.empty()) {
    w.Key("summary");
    w.BeginObject();
    if (s.operation) w.String("operation", *s.operation);
    for (const auto& [key, value] : s.summary) w.String(key, value);
    w.EndObject();
  }
  if (s.manifest_list) w.String("manifest-list", *s.manifest_list);
  if (s.manifests) w.Strings("manifests", *s.manifests);
  if (s.schema_id) w.Int("schema-id", *s.schema_id);
  if (s.first_row_id) w.Int("first-row-id", *s.first_row_id);
  if (s.added_rows) w.Int("added-rows", *s.added_rows);
  if (s.key_id) w.String("key-id", *s.key_id);
  w.Extras(s.extra);
  w.EndObject();
}

void Write(JsonWriter& w, const SharedValue<Snapshot>& s) {
  w.Verbatim(s.Text([](const Snapshot& snapshot) { return WriteToString(snapshot); }));
}

Result<SnapshotRef> SnapshotRefFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "snapshot ref"));
  SnapshotRef ref;
  ASSIGN_OR_RETURN(ref.snapshot_id, GetInt(*object, "snapshot-id"));
  ASSIGN_OR_RETURN(ref.type, GetString(*object, "type"));
  ref.type = ToLower(ref.type);
  if (ref.type != "branch" && ref.type != "tag") {
    return Err(ErrorCode::kBadRequest, "Invalid snapshot ref type: {}", ref.type);
  }
  ASSIGN_OR_RETURN(ref.min_snapshots_to_keep, GetOptionalInt32(*object, "min-snapshots-to-keep"));
  ASSIGN_OR_RETURN(ref.max_snapshot_age_ms, GetOptionalInt(*object, "max-snapshot-age-ms"));
  ASSIGN_OR_RETURN(ref.max_ref_age_ms, GetOptionalInt(*object, "max-ref-age-ms"));
  ref.extra = CollectExtras(*object, {"snapshot-id", "type", "min-snapshots-to-keep",
                                      "max-snapshot-age-ms", "max-ref-age-ms"});
  return ref;
}

void Write(JsonWriter& w, const SnapshotRef& ref) {
  w.BeginObject();
  w.Int("snapshot-id", ref.snapshot_id);
  w.String("type", ref.type);
  if (ref.min_snapshots_to_keep) w.Int("min-snapshots-to-keep", *ref.min_snapshots_to_keep);
  if (ref.max_snapshot_age_ms) w.Int("max-snapshot-age-ms", *ref.max_snapshot_age_ms);
  if (ref.max_ref_age_ms) w.Int("max-ref-age-ms", *ref.max_ref_age_ms);
  w.Extras(ref.extra);
  w.EndObject();
}

Result<StatisticsFile> StatisticsFileFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "statistics file"));
  StatisticsFile f;
  ASSIGN_OR_RETURN(f.snapshot_id, GetInt(*object, "snapshot-id"));
  ASSIGN_OR_RETURN(f.statistics_path, GetString(*object, "statistics-path"));
  ASSIGN_OR_RETURN(f.file_size_in_bytes, GetInt(*object, "file-size-in-bytes"));
  ASSIGN_OR_RETURN(f.file_footer_size_in_bytes, GetInt(*object, "file-footer-size-in-bytes"));
  ASSIGN_OR_RETURN(f.key_metadata, GetOptionalString(*object, "key-metadata"));
  if (const json::value* blobs = Find(*object, "blob-metadata"); blobs && !blobs->is_null()) {
    if (!blobs->is_array()) {
      return Err(ErrorCode::kBadRequest, "Invalid field blob-metadata: expected an array");
    }
    f.blob_metadata = ToRawJson(*blobs);
  }
  f.extra = CollectExtras(*object, {"snapshot-id", "statistics-path", "file-size-in-bytes",
                                    "file-footer-size-in-bytes", "key-metadata", "blob-metadata"});
  return f;
}

void Write(JsonWriter& w, const StatisticsFile& f) {
  w.BeginObject();
  w.Int("snapshot-id", f.snapshot_id);
  w.String("statistics-path", f.statistics_path);
  w.Int("file-size-in-bytes", f.file_size_in_bytes);
  w.Int("file-footer-size-in-bytes", f.file_footer_size_in_bytes);
  if (f.key_metadata) w.String("key-metadata", *f.key_metadata);
  w.Raw("blob-metadata", f.blob_metadata);
  w.Extras(f.extra);
  w.EndObject();
}

Result<PartitionStatisticsFile> PartitionStatisticsFileFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "partition statistics file"));
  PartitionStatisticsFile f;
  ASSIGN_OR_RETURN(f.snapshot_id, GetInt(*object, "snapshot-id"));
  ASSIGN_OR_RETURN(f.statistics_path, GetString(*object, "statistics-path"));
  ASSIGN_OR_RETURN(f.file_size_in_bytes, GetInt(*object, "file-size-in-bytes"));
  f.extra = CollectExtras(*object, {"snapshot-id", "statistics-path", "file-size-in-bytes"});
  return f;
}

void Write(JsonWriter& w, const PartitionStatisticsFile& f) {
  w.BeginObject();
  w.Int("snapshot-id", f.snapshot_id);
  w.String("statistics-path", f.statistics_path);
  w.Int("file-size-in-bytes", f.file_size_in_bytes);
  w.Extras(f.extra);
  w.EndObject();
}

Result<EncryptedKey> EncryptedKeyFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "encryption key"));
  EncryptedKey key;
  ASSIGN_OR_RETURN(key.key_id, GetString(*object, "key-id"));
  ASSIGN_OR_RETURN(key.encrypted_key_metadata, GetString(*object, "encrypted-key-metadata"));
  ASSIGN_OR_RETURN(key.encrypted_by_id, GetOptionalString(*object, "encrypted-by-id"));
  if (const json::value* p = Find(*object, "properties"); p && !p->is_null()) {
    ASSIGN_OR_RETURN(key.properties, GetStringMap(*object, "properties"));
  }
  key.extra =
      CollectExtras(*object, {"key-id", "encrypted-key-metadata", "encrypted-by-id", "properties"});
  return key;
}

void Write(JsonWriter& w, const EncryptedKey& key) {
  w.BeginObject();
  w.String("key-id", key.key_id);
  w.String("encrypted-key-metadata", key.encrypted_key_metadata);
  if (key.encrypted_by_id) w.String("encrypted-by-id", *key.encrypted_by_id);
  if (key.properties) w.StringMap("properties", *key.properties);
  w.Extras(key.extra);
  w.EndObject();
}

}  // namespace pangolin::serde::internal
