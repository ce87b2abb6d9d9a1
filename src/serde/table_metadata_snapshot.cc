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

json::object ToJson(const Snapshot& s) {
  json::object out;
  out["snapshot-id"] = s.snapshot_id;
  if (s.parent_snapshot_id) out["parent-snapshot-id"] = *s.parent_snapshot_id;
  if (s.sequence_number) out["sequence-number"] = *s.sequence_number;
  out["timestamp-ms"] = s.timestamp_ms;
  if (s.operation || !s.summary.empty()) {
    json::object summary;
    if (s.operation) summary["operation"] = *s.operation;
    for (const auto& [key, value] : s.summary) summary[key] = value;
    out["summary"] = std::move(summary);
  }
  if (s.manifest_list) out["manifest-list"] = *s.manifest_list;
  if (s.manifests) out["manifests"] = internal::ToJson(*s.manifests);
  if (s.schema_id) out["schema-id"] = *s.schema_id;
  if (s.first_row_id) out["first-row-id"] = *s.first_row_id;
  if (s.added_rows) out["added-rows"] = *s.added_rows;
  if (s.key_id) out["key-id"] = *s.key_id;
  AppendExtras(out, s.extra);
  return out;
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

json::object ToJson(const SnapshotRef& ref) {
  json::object out;
  out["snapshot-id"] = ref.snapshot_id;
  out["type"] = ref.type;
  if (ref.min_snapshots_to_keep) out["min-snapshots-to-keep"] = *ref.min_snapshots_to_keep;
  if (ref.max_snapshot_age_ms) out["max-snapshot-age-ms"] = *ref.max_snapshot_age_ms;
  if (ref.max_ref_age_ms) out["max-ref-age-ms"] = *ref.max_ref_age_ms;
  AppendExtras(out, ref.extra);
  return out;
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

json::object ToJson(const StatisticsFile& f) {
  json::object out;
  out["snapshot-id"] = f.snapshot_id;
  out["statistics-path"] = f.statistics_path;
  out["file-size-in-bytes"] = f.file_size_in_bytes;
  out["file-footer-size-in-bytes"] = f.file_footer_size_in_bytes;
  if (f.key_metadata) out["key-metadata"] = *f.key_metadata;
  out["blob-metadata"] = FromRawJson(f.blob_metadata);
  AppendExtras(out, f.extra);
  return out;
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

json::object ToJson(const PartitionStatisticsFile& f) {
  json::object out;
  out["snapshot-id"] = f.snapshot_id;
  out["statistics-path"] = f.statistics_path;
  out["file-size-in-bytes"] = f.file_size_in_bytes;
  AppendExtras(out, f.extra);
  return out;
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

json::object ToJson(const EncryptedKey& key) {
  json::object out;
  out["key-id"] = key.key_id;
  out["encrypted-key-metadata"] = key.encrypted_key_metadata;
  if (key.encrypted_by_id) out["encrypted-by-id"] = *key.encrypted_by_id;
  if (key.properties) out["properties"] = internal::ToJson(*key.properties);
  AppendExtras(out, key.extra);
  return out;
}

}  // namespace pangolin::serde::internal
