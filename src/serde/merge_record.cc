// Merge operation records: snake_case members, enums by their catalog names, absent optionals as
// null. Parsing ignores unknown members, so a newer Pangolin may add some without a migration.
#include "serde/merge_record.h"

#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;
using catalog::ConflictResolution;
using catalog::Content;
using catalog::ContentKey;
using catalog::ContentType;
using catalog::MergeChange;
using catalog::MergeConflict;
using catalog::MergeOperation;

namespace {

// --- writing ---

const char* ContentTypeName(ContentType type) {
  switch (type) {
    case ContentType::kNamespace:
      return "namespace";
    case ContentType::kIcebergTable:
      return "iceberg_table";
    case ContentType::kIcebergView:
      return "iceberg_view";
  }
  return "namespace";
}

json::value Nullable(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value Nullable(const std::optional<int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

template <typename T, typename ToObject>
json::value Nullable(const std::optional<T>& value, ToObject to_object) {
  return value ? json::value(to_object(*value)) : json::value(nullptr);
}

template <typename T, typename ToObject>
json::array ArrayOf(const std::vector<T>& items, ToObject to_object) {
  json::array out;
  for (const auto& item : items) out.emplace_back(to_object(item));
  return out;
}

json::object KeyObject(const ContentKey& key) {
  return json::object{
      {"space", key.space == ContentKey::Space::kNamespace ? "namespace" : "object"},
      {"parent", ToJson(key.parent)},
      {"name", key.name}};
}

json::object ContentObject(const Content& content) {
  return json::object{{"type", ContentTypeName(content.type)},
                      {"id", content.id},
                      {"metadata_location", content.metadata_location},
                      {"properties", ToJson(content.properties)}};
}

json::object ChangeObject(const MergeChange& change) {
  return json::object{{"key", KeyObject(change.key)},
                      {"expected", Nullable(change.expected, ContentObject)},
                      {"result", Nullable(change.result, ContentObject)}};
}

json::object ResolutionObject(const ConflictResolution& resolution) {
  return json::object{{"strategy", catalog::ToString(resolution.strategy)},
                      {"change", Nullable(resolution.change, ChangeObject)},
                      {"resolved_by", resolution.resolved_by},
                      {"resolved_ms", resolution.resolved_ms}};
}

json::value SideValue(const std::optional<catalog::MergeSide>& side) {
  return side ? json::value(catalog::ToString(*side)) : json::value(nullptr);
}

json::object ConflictObject(const MergeConflict& conflict) {
  return json::object{{"id", conflict.id},
                      {"type", catalog::ToString(conflict.type)},
                      {"key", KeyObject(conflict.key)},
                      {"description", conflict.description},
                      {"base", Nullable(conflict.base, ContentObject)},
                      {"source", Nullable(conflict.source, ContentObject)},
                      {"target", Nullable(conflict.target, ContentObject)},
                      {"items", ToJson(conflict.items)},
                      {"source_schema", conflict.source_schema},
                      {"target_schema", conflict.target_schema},
                      {"deleted_in", SideValue(conflict.deleted_in)},
                      {"resolution", Nullable(conflict.resolution, ResolutionObject)},
                      {"created_ms", conflict.created_ms}};
}

// --- reading ---

template <typename T>
using ObjectParser = Result<T> (*)(const json::object&);

template <typename T>
Result<std::optional<T>> GetOptionalOf(const json::object& object, std::string_view key,
                                       ObjectParser<T> parse) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return std::optional<T>();
  if (!value->is_object()) {
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an object", key);
  }
  ASSIGN_OR_RETURN(T parsed, parse(value->as_object()));
  return std::optional<T>(std::move(parsed));
}

template <typename T>
Result<std::vector<T>> GetListOf(const json::object& object, std::string_view key,
                                 ObjectParser<T> parse) {
  ASSIGN_OR_RETURN(const json::array* array, GetArray(object, key));
  std::vector<T> out;
  for (const auto& item : *array) {
    if (!item.is_object()) {
      return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an array of objects", key);
    }
    ASSIGN_OR_RETURN(T parsed, parse(item.as_object()));
    out.push_back(std::move(parsed));
  }
  return out;
}

Result<ContentType> ParseContentType(std::string_view name) {
  for (auto type :
       {ContentType::kNamespace, ContentType::kIcebergTable, ContentType::kIcebergView}) {
    if (name == ContentTypeName(type)) return type;
  }
  return Err(ErrorCode::kBadRequest, "Invalid field type: unknown content type '{}'", name);
}

Result<ContentKey> ParseKey(const json::object& object) {
  ContentKey key;
  ASSIGN_OR_RETURN(std::string space, GetString(object, "space"));
  if (space != "namespace" && space != "object") {
    return Err(ErrorCode::kBadRequest, "Invalid field space: unknown key space '{}'", space);
  }
  key.space = space == "namespace" ? ContentKey::Space::kNamespace : ContentKey::Space::kObject;
  ASSIGN_OR_RETURN(key.parent, GetStringList(object, "parent"));
  ASSIGN_OR_RETURN(key.name, GetString(object, "name"));
  return key;
}

Result<ContentKey> GetKey(const json::object& object) {
  ASSIGN_OR_RETURN(const json::object* key, GetObject(object, "key"));
  return ParseKey(*key);
}

Result<Content> ParseContent(const json::object& object) {
  Content content;
  ASSIGN_OR_RETURN(std::string type, GetString(object, "type"));
  ASSIGN_OR_RETURN(content.type, ParseContentType(type));
  ASSIGN_OR_RETURN(content.id, GetString(object, "id"));
  ASSIGN_OR_RETURN(content.metadata_location, GetString(object, "metadata_location"));
  ASSIGN_OR_RETURN(content.properties, GetStringMap(object, "properties"));
  return content;
}

Result<MergeChange> ParseChange(const json::object& object) {
  MergeChange change;
  ASSIGN_OR_RETURN(change.key, GetKey(object));
  ASSIGN_OR_RETURN(change.expected, GetOptionalOf<Content>(object, "expected", ParseContent));
  ASSIGN_OR_RETURN(change.result, GetOptionalOf<Content>(object, "result", ParseContent));
  return change;
}

Result<ConflictResolution> ParseResolution(const json::object& object) {
  ConflictResolution resolution;
  ASSIGN_OR_RETURN(std::string strategy, GetString(object, "strategy"));
  ASSIGN_OR_RETURN(resolution.strategy, catalog::ParseResolutionStrategy(strategy));
  ASSIGN_OR_RETURN(resolution.change, GetOptionalOf<MergeChange>(object, "change", ParseChange));
  ASSIGN_OR_RETURN(resolution.resolved_by, GetString(object, "resolved_by"));
  ASSIGN_OR_RETURN(resolution.resolved_ms, GetInt(object, "resolved_ms"));
  return resolution;
}

// The three states of the conflict's key, and the side that deleted it.
Status ParseConflictSides(const json::object& object, MergeConflict& conflict) {
  ASSIGN_OR_RETURN(conflict.base, GetOptionalOf<Content>(object, "base", ParseContent));
  ASSIGN_OR_RETURN(conflict.source, GetOptionalOf<Content>(object, "source", ParseContent));
  ASSIGN_OR_RETURN(conflict.target, GetOptionalOf<Content>(object, "target", ParseContent));
  ASSIGN_OR_RETURN(std::optional<std::string> side, GetOptionalString(object, "deleted_in"));
  if (!side) return Ok();
  ASSIGN_OR_RETURN(conflict.deleted_in, catalog::ParseMergeSide(*side));
  return Ok();
}

Result<MergeConflict> ParseConflict(const json::object& object) {
  MergeConflict conflict;
  ASSIGN_OR_RETURN(conflict.id, GetString(object, "id"));
  ASSIGN_OR_RETURN(std::string type, GetString(object, "type"));
  ASSIGN_OR_RETURN(conflict.type, catalog::ParseConflictType(type));
  ASSIGN_OR_RETURN(conflict.key, GetKey(object));
  ASSIGN_OR_RETURN(conflict.description, GetString(object, "description"));
  RETURN_IF_ERROR(ParseConflictSides(object, conflict));
  ASSIGN_OR_RETURN(conflict.items, GetStringList(object, "items"));
  ASSIGN_OR_RETURN(conflict.source_schema, GetString(object, "source_schema"));
  ASSIGN_OR_RETURN(conflict.target_schema, GetString(object, "target_schema"));
  ASSIGN_OR_RETURN(conflict.resolution,
                   GetOptionalOf<ConflictResolution>(object, "resolution", ParseResolution));
  ASSIGN_OR_RETURN(conflict.created_ms, GetInt(object, "created_ms"));
  return conflict;
}

// Who merges what into what, and the commits the merge was analysed on.
Status ParseOperationRefs(const json::object& object, MergeOperation& op) {
  ASSIGN_OR_RETURN(op.catalog_id.value, GetString(object, "catalog_id"));
  ASSIGN_OR_RETURN(op.catalog_name, GetString(object, "catalog_name"));
  ASSIGN_OR_RETURN(op.source_branch, GetString(object, "source_branch"));
  ASSIGN_OR_RETURN(op.target_branch, GetString(object, "target_branch"));
  ASSIGN_OR_RETURN(op.base_commit_id, GetOptionalString(object, "base_commit_id"));
  ASSIGN_OR_RETURN(op.source_commit_id, GetOptionalString(object, "source_commit_id"));
  ASSIGN_OR_RETURN(op.target_commit_id, GetOptionalString(object, "target_commit_id"));
  return Ok();
}

}  // namespace

std::string MergeOperationRecordJson(const MergeOperation& op) {
  json::object out{{"id", op.id},
                   {"catalog_id", op.catalog_id.value},
                   {"catalog_name", op.catalog_name},
                   {"source_branch", op.source_branch},
                   {"target_branch", op.target_branch},
                   {"base_commit_id", Nullable(op.base_commit_id)},
                   {"source_commit_id", Nullable(op.source_commit_id)},
                   {"target_commit_id", Nullable(op.target_commit_id)},
                   {"status", catalog::ToString(op.status)},
                   {"changes", ArrayOf(op.changes, ChangeObject)},
                   {"conflicts", ArrayOf(op.conflicts, ConflictObject)},
                   {"initiated_by", op.initiated_by},
                   {"initiated_ms", op.initiated_ms},
                   {"completed_ms", Nullable(op.completed_ms)},
                   {"result_commit_id", Nullable(op.result_commit_id)},
                   {"version", op.version}};
  return json::serialize(out);
}

Result<MergeOperation> ParseMergeOperationRecord(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "merge operation record"));
  MergeOperation op;
  ASSIGN_OR_RETURN(op.id, GetString(object, "id"));
  RETURN_IF_ERROR(ParseOperationRefs(object, op));
  ASSIGN_OR_RETURN(std::string status, GetString(object, "status"));
  ASSIGN_OR_RETURN(op.status, catalog::ParseMergeStatus(status));
  ASSIGN_OR_RETURN(op.changes, GetListOf<MergeChange>(object, "changes", ParseChange));
  ASSIGN_OR_RETURN(op.conflicts, GetListOf<MergeConflict>(object, "conflicts", ParseConflict));
  ASSIGN_OR_RETURN(op.initiated_by, GetString(object, "initiated_by"));
  ASSIGN_OR_RETURN(op.initiated_ms, GetInt(object, "initiated_ms"));
  ASSIGN_OR_RETURN(op.completed_ms, GetOptionalInt(object, "completed_ms"));
  ASSIGN_OR_RETURN(op.result_commit_id, GetOptionalString(object, "result_commit_id"));
  ASSIGN_OR_RETURN(op.version, GetInt(object, "version"));
  return op;
}

}  // namespace pangolin::serde
