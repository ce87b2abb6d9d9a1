// Warehouse and catalog management rules.
#include "service/tenancy_service.h"

#include "catalog/locations.h"
#include "common/ids.h"
#include "serde/management.h"
#include "service/audited.h"

namespace pangolin::service {
Result<catalog::Properties> TenancyService::ValidateWarehouse(const WarehouseInput& input) {
  RETURN_IF_ERROR(catalog::ValidateName("warehouse name", input.name));
  storage::StorageConfig given = input.storage_config;
  // The reference's ways of saying how to vend: use_sts, and the vending_strategy variants.
  if (!input.vending_strategy_json.empty()) {
    ASSIGN_OR_RETURN(catalog::Properties implied,
                     serde::VendingStrategyConfig(input.vending_strategy_json));
    // The strategy chooses the method; its fields fill what storage_config leaves out.
    for (const auto& [key, value] : implied) {
      if (key == "vending") {
        given[key] = value;
      } else {
        given.emplace(key, value);
      }
    }
  } else if (input.use_sts) {
    given.emplace("vending", "aws-sts");
  }
  ASSIGN_OR_RETURN(storage::StorageConfig config, storage_.Canonicalize(given));
  auto root = catalog::NormalizeLocation(config.at("root"));
  if (!root || (config.at("type") == "local" && !root->starts_with("file:///"))) {
    return Err(ErrorCode::kBadRequest, "Invalid storage_config.root '{}'", config.at("root"));
  }
  config["root"] = *root;
  // Prove the storage works: a warehouse that cannot be written is refused now, not at first use.
  ASSIGN_OR_RETURN(std::shared_ptr<storage::FileIO> io, storage_.FileIOFor(config));
  std::string probe = *root + "/.pangolin-probe-" + NewUuid();
  if (auto written = io->WriteNew(probe, "probe"); !written) {
    return Err(ErrorCode::kBadRequest, "Warehouse storage is not writable at '{}': {}", *root,
               written.error().message);
  }
  if (auto deleted = io->Delete(probe); !deleted) {
    return Err(ErrorCode::kBadRequest, "Warehouse storage at '{}' refused a delete: {}", *root,
               deleted.error().message);
  }
  return config;
}

Result<catalog::Warehouse> TenancyService::CreateWarehouse(const Context& ctx,
                                                           const WarehouseInput& request) {
  ASSIGN_OR_RETURN(WarehouseInput input, WithStoredSecrets(request, catalog::Warehouse{}));
  // A secret that cannot be stored fails the request before any I/O.
  RETURN_IF_ERROR(SealSecrets({WarehouseId{}, input.name, ctx.tenant, input.use_sts,
                               input.storage_config, input.vending_strategy_json}));
  ASSIGN_OR_RETURN(catalog::Properties config, ValidateWarehouse(input));
  ASSIGN_OR_RETURN(catalog::Warehouse warehouse,
                   SealSecrets({WarehouseId{NewUuid()}, input.name, ctx.tenant, input.use_sts,
                                std::move(config), input.vending_strategy_json}));
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
  RETURN_IF_ERROR(SealSecrets({current.id, input.name, ctx.tenant, input.use_sts,
                               input.storage_config, input.vending_strategy_json}));
  ASSIGN_OR_RETURN(catalog::Properties config, ValidateWarehouse(input));
  ASSIGN_OR_RETURN(catalog::Warehouse updated,
                   SealSecrets({current.id, input.name, ctx.tenant, input.use_sts,
                                std::move(config), input.vending_strategy_json}));
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
