// TenancyService: the warehouses' secrets at rest. Each secret is sealed for its slot,
// "warehouse:<id>:storage_config:<key>" or "warehouse:<id>:vending_strategy:<variant>.<field>",
// so that a value copied into another warehouse or key does not decrypt. Updates work on the
// decrypted values and seal everything again, which also moves kept secrets to the current key.
#include "serde/management.h"
#include "serde/vending_strategy.h"
#include "service/tenancy_service.h"

namespace pangolin::service {
namespace {

std::string ConfigSlot(const WarehouseId& id, std::string_view key) {
  return fmt::format("warehouse:{}:storage_config:{}", id.value, key);
}

std::string VendingSlot(const WarehouseId& id, std::string_view variant, std::string_view field) {
  return fmt::format("warehouse:{}:vending_strategy:{}.{}", id.value, variant, field);
}

// Every secret of `warehouse` replaced by `fn(value, slot, field name for errors)`.
template <typename Fn>
Result<catalog::Warehouse> MapSecrets(catalog::Warehouse warehouse, const Fn& fn) {
  for (auto& [key, value] : warehouse.storage_config) {
    if (!serde::IsSecretKey(key)) continue;
    ASSIGN_OR_RETURN(value, fn(value, ConfigSlot(warehouse.id, key), "storage_config." + key));
  }
  ASSIGN_OR_RETURN(
      warehouse.vending_strategy_json,
      serde::MapVendingStrategySecrets(
          warehouse.vending_strategy_json,
          [&](std::string_view variant, std::string_view field, std::string_view value) {
            return fn(value, VendingSlot(warehouse.id, variant, field),
                      fmt::format("vending_strategy.{}.{}", variant, field));
          }));
  return warehouse;
}

}  // namespace

Result<WarehouseInput> TenancyService::WithStoredSecrets(const WarehouseInput& input,
                                                         const catalog::Warehouse& stored) const {
  WarehouseInput merged = input;
  for (const auto& [key, value] : input.storage_config) {
    if (!serde::IsSecretKey(key)) continue;
    if (value.empty()) {
      merged.storage_config.erase(key);
    } else if (value == serde::kRedactedSecret) {
      auto kept = stored.storage_config.find(key);
      if (kept == stored.storage_config.end()) {
        return Err(ErrorCode::kBadRequest,
                   "storage_config.{}: '{}' stands for a stored secret, and there is none", key,
                   serde::kRedactedSecret);
      }
      merged.storage_config[key] = kept->second;
    }
  }
  for (const auto& [key, value] : stored.storage_config) {
    if (serde::IsSecretKey(key) && !input.storage_config.contains(key)) {
      merged.storage_config[key] = value;
    }
  }
  if (input.vending_strategy_json.empty()) {
    merged.vending_strategy_json = stored.vending_strategy_json;
  } else {
    ASSIGN_OR_RETURN(
        merged.vending_strategy_json,
        serde::MergeVendingStrategy(input.vending_strategy_json, stored.vending_strategy_json,
                                    serde::kRedactedSecret));
  }
  return merged;
}

Result<catalog::Warehouse> TenancyService::SealSecrets(catalog::Warehouse warehouse) const {
  return MapSecrets(std::move(warehouse),
                    [&](std::string_view value, const std::string& slot, const std::string& field) {
                      return secrets_.Seal(value, slot, field);
                    });
}

Result<catalog::Warehouse> TenancyService::OpenSecrets(catalog::Warehouse warehouse) const {
  return MapSecrets(std::move(warehouse),
                    [&](std::string_view value, const std::string& slot, const std::string&) {
                      return secrets_.Open(value, slot);
                    });
}

Result<catalog::Warehouse> TenancyService::GetWarehouseWithSecrets(const TenantId& tenant,
                                                                   std::string_view name) {
  ASSIGN_OR_RETURN(catalog::Warehouse stored, store_.GetWarehouse(tenant, name));
  return OpenSecrets(std::move(stored));
}

Result<std::optional<catalog::Warehouse>> TenancyService::SweepWarehouse(
    const catalog::Warehouse& warehouse, SecretSweep mode, SecretCensus& census) const {
  bool changed = false;
  ASSIGN_OR_RETURN(catalog::Warehouse swept,
                   MapSecrets(warehouse,
                              [&](std::string_view value, const std::string& slot,
                                  const std::string&) -> Result<std::string> {
                                ASSIGN_OR_RETURN(auto resealed,
                                                 secrets_.Sweep(value, slot, mode, census));
                                if (!resealed) return std::string(value);
                                changed = true;
                                return *resealed;
                              }));
  if (!changed) return std::nullopt;
  return swept;
}

Result<SecretCensus> TenancyService::SweepWarehouseSecrets(SecretSweep mode) {
  std::vector<TenantId> tenants{kDefaultTenant};
  store::PageRequest page;
  do {
    ASSIGN_OR_RETURN(auto listed, store_.ListTenants(page));
    for (const auto& tenant : listed.items) {
      if (tenant.id != kDefaultTenant) tenants.push_back(tenant.id);
    }
    page.token = listed.next_token.value_or("");
  } while (!page.token.empty());
  SecretCensus census;
  for (const TenantId& tenant : tenants) {
    store::PageRequest warehouses;
    do {
      ASSIGN_OR_RETURN(auto listed, store_.ListWarehouses(tenant, warehouses));
      for (const auto& warehouse : listed.items) {
        SecretCensus own;
        ASSIGN_OR_RETURN(auto swept, SweepWarehouse(warehouse, mode, own));
        if (swept) {
          // Written meanwhile by a server, which sealed with the current key: keep its values.
          auto now = store_.GetWarehouse(tenant, warehouse.name);
          if (now && *now == warehouse) {
            RETURN_IF_ERROR(store_.UpdateWarehouse(tenant, warehouse.name, *swept));
          } else {
            own.reencrypted = 0;
          }
        }
        census.Add(own);
      }
      warehouses.token = listed.next_token.value_or("");
    } while (!warehouses.token.empty());
  }
  return census;
}

}  // namespace pangolin::service
