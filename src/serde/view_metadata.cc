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

json::object RepresentationToJson(const ViewRepresentation& representation) {
  json::object out;
  out["type"] = representation.type;
  if (representation.IsSql()) {
    out["sql"] = representation.sql;
    out["dialect"] = representation.dialect;
  }
  AppendExtras(out, representation.extra);
  return out;
}

Result<ViewHistoryEntry> HistoryEntryFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "version-log entry"));
  ViewHistoryEntry entry;
  ASSIGN_OR_RETURN(entry.timestamp_ms, GetInt(*object, "timestamp-ms"));
  ASSIGN_OR_RETURN(entry.version_id, GetInt32(*object, "version-id"));
  entry.extra = CollectExtras(*object, {"timestamp-ms", "version-id"});
  return entry;
}

json::object HistoryEntryToJson(const ViewHistoryEntry& entry) {
  json::object out{{"timestamp-ms", entry.timestamp_ms}, {"version-id", entry.version_id}};
  AppendExtras(out, entry.extra);
  return out;
}

template <typename T, typename Convert>
json::array ListToJson(const std::vector<T>& items, Convert convert) {
  json::array out;
  for (const auto& item : items) out.emplace_back(convert(item));
  return out;
}

json::object SchemaToJson(const Schema& schema) { return ToJson(schema); }

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

json::object ViewMetadataToJson(const ViewMetadata& md) {
  json::object out;
  out["view-uuid"] = md.view_uuid;
  out["format-version"] = md.format_version;
  out["location"] = md.location;
  if (!md.properties.empty()) out["properties"] = internal::ToJson(md.properties);
  out["schemas"] = ListToJson(md.schemas, SchemaToJson);
  out["current-version-id"] = md.current_version_id;
  out["versions"] = ListToJson(md.versions, [](const ViewVersion& v) { return ToJson(v); });
  out["version-log"] = ListToJson(md.version_log, HistoryEntryToJson);
  AppendExtras(out, md.extra);
  return out;
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

json::object ToJson(const ViewVersion& version) {
  json::object out;
  out["version-id"] = version.version_id;
  out["timestamp-ms"] = version.timestamp_ms;
  out["schema-id"] = version.schema_id;
  out["summary"] = internal::ToJson(version.summary);
  if (version.default_catalog) out["default-catalog"] = *version.default_catalog;
  out["default-namespace"] = internal::ToJson(version.default_namespace);
  out["representations"] = ListToJson(version.representations, RepresentationToJson);
  AppendExtras(out, version.extra);
  return out;
}

}  // namespace internal

Result<iceberg::ViewMetadata> ParseViewMetadata(std::string_view json) {
  ASSIGN_OR_RETURN(auto object, internal::ParseObject(json, "view metadata"));
  return internal::ViewMetadataFromJson(object);
}

std::string SerializeViewMetadata(const iceberg::ViewMetadata& metadata) {
  return boost::json::serialize(internal::ViewMetadataToJson(metadata));
}

}  // namespace pangolin::serde
