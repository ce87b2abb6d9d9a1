#include "service/catalog_storage.h"

namespace pangolin::service {

Result<StorageBinding> CatalogStorage::Bind(const catalog::Catalog& catalog) {
  storage::StorageConfig config{{"type", "local"}, {"root", "/"}};
  if (catalog.warehouse_name) {
    ASSIGN_OR_RETURN(catalog::Warehouse warehouse,
                     load_(catalog.tenant_id, *catalog.warehouse_name));
    config = warehouse.storage_config;
  }
  // Stored configurations are canonical (TenancyService writes them so); FileIOFor checks a
  // configuration once, when it first makes its FileIO.
  ASSIGN_OR_RETURN(std::shared_ptr<storage::FileIO> io, storage_.FileIOFor(config));
  return StorageBinding{std::move(config), std::move(io)};
}

}  // namespace pangolin::service
