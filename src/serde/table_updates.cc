// Parsing of the 23 TableUpdate actions of the spec, one small parser per `action`.
#include <functional>
#include <map>

#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"
#include "serde/table_requests_internal.h"

namespace pangolin::serde::internal {

namespace {

using namespace iceberg;  // NOLINT: model types throughout this file
using Object = json::object;
using Parser = std::function<Result<TableUpdate>(const Object&)>;

Result<const json::value*> Member(const Object& o, std::string_view key) {
  const json::value* value = Find(o, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  return value;
}

// A parser for an update whose payload is one member decoded by `decode`.
template <typename U, typename Decode>
Parser One(std::string_view key, Decode decode) {
  return [key, decode](const Object& o) -> Result<TableUpdate> {
    ASSIGN_OR_RETURN(const json::value* value, Member(o, key));
    ASSIGN_OR_RETURN(auto decoded, decode(*value));
    return U{std::move(decoded)};
  };
}

template <typename U>
Parser Int32(std::string_view key) {
  return [key](const Object& o) -> Result<TableUpdate> {
    ASSIGN_OR_RETURN(int value, GetInt32(o, key));
    return U{value};
  };
}

template <typename U>
Parser Int64(std::string_view key) {
  return [key](const Object& o) -> Result<TableUpdate> {
    ASSIGN_OR_RETURN(int64_t value, GetInt(o, key));
    return U{value};
  };
}

template <typename U>
Parser String(std::string_view key) {
  return [key](const Object& o) -> Result<TableUpdate> {
    ASSIGN_OR_RETURN(std::string value, GetString(o, key));
    return U{std::move(value)};
  };
}

Result<TableUpdate> ParseAddSchema(const Object& o) {
  ASSIGN_OR_RETURN(const json::value* schema, Member(o, "schema"));
  AddSchema update;
  ASSIGN_OR_RETURN(update.schema, SchemaFromJson(*schema));
  ASSIGN_OR_RETURN(update.last_column_id, GetOptionalInt32(o, "last-column-id"));
  return update;
}

Result<TableUpdate> ParseSetSnapshotRef(const Object& o) {
  SetSnapshotRef update;
  ASSIGN_OR_RETURN(update.ref_name, GetString(o, "ref-name"));
  ASSIGN_OR_RETURN(update.ref, SnapshotRefFromJson(o));
  update.ref.extra.clear();  // the update's own members are not ref members
  return update;
}

Result<TableUpdate> ParseSetProperties(const Object& o) {
  if (!Find(o, "updates")) return Err(ErrorCode::kBadRequest, "Missing field: updates");
  ASSIGN_OR_RETURN(auto updates, GetStringMap(o, "updates"));
  return SetProperties{std::move(updates)};
}

Result<TableUpdate> ParseRemoveProperties(const Object& o) {
  ASSIGN_OR_RETURN(auto removals, GetStringList(o, "removals"));
  return RemoveProperties{std::move(removals)};
}

Result<TableUpdate> ParseRemoveSnapshots(const Object& o) {
  ASSIGN_OR_RETURN(auto ids, GetIntList(o, "snapshot-ids"));
  return RemoveSnapshots{std::move(ids)};
}

Result<TableUpdate> ParseRemoveSpecs(const Object& o) {
  ASSIGN_OR_RETURN(auto ids, GetInt32List(o, "spec-ids"));
  return RemovePartitionSpecs{std::move(ids)};
}

Result<TableUpdate> ParseRemoveSchemas(const Object& o) {
  ASSIGN_OR_RETURN(auto ids, GetInt32List(o, "schema-ids"));
  return RemoveSchemas{std::move(ids)};
}

const std::map<std::string, Parser, std::less<>>& UpdateParsers() {
  static const std::map<std::string, Parser, std::less<>> parsers = {
      {"assign-uuid", String<AssignUuid>("uuid")},
      {"upgrade-format-version", Int32<UpgradeFormatVersion>("format-version")},
      {"add-schema", ParseAddSchema},
      {"set-current-schema", Int32<SetCurrentSchema>("schema-id")},
      {"add-spec", One<AddPartitionSpec>("spec", UnboundPartitionSpecFromJson)},
      {"set-default-spec", Int32<SetDefaultSpec>("spec-id")},
      {"add-sort-order", One<AddSortOrder>("sort-order", SortOrderFromJson)},
      {"set-default-sort-order", Int32<SetDefaultSortOrder>("sort-order-id")},
      {"add-snapshot", One<AddSnapshot>("snapshot", SnapshotFromJson)},
      {"set-snapshot-ref", ParseSetSnapshotRef},
      {"remove-snapshots", ParseRemoveSnapshots},
      {"remove-snapshot-ref", String<RemoveSnapshotRef>("ref-name")},
      {"set-location", String<SetLocation>("location")},
      {"set-properties", ParseSetProperties},
      {"remove-properties", ParseRemoveProperties},
      {"set-statistics", One<SetStatistics>("statistics", StatisticsFileFromJson)},
      {"remove-statistics", Int64<RemoveStatistics>("snapshot-id")},
      {"set-partition-statistics",
       One<SetPartitionStatistics>("partition-statistics", PartitionStatisticsFileFromJson)},
      {"remove-partition-statistics", Int64<RemovePartitionStatistics>("snapshot-id")},
      {"remove-partition-specs", ParseRemoveSpecs},
      {"remove-schemas", ParseRemoveSchemas},
      {"add-encryption-key", One<AddEncryptionKey>("encryption-key", EncryptedKeyFromJson)},
      {"remove-encryption-key", String<RemoveEncryptionKey>("key-id")},
  };
  return parsers;
}

}  // namespace

Result<TableUpdate> TableUpdateFromJson(const json::value& value) {
  if (!value.is_object()) return Err(ErrorCode::kBadRequest, "Invalid update: expected an object");
  ASSIGN_OR_RETURN(std::string action, GetString(value.as_object(), "action"));
  const auto& parsers = UpdateParsers();
  auto it = parsers.find(action);
  if (it == parsers.end()) return Err(ErrorCode::kBadRequest, "Unknown update action: {}", action);
  return it->second(value.as_object());
}

}  // namespace pangolin::serde::internal
