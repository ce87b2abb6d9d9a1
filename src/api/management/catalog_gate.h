// CatalogGate: the permission checks of management routes that act on one catalog (branches,
// tags, commits, merges, metrics reports, catalog reads), which name it by query parameter, path
// or body, or through a merge operation. Each check marks the request as checked.
#pragma once

#include <string_view>
#include <vector>

#include "catalog/access.h"
#include "service/authorizer.h"
#include "service/context.h"
#include "service/merge_service.h"
#include "service/tenancy_service.h"

namespace pangolin::api {

class CatalogGate {
 public:
  CatalogGate(service::TenancyService& tenancy, service::MergeService& merges,
              const service::Authorizer& authorizer)
      : tenancy_(tenancy), merges_(merges), authorizer_(authorizer) {}

  // `action` on the caller's catalog `name`. Errors: kNotFound (no such catalog); kForbidden.
  Status Require(const service::Context& ctx, catalog::Action action, std::string_view name) const;
  // `action` on the catalog of merge operation `id`. Errors: kNotFound; kForbidden.
  Status RequireForOperation(const service::Context& ctx, catalog::Action action,
                             std::string_view id) const;
  // The catalogs the caller may list (it can reach something in them).
  Result<std::vector<catalog::Catalog>> Visible(const service::Context& ctx,
                                                std::vector<catalog::Catalog> catalogs) const;

 private:
  service::TenancyService& tenancy_;
  service::MergeService& merges_;
  const service::Authorizer& authorizer_;
};

}  // namespace pangolin::api
