// Roles, role assignments, direct grants and access versions of the MongoDB store. Permissions
// are stored as BSON ({scope: {...}, actions: [names]}). Every change moves its tenant's access
// version (a numbered insert) after the change itself succeeded, as the other stores do.
#include <algorithm>
#include <tuple>

#include "store/keyset_token.h"
#include "store/mongo/mongo_store_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

using keyset::TextKey;
using keyset::TimeKey;

Doc ScopeDoc(const catalog::PermissionScope& scope) {
  Doc doc;
  doc.Int("type", static_cast<int64_t>(scope.type))
      .Str("catalog_id", scope.catalog_id)
      .StrArray("ns", scope.ns)
      .Str("asset_id", scope.asset_id)
      .Str("tag_name", scope.tag_name);
  return doc;
}

Doc ActionsDoc(const std::vector<catalog::Action>& actions) {
  std::vector<std::string> names;
  for (catalog::Action action : actions) names.emplace_back(catalog::ToString(action));
  Doc arr;
  for (size_t i = 0; i < names.size(); ++i) arr.Str(std::to_string(i), names[i]);
  return arr;
}

Doc GrantsDoc(const std::vector<PermissionGrant>& grants) {
  Doc arr;
  for (size_t i = 0; i < grants.size(); ++i) {
    arr.Sub(std::to_string(i), Doc()
                                   .Sub("scope", ScopeDoc(grants[i].scope))
                                   .Array("actions", ActionsDoc(grants[i].actions)));
  }
  return arr;
}

Result<catalog::PermissionScope> ReadScope(const bson_t* doc) {
  View v(doc);
  catalog::PermissionScope scope;
  int64_t type = v.Int("type");
  if (type < 0 || type > static_cast<int64_t>(catalog::PermissionScope::Type::kTag)) {
    return Err(ErrorCode::kInternal, "corrupt permission scope type {}", type);
  }
  scope.type = static_cast<catalog::PermissionScope::Type>(type);
  scope.catalog_id = v.Str("catalog_id");
  scope.ns = v.StrArray("ns");
  scope.asset_id = v.Str("asset_id");
  scope.tag_name = v.Str("tag_name");
  return scope;
}

Result<PermissionGrant> ReadPermission(const bson_t* doc) {
  View v(doc);
  PermissionGrant grant;
  auto scope = v.Sub("scope");
  if (!scope) return Err(ErrorCode::kInternal, "corrupt permission: no scope");
  ASSIGN_OR_RETURN(grant.scope, ReadScope(scope->get()));
  for (const std::string& name : v.StrArray("actions")) {
    auto action = catalog::ParseAction(name);
    if (!action) return Err(ErrorCode::kInternal, "corrupt permission action {}", name);
    grant.actions.push_back(*action);
  }
  return grant;
}

Result<std::vector<PermissionGrant>> ReadPermissions(const View& v, const char* key) {
  std::vector<PermissionGrant> grants;
  auto arr = v.Sub(key);
  if (!arr) return grants;
  bson_iter_t iter;
  if (!bson_iter_init(&iter, arr->get())) return grants;
  while (bson_iter_next(&iter)) {
    if (!BSON_ITER_HOLDS_DOCUMENT(&iter)) continue;
    uint32_t length = 0;
    const uint8_t* data = nullptr;
    bson_iter_document(&iter, &length, &data);
    bson_t item;
    if (!bson_init_static(&item, data, length)) continue;
    ASSIGN_OR_RETURN(PermissionGrant grant, ReadPermission(&item));
    grants.push_back(std::move(grant));
  }
  return grants;
}

Result<Role> ReadRole(const bson_t* doc) {
  View v(doc);
  Role role;
  role.id = v.Str("_id");
  role.tenant_id.value = v.Str("tenant_id");
  role.name = v.Str("name");
  role.description = v.OptStr("description");
  ASSIGN_OR_RETURN(role.permissions, ReadPermissions(v, "permissions"));
  role.created_by = v.Str("created_by");
  role.created_ms = v.Int("created_ms");
  role.updated_ms = v.Int("updated_ms");
  return role;
}

Result<DirectGrant> ReadGrant(const bson_t* doc) {
  View v(doc);
  DirectGrant grant;
  grant.id = v.Str("_id");
  grant.tenant_id.value = v.Str("tenant_id");
  grant.principal_id = v.Str("principal_id");
  ASSIGN_OR_RETURN(grant.grant, ReadPermission(doc));
  grant.granted_by = v.Str("granted_by");
  grant.granted_ms = v.Int("granted_ms");
  return grant;
}

