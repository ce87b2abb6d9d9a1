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

// The storage_config entries a warehouse's `vending_strategy` (the reference's externally tagged
// VendingStrategy) stands for: "None" → vending none; AwsSts{role_arn, external_id?} → aws-sts
// with s3.role-arn and s3.external-id; AwsStatic{access_key_id?, secret_access_key?} → aws-static
// with those keys; AzureSas{account_name?, account_key?} → azure-sas with the adls keys;
// GcpDownscoped → gcs-downscoped (the service account comes from storage_config). What the
// reference's SDK sends is accepted too: AzureStatic and GcpStatic become the scoped methods
// (azure-sas, gcs-downscoped), since account keys are never vended. Empty fields are left out.
// Errors: kBadRequest (an unknown variant, or fields that are not strings).
Result<catalog::Properties> VendingStrategyConfig(std::string_view strategy_json);

// True for storage_config keys that hold secrets (keys, passwords, tokens, SAS, private keys).
bool IsSecretKey(std::string_view key);
// What reads show in place of a secret's value. Sent back in an update, it keeps the stored value.
inline constexpr std::string_view kRedactedSecret = "****";

}  // namespace pangolin::serde
