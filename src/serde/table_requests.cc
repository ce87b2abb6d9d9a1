// Parsing of CreateTableRequest and CommitTableRequest: requirement `type` and update `action`
// dispatch to one small parser per kind; unknown kinds are a 400 naming the kind.
#include "serde/table_requests.h"

#include <functional>
#include <map>

#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"
#include "serde/table_requests_internal.h"

namespace pangolin::serde {

namespace internal {
namespace {

using namespace iceberg;  // NOLINT: model types throughout this file
using Object = json::object;

Result<const json::value*> Member(const Object& o, std::string_view key) {
  const json::value* value = Find(o, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  return value;
}

Result<TableRequirement> ParseRefRequirement(const Object& o) {
  AssertRefSnapshotId r;
  ASSIGN_OR_RETURN(r.ref, GetString(o, "ref"));
  ASSIGN_OR_RETURN(r.snapshot_id, GetOptionalInt(o, "snapshot-id"));
  return r;
}

template <typename T>
std::function<Result<TableRequirement>(const Object&)> IntRequirement(std::string_view key) {
  return [key](const Object& o) -> Result<TableRequirement> {
    ASSIGN_OR_RETURN(int value, GetInt32(o, key));
    return T{value};
  };
}

const std::map<std::string, std::function<Result<TableRequirement>(const Object&)>, std::less<>>&
RequirementParsers() {
  static const std::map<std::string, std::function<Result<TableRequirement>(const Object&)>,
                        std::less<>>
      parsers = {
          {"assert-create",
           [](const Object&) -> Result<TableRequirement> { return AssertCreate{}; }},
          {"assert-table-uuid",
           [](const Object& o) -> Result<TableRequirement> {
             ASSIGN_OR_RETURN(std::string uuid, GetString(o, "uuid"));
             return AssertTableUuid{uuid};
           }},
          {"assert-ref-snapshot-id", ParseRefRequirement},
          {"assert-last-assigned-field-id",
           IntRequirement<AssertLastAssignedFieldId>("last-assigned-field-id")},
          {"assert-current-schema-id", IntRequirement<AssertCurrentSchemaId>("current-schema-id")},
          {"assert-last-assigned-partition-id",
           IntRequirement<AssertLastAssignedPartitionId>("last-assigned-partition-id")},
          {"assert-default-spec-id", IntRequirement<AssertDefaultSpecId>("default-spec-id")},
          {"assert-default-sort-order-id",
           IntRequirement<AssertDefaultSortOrderId>("default-sort-order-id")},
      };
  return parsers;
}

}  // namespace

Result<TableRequirement> TableRequirementFromJson(const json::value& value) {
  if (!value.is_object())
    return Err(ErrorCode::kBadRequest, "Invalid requirement: expected an object");
  ASSIGN_OR_RETURN(std::string type, GetString(value.as_object(), "type"));
  const auto& parsers = RequirementParsers();
  auto it = parsers.find(type);
  if (it == parsers.end()) return Err(ErrorCode::kBadRequest, "Unknown requirement type: {}", type);
  return it->second(value.as_object());
}

Result<CommitTableRequest> CommitTableRequestFromJson(const json::object& object) {
  CommitTableRequest request;
  if (const json::value* id = Find(object, "identifier"); id && !id->is_null()) {
    if (!id->is_object())
      return Err(ErrorCode::kBadRequest, "Invalid field identifier: expected an object");
    TableIdentifier identifier;
    ASSIGN_OR_RETURN(identifier.ns, GetStringList(id->as_object(), "namespace"));
    ASSIGN_OR_RETURN(identifier.name, GetString(id->as_object(), "name"));
    request.identifier = std::move(identifier);
  }
  if (const json::value* requirements = Find(object, "requirements");
      requirements && !requirements->is_null()) {
    if (!requirements->is_array()) {
      return Err(ErrorCode::kBadRequest, "Invalid field requirements: expected an array");
    }
    for (const auto& item : requirements->as_array()) {
      ASSIGN_OR_RETURN(TableRequirement requirement, TableRequirementFromJson(item));
      request.requirements.push_back(std::move(requirement));
    }
  }
  ASSIGN_OR_RETURN(const json::array* updates, GetArray(object, "updates"));
  for (const auto& item : *updates) {
    ASSIGN_OR_RETURN(TableUpdate update, TableUpdateFromJson(item));
    request.updates.push_back(std::move(update));
  }
  return request;
}

}  // namespace internal

Result<iceberg::CreateTableRequest> ParseCreateTableRequest(std::string_view json) {
  using namespace internal;  // NOLINT
  ASSIGN_OR_RETURN(auto object, ParseObject(json, "create table request"));
  iceberg::CreateTableRequest request;
  ASSIGN_OR_RETURN(request.name, GetString(object, "name"));
  if (request.name.empty()) return Err(ErrorCode::kBadRequest, "Invalid table name: empty");
  ASSIGN_OR_RETURN(request.location, GetOptionalString(object, "location"));
  ASSIGN_OR_RETURN(const json::value* schema, Member(object, "schema"));
  ASSIGN_OR_RETURN(request.schema, SchemaFromJson(*schema));
  if (const json::value* spec = Find(object, "partition-spec"); spec && !spec->is_null()) {
    ASSIGN_OR_RETURN(request.partition_spec, UnboundPartitionSpecFromJson(*spec));
  }
  if (const json::value* order = Find(object, "write-order"); order && !order->is_null()) {
    ASSIGN_OR_RETURN(request.write_order, SortOrderFromJson(*order));
  }
  ASSIGN_OR_RETURN(request.stage_create, GetBool(object, "stage-create", false));
  ASSIGN_OR_RETURN(request.properties, GetStringMap(object, "properties"));
  return request;
}

Result<CommitTableRequest> ParseCommitTableRequest(std::string_view json) {
  ASSIGN_OR_RETURN(auto object, internal::ParseObject(json, "commit table request"));
  return internal::CommitTableRequestFromJson(object);
}

}  // namespace pangolin::serde