// The roles assigned to a principal, by name then id; an assignment whose role is gone counts
// for nothing.
Result<std::vector<Role>> PrincipalRoles(Client& client, const TenantId& tenant,
                                         std::string_view principal_id) {
  ASSIGN_OR_RETURN(
      auto assigned,
      client.Find(kAssignments,
                  Doc().Str("tenant_id", tenant.value).Str("principal_id", principal_id)));
  std::vector<Role> roles;
  for (const auto& a : assigned) {
    Doc filter;
    filter.Str("_id", View(a.get()).Str("role_id")).Str("tenant_id", tenant.value);
    ASSIGN_OR_RETURN(auto doc, client.FindOne(kRoles, filter));
    if (!doc) continue;
    ASSIGN_OR_RETURN(Role role, ReadRole(doc->get()));
    roles.push_back(std::move(role));
  }
  std::sort(roles.begin(), roles.end(), [](const Role& a, const Role& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
  return roles;
}

Status Taken(Status status, std::string message) {
  if (!status && status.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, std::move(message));
  }
  return status;
}

}  // namespace

// Versions are numbered documents (AppendNext), not a $inc counter: FerretDB 1.24 loses
// concurrent $inc updates, and a lost bump could leave stale permissions looking current. Older
// numbers are deleted once a newer one stands; AccessVersion reads the highest.
Status MongoStore::BumpAccessVersion(Client& client, const TenantId& tenant) {
  Doc scope;
  scope.Str("tenant_id", tenant.value);
  ASSIGN_OR_RETURN(int64_t n,
                   AppendNext(client, kAccessVersions, scope, "n", [&](int64_t n, const bson_t*) {
                     Doc doc;
                     doc.Str("tenant_id", tenant.value).Int("n", n);
                     return doc;
                   }));
  Doc older;
  older.Str("tenant_id", tenant.value).Op("n", "$lt", n);
  RETURN_IF_ERROR(client.DeleteMany(kAccessVersions, older));
  return {};
}

Status MongoStore::DeletePrincipalRecords(Client& client, std::string_view principal_id) {
  RETURN_IF_ERROR(client.DeleteMany(kTokens, Doc().Str("principal_id", principal_id)));
  std::vector<std::string> tenants;
  for (const char* collection : {kGrants, kAssignments}) {
    ASSIGN_OR_RETURN(auto docs, client.Find(collection, Doc().Str("principal_id", principal_id)));
    for (const auto& doc : docs) tenants.push_back(View(doc.get()).Str("tenant_id"));
    RETURN_IF_ERROR(client.DeleteMany(collection, Doc().Str("principal_id", principal_id)));
  }
  std::sort(tenants.begin(), tenants.end());
  tenants.erase(std::unique(tenants.begin(), tenants.end()), tenants.end());
  for (const std::string& tenant : tenants) {
    RETURN_IF_ERROR(BumpAccessVersion(client, TenantId{tenant}));
  }
  return {};
}

Status MongoStore::CreateRole(const Role& role) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", role.id)
      .Str("tenant_id", role.tenant_id.value)
      .Str("name", role.name)
      .OptStr("description", role.description)
      .Array("permissions", GrantsDoc(role.permissions))
      .Str("created_by", role.created_by)
      .Int("created_ms", role.created_ms)
      .Int("updated_ms", role.updated_ms);
  RETURN_IF_ERROR(Taken(client.Insert(kRoles, doc), "Role already exists: " + role.name));
  return BumpAccessVersion(client, role.tenant_id);
}

Result<Role> MongoStore::GetRole(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc,
                   client.FindOne(kRoles, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Role not found: {}", id);
  return ReadRole(doc->get());
}

Result<Page<Role>> MongoStore::ListRoles(const TenantId& tenant, const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TextKey> after, keyset::DecodeTextToken(page.token));
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value);
  if (after) filter.Concat(AfterFilter("name", "_id", after->first, after->second));
  Doc sort = Sort("name", 1, "_id", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(kRoles, filter, {sort.get(), nullptr, PageLimit(page.limit)}));
  Page<Role> result;
  for (const auto& doc : docs) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      result.next_token =
          keyset::EncodeToken(TextKey{result.items.back().name, result.items.back().id});
      break;
    }
    ASSIGN_OR_RETURN(Role role, ReadRole(doc.get()));
    result.items.push_back(std::move(role));
  }
  return result;
}

Status MongoStore::UpdateRole(const Role& role) {
  Client client = Acquire();
  Doc update;
  update.Sub("$set", Doc()
                         .Str("name", role.name)
                         .OptStr("description", role.description)
                         .Array("permissions", GrantsDoc(role.permissions))
                         .Int("updated_ms", role.updated_ms));
  auto matched = client.UpdateOne(
      kRoles, Doc().Str("_id", role.id).Str("tenant_id", role.tenant_id.value), update);
  RETURN_IF_ERROR(Taken(matched.map([](int64_t) {}), "Role already exists: " + role.name));
  if (*matched == 0) return Err(ErrorCode::kNotFound, "Role not found: {}", role.id);
  return BumpAccessVersion(client, role.tenant_id);
}

