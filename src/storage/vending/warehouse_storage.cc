// MakeWarehouseStorage: canonical configurations, one backend (FileIO, token source) per
// configuration kept for reuse, and vending limited to locations inside the warehouse.
#include <mutex>
#include <unordered_map>

#include "storage/vending/backends_internal.h"
#include "storage/vending/storage_keys_internal.h"
#include "storage/vending/warehouse_storage_factory.h"

namespace pangolin::storage {
namespace {

using vending::Backend;
using vending::Get;

// A configuration as one string, the key of its backend (keys and values are unit-separated).
std::string Fingerprint(const StorageConfig& config) {
  std::string out;
  for (const auto& [key, value] : config) out += key + '\x1f' + value + '\x1e';
  return out;
}

// True when `location` is `root` or inside it, taken as a directory.
bool Inside(std::string_view location, std::string_view root) {
  while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
  while (location.size() > 1 && location.back() == '/') location.remove_suffix(1);
  return location == root || (location.starts_with(root) && location[root.size()] == '/');
}

class CloudWarehouseStorage : public WarehouseStorage {
 public:
  CloudWarehouseStorage(std::shared_ptr<net::HttpClient> client, const Clock& clock)
      : client_(std::move(client)), clock_(clock) {}

  Result<StorageConfig> Canonicalize(const StorageConfig& config) override {
    return vending::Canonicalize(config);
  }

  Result<std::shared_ptr<FileIO>> FileIOFor(const StorageConfig& config) override {
    ASSIGN_OR_RETURN(Backend backend, BackendFor(config));
    return backend.io;
  }

  std::map<std::string, std::string> ClientProperties(const StorageConfig& config) override {
    return vending::ClientPropertiesOf(config);
  }

  Result<VendedCredentials> Vend(const StorageConfig& config, std::string_view prefix,
                                 Access access) override {
    std::string method = Get(config, vending::kVending);
    if (method.empty() || method == "none") {
      return Err(ErrorCode::kBadRequest,
                 "This warehouse does not vend credentials (storage_config.vending is none)");
    }
    std::string root = Get(config, vending::kRoot);
    if (!Inside(prefix, root)) {
      return Err(ErrorCode::kBadRequest, "Location {} is outside the warehouse root {}", prefix,
                 root);
    }
    std::string type = Get(config, vending::kType);
    if (type == "s3") return vending::VendS3(config, *client_, prefix, access, clock_);
    if (type == "azure") return vending::VendAzure(config, prefix, access, clock_);
    ASSIGN_OR_RETURN(Backend backend, BackendFor(config));
    return vending::VendGcs(config, backend, *client_, prefix, access, clock_);
  }

  bool CanSign(const StorageConfig& config) override {
    return Get(config, vending::kType) == "s3" && !Get(config, vending::kS3AccessKeyId).empty();
  }

  Result<RemoteSignResult> SignForPrefix(const StorageConfig& config, std::string_view prefix,
                                         Access access, const RemoteSignRequest& request) override {
    if (!CanSign(config)) {
      return Err(ErrorCode::kBadRequest,
                 "This warehouse cannot sign requests (only S3 warehouses with keys can)");
    }
    if (!Inside(prefix, Get(config, vending::kRoot))) {
      return Err(ErrorCode::kBadRequest, "Location {} is outside the warehouse root", prefix);
    }
    return vending::SignS3ForPrefix(config, prefix, access, request, clock_);
  }

 private:
  Result<Backend> BackendFor(const StorageConfig& config) {
    std::string key = Fingerprint(config);
    {
      std::lock_guard lock(mutex_);
      if (auto it = backends_.find(key); it != backends_.end()) return it->second;
    }
    ASSIGN_OR_RETURN(StorageConfig canonical, vending::Canonicalize(config));
    ASSIGN_OR_RETURN(Backend backend, vending::MakeBackend(canonical, client_, clock_));
    std::lock_guard lock(mutex_);
    // Configurations change rarely (a warehouse update, a key rotation); a bound keeps replaced
    // ones from piling up.
    if (backends_.size() >= kMaxBackends) backends_.clear();
    return backends_.try_emplace(std::move(key), std::move(backend)).first->second;
  }

  static constexpr size_t kMaxBackends = 1024;
  std::shared_ptr<net::HttpClient> client_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Backend> backends_;
};

}  // namespace

std::unique_ptr<WarehouseStorage> MakeWarehouseStorage(std::shared_ptr<net::HttpClient> client,
                                                       const Clock& clock) {
  return std::make_unique<CloudWarehouseStorage>(std::move(client), clock);
}

}  // namespace pangolin::storage
