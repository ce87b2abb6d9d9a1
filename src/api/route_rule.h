// Who may call a route. Every route declares one rule when it is registered (there is no
// default), and the pipeline enforces it before the handler runs: routes are denied unless their
// rule lets the caller through.
#pragma once

#include <string>

#include "catalog/access.h"

namespace pangolin::api {

struct RouteRule {
  enum class Kind {
    kPublic,         // no credentials needed
    kAuthenticated,  // any principal; the service applies Self/Admin rules on the object
    kRoot,
    kTenantAdmin,  // root, or an admin of the tenant the request acts in
    kPermission,   // `action` on the catalog, namespace or asset the request names
  };
  Kind kind = Kind::kPublic;
  catalog::Action action = catalog::Action::kRead;
  catalog::ScopeLevel level = catalog::ScopeLevel::kTenant;

  static RouteRule Public() { return {Kind::kPublic}; }
  static RouteRule Authenticated() { return {Kind::kAuthenticated}; }
  static RouteRule Root() { return {Kind::kRoot}; }
  static RouteRule TenantAdmin() { return {Kind::kTenantAdmin}; }
  static RouteRule Permission(catalog::Action action, catalog::ScopeLevel level) {
    return {Kind::kPermission, action, level};
  }

  // "public", "authenticated", "root", "tenant-admin", or "<action>@<level>".
  std::string ToString() const {
    switch (kind) {
      case Kind::kPublic:
        return "public";
      case Kind::kAuthenticated:
        return "authenticated";
      case Kind::kRoot:
        return "root";
      case Kind::kTenantAdmin:
        return "tenant-admin";
      case Kind::kPermission:
        break;
    }
    return std::string(catalog::ToString(action)) + "@" + std::string(catalog::ToString(level));
  }
};

// The permission rules routes use (reference §3.1), named `k<Action>On<Level>`.
namespace rules {
using catalog::Action;
using catalog::ScopeLevel;
inline const RouteRule kListOnCatalog = RouteRule::Permission(Action::kList, ScopeLevel::kCatalog);
inline const RouteRule kReadOnCatalog = RouteRule::Permission(Action::kRead, ScopeLevel::kCatalog);
inline const RouteRule kWriteOnCatalog =
    RouteRule::Permission(Action::kWrite, ScopeLevel::kCatalog);
inline const RouteRule kCreateOnCatalog =
    RouteRule::Permission(Action::kCreate, ScopeLevel::kCatalog);
inline const RouteRule kDeleteOnCatalog =
    RouteRule::Permission(Action::kDelete, ScopeLevel::kCatalog);
// Creating a branch: experimental-branching, or ingest-branching for an ingest branch (checked
// by the handler, which reads the type from the body).
inline const RouteRule kBranchOnCatalog =
    RouteRule::Permission(Action::kExperimentalBranching, ScopeLevel::kCatalog);
inline const RouteRule kListOnNamespace =
    RouteRule::Permission(Action::kList, ScopeLevel::kNamespace);
inline const RouteRule kReadOnNamespace =
    RouteRule::Permission(Action::kRead, ScopeLevel::kNamespace);
inline const RouteRule kWriteOnNamespace =
    RouteRule::Permission(Action::kWrite, ScopeLevel::kNamespace);
inline const RouteRule kCreateOnNamespace =
    RouteRule::Permission(Action::kCreate, ScopeLevel::kNamespace);
inline const RouteRule kDeleteOnNamespace =
    RouteRule::Permission(Action::kDelete, ScopeLevel::kNamespace);
inline const RouteRule kReadOnAsset = RouteRule::Permission(Action::kRead, ScopeLevel::kAsset);
inline const RouteRule kWriteOnAsset = RouteRule::Permission(Action::kWrite, ScopeLevel::kAsset);
inline const RouteRule kDeleteOnAsset = RouteRule::Permission(Action::kDelete, ScopeLevel::kAsset);
}  // namespace rules

}  // namespace pangolin::api
