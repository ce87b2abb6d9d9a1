// Storage access handed to engines with a table: client properties, vended credentials and
// remotely signed requests.
#include "service/iceberg_service.h"

namespace pangolin::service {

Result<TableAccess> IcebergService::StorageAccess(const CatalogHandle& cat,
                                                  const std::string& table_location,
                                                  std::optional<storage::Access> vend,
                                                  bool required) {
  ASSIGN_OR_RETURN(auto binding, Storage(cat));
  auto vending = binding->config.find("vending");
  if (!required && (vending == binding->config.end() || vending->second == "none")) vend.reset();
  TableAccess access;
  for (auto& [key, value] : storage_.warehouses().ClientProperties(binding->config)) {
    access.config[key] = value;
  }
  if (vend) {
    ASSIGN_OR_RETURN(storage::VendedCredentials credentials,
                     storage_.warehouses().Vend(binding->config, table_location, *vend));
    // Engines that read only `config` (PyIceberg before storage-credentials) find them there.
    for (const auto& [key, value] : credentials.config) access.config[key] = value;
    access.credentials.push_back(std::move(credentials));
  }
  return access;
}

Result<bool> IcebergService::CanSignRequests(const CatalogHandle& cat) {
  ASSIGN_OR_RETURN(auto binding, Storage(cat));
  return storage_.warehouses().CanSign(binding->config);
}

Result<storage::RemoteSignResult> IcebergService::SignRequest(
    const Context& ctx, const CatalogHandle& cat, const TableIdentifier& id, storage::Access access,
    const storage::RemoteSignRequest& request) {
  ASSIGN_OR_RETURN(LoadedTable table, LoadTable(ctx, cat, id, SnapshotMode::kRefs));
  ASSIGN_OR_RETURN(auto binding, Storage(cat));
  return storage_.warehouses().SignForPrefix(binding->config, table.metadata->metadata.location,
                                             access, request);
}

}  // namespace pangolin::service
