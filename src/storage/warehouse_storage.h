// WarehouseStorage: what the services need of a warehouse's object store, whatever its kind
// (local, s3, azure, gcs): its configuration checked and put in canonical keys, a FileIO that
// uses the warehouse's own credentials, the properties an engine needs to reach the store,
// short-lived credentials limited to one location prefix, and S3 requests signed for an engine
// (remote signing) when they stay inside one. Configurations are warehouses'
// `storage_config` maps, secrets in clear (the caller decrypts them); nothing here stores them.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/file_io.h"

namespace pangolin::storage {

using StorageConfig = std::map<std::string, std::string>;

enum class Access { kRead, kReadWrite };

// Credentials an engine uses for the objects under `prefix` (Iceberg REST `storage-credentials`).
struct VendedCredentials {
  std::string prefix;
  // Iceberg FileIO properties: s3.access-key-id, s3.secret-access-key, s3.session-token;
  // adls.sas-token.<account host>; gcs.oauth2.token, … with the client properties beside them.
  std::map<std::string, std::string> config;
  std::optional<int64_t> expires_at_ms;  // nullopt: they do not expire (static keys)
};

// Header name -> values, as the Iceberg REST remote-signing protocol carries them.
using HeaderValues = std::map<std::string, std::vector<std::string>>;

// An S3 request an engine asks the catalog to sign (Iceberg REST RemoteSignRequest).
struct RemoteSignRequest {
  std::string method;
  std::string uri;  // absolute, percent-encoded as it will be sent
  HeaderValues headers;
  std::string body;  // only for requests whose body decides what they touch (DeleteObjects)
};

struct RemoteSignResult {
  std::string uri;
  HeaderValues headers;  // every header to send, Authorization included
};

class WarehouseStorage {
 public:
  virtual ~WarehouseStorage() = default;

  // Checks `config` (a known `type`, the keys that type needs, values that parse, no unknown
  // keys) and returns it with every alias replaced by its canonical key, and `root` (where the
  // warehouse's data lives, e.g. s3://bucket/prefix) filled in when the type can derive it.
  // Errors: kBadRequest naming the offending key.
  virtual Result<StorageConfig> Canonicalize(const StorageConfig& config) = 0;

  // The FileIO of a warehouse with canonical `config`, shared by calls with the same config.
  // Errors: kBadRequest (a config Canonicalize would refuse); kUnavailable (a token source).
  virtual Result<std::shared_ptr<FileIO>> FileIOFor(const StorageConfig& config) = 0;

  // The properties engines need to reach the store, without credentials (endpoint, region,
  // addressing style). Only what the warehouse configures: nothing is made up.
  virtual std::map<std::string, std::string> ClientProperties(const StorageConfig& config) = 0;

  // Credentials for the objects under `prefix` (a directory location inside the warehouse),
  // reading only or reading and writing, by the warehouse's vending method: STS AssumeRole with
  // an inline session policy, an Azure SAS, a GCS downscoped token, or (only when configured
  // explicitly) the warehouse's static keys.
  // Errors: kBadRequest (the warehouse vends nothing, or `prefix` is outside it); kForbidden,
  // kUnavailable, kIo (the cloud refused or failed).
  virtual Result<VendedCredentials> Vend(const StorageConfig& config, std::string_view prefix,
                                         Access access) = 0;

  // Whether SignForPrefix can sign for this warehouse (S3 with keys).
  virtual bool CanSign(const StorageConfig& config) = 0;
  // Signs `request` with the warehouse's keys once it is shown to touch only objects under
  // `prefix` (a directory location), listings included, and, with kRead, only to read: GET and
  // HEAD of objects and listings; with kReadWrite also PUT, multipart uploads, DELETE and
  // DeleteObjects whose every key is inside. The host must be the warehouse's endpoint (path
  // style) or its bucket under it (virtual-hosted). Errors: kBadRequest (a warehouse that cannot
  // sign; a malformed request); kForbidden (anything outside what is allowed).
  virtual Result<RemoteSignResult> SignForPrefix(const StorageConfig& config,
                                                 std::string_view prefix, Access access,
                                                 const RemoteSignRequest& request) = 0;
};

}  // namespace pangolin::storage
