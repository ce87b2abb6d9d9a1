// The permission vocabulary; see access.h.
#include "catalog/access.h"

namespace pangolin::catalog {

std::string_view ToString(Action action) {
  switch (action) {
    case Action::kRead:
      return "read";
    case Action::kWrite:
      return "write";
    case Action::kDelete:
      return "delete";
    case Action::kCreate:
      return "create";
    case Action::kUpdate:
      return "update";
    case Action::kList:
      return "list";
    case Action::kAll:
      return "all";
    case Action::kIngestBranching:
      return "ingest-branching";
    case Action::kExperimentalBranching:
      return "experimental-branching";
    case Action::kManageDiscovery:
      return "manage-discovery";
  }
  return "unknown";
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

bool RoleCoversTenant(const Principal& principal, const TenantId& tenant) {
  if (!principal.authenticated()) return false;
  if (principal.role == UserRole::kRoot) return true;
  return principal.role == UserRole::kTenantAdmin && principal.home_tenant == tenant;
}

}  // namespace pangolin::catalog