Status MongoStore::DeleteRole(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteOne(kRoles, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Role not found: {}", id);
  RETURN_IF_ERROR(client.DeleteMany(kAssignments, Doc().Str("role_id", id)));
  return BumpAccessVersion(client, tenant);
}

// An assignment made while its role is being deleted may outlive the role; LoadPermissions and
// ListPrincipalRoles read roles through their documents, so it grants nothing.
Status MongoStore::AssignRole(const TenantId& tenant, const RoleAssignment& assignment) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(
      auto role,
      client.FindOne(kRoles, Doc().Str("_id", assignment.role_id).Str("tenant_id", tenant.value)));
  if (!role) return Err(ErrorCode::kNotFound, "Role not found: {}", assignment.role_id);
  Doc doc;
  doc.Str("tenant_id", tenant.value)
      .Str("principal_id", assignment.principal_id)
      .Str("role_id", assignment.role_id)
      .Str("assigned_by", assignment.assigned_by)
      .Int("assigned_ms", assignment.assigned_ms);
  RETURN_IF_ERROR(
      Taken(client.Insert(kAssignments, doc),
            "Role " + assignment.role_id + " is already assigned to " + assignment.principal_id));
  return BumpAccessVersion(client, tenant);
}

Status MongoStore::UnassignRole(const TenantId& tenant, std::string_view principal_id,
                                std::string_view role_id) {
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value).Str("principal_id", principal_id).Str("role_id", role_id);
  ASSIGN_OR_RETURN(int64_t deleted, client.DeleteOne(kAssignments, filter));
  if (deleted == 0) {
    return Err(ErrorCode::kNotFound, "Role {} is not assigned to {}", role_id, principal_id);
  }
  return BumpAccessVersion(client, tenant);
}

Result<std::vector<Role>> MongoStore::ListPrincipalRoles(const TenantId& tenant,
                                                         std::string_view principal_id) {
  Client client = Acquire();
  return PrincipalRoles(client, tenant, principal_id);
}

Status MongoStore::CreateGrant(const DirectGrant& grant) {
  Client client = Acquire();
  Doc doc;
  doc.Str("_id", grant.id)
      .Str("tenant_id", grant.tenant_id.value)
      .Str("principal_id", grant.principal_id)
      .Sub("scope", ScopeDoc(grant.grant.scope))
      .Array("actions", ActionsDoc(grant.grant.actions))
      .Str("granted_by", grant.granted_by)
      .Int("granted_ms", grant.granted_ms);
  RETURN_IF_ERROR(Taken(client.Insert(kGrants, doc), "Permission already exists: " + grant.id));
  return BumpAccessVersion(client, grant.tenant_id);
}

Result<DirectGrant> MongoStore::GetGrant(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(auto doc,
                   client.FindOne(kGrants, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Permission not found: {}", id);
  return ReadGrant(doc->get());
}

Result<Page<DirectGrant>> MongoStore::ListGrants(const TenantId& tenant,
                                                 const std::optional<std::string>& principal_id,
                                                 const PageRequest& page) {
  ASSIGN_OR_RETURN(std::optional<TimeKey> after, keyset::DecodeTimeToken(page.token));
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value);
  if (principal_id) filter.Str("principal_id", *principal_id);
  if (after) filter.Concat(AfterFilter("granted_ms", "_id", after->time_ms, after->id));
  Doc sort = Sort("granted_ms", 1, "_id", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(kGrants, filter, {sort.get(), nullptr, PageLimit(page.limit)}));
  Page<DirectGrant> result;
  for (const auto& doc : docs) {
    if (page.limit != 0 && result.items.size() == page.limit) {
      const DirectGrant& last = result.items.back();
      result.next_token = keyset::EncodeToken(TimeKey{last.granted_ms, last.id});
      break;
    }
    ASSIGN_OR_RETURN(DirectGrant grant, ReadGrant(doc.get()));
    result.items.push_back(std::move(grant));
  }
  return result;
}

Status MongoStore::DeleteGrant(const TenantId& tenant, std::string_view id) {
  Client client = Acquire();
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteOne(kGrants, Doc().Str("_id", id).Str("tenant_id", tenant.value)));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Permission not found: {}", id);
  return BumpAccessVersion(client, tenant);
}

Result<std::vector<PermissionGrant>> MongoStore::LoadPermissions(const TenantId& tenant,
                                                                 std::string_view principal_id) {
  Client client = Acquire();
  Doc filter;
  filter.Str("tenant_id", tenant.value).Str("principal_id", principal_id);
  Doc sort = Sort("granted_ms", 1, "_id", 1);
  ASSIGN_OR_RETURN(auto direct, client.Find(kGrants, filter, {sort.get()}));
  std::vector<PermissionGrant> permissions;
  for (const auto& doc : direct) {
    ASSIGN_OR_RETURN(PermissionGrant grant, ReadPermission(doc.get()));
    permissions.push_back(std::move(grant));
  }
  ASSIGN_OR_RETURN(auto roles, PrincipalRoles(client, tenant, principal_id));
  for (const Role& role : roles) {
    permissions.insert(permissions.end(), role.permissions.begin(), role.permissions.end());
  }
  return permissions;
}

Result<int64_t> MongoStore::AccessVersion(const TenantId& tenant) {
  Client client = Acquire();
  Doc sort = Sort("n", -1);
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kAccessVersions, Doc().Str("tenant_id", tenant.value),
                                            {sort.get()}));
  return doc ? View(doc->get()).Int("n") : int64_t{0};
}

}  // namespace pangolin::store::mongo_internal
