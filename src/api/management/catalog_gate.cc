// CatalogGate; see catalog_gate.h.
#include "api/management/catalog_gate.h"

namespace pangolin::api {
namespace {

catalog::AccessTarget TargetOf(const catalog::Catalog& catalog) {
  return catalog::AccessTarget{catalog.id.value, std::nullopt, std::nullopt, {}};
}

}  // namespace

Status CatalogGate::Require(const service::Context& ctx, catalog::Action action,
                            std::string_view name) const {
  ASSIGN_OR_RETURN(auto found, tenancy_.GetCatalog(ctx, name));
  if (action == catalog::Action::kList) {
    return authorizer_.RequireReach(ctx, action, TargetOf(found));
  }
  return authorizer_.Require(ctx, action, TargetOf(found));
}

Status CatalogGate::RequireForOperation(const service::Context& ctx, catalog::Action action,
                                        std::string_view id) const {
  ASSIGN_OR_RETURN(auto op, merges_.Get(ctx, id));
  return Require(ctx, action, op.catalog_name);
}

Result<std::vector<catalog::Catalog>> CatalogGate::Visible(
    const service::Context& ctx, std::vector<catalog::Catalog> catalogs) const {
  std::vector<catalog::Catalog> visible;
  for (auto& found : catalogs) {
    ASSIGN_OR_RETURN(bool reaches,
                     authorizer_.Reaches(ctx, catalog::Action::kList, TargetOf(found)));
    if (reaches) visible.push_back(std::move(found));
  }
  ctx.access_checked = true;
  return visible;
}

}  // namespace pangolin::api
