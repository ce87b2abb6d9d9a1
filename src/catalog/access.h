// The permission vocabulary (reference §2.9): actions, the levels of the scope a route acts on,
// and what each role may do before any grant is consulted. Pure values and rules.
#pragma once

#include <optional>
#include <string_view>

#include "catalog/identity.h"
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

// What a permission is checked against: the whole tenant, a catalog, a namespace in it, or one
// asset (table, view, generic asset).
enum class ScopeLevel { kTenant, kCatalog, kNamespace, kAsset };
std::string_view ToString(ScopeLevel level);

// True when `principal`'s role alone allows everything in `tenant`: root everywhere, a tenant
// admin in its own tenant. Tenant users need grants.
bool RoleCoversTenant(const Principal& principal, const TenantId& tenant);

}  // namespace pangolin::catalog
