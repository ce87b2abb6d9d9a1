// Permission JSON codecs; see access.h. The wire parsers validate; the stored form only has to
// give back what it was given, so its parser checks shapes and action names, nothing more.
#include "serde/access.h"

#include <algorithm>
#include <array>

#include "common/strings.h"
#include "serde/identity.h"
#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

using catalog::Action;
using catalog::PermissionGrant;
using catalog::PermissionScope;
using Type = PermissionScope::Type;

constexpr std::array<Type, 5> kScopeTypes = {Type::kTenant, Type::kCatalog, Type::kNamespace,
                                             Type::kAsset, Type::kTag};

bool HasCatalog(Type type) {
  return type == Type::kCatalog || type == Type::kNamespace || type == Type::kAsset;
}
bool HasNamespace(Type type) { return type == Type::kNamespace || type == Type::kAsset; }

Result<Type> ParseScopeType(std::string_view text) {
  for (Type type : kScopeTypes) {
    if (catalog::ToString(type) == text) return type;
  }
  return Err(ErrorCode::kBadRequest, "Unknown permission scope type '{}'", text);
}

Result<std::string> GetNonEmptyString(const json::object& object, std::string_view key) {
  ASSIGN_OR_RETURN(std::string value, GetString(object, key));
  if (value.empty()) return Err(ErrorCode::kBadRequest, "Invalid field {}: empty", key);
  return value;
}

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::array ActionsArray(const std::vector<Action>& actions) {
  json::array array;
  for (Action action : actions) array.emplace_back(catalog::ToString(action));
  return array;
}

// Errors: kBadRequest (not strings, an unknown action, none when `require_one`).
Result<std::vector<Action>> ActionsFromArray(const json::array& array, bool require_one) {
  if (require_one && array.empty()) {
    return Err(ErrorCode::kBadRequest, "Invalid field actions: at least one action is required");
  }
  std::vector<Action> actions;
  for (const auto& item : array) {
    if (!item.is_string()) {
      return Err(ErrorCode::kBadRequest, "Invalid field actions: expected an array of strings");
    }
    ASSIGN_OR_RETURN(Action action, catalog::ParseAction(std::string_view(item.as_string())));
    actions.push_back(action);
  }
  return actions;
}

// --- wire form ---

json::object ScopeObject(const PermissionScope& scope) {
  json::object object{{"type", catalog::ToString(scope.type)}};
  if (HasCatalog(scope.type)) object["catalog_id"] = scope.catalog_id;
  if (HasNamespace(scope.type)) object["namespace"] = Join(scope.ns, ".");
  if (scope.type == Type::kAsset) object["asset_id"] = scope.asset_id;
  if (scope.type == Type::kTag) object["tag_name"] = scope.tag_name;
  return object;
}

// Members other than those of the scope's type are kUnprocessable, like any unknown member.
Status CheckScopeMembers(const json::object& object, Type type) {
  switch (type) {
    case Type::kTenant:
      return RejectUnknownFields(object, {"type"});
    case Type::kCatalog:
      return RejectUnknownFields(object, {"type", "catalog_id"});
    case Type::kNamespace:
      return RejectUnknownFields(object, {"type", "catalog_id", "namespace"});
    case Type::kAsset:
      return RejectUnknownFields(object, {"type", "catalog_id", "namespace", "asset_id"});
    case Type::kTag:
      return RejectUnknownFields(object, {"type", "tag_name"});
  }
  return Ok();
}

// "a.b" → {"a", "b"}; every level must be a valid name (never empty).
Result<catalog::Namespace> GetDottedNamespace(const json::object& object) {
  ASSIGN_OR_RETURN(std::string text, GetString(object, "namespace"));
  catalog::Namespace ns = Split(text, ".");
  if (!catalog::ValidateNamespace(ns)) {
    return Err(ErrorCode::kBadRequest,
               "Invalid field namespace: '{}' has an empty or invalid level", text);
  }
  return ns;
}

Result<PermissionScope> ScopeFromObject(const json::object& object) {
  PermissionScope scope;
  ASSIGN_OR_RETURN(std::string type, GetString(object, "type"));
  ASSIGN_OR_RETURN(scope.type, ParseScopeType(type));
  RETURN_IF_ERROR(CheckScopeMembers(object, scope.type));
  if (HasCatalog(scope.type)) {
    ASSIGN_OR_RETURN(scope.catalog_id, GetNonEmptyString(object, "catalog_id"));
  }
  if (HasNamespace(scope.type)) {
    ASSIGN_OR_RETURN(scope.ns, GetDottedNamespace(object));
  }
  if (scope.type == Type::kAsset) {
    ASSIGN_OR_RETURN(scope.asset_id, GetNonEmptyString(object, "asset_id"));
  }
  if (scope.type == Type::kTag) {
    ASSIGN_OR_RETURN(scope.tag_name, GetNonEmptyString(object, "tag_name"));
  }
  return scope;
}

