// Authorizer: may the caller do `action` on this object? Root and the tenant's admins may do
// everything in the tenant; anyone else needs a grant (direct, through a role, or on a tag)
// covering the object. A principal's grants are read once per request and kept in its Context.
#pragma once

#include "catalog/access.h"
#include "service/context.h"
#include "store/access_store.h"

namespace pangolin::service {

class Authorizer {
 public:
  explicit Authorizer(store::AccessStore& store) : store_(store) {}

  // Ok when allowed; marks the request as checked. Errors: kForbidden naming the action.
  Status Require(const Context& ctx, catalog::Action action,
                 const catalog::AccessTarget& target) const;
  // Allowed, without marking anything (for filtering listings).
  Result<bool> Allows(const Context& ctx, catalog::Action action,
                      const catalog::AccessTarget& target) const;
  // Allowed, or some grant lies below `target`, so a listing shows the path to it.
  Result<bool> Reaches(const Context& ctx, catalog::Action action,
                       const catalog::AccessTarget& target) const;
  // Like Require with Reaches: for listing routes, which then filter what they return.
  Status RequireReach(const Context& ctx, catalog::Action action,
                      const catalog::AccessTarget& target) const;

 private:
  Result<const catalog::PermissionSet*> PermissionsOf(const Context& ctx) const;

  store::AccessStore& store_;
};

}  // namespace pangolin::service
