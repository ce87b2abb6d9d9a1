// The permission model (reference §2.9): actions and their implications, scopes and how they
// cascade, roles and grants, and the evaluation of a principal's compiled permissions against
// the object a request acts on. Pure values and rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/identity.h"
#include "catalog/model.h"
#include "common/ids.h"

namespace pangolin::catalog {

enum class Action {
  kRead,
  kWrite,
  kDelete,
  kCreate,
  kUpdate,
  kList,
  kAll,
  kIngestBranching,
  kExperimentalBranching,
  kManageDiscovery,
};

// The kebab-case API spelling ("read", "ingest-branching", ...).
std::string_view ToString(Action action);
// Errors: kBadRequest naming the value.
Result<Action> ParseAction(std::string_view text);
// `all` implies every action; `write` implies read, update, delete, create and list; `read`
// implies list; every action implies itself.
bool Implies(Action granted, Action wanted);

// The level of the object a route acts on.
enum class ScopeLevel { kTenant, kCatalog, kNamespace, kAsset };
std::string_view ToString(ScopeLevel level);

// What a grant applies to. `tenant` covers everything in the tenant; `catalog` the catalog, its
// namespaces and assets; `namespace` ("a.b") that namespace, its descendants and their assets;
// `asset` one asset (its stable content id); `tag` every asset carrying that tag.
struct PermissionScope {
  enum class Type { kTenant, kCatalog, kNamespace, kAsset, kTag };
  Type type = Type::kTenant;
  std::string catalog_id;  // kCatalog, kNamespace, kAsset
  Namespace ns;            // kNamespace, kAsset (where the asset lives; informative)
  std::string asset_id;    // kAsset
  std::string tag_name;    // kTag
  friend bool operator==(const PermissionScope&, const PermissionScope&) = default;
};
std::string_view ToString(PermissionScope::Type type);  // "tenant", "catalog", ...

struct PermissionGrant {
  PermissionScope scope;
  std::vector<Action> actions;
  friend bool operator==(const PermissionGrant&, const PermissionGrant&) = default;
};

struct Role {
  std::string id;
  std::string name;  // unique within the tenant
  std::optional<std::string> description;
  TenantId tenant_id;
  std::vector<PermissionGrant> permissions;
  std::string created_by;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  friend bool operator==(const Role&, const Role&) = default;
};

// A grant made directly to a user or service user.
struct DirectGrant {
  std::string id;
  std::string principal_id;
  TenantId tenant_id;
  PermissionGrant grant;
  std::string granted_by;
  int64_t granted_ms = 0;
  friend bool operator==(const DirectGrant&, const DirectGrant&) = default;
};

struct RoleAssignment {
  std::string principal_id;
  std::string role_id;
  std::string assigned_by;
  int64_t assigned_ms = 0;
  friend bool operator==(const RoleAssignment&, const RoleAssignment&) = default;
};

// The object a request acts on, from the tenant down: a catalog, a namespace in it, an asset in
// that namespace. Unset members stop the path (a namespace target has no asset).
struct AccessTarget {
  std::optional<std::string> catalog_id;
  std::optional<Namespace> ns;
  std::optional<std::string> asset_id;
  std::vector<std::string> asset_tags;
};

// True when `scope` covers `target` (cascade).
bool Covers(const PermissionScope& scope, const AccessTarget& target);
// True when `scope` lies inside `target` (a grant somewhere below it), so that the path down to
// the granted object stays visible in listings.
bool LiesWithin(const PermissionScope& scope, const AccessTarget& target);

// A principal's grants (its roles' and its direct grants), compiled once per request.
class PermissionSet {
 public:
  PermissionSet() = default;
  // `tagged`: the (asset id, tag) pairs of the tenant for the tags that TagNames() lists, so that
  // tag grants cover those assets whatever tags a target carries itself.
  explicit PermissionSet(std::vector<PermissionGrant> grants,
                         const std::vector<std::pair<std::string, std::string>>& tagged = {});

  // The tags that the grants' tag scopes name, sorted, without duplicates.
  static std::vector<std::string> TagNames(const std::vector<PermissionGrant>& grants);

  // Some grant covers `target` and has an action implying `action`.
  bool Allows(Action action, const AccessTarget& target) const;
  // Allows, or some grant of any action lies inside `target`: what listings use to keep the
  // path to a granted object visible.
  bool Reaches(Action action, const AccessTarget& target) const;
  bool empty() const { return grants_.empty(); }

 private:
  // The target with the tags `tagged` knows for its asset, when it names none itself.
  const AccessTarget& WithTags(const AccessTarget& target, AccessTarget& scratch) const;

  std::vector<PermissionGrant> grants_;
  std::map<std::string, std::vector<std::string>, std::less<>> asset_tags_;
};

// True when `principal`'s role alone allows everything in `tenant`: root everywhere, a tenant
// admin in its own tenant. Tenant users need grants.
bool RoleCoversTenant(const Principal& principal, const TenantId& tenant);

}  // namespace pangolin::catalog
