// Management API JSON codecs.
#include "serde/management.h"

#include <set>

#include "common/strings.h"
#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

namespace {

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

}  // namespace

bool IsSecretKey(std::string_view key) {
  std::string lower = ToLower(key);
  for (std::string_view marker :
       {"secret", "password", "token", "account-key", "account_key", "private", "sas", "credential",
        "service_account_json", "service-account-key", "service_account_key"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return lower == "key" || EndsWith(lower, ".key") || EndsWith(lower, "access-key-id") ||
         EndsWith(lower, "access_key_id");
}

Result<catalog::Properties> VendingStrategyConfig(std::string_view strategy_json) {
  ASSIGN_OR_RETURN(json::value strategy, ParseJson(strategy_json));
  std::string variant;
  const json::object* fields = nullptr;
  if (strategy.is_string()) {
    variant = std::string(strategy.as_string());
  } else if (strategy.is_object() && strategy.as_object().size() == 1) {
    const auto& [name, body] = *strategy.as_object().begin();
    variant = std::string(name);
    if (body.is_object()) fields = &body.as_object();
  } else {
    return Err(ErrorCode::kBadRequest, "Invalid vending_strategy: expected a variant");
  }
  struct Mapping {
    const char* variant;
    const char* vending;
    std::vector<std::pair<const char*, const char*>> fields;  // strategy field → config key
  };
  static const std::vector<Mapping> kMappings = {
      {"None", "none", {}},
      {"AwsSts", "aws-sts", {{"role_arn", "s3.role-arn"}, {"external_id", "s3.external-id"}}},
      {"AwsStatic",
       "aws-static",
       {{"access_key_id", "s3.access-key-id"}, {"secret_access_key", "s3.secret-access-key"}}},
      {"AzureSas",
       "azure-sas",
       {{"account_name", "adls.account-name"}, {"account_key", "adls.account-key"}}},
      {"AzureStatic",
       "azure-sas",
       {{"account_name", "adls.account-name"}, {"account_key", "adls.account-key"}}},
      {"GcpDownscoped", "gcs-downscoped", {}},
      {"GcpStatic", "gcs-downscoped", {}},
  };
  for (const Mapping& mapping : kMappings) {
    if (variant != mapping.variant) continue;
    catalog::Properties config{{"vending", mapping.vending}};
    for (const auto& [field, key] : mapping.fields) {
      if (!fields) break;
      const json::value* value = Find(*fields, field);
      if (value == nullptr || value->is_null()) continue;
      if (!value->is_string()) {
        return Err(ErrorCode::kBadRequest, "Invalid vending_strategy.{}.{}: expected a string",
                   variant, field);
      }
      if (!value->as_string().empty()) config[key] = std::string(value->as_string());
    }
    return config;
  }
  return Err(ErrorCode::kBadRequest,
             "Unknown vending_strategy '{}' (None, AwsSts, AwsStatic, AzureSas, GcpDownscoped)",
             variant);
}

Result<WarehouseBody> ParseWarehouseRequest(std::string_view text, bool name_required) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "warehouse request"));
  RETURN_IF_ERROR(
      RejectUnknownFields(object, {"name", "use_sts", "storage_config", "vending_strategy"}));
  WarehouseBody body;
  if (name_required || Find(object, "name")) {
    ASSIGN_OR_RETURN(body.name, GetString(object, "name"));
  }
  ASSIGN_OR_RETURN(body.use_sts, GetBool(object, "use_sts", false));
  ASSIGN_OR_RETURN(body.storage_config, GetStringMap(object, "storage_config"));
  if (const json::value* strategy = Find(object, "vending_strategy");
      strategy && !strategy->is_null()) {
    if (!strategy->is_object() && !strategy->is_string()) {
      return Err(ErrorCode::kBadRequest, "Invalid field vending_strategy");
    }
    body.vending_strategy_json = json::serialize(*strategy);
  }
  return body;
}

namespace {

json::object WarehouseObject(const catalog::Warehouse& warehouse) {
  json::object config;
  for (const auto& [key, value] : warehouse.storage_config) {
    config[key] = IsSecretKey(key) ? json::string(kRedactedSecret) : json::string(value);
  }
  json::value strategy = nullptr;
  if (!warehouse.vending_strategy_json.empty()) {
    // Only the strategy's kind is shown; its fields may hold credentials.
    auto parsed = ParseJson(warehouse.vending_strategy_json);
    if (parsed && parsed->is_object() && !parsed->as_object().empty()) {
      strategy = json::object{{parsed->as_object().begin()->key(), json::object{}}};
    } else if (parsed && parsed->is_string()) {
      strategy = *parsed;
    }
  }
  return json::object{{"id", warehouse.id.value},
                      {"name", warehouse.name},
                      {"tenant_id", warehouse.tenant_id.value},
                      {"use_sts", warehouse.use_sts},
                      {"storage_config", std::move(config)},
                      {"vending_strategy", std::move(strategy)}};
}

json::object CatalogObject(const catalog::Catalog& catalog) {
  return json::object{
      {"id", catalog.id.value},
      {"name", catalog.name},
      {"catalog_type",
       catalog.catalog_type == catalog::CatalogType::kLocal ? "Local" : "Federated"},
      {"warehouse_name", OptionalString(catalog.warehouse_name)},
      {"storage_location", OptionalString(catalog.storage_location)},
      {"federated_config", nullptr},
      {"properties", ToJson(catalog.properties)}};
}

}  // namespace

std::string WarehouseJson(const catalog::Warehouse& warehouse) {
  return json::serialize(WarehouseObject(warehouse));
}

std::string WarehouseListJson(const std::vector<catalog::Warehouse>& warehouses) {
  return ListJson(warehouses, WarehouseObject);
}

Result<CatalogBody> ParseCatalogRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "catalog request"));
  RETURN_IF_ERROR(
      RejectUnknownFields(object, {"name", "catalog_type", "warehouse_name", "storage_location",
                                   "federated_config", "properties"}));
  CatalogBody body;
  ASSIGN_OR_RETURN(body.name, GetOptionalString(object, "name"));
  ASSIGN_OR_RETURN(auto type, GetOptionalString(object, "catalog_type"));
  if (type) {
    if (*type == "Local")
      body.catalog_type = catalog::CatalogType::kLocal;
    else if (*type == "Federated")
      body.catalog_type = catalog::CatalogType::kFederated;
    else
      return Err(ErrorCode::kBadRequest, "Invalid catalog_type: {}", *type);
  }
  ASSIGN_OR_RETURN(body.warehouse_name, GetOptionalString(object, "warehouse_name"));
  ASSIGN_OR_RETURN(body.storage_location, GetOptionalString(object, "storage_location"));
  if (const json::value* properties = Find(object, "properties");
      properties && !properties->is_null()) {
    ASSIGN_OR_RETURN(body.properties, GetStringMap(object, "properties"));
  }
  const json::value* federated = Find(object, "federated_config");
  body.has_federated_config = federated && !federated->is_null();
  return body;
}

std::string CatalogJson(const catalog::Catalog& catalog) {
  return json::serialize(CatalogObject(catalog));
}

std::string CatalogListJson(const std::vector<catalog::Catalog>& catalogs) {
  return ListJson(catalogs, CatalogObject);
}

}  // namespace pangolin::serde
