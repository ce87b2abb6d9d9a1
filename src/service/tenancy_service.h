// TenancyService: warehouses and catalogs of a tenant — validation, storage probes, the rules that
// tie a catalog's location to its warehouse, and the warehouses' secrets, encrypted at rest.
#pragma once

#include <optional>
#include <string>

#include "catalog/model.h"
#include "common/clock.h"
#include "service/context.h"
#include "service/stored_secrets.h"
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
  // `secrets` keeps a warehouse's secrets in the store: the storage_config values whose keys
  // serde::IsSecretKey, and the secret fields of its vending_strategy. The default refuses them.
  TenancyService(store::MetadataStore& store, storage::WarehouseStorage& storage,
                 StoredSecrets secrets = StoredSecrets())
      : store_(store), storage_(storage), secrets_(secrets) {}

  // Validates the storage configuration and proves it works by writing and deleting a probe
  // object; its secrets are stored encrypted. Returns the warehouse as stored (secrets encrypted).
  // Errors: kBadRequest (invalid config, unsupported type; a secret while no key is configured
  // outside development mode; serde::kRedactedSecret or an "enc:" value as a secret);
  // kAlreadyExists; kIo (probe).
  Result<catalog::Warehouse> CreateWarehouse(const Context& ctx, const WarehouseInput& input);
  // The warehouse as stored: its secrets encrypted (serde redacts them on every read).
  Result<catalog::Warehouse> GetWarehouse(const Context& ctx, std::string_view name);
  Result<store::Page<catalog::Warehouse>> ListWarehouses(const Context& ctx,
                                                         const store::PageRequest& page);
  // Replaces name/storage settings; validated and probed like a create. A secret the update
  // leaves out or sends as serde::kRedactedSecret keeps its stored value (an empty value removes
  // it); so does the vending strategy when the update has none, and each field of it the update
  // leaves out or redacts when it names the same variant. Errors: as CreateWarehouse; kInternal
  // (stored secrets that cannot be decrypted).
  Result<catalog::Warehouse> UpdateWarehouse(const Context& ctx, std::string_view name,
                                             const WarehouseInput& input);
  Status DeleteWarehouse(const Context& ctx, std::string_view name);

  // INTERNAL USE ONLY (the storage layer, credential vending); never call it from an API route:
  // the warehouse with its secrets decrypted. Errors: those of GetWarehouse; kInternal naming
  // the secret and the key id when a stored secret cannot be decrypted.
  Result<catalog::Warehouse> GetWarehouseWithSecrets(const TenantId& tenant, std::string_view name);
  // Every tenant's warehouse secrets: counted (kCheck), or re-encrypted with the current key
  // (kReencrypt: values stored unencrypted or under a previous key; a warehouse changed while the
  // sweep runs is left as its writer stored it). Unreadable values are counted, never rewritten.
  Result<SecretCensus> SweepWarehouseSecrets(SecretSweep mode);

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
  // `input` with the secrets it keeps taken from `stored` (decrypted); see UpdateWarehouse.
  Result<WarehouseInput> WithStoredSecrets(const WarehouseInput& input,
                                           const catalog::Warehouse& stored) const;
  // The warehouse with every secret sealed for the store, or opened from it.
  Result<catalog::Warehouse> SealSecrets(catalog::Warehouse warehouse) const;
  Result<catalog::Warehouse> OpenSecrets(catalog::Warehouse warehouse) const;
  // One warehouse of a sweep; the re-encrypted warehouse when it changed.
  Result<std::optional<catalog::Warehouse>> SweepWarehouse(const catalog::Warehouse& warehouse,
                                                           SecretSweep mode,
                                                           SecretCensus& census) const;
  Status ValidateCatalogLocation(const Context& ctx, const catalog::Catalog& catalog);

  store::MetadataStore& store_;
  storage::WarehouseStorage& storage_;
  StoredSecrets secrets_;
};

}  // namespace pangolin::service
