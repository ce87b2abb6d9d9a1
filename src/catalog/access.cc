// The permission model; see access.h.
#include "catalog/access.h"

#include <algorithm>
#include <array>
#include <utility>

namespace pangolin::catalog {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 10> kActionNames = {{
    {Action::kRead, "read"},
    {Action::kWrite, "write"},
    {Action::kDelete, "delete"},
    {Action::kCreate, "create"},
    {Action::kUpdate, "update"},
    {Action::kList, "list"},
    {Action::kAll, "all"},
    {Action::kIngestBranching, "ingest-branching"},
    {Action::kExperimentalBranching, "experimental-branching"},
    {Action::kManageDiscovery, "manage-discovery"},
}};

// `prefix` is `ns` or one of its ancestors.
bool IsPrefix(const Namespace& prefix, const Namespace& ns) {
  return prefix.size() <= ns.size() && std::equal(prefix.begin(), prefix.end(), ns.begin());
}

}  // namespace

std::string_view ToString(Action action) {
  for (const auto& [value, name] : kActionNames) {
    if (value == action) return name;
  }
  return "unknown";
}

Result<Action> ParseAction(std::string_view text) {
  for (const auto& [value, name] : kActionNames) {
    if (name == text) return value;
  }
  return Err(ErrorCode::kBadRequest, "Unknown action '{}'", text);
}

bool Implies(Action granted, Action wanted) {
  if (granted == wanted || granted == Action::kAll) return true;
  switch (granted) {
    case Action::kWrite:
      return wanted == Action::kRead || wanted == Action::kUpdate || wanted == Action::kDelete ||
             wanted == Action::kCreate || wanted == Action::kList;
    case Action::kRead:
      return wanted == Action::kList;
    default:
      return false;
  }
}

std::string_view ToString(ScopeLevel level) {
  switch (level) {
    case ScopeLevel::kTenant:
      return "tenant";
    case ScopeLevel::kCatalog:
      return "catalog";
    case ScopeLevel::kNamespace:
      return "namespace";
    case ScopeLevel::kAsset:
      return "asset";
  }
  return "unknown";
}

std::string_view ToString(PermissionScope::Type type) {
  switch (type) {
    case PermissionScope::Type::kTenant:
      return "tenant";
    case PermissionScope::Type::kCatalog:
      return "catalog";
    case PermissionScope::Type::kNamespace:
      return "namespace";
    case PermissionScope::Type::kAsset:
      return "asset";
    case PermissionScope::Type::kTag:
      return "tag";
  }
  return "unknown";
}

bool Covers(const PermissionScope& scope, const AccessTarget& target) {
  using Type = PermissionScope::Type;
  switch (scope.type) {
    case Type::kTenant:
      return true;
    case Type::kCatalog:
      return target.catalog_id == scope.catalog_id;
    case Type::kNamespace:
      return target.catalog_id == scope.catalog_id && target.ns && IsPrefix(scope.ns, *target.ns);
    case Type::kAsset:
      return target.catalog_id == scope.catalog_id && target.asset_id == scope.asset_id;
    case Type::kTag:
      return target.asset_id && std::find(target.asset_tags.begin(), target.asset_tags.end(),
                                          scope.tag_name) != target.asset_tags.end();
  }
  return false;
}

bool LiesWithin(const PermissionScope& scope, const AccessTarget& target) {
  using Type = PermissionScope::Type;
  if (target.asset_id) return false;  // nothing lies inside an asset
  if (!target.catalog_id) return scope.type != Type::kTenant;
  if (scope.catalog_id != *target.catalog_id) return false;
  switch (scope.type) {
    case Type::kNamespace:
      return !target.ns || (IsPrefix(*target.ns, scope.ns) && scope.ns.size() > target.ns->size());
    case Type::kAsset:
      return !target.ns || IsPrefix(*target.ns, scope.ns);
    default:
      return false;
  }
}

PermissionSet::PermissionSet(std::vector<PermissionGrant> grants,
                             const std::vector<std::pair<std::string, std::string>>& tagged)
    : grants_(std::move(grants)) {
  for (const auto& [asset, tag] : tagged) asset_tags_[asset].push_back(tag);
}

std::vector<std::string> PermissionSet::TagNames(const std::vector<PermissionGrant>& grants) {
  std::vector<std::string> tags;
  for (const auto& grant : grants) {
    if (grant.scope.type == PermissionScope::Type::kTag) tags.push_back(grant.scope.tag_name);
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

const AccessTarget& PermissionSet::WithTags(const AccessTarget& target,
                                            AccessTarget& scratch) const {
  if (!target.asset_id || !target.asset_tags.empty()) return target;
  auto it = asset_tags_.find(*target.asset_id);
  if (it == asset_tags_.end()) return target;
  scratch = target;
  scratch.asset_tags = it->second;
  return scratch;
}

bool PermissionSet::Allows(Action action, const AccessTarget& requested) const {
  AccessTarget scratch;
  const AccessTarget& target = WithTags(requested, scratch);
  for (const auto& grant : grants_) {
    if (!Covers(grant.scope, target)) continue;
    for (Action granted : grant.actions) {
      if (Implies(granted, action)) return true;
    }
  }
  return false;
}

bool PermissionSet::Reaches(Action action, const AccessTarget& target) const {
  if (Allows(action, target)) return true;
  for (const auto& grant : grants_) {
    if (LiesWithin(grant.scope, target)) return true;
  }
  return false;
}

bool RoleCoversTenant(const Principal& principal, const TenantId& tenant) {
  if (!principal.authenticated()) return false;
  if (principal.role == UserRole::kRoot) return true;
  return principal.role == UserRole::kTenantAdmin && principal.home_tenant == tenant;
}

}  // namespace pangolin::catalog