json::object GrantObject(const PermissionGrant& grant) {
  return json::object{{"scope", ScopeObject(grant.scope)},
                      {"actions", ActionsArray(grant.actions)}};
}

// The `scope` and `actions` members of a request (at least one action).
Result<PermissionGrant> ReadGrant(const json::object& object) {
  PermissionGrant grant;
  ASSIGN_OR_RETURN(const json::object* scope, GetObject(object, "scope"));
  ASSIGN_OR_RETURN(grant.scope, ScopeFromObject(*scope));
  ASSIGN_OR_RETURN(const json::array* actions, GetArray(object, "actions"));
  ASSIGN_OR_RETURN(grant.actions, ActionsFromArray(*actions, true));
  return grant;
}

// `{scope, actions}`, strict.
Result<PermissionGrant> GrantFromObject(const json::object& object) {
  RETURN_IF_ERROR(RejectUnknownFields(object, {"scope", "actions"}));
  return ReadGrant(object);
}

json::object RoleObject(const catalog::Role& role) {
  json::array permissions;
  for (const auto& grant : role.permissions) permissions.push_back(GrantObject(grant));
  return json::object{{"id", role.id},
                      {"name", role.name},
                      {"description", OptionalString(role.description)},
                      {"tenant-id", role.tenant_id.value},
                      {"permissions", std::move(permissions)},
                      {"created-by", role.created_by},
                      {"created-at", Rfc3339(role.created_ms)},
                      {"updated-at", Rfc3339(role.updated_ms)}};
}

json::object PermissionObject(const catalog::DirectGrant& grant) {
  return json::object{{"id", grant.id},
                      {"user-id", grant.principal_id},
                      {"tenant-id", grant.tenant_id.value},
                      {"scope", ScopeObject(grant.grant.scope)},
                      {"actions", ActionsArray(grant.grant.actions)},
                      {"granted-by", grant.granted_by},
                      {"granted-at", Rfc3339(grant.granted_ms)}};
}

// --- stored form: every member that is set, whatever the type ---

json::object ScopeRecordObject(const PermissionScope& scope) {
  json::object object{{"type", catalog::ToString(scope.type)}};
  if (!scope.catalog_id.empty()) object["catalog_id"] = scope.catalog_id;
  if (!scope.ns.empty()) object["namespace"] = ToJson(scope.ns);
  if (!scope.asset_id.empty()) object["asset_id"] = scope.asset_id;
  if (!scope.tag_name.empty()) object["tag_name"] = scope.tag_name;
  return object;
}

Result<PermissionScope> ScopeFromRecord(const json::object& object) {
  PermissionScope scope;
  ASSIGN_OR_RETURN(std::string type, GetString(object, "type"));
  ASSIGN_OR_RETURN(scope.type, ParseScopeType(type));
  ASSIGN_OR_RETURN(auto catalog_id, GetOptionalString(object, "catalog_id"));
  scope.catalog_id = catalog_id.value_or("");
  if (Find(object, "namespace")) {
    ASSIGN_OR_RETURN(scope.ns, GetStringList(object, "namespace"));
  }
  ASSIGN_OR_RETURN(auto asset_id, GetOptionalString(object, "asset_id"));
  scope.asset_id = asset_id.value_or("");
  ASSIGN_OR_RETURN(auto tag_name, GetOptionalString(object, "tag_name"));
  scope.tag_name = tag_name.value_or("");
  return scope;
}

Result<json::array> ParseArray(std::string_view text, std::string_view what) {
  ASSIGN_OR_RETURN(json::value value, ParseJson(text));
  if (!value.is_array()) {
    return Err(ErrorCode::kBadRequest, "Invalid {}: expected a JSON array", what);
  }
  return std::move(value.as_array());
}

}  // namespace

std::string PermissionScopeJson(const PermissionScope& scope) {
  return json::serialize(ScopeObject(scope));
}

Result<PermissionScope> ParsePermissionScope(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "permission scope"));
  return ScopeFromObject(object);
}

std::string RoleJson(const catalog::Role& role) { return json::serialize(RoleObject(role)); }

std::string RoleListJson(const std::vector<catalog::Role>& roles) {
  return ListJson(roles, RoleObject);
}

std::string PermissionJson(const catalog::DirectGrant& grant) {
  return json::serialize(PermissionObject(grant));
}

