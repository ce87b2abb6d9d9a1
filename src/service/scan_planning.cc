// IcebergService: server-side scan planning. Plans complete synchronously; a table with many data
// manifests is answered with one plan task per manifest, fetched separately. Plan ids and tasks
// are self-describing tokens (serde/scan_planning.h), checked against the table on each use, so
// no plan state is kept and every replica answers for every plan. Manifests are read only from
// under the catalog's location (their paths come from client commits).
#include "catalog/locations.h"
#include "service/iceberg_service.h"

namespace pangolin::service {

namespace {
// More data manifests than this are planned through plan tasks, one per manifest.
constexpr size_t kInlineManifests = 8;
}  // namespace

Result<PlannedScan> IcebergService::Plan(const Context& ctx, const CatalogHandle& cat,
                                         const TableIdentifier& id, serde::PlanScanBody body,
                                         ErrorCode unknown_snapshot) {
  ASSIGN_OR_RETURN(TableState state, LoadTableState(ctx, cat, id));
  const iceberg::TableMetadata& metadata = state.metadata->metadata;
  if (body.scan.snapshot_id && !metadata.FindSnapshot(*body.scan.snapshot_id)) {
    return Err(unknown_snapshot, "Cannot find snapshot with ID {}", *body.scan.snapshot_id);
  }
  ASSIGN_OR_RETURN(std::string base, BaseLocation(ctx, cat));
  PlannedScan out;
  if (body.stats_fields && metadata.CurrentSchema()) {
    auto by_name = iceberg::IndexByName(*metadata.CurrentSchema());
    auto by_id = iceberg::IndexById(*metadata.CurrentSchema());
    for (const auto& name : *body.stats_fields) {
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
  ASSIGN_OR_RETURN(auto io, Io(cat));
  auto read = [&](const std::string& location) -> Result<std::string> {
    if (!catalog::IsUnder(location, base)) {
      return Err(ErrorCode::kForbidden, "Cannot plan: {} lies outside the catalog's location",
                 location);
    }
    return io->Read(location);
  };
  body.scan.max_inline_manifests = kInlineManifests;
  ASSIGN_OR_RETURN(out.plan, iceberg::PlanScan(metadata, body.scan, read));
  for (const auto& manifest : out.plan.deferred_manifests) {
    out.plan_tasks.push_back(serde::EncodePlanToken(body, out.plan.snapshot_id, manifest));
  }
  out.plan_id = serde::EncodePlanToken(body, out.plan.snapshot_id, std::nullopt);
  return out;
}

Result<PlannedScan> IcebergService::PlanTableScan(const Context& ctx, const CatalogHandle& cat,
                                                  const TableIdentifier& id,
                                                  const serde::PlanScanBody& body) {
  return Plan(ctx, cat, id, body, ErrorCode::kBadRequest);
}

Result<PlannedScan> IcebergService::FetchPlanningResult(const Context& ctx,
                                                        const CatalogHandle& cat,
                                                        const TableIdentifier& id,
                                                        std::string_view plan_id) {
  ASSIGN_OR_RETURN(serde::PlanScanBody body,
                   serde::DecodePlanToken(plan_id, ErrorCode::kNoSuchPlanId));
  return Plan(ctx, cat, id, std::move(body), ErrorCode::kNoSuchPlanId);
}

Result<PlannedScan> IcebergService::FetchScanTasks(const Context& ctx, const CatalogHandle& cat,
                                                   const TableIdentifier& id,
                                                   std::string_view plan_task) {
  ASSIGN_OR_RETURN(serde::PlanScanBody body,
                   serde::DecodePlanToken(plan_task, ErrorCode::kNoSuchPlanTask));
  return Plan(ctx, cat, id, std::move(body), ErrorCode::kNoSuchPlanTask);
}

Status IcebergService::CancelPlanning(const Context& ctx, const CatalogHandle& cat,
                                      const TableIdentifier& id, std::string_view plan_id) {
  RETURN_IF_ERROR(serde::DecodePlanToken(plan_id, ErrorCode::kNoSuchPlanId));
  // Plans hold nothing on the server: a valid plan of an existing table is released already.
  return TableExists(ctx, cat, id);
}

}  // namespace pangolin::service
