// TenancyService: warehouses and catalogs of a tenant — validation, storage probes, and the rules
// that tie a catalog's location to its warehouse.
#pragma once

#include <optional>
#include <string>

#include "catalog/model.h"
#include "common/clock.h"
#include "service/context.h"
#include "storage/warehouse_storage.h"
#include "store/metadata_store.h"

namespace pangolin::service {

struct WarehouseInput {
  std::string name;
  bool use_sts = false;
  catalog::Properties storage_config;
  std::string vending_strategy_json;  // "" when absent
};

struct CatalogInput {
  std::string name;
  catalog::CatalogType catalog_type = catalog::CatalogType::kLocal;
  std::optional<std::string> warehouse_name;
  std::optional<std::string> storage_location;
  catalog::Properties properties;
};

// Fields a catalog update may change; absent fields stay as they are.
struct CatalogPatch {
  std::optional<std::string> warehouse_name;
  std::optional<std::string> storage_location;
  std::optional<catalog::Properties> properties;
};

class TenancyService {
 public:
  TenancyService(store::MetadataStore& store, storage::WarehouseStorage& storage)
      : store_(store), storage_(storage) {}

  // Validates the storage configuration and proves it works by writing and deleting a probe
  // object. Errors: kBadRequest (invalid config, unsupported type); kAlreadyExists; kIo (probe).
  Result<catalog::Warehouse> CreateWarehouse(const Context& ctx, const WarehouseInput& input);
  Result<catalog::Warehouse> GetWarehouse(const Context& ctx, std::string_view name);
  Result<store::Page<catalog::Warehouse>> ListWarehouses(const Context& ctx,
                                                         const store::PageRequest& page);
  // Replaces name/storage settings; validated and probed like a create.
  Result<catalog::Warehouse> UpdateWarehouse(const Context& ctx, std::string_view name,
                                             const WarehouseInput& input);
  Status DeleteWarehouse(const Context& ctx, std::string_view name);

  // Errors: kBadRequest; kNoSuchWarehouse; kAlreadyExists; kForbidden (location outside the
  // warehouse root).
  Result<catalog::Catalog> CreateCatalog(const Context& ctx, const CatalogInput& input);
  Result<catalog::Catalog> GetCatalog(const Context& ctx, std::string_view name);
  Result<store::Page<catalog::Catalog>> ListCatalogs(const Context& ctx,
                                                     const store::PageRequest& page);
  Result<catalog::Catalog> UpdateCatalog(const Context& ctx, std::string_view name,
                                         const CatalogPatch& patch);
  Status DeleteCatalog(const Context& ctx, std::string_view name);

 private:
  // Checks the input and proves the storage works (a probe object written and deleted); returns
  // the storage_config in canonical keys.
  Result<catalog::Properties> ValidateWarehouse(const WarehouseInput& input);
  Status ValidateCatalogLocation(const Context& ctx, const catalog::Catalog& catalog);

  store::MetadataStore& store_;
  storage::WarehouseStorage& storage_;
};

}  // namespace pangolin::service
