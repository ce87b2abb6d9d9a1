// IcebergService::PlanTableScan: server-side scan planning, completed synchronously. Manifests are
// read only from under the catalog's location (their paths come from client commits).
#include "catalog/locations.h"
#include "common/ids.h"
#include "common/strings.h"
#include "service/iceberg_service.h"

namespace pangolin::service {

Result<PlannedScan> IcebergService::PlanTableScan(
    const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id,
    const iceberg::ScanRequest& request,
    const std::optional<std::vector<std::string>>& stats_fields) {
  ASSIGN_OR_RETURN(TableState state, LoadTableState(ctx, cat, id));
  const iceberg::TableMetadata& metadata = state.metadata->metadata;
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  PlannedScan out;
  out.plan_id = NewUuid();
  if (stats_fields && metadata.CurrentSchema()) {
    auto by_name = iceberg::IndexByName(*metadata.CurrentSchema());
    auto by_id = iceberg::IndexById(*metadata.CurrentSchema());
    for (const auto& name : *stats_fields) {
      auto found = by_name.find(name);
      if (found == by_name.end()) {
        return Err(ErrorCode::kBadRequest, "Cannot find stats field '{}' in struct", name);
      }
      const iceberg::Type* type = by_id.at(found->second).type;
      if (type->kind == iceberg::TypeKind::kPrimitive) {
        out.stats_field_types[found->second] = type->primitive;
      }
    }
  }
  auto read = [&](const std::string& location) -> Result<std::string> {
    if (!catalog::IsUnder(location, base)) {
      return Err(ErrorCode::kForbidden, "Cannot plan: {} lies outside the catalog's location",
                 location);
    }
    return files_.io().Read(location);
  };
  ASSIGN_OR_RETURN(out.plan, iceberg::PlanScan(metadata, request, read));
  return out;
}

}  // namespace pangolin::service