std::string PermissionListJson(const std::vector<catalog::DirectGrant>& grants) {
  return ListJson(grants, PermissionObject);
}

std::string RoleAssignmentJson(const catalog::RoleAssignment& assignment) {
  return json::serialize(json::object{{"user-id", assignment.principal_id},
                                      {"role-id", assignment.role_id},
                                      {"assigned-by", assignment.assigned_by},
                                      {"assigned-at", Rfc3339(assignment.assigned_ms)}});
}

Result<RoleCreateBody> ParseRoleCreateRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "role request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"name", "description", "tenant-id"}));
  RoleCreateBody body;
  ASSIGN_OR_RETURN(body.name, GetNonEmptyString(object, "name"));
  ASSIGN_OR_RETURN(body.description, GetOptionalString(object, "description"));
  ASSIGN_OR_RETURN(body.tenant, GetOptionalTenantId(object, {"tenant-id"}));
  return body;
}

Result<RoleUpdateBody> ParseRoleUpdateRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "role request"));
  RETURN_IF_ERROR(
      RejectUnknownFields(object, {"id", "name", "description", "tenant-id", "permissions",
                                   "created-by", "created-at", "updated-at"}));
  // Read-only members: accepted (the reference sends the full object) but must be well-typed.
  for (std::string_view ignored : {"tenant-id", "created-by", "created-at", "updated-at"}) {
    RETURN_IF_ERROR(GetOptionalString(object, ignored));
  }
  RoleUpdateBody body;
  ASSIGN_OR_RETURN(body.id, GetOptionalString(object, "id"));
  ASSIGN_OR_RETURN(body.name, GetNonEmptyString(object, "name"));
  ASSIGN_OR_RETURN(body.description, GetOptionalString(object, "description"));
  ASSIGN_OR_RETURN(const json::array* permissions, GetArray(object, "permissions"));
  for (const auto& item : *permissions) {
    if (!item.is_object()) {
      return Err(ErrorCode::kBadRequest, "Invalid field permissions: expected an array of objects");
    }
    ASSIGN_OR_RETURN(PermissionGrant grant, GrantFromObject(item.as_object()));
    body.permissions.push_back(std::move(grant));
  }
  return body;
}

Result<std::string> ParseAssignRoleRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "role assignment"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"role-id"}));
  return GetNonEmptyString(object, "role-id");
}

Result<GrantBody> ParseGrantRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "permission request"));
  RETURN_IF_ERROR(RejectUnknownFields(object, {"user-id", "scope", "actions"}));
  GrantBody body;
  ASSIGN_OR_RETURN(body.principal_id, GetNonEmptyString(object, "user-id"));
  ASSIGN_OR_RETURN(body.grant, ReadGrant(object));
  return body;
}

std::string PermissionScopeRecordJson(const PermissionScope& scope) {
  return json::serialize(ScopeRecordObject(scope));
}

Result<PermissionScope> ParsePermissionScopeRecord(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "stored permission scope"));
  return ScopeFromRecord(object);
}

std::string ActionsRecordJson(const std::vector<Action>& actions) {
  return json::serialize(ActionsArray(actions));
}

Result<std::vector<Action>> ParseActionsRecord(std::string_view text) {
  ASSIGN_OR_RETURN(json::array array, ParseArray(text, "stored actions"));
  return ActionsFromArray(array, false);
}

std::string PermissionGrantsRecordJson(const std::vector<PermissionGrant>& grants) {
  json::array array;
  for (const auto& grant : grants) {
    array.push_back(json::object{{"scope", ScopeRecordObject(grant.scope)},
                                 {"actions", ActionsArray(grant.actions)}});
  }
  return json::serialize(array);
}

Result<std::vector<PermissionGrant>> ParsePermissionGrantsRecord(std::string_view text) {
  ASSIGN_OR_RETURN(json::array array, ParseArray(text, "stored permissions"));
  std::vector<PermissionGrant> grants;
  for (const auto& item : array) {
    if (!item.is_object()) return Err(ErrorCode::kBadRequest, "Invalid stored permission");
    const json::object& object = item.as_object();
    PermissionGrant grant;
    ASSIGN_OR_RETURN(const json::object* scope, GetObject(object, "scope"));
    ASSIGN_OR_RETURN(grant.scope, ScopeFromRecord(*scope));
    ASSIGN_OR_RETURN(const json::array* actions, GetArray(object, "actions"));
    ASSIGN_OR_RETURN(grant.actions, ActionsFromArray(*actions, false));
    grants.push_back(std::move(grant));
  }
  return grants;
}

}  // namespace pangolin::serde
