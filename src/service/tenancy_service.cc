// Warehouse and catalog management rules.
#include "service/tenancy_service.h"

#include "catalog/locations.h"
#include "common/ids.h"
#include "service/audited.h"

namespace pangolin::service {
namespace {

constexpr std::string_view kSupportedTypes = "local";

std::string StorageType(const catalog::Properties& config) {
  auto it = config.find("type");
  return it == config.end() ? "" : it->second;
}

}  // namespace

Status TenancyService::ValidateWarehouse(const WarehouseInput& input) {
  RETURN_IF_ERROR(catalog::ValidateName("warehouse name", input.name));
  std::string type = StorageType(input.storage_config);
  if (type != "local") {
    return Err(ErrorCode::kBadRequest,
               "Unsupported warehouse storage type '{}': this server supports: {}", type,
               kSupportedTypes);
  }
  auto root = input.storage_config.find("root");
  if (root == input.storage_config.end() || root->second.empty()) {
    return Err(ErrorCode::kBadRequest,
               "A local warehouse needs storage_config.root (an absolute path)");
  }
  auto normalized = catalog::NormalizeLocation(root->second);
  if (!normalized || !normalized->starts_with("file:///")) {
    return Err(ErrorCode::kBadRequest, "storage_config.root must be an absolute path, got '{}'",
               root->second);
  }
  // Prove the storage works: a warehouse that cannot be written is refused now, not at first use.
  std::string probe = *normalized + "/.pangolin-probe-" + NewUuid();
  if (auto written = file_io_.WriteNew(probe, "probe"); !written) {
    return Err(ErrorCode::kBadRequest, "Warehouse storage is not writable at '{}': {}", *normalized,
               written.error().message);
  }
  return file_io_.Delete(probe);
}

Result<catalog::Warehouse> TenancyService::CreateWarehouse(const Context& ctx,
                                                           const WarehouseInput& request) {
  ASSIGN_OR_RETURN(WarehouseInput input, WithStoredSecrets(request, catalog::Warehouse{}));
  // Sealed before the probe: a secret that cannot be stored fails the request before any I/O.
  ASSIGN_OR_RETURN(catalog::Warehouse warehouse,
                   SealSecrets({WarehouseId{NewUuid()}, input.name, ctx.tenant, input.use_sts,
                                input.storage_config, input.vending_strategy_json}));
  RETURN_IF_ERROR(ValidateWarehouse(input));
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.CreateWarehouse(warehouse); }));
  return warehouse;
}

Result<catalog::Warehouse> TenancyService::GetWarehouse(const Context& ctx, std::string_view name) {
  return store_.GetWarehouse(ctx.tenant, name);
}

Result<store::Page<catalog::Warehouse>> TenancyService::ListWarehouses(
    const Context& ctx, const store::PageRequest& page) {
  return store_.ListWarehouses(ctx.tenant, page);
}

Result<catalog::Warehouse> TenancyService::UpdateWarehouse(const Context& ctx,
                                                           std::string_view name,
                                                           const WarehouseInput& request) {
  ASSIGN_OR_RETURN(catalog::Warehouse current, store_.GetWarehouse(ctx.tenant, name));
  ASSIGN_OR_RETURN(catalog::Warehouse opened, OpenSecrets(current));
  ASSIGN_OR_RETURN(WarehouseInput input, WithStoredSecrets(request, opened));
  ASSIGN_OR_RETURN(catalog::Warehouse updated,
                   SealSecrets({current.id, input.name, ctx.tenant, input.use_sts,
                                input.storage_config, input.vending_strategy_json}));
  RETURN_IF_ERROR(ValidateWarehouse(input));
  RETURN_IF_ERROR(
      StoreAudited(store_, ctx, [&] { return store_.UpdateWarehouse(ctx.tenant, name, updated); }));
  return updated;
}

Status TenancyService::DeleteWarehouse(const Context& ctx, std::string_view name) {
  return StoreAudited(store_, ctx, [&] { return store_.DeleteWarehouse(ctx.tenant, name); });
}

Status TenancyService::ValidateCatalogLocation(const Context& ctx,
                                               const catalog::Catalog& catalog) {
  const catalog::Warehouse* warehouse = nullptr;
  catalog::Warehouse loaded;
  if (catalog.warehouse_name) {
    ASSIGN_OR_RETURN(loaded, store_.GetWarehouse(ctx.tenant, *catalog.warehouse_name));
    warehouse = &loaded;
  }
  ASSIGN_OR_RETURN(std::string base,
                   catalog::CatalogBaseLocation(catalog, warehouse).map_error([](Error e) {
                     return Error{ErrorCode::kBadRequest, e.message};
                   }));
  if (warehouse) {
    auto root = warehouse->storage_config.find("root");
    if (root != warehouse->storage_config.end()) {
      ASSIGN_OR_RETURN(std::string root_location, catalog::NormalizeLocation(root->second));
      RETURN_IF_ERROR(catalog::CheckLocation(base, root_location));
    }
  }
  return Ok();
}

Result<catalog::Catalog> TenancyService::CreateCatalog(const Context& ctx,
                                                       const CatalogInput& input) {
  RETURN_IF_ERROR(catalog::ValidateName("catalog name", input.name));
  if (input.name.find('@') != std::string::npos) {
    return Err(ErrorCode::kBadRequest, "Invalid catalog name '{}': '@' selects a branch",
               input.name);
  }
  if (input.catalog_type != catalog::CatalogType::kLocal) {
    return Err(ErrorCode::kBadRequest, "Unsupported catalog_type: this server supports Local");
  }
  if (!input.warehouse_name) {
    return Err(ErrorCode::kBadRequest, "A Local catalog needs warehouse_name");
  }
  catalog::Catalog created{CatalogId{NewUuid()}, input.name,           ctx.tenant,
                           input.catalog_type,   input.warehouse_name, input.storage_location,
                           input.properties};
  RETURN_IF_ERROR(ValidateCatalogLocation(ctx, created));
  RETURN_IF_ERROR(StoreAudited(store_, ctx, [&] { return store_.CreateCatalog(created); }));
  return created;
}

Result<catalog::Catalog> TenancyService::GetCatalog(const Context& ctx, std::string_view name) {
  return store_.GetCatalog(ctx.tenant, name);
}

Result<store::Page<catalog::Catalog>> TenancyService::ListCatalogs(const Context& ctx,
                                                                   const store::PageRequest& page) {
  return store_.ListCatalogs(ctx.tenant, page);
}

Result<catalog::Catalog> TenancyService::UpdateCatalog(const Context& ctx, std::string_view name,
                                                       const CatalogPatch& patch) {
  ASSIGN_OR_RETURN(catalog::Catalog updated, store_.GetCatalog(ctx.tenant, name));
  if (patch.warehouse_name) updated.warehouse_name = patch.warehouse_name;
  if (patch.storage_location) updated.storage_location = patch.storage_location;
  if (patch.properties) updated.properties = *patch.properties;
  RETURN_IF_ERROR(ValidateCatalogLocation(ctx, updated));
  RETURN_IF_ERROR(
      StoreAudited(store_, ctx, [&] { return store_.UpdateCatalog(ctx.tenant, name, updated); }));
  return updated;
}

Status TenancyService::DeleteCatalog(const Context& ctx, std::string_view name) {
  return StoreAudited(store_, ctx, [&] { return store_.DeleteCatalog(ctx.tenant, name); });
}

}  // namespace pangolin::service
