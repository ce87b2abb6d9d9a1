// What the WarehouseStorage keeps per warehouse configuration: its FileIO and, for GCS, the
// token source of its service account; and the vending of each method.
#pragma once

#include <memory>
#include <string_view>

#include "common/clock.h"
#include "net/http_client.h"
#include "storage/gcs/token_source.h"
#include "storage/warehouse_storage.h"

namespace pangolin::storage::vending {

struct Backend {
  std::shared_ptr<FileIO> io;
  // GCS with a service account: tokens with the cloud-platform scope, the source of downscoping.
  std::shared_ptr<gcs::AccessTokenSource> platform_tokens;
};

// The backend of a canonical configuration. Errors: kBadRequest (the FileIO refused the config).
Result<Backend> MakeBackend(const StorageConfig& config, std::shared_ptr<net::HttpClient> client,
                            const Clock& clock);

// Vended credentials for `prefix` (inside the warehouse root, checked by the caller), by the
// configuration's `vending` method, with `client_properties` beside them.
Result<VendedCredentials> VendS3(const StorageConfig& config, net::HttpClient& client,
                                 std::string_view prefix, Access access, const Clock& clock);
Result<VendedCredentials> VendAzure(const StorageConfig& config, std::string_view prefix,
                                    Access access, const Clock& clock);
Result<VendedCredentials> VendGcs(const StorageConfig& config, const Backend& backend,
                                  net::HttpClient& client, std::string_view prefix, Access access,
                                  const Clock& clock);

// See WarehouseStorage::SignForPrefix; `config` is an S3 warehouse's with keys.
Result<RemoteSignResult> SignS3ForPrefix(const StorageConfig& config, std::string_view prefix,
                                         Access access, const RemoteSignRequest& request,
                                         const Clock& clock);

// The properties engines need to reach the store (see WarehouseStorage::ClientProperties).
std::map<std::string, std::string> ClientPropertiesOf(const StorageConfig& config);

// How long vended credentials live (vending.duration-seconds, default one hour).
std::chrono::seconds VendingDuration(const StorageConfig& config);

}  // namespace pangolin::storage::vending
