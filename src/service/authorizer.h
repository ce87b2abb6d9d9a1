// Authorizer: may the caller do `action` on this object? Root and the tenant's admins may do
// everything in the tenant; anyone else needs a grant (direct, through a role, or on a tag)
// covering the object). A principal's grants are compiled once, together with the assets carrying
// the tags its tag grants name, and cached with the tenant's access version: every change to
// roles, grants and asset tags moves that version in the store, so the next request on any
// server recompiles (one indexed read per request checks it).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "catalog/access.h"
#include "service/context.h"
#include "store/metadata_store.h"

namespace pangolin::service {

class Authorizer {
 public:
  explicit Authorizer(store::MetadataStore& store) : store_(store) {}

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

  struct Compiled {
    int64_t version = 0;
    std::shared_ptr<const catalog::PermissionSet> permissions;
  };
  static constexpr size_t kMaxCached = 10'000;

  store::MetadataStore& store_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Compiled> cache_;  // by "<tenant>/<principal>"
};

}  // namespace pangolin::service
