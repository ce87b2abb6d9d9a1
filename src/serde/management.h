// Wire formats of the management API (/api/v1): warehouses and catalogs in Pangolin's snake_case
// JSON. Unknown request fields are refused (kUnprocessable), and secrets are never serialized.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "common/result.h"

namespace pangolin::serde {

struct WarehouseBody {
  std::string name;
  bool use_sts = false;
  catalog::Properties storage_config;
  std::string vending_strategy_json;  // "" when absent
};
// `name_required` is false for updates, where an absent name keeps the current one.
Result<WarehouseBody> ParseWarehouseRequest(std::string_view json, bool name_required);
std::string WarehouseJson(const catalog::Warehouse& warehouse);
std::string WarehouseListJson(const std::vector<catalog::Warehouse>& warehouses);

struct CatalogBody {
  std::optional<std::string> name;
  std::optional<catalog::CatalogType> catalog_type;
  std::optional<std::string> warehouse_name;
  std::optional<std::string> storage_location;
  std::optional<catalog::Properties> properties;
  bool has_federated_config = false;
};
Result<CatalogBody> ParseCatalogRequest(std::string_view json);
std::string CatalogJson(const catalog::Catalog& catalog);
std::string CatalogListJson(const std::vector<catalog::Catalog>& catalogs);

// True for storage_config keys that hold secrets (keys, passwords, tokens, SAS, private keys).
bool IsSecretKey(std::string_view key);
// What reads show in place of a secret's value. Sent back in an update, it keeps the stored value.
inline constexpr std::string_view kRedactedSecret = "****";

}  // namespace pangolin::serde
