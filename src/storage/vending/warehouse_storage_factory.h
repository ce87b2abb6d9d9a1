// The WarehouseStorage of this build: local directories, S3 and S3-compatible stores, Azure Blob
// and ADLS Gen2, Google Cloud Storage, with their vending methods (vending.cc).
#pragma once

#include <memory>

#include "common/clock.h"
#include "net/http_client.h"
#include "storage/warehouse_storage.h"

namespace pangolin::storage {

// `client` carries every call to the clouds; `clock` times vended credentials and tokens and
// must outlive the result.
std::unique_ptr<WarehouseStorage> MakeWarehouseStorage(std::shared_ptr<net::HttpClient> client,
                                                       const Clock& clock = SystemClock());

}  // namespace pangolin::storage
