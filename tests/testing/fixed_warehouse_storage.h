// A WarehouseStorage for service tests: every warehouse, whatever its configuration says, stores
// through one FileIO the test owns (the real local one, or one wrapping it), and nothing is
// vended or signed. For tests about what services do with a warehouse, not about storage types.
#pragma once

#include <memory>

#include "storage/warehouse_storage.h"

namespace pangolin::testing {

class FixedWarehouseStorage final : public storage::WarehouseStorage {
 public:
  // `io` must outlive this.
  explicit FixedWarehouseStorage(storage::FileIO& io) : io_(io) {}

  Result<storage::StorageConfig> Canonicalize(const storage::StorageConfig& config) override {
    return config;
  }
  Result<std::shared_ptr<storage::FileIO>> FileIOFor(const storage::StorageConfig&) override {
    return std::shared_ptr<storage::FileIO>(std::shared_ptr<void>(), &io_);  // not owned
  }
  std::map<std::string, std::string> ClientProperties(const storage::StorageConfig&) override {
    return {};
  }
  Result<storage::VendedCredentials> Vend(const storage::StorageConfig&, std::string_view,
                                          storage::Access) override {
    return Err(ErrorCode::kBadRequest, "no vending in these tests");
  }
  bool CanSign(const storage::StorageConfig&) override { return false; }
  Result<storage::RemoteSignResult> SignForPrefix(const storage::StorageConfig&, std::string_view,
                                                  storage::Access,
                                                  const storage::RemoteSignRequest&) override {
    return Err(ErrorCode::kBadRequest, "no signing in these tests");
  }

 private:
  storage::FileIO& io_;
};

}  // namespace pangolin::testing
