// View metadata JSON: the document, view versions, representations and the version log, in the
// member order of Java's ViewMetadataParser / ViewVersionParser; unknown members carried through.
#include "serde/view_metadata.h"

#include "common/strings.h"
#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"
#include "serde/view_metadata_internal.h"

namespace pangolin::serde {

namespace internal {
namespace {

using namespace iceberg;  // NOLINT: model types throughout this file

Result<const json::object*> AsObject(const json::value& value, std::string_view what) {
  if (!value.is_object()) {
    return Err(ErrorCode::kBadRequest, "Invalid {}: expected an object", what);
  }
  return &value.as_object();
}

template <typename T, typename Parse>
Status ParseList(const json::object& object, std::string_view key, Parse parse,
                 std::vector<T>* out) {
  ASSIGN_OR_RETURN(const json::array* array, GetArray(object, key));
  for (const auto& item : *array) {
    ASSIGN_OR_RETURN(T parsed, parse(item));
    out->push_back(std::move(parsed));
  }
  return Ok();
}

// Java reads the type case-insensitively; "sql" is written back lower case, other types verbatim.
Result<ViewRepresentation> RepresentationFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "view representation"));
  ViewRepresentation representation;
  ASSIGN_OR_RETURN(representation.type, GetString(*object, "type"));
  if (ToLower(representation.type) != kSqlRepresentation) {
    representation.extra = CollectExtras(*object, {"type"});
    return representation;
  }
  representation.type = kSqlRepresentation;
  ASSIGN_OR_RETURN(representation.sql, GetString(*object, "sql"));
  ASSIGN_OR_RETURN(representation.dialect, GetString(*object, "dialect"));
  representation.extra = CollectExtras(*object, {"type", "sql", "dialect"});
  return representation;
}

Result<ViewHistoryEntry> HistoryEntryFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "version-log entry"));
  ViewHistoryEntry entry;
  ASSIGN_OR_RETURN(entry.timestamp_ms, GetInt(*object, "timestamp-ms"));
  ASSIGN_OR_RETURN(entry.version_id, GetInt32(*object, "version-id"));
  entry.extra = CollectExtras(*object, {"timestamp-ms", "version-id"});
  return entry;
}

Result<ViewMetadata> ViewMetadataFromJson(const json::object& object) {
  ViewMetadata md;
  ASSIGN_OR_RETURN(md.view_uuid, GetString(object, "view-uuid"));
  ASSIGN_OR_RETURN(md.format_version, GetInt32(object, "format-version"));
  ASSIGN_OR_RETURN(md.location, GetString(object, "location"));
  ASSIGN_OR_RETURN(md.properties, GetStringMap(object, "properties"));
  RETURN_IF_ERROR(ParseList(object, "schemas", SchemaFromJson, &md.schemas));
  ASSIGN_OR_RETURN(md.current_version_id, GetInt32(object, "current-version-id"));
  RETURN_IF_ERROR(ParseList(object, "versions", ViewVersionFromJson, &md.versions));
  RETURN_IF_ERROR(ParseList(object, "version-log", HistoryEntryFromJson, &md.version_log));
  md.extra = CollectExtras(object, {"view-uuid", "format-version", "location", "properties",
                                    "schemas", "current-version-id", "versions", "version-log"});
  RETURN_IF_ERROR(ValidateViewMetadata(md));
  return md;
}

}  // namespace

Result<ViewVersion> ViewVersionFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "view version"));
  ViewVersion version;
  ASSIGN_OR_RETURN(version.version_id, GetInt32(*object, "version-id"));
  ASSIGN_OR_RETURN(version.timestamp_ms, GetInt(*object, "timestamp-ms"));
  ASSIGN_OR_RETURN(version.schema_id, GetInt32(*object, "schema-id"));
  RETURN_IF_ERROR(GetObject(*object, "summary"));  // required, unlike a snapshot's
  ASSIGN_OR_RETURN(version.summary, GetStringMap(*object, "summary"));
  RETURN_IF_ERROR(
      ParseList(*object, "representations", RepresentationFromJson, &version.representations));
  ASSIGN_OR_RETURN(version.default_catalog, GetOptionalString(*object, "default-catalog"));
  ASSIGN_OR_RETURN(version.default_namespace, GetStringList(*object, "default-namespace"));
  version.extra =
      CollectExtras(*object, {"version-id", "timestamp-ms", "schema-id", "summary",
                              "default-catalog", "default-namespace", "representations"});
  return version;
}

void Write(JsonWriter& w, const ViewRepresentation& representation) {
  w.BeginObject();
  w.String("type", representation.type);
  if (representation.IsSql()) {
    w.String("sql", representation.sql);
    w.String("dialect", representation.dialect);
  }
  w.Extras(representation.extra);
  w.EndObject();
}

void Write(JsonWriter& w, const ViewVersion& version) {
  w.BeginObject();
  w.Int("version-id", version.version_id);
  w.Int("timestamp-ms", version.timestamp_ms);
  w.Int("schema-id", version.schema_id);
  w.StringMap("summary", version.summary);
  if (version.default_catalog) w.String("default-catalog", *version.default_catalog);
  w.Strings("default-namespace", version.default_namespace);
  WriteList(w, "representations", version.representations);
  w.Extras(version.extra);
  w.EndObject();
}

void Write(JsonWriter& w, const ViewHistoryEntry& entry) {
  w.BeginObject();
  w.Int("timestamp-ms", entry.timestamp_ms);
  w.Int("version-id", entry.version_id);
  w.Extras(entry.extra);
  w.EndObject();
}

void Write(JsonWriter& w, const ViewMetadata& md) {
  w.BeginObject();
  w.String("view-uuid", md.view_uuid);
  w.Int("format-version", md.format_version);
  w.String("location", md.location);
  if (!md.properties.empty()) w.StringMap("properties", md.properties);
  WriteList(w, "schemas", md.schemas);
  w.Int("current-version-id", md.current_version_id);
  WriteList(w, "versions", md.versions);
  WriteList(w, "version-log", md.version_log);
  w.Extras(md.extra);
  w.EndObject();
}

}  // namespace internal

Result<iceberg::ViewMetadata> ParseViewMetadata(std::string_view json) {
  ASSIGN_OR_RETURN(auto object, internal::ParseObject(json, "view metadata"));
  return internal::ViewMetadataFromJson(object);
}

std::string SerializeViewMetadata(const iceberg::ViewMetadata& metadata) {
  return internal::WriteToString(metadata);
}

}  // namespace pangolin::serde
