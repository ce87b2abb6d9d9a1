// Parsing of CreateViewRequest and CommitViewRequest. The six update kinds views share with tables
// go through the table update parsers; the two view kinds and assert-view-uuid are parsed here.
#include "serde/view_requests.h"

#include <set>

#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"
#include "serde/table_requests_internal.h"
#include "serde/view_metadata_internal.h"

namespace pangolin::serde {

namespace internal {
namespace {

using namespace iceberg;  // NOLINT: model types throughout this file

Result<const json::value*> Member(const json::object& o, std::string_view key) {
  const json::value* value = Find(o, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  return value;
}

// A shared kind parsed as a table update, converted to the same value as a view update.
struct ToViewUpdate {
  template <typename U>
  Result<ViewUpdate> operator()(U&& update) const {
    using T = std::decay_t<U>;
    if constexpr (std::is_constructible_v<ViewUpdate, T>) {
      return Result<ViewUpdate>(tl::in_place, std::in_place_type<T>, std::forward<U>(update));
    } else {
      return Err(ErrorCode::kInternal, "Not a view update");
    }
  }
};

bool IsSharedAction(std::string_view action) {
  static const std::set<std::string, std::less<>> kShared = {
      "assign-uuid",  "upgrade-format-version", "add-schema",
      "set-location", "set-properties",         "remove-properties"};
  return kShared.count(action) > 0;
}

Result<ViewUpdate> ViewUpdateFromJson(const json::value& value) {
  if (!value.is_object()) return Err(ErrorCode::kBadRequest, "Invalid update: expected an object");
  const json::object& o = value.as_object();
  ASSIGN_OR_RETURN(std::string action, GetString(o, "action"));
  if (IsSharedAction(action)) {
    ASSIGN_OR_RETURN(TableUpdate update, TableUpdateFromJson(value));
    return std::visit(ToViewUpdate{}, std::move(update));
  }
  if (action == "add-view-version") {
    ASSIGN_OR_RETURN(const json::value* version, Member(o, "view-version"));
    ASSIGN_OR_RETURN(ViewVersion parsed, ViewVersionFromJson(*version));
    return AddViewVersion{std::move(parsed)};
  }
  if (action == "set-current-view-version") {
    ASSIGN_OR_RETURN(int version_id, GetInt32(o, "view-version-id"));
    return SetCurrentViewVersion{version_id};
  }
  return Err(ErrorCode::kBadRequest, "Unknown view update action: {}", action);
}

Result<ViewRequirement> ViewRequirementFromJson(const json::value& value) {
  if (!value.is_object()) {
    return Err(ErrorCode::kBadRequest, "Invalid requirement: expected an object");
  }
  ASSIGN_OR_RETURN(std::string type, GetString(value.as_object(), "type"));
  if (type != "assert-view-uuid") {
    return Err(ErrorCode::kBadRequest, "Unknown view requirement type: {}", type);
  }
  ASSIGN_OR_RETURN(std::string uuid, GetString(value.as_object(), "uuid"));
  return AssertViewUuid{std::move(uuid)};
}

Result<std::optional<TableIdentifier>> IdentifierFromJson(const json::object& object) {
  const json::value* id = Find(object, "identifier");
  if (!id || id->is_null()) return std::optional<TableIdentifier>();
  if (!id->is_object()) {
    return Err(ErrorCode::kBadRequest, "Invalid field identifier: expected an object");
  }
  TableIdentifier identifier;
  ASSIGN_OR_RETURN(identifier.ns, GetStringList(id->as_object(), "namespace"));
  ASSIGN_OR_RETURN(identifier.name, GetString(id->as_object(), "name"));
  return std::optional<TableIdentifier>(std::move(identifier));
}

}  // namespace
}  // namespace internal

Result<iceberg::CreateViewRequest> ParseCreateViewRequest(std::string_view json) {
  using namespace internal;  // NOLINT
  ASSIGN_OR_RETURN(auto object, ParseObject(json, "create view request"));
  iceberg::CreateViewRequest request;
  ASSIGN_OR_RETURN(request.name, GetString(object, "name"));
  if (request.name.empty()) return Err(ErrorCode::kBadRequest, "Invalid view name: empty");
  ASSIGN_OR_RETURN(request.location, GetOptionalString(object, "location"));
  ASSIGN_OR_RETURN(const json::value* schema, Member(object, "schema"));
  ASSIGN_OR_RETURN(request.schema, SchemaFromJson(*schema));
  ASSIGN_OR_RETURN(const json::value* version, Member(object, "view-version"));
  ASSIGN_OR_RETURN(request.view_version, ViewVersionFromJson(*version));
  ASSIGN_OR_RETURN(request.properties, GetStringMap(object, "properties"));
  return request;
}

Result<CommitViewRequest> ParseCommitViewRequest(std::string_view json) {
  using namespace internal;  // NOLINT
  ASSIGN_OR_RETURN(auto object, ParseObject(json, "commit view request"));
  CommitViewRequest request;
  ASSIGN_OR_RETURN(request.identifier, IdentifierFromJson(object));
  if (const json::value* requirements = Find(object, "requirements");
      requirements && !requirements->is_null()) {
    if (!requirements->is_array()) {
      return Err(ErrorCode::kBadRequest, "Invalid field requirements: expected an array");
    }
    for (const auto& item : requirements->as_array()) {
      ASSIGN_OR_RETURN(iceberg::ViewRequirement requirement, ViewRequirementFromJson(item));
      request.requirements.push_back(std::move(requirement));
    }
  }
  ASSIGN_OR_RETURN(const json::array* updates, GetArray(object, "updates"));
  for (const auto& item : *updates) {
    ASSIGN_OR_RETURN(iceberg::ViewUpdate update, ViewUpdateFromJson(item));
    request.updates.push_back(std::move(update));
  }
  return request;
}

std::string LoadViewResultJson(const std::string& metadata_location, std::string_view metadata_json,
                               const std::map<std::string, std::string>& config) {
  std::string out = "{\"metadata-location\":";
  out += boost::json::serialize(boost::json::value(metadata_location));
  out += ",\"metadata\":";
  out += metadata_json;
  if (!config.empty()) out += ",\"config\":" + boost::json::serialize(internal::ToJson(config));
  out += "}";
  return out;
}

}  // namespace pangolin::serde
