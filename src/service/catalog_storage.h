// CatalogStorage: the object store of a catalog, as the services use it: its warehouse's storage
// configuration (secrets in clear, canonical keys) and the FileIO made from it. A catalog without
// a warehouse keeps its files on the local filesystem.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "catalog/model.h"
#include "common/result.h"
#include "storage/warehouse_storage.h"

namespace pangolin::service {

struct StorageBinding {
  storage::StorageConfig config;  // as stored (canonical); `vending` says how to vend
  std::shared_ptr<storage::FileIO> io;
};

// Loads a tenant's warehouse by name with its secrets in clear.
using WarehouseLoader =
    std::function<Result<catalog::Warehouse>(const TenantId& tenant, std::string_view name)>;

class CatalogStorage {
 public:
  CatalogStorage(WarehouseLoader load, storage::WarehouseStorage& storage)
      : load_(std::move(load)), storage_(storage) {}

  // Errors: kNoSuchWarehouse; those of WarehouseStorage (kBadRequest for a configuration that
  // no longer passes its checks).
  Result<StorageBinding> Bind(const catalog::Catalog& catalog);

  storage::WarehouseStorage& warehouses() { return storage_; }

 private:
  WarehouseLoader load_;
  storage::WarehouseStorage& storage_;
};

}  // namespace pangolin::service
