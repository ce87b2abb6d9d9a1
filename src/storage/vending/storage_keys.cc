#include <algorithm>
#include <array>
#include <vector>

#include "common/strings.h"
#include "storage/vending/storage_keys_internal.h"

namespace pangolin::storage::vending {
namespace {

struct Key {
  const char* canonical;
  std::vector<const char*> aliases;
};

const std::vector<Key>& CommonKeys() {
  static const std::vector<Key> keys = {
      {kType, {}}, {kRoot, {}}, {kVending, {}}, {kVendingDuration, {}}};
  return keys;
}

const std::vector<Key>* KeysOf(std::string_view type) {
  static const std::vector<Key> local = {};
  static const std::vector<Key> s3 = {
      {kS3Bucket, {"bucket"}},
      {kS3Region, {"region"}},
      {kS3Endpoint, {"endpoint"}},
      {kS3PathStyle, {"path_style_access", "path-style-access"}},
      {kS3AccessKeyId, {"access_key_id", "aws_access_key_id"}},
      {kS3SecretAccessKey, {"secret_access_key", "aws_secret_access_key"}},
      {kS3SessionToken, {"session_token", "aws_session_token"}},
      {kS3RoleArn, {"role_arn"}},
      {kS3ExternalId, {"external_id"}},
      {kS3StsEndpoint, {"sts_endpoint"}},
  };
  static const std::vector<Key> azure = {
      {kAdlsAccountName, {"azure.account-name", "account_name"}},
      {kAdlsAccountKey, {"azure.account-key", "account_key"}},
      {kAdlsSasToken, {"azure.sas-token", "sas_token"}},
      {kAdlsContainer, {"azure.container", "container"}},
      {kAdlsEndpoint, {"azure.endpoint", "endpoint"}},
      {kAdlsHierarchical, {"azure.hierarchical-namespace"}},
  };
  static const std::vector<Key> gcs = {
      {kGcsBucket, {"gcp.bucket", "bucket"}},
      {kGcsProjectId, {"gcp.project-id", "project_id"}},
      {kGcsServiceAccount,
       {"service_account_json", "gcs.service-account-key", "service_account_key",
        "gcp.service-account"}},
      {kGcsToken, {}},
      {kGcsHmacAccessKeyId, {}},
      {kGcsHmacSecret, {}},
      {kGcsEndpoint, {"endpoint"}},
      {kGcsStsEndpoint, {}},
      {kGcsNoAuth, {}},
  };
  if (type == "local") return &local;
  if (type == "s3") return &s3;
  if (type == "azure") return &azure;
  if (type == "gcs") return &gcs;
  return nullptr;
}

// The type named by `value`, with the reference's spellings ("adls", "gcp", "file").
std::string CanonicalType(std::string_view value) {
  std::string type = ToLower(value);
  if (type == "adls" || type == "abfs") return "azure";
  if (type == "gcp") return "gcs";
  if (type == "file") return "local";
  return type;
}

Status NeedAll(const StorageConfig& config, std::string_view type,
               std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (Get(config, key).empty()) {
      return Err(ErrorCode::kBadRequest, "A {} warehouse needs storage_config.{}", type, key);
    }
  }
  return Ok();
}

Status CheckEndpoint(const StorageConfig& config, const char* key) {
  std::string value = Get(config, key);
  if (!value.empty() && !value.starts_with("https://") && !value.starts_with("http://")) {
    return Err(ErrorCode::kBadRequest, "storage_config.{} must be an http(s) URL, got '{}'", key,
               value);
  }
  return Ok();
}

Status CheckBool(const StorageConfig& config, const char* key) {
  auto it = config.find(key);
  if (it != config.end() && !ParseBool(it->second)) {
    return Err(ErrorCode::kBadRequest, "storage_config.{} must be true or false, got '{}'", key,
               it->second);
  }
  return Ok();
}

// `root` when set must lie in `base` (the bucket or container); unset, it becomes `base`.
Status SetRoot(StorageConfig& config, const std::string& base) {
  std::string root = Get(config, kRoot);
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (root.empty()) {
    config[kRoot] = base;
    return Ok();
  }
  if (root != base && !root.starts_with(base + "/")) {
    return Err(ErrorCode::kBadRequest, "storage_config.root '{}' is not inside {}", root, base);
  }
  config[kRoot] = root;
  return Ok();
}

std::string DefaultVending(const StorageConfig& config, std::string_view type) {
  if (type == "s3" && !Get(config, kS3RoleArn).empty()) return "aws-sts";
  if (type == "azure" && !Get(config, kAdlsAccountKey).empty()) return "azure-sas";
  if (type == "gcs" && !Get(config, kGcsServiceAccount).empty()) return "gcs-downscoped";
  return "none";
}

Status CheckVending(const StorageConfig& config, std::string_view type) {
  std::string vending = Get(config, kVending);
  if (vending == "none") return Ok();
  if (type == "s3" && (vending == "aws-sts" || vending == "aws-static")) {
    return NeedAll(config, "s3 warehouse vending with " + vending + ": the",
                   {kS3AccessKeyId, kS3SecretAccessKey});
  }
  if (type == "azure" && vending == "azure-sas") {
    return NeedAll(config, "azure warehouse vending SAS tokens: the", {kAdlsAccountKey});
  }
  if (type == "gcs" && vending == "gcs-downscoped") {
    return NeedAll(config, "gcs warehouse vending downscoped tokens: the", {kGcsServiceAccount});
  }
  return Err(ErrorCode::kBadRequest,
             "storage_config.vending '{}' is not available for a {} warehouse (none{})", vending,
             type,
             type == "s3"      ? ", aws-sts, aws-static"
             : type == "azure" ? ", azure-sas"
             : type == "gcs"   ? ", gcs-downscoped"
                               : "");
}

Status CheckType(StorageConfig& config, const std::string& type) {
  if (type == "local") {
    RETURN_IF_ERROR(NeedAll(config, type, {kRoot}));
    std::string root = Get(config, kRoot);
    if (!root.starts_with("/") && !root.starts_with("file:/")) {
      return Err(ErrorCode::kBadRequest, "storage_config.root must be an absolute path, got '{}'",
                 root);
    }
    return Ok();
  }
  if (type == "s3") {
    std::string root = Get(config, kRoot);
    if (Get(config, kS3Bucket).empty() && root.starts_with("s3://")) {
      std::string_view rest = std::string_view(root).substr(5);
      config[kS3Bucket] = std::string(rest.substr(0, rest.find('/')));
    }
    RETURN_IF_ERROR(NeedAll(config, type, {kS3Bucket}));
    RETURN_IF_ERROR(CheckEndpoint(config, kS3Endpoint));
    RETURN_IF_ERROR(CheckEndpoint(config, kS3StsEndpoint));
    RETURN_IF_ERROR(CheckBool(config, kS3PathStyle));
    if (Get(config, kS3AccessKeyId).empty() != Get(config, kS3SecretAccessKey).empty()) {
      return Err(ErrorCode::kBadRequest,
                 "storage_config.{} and storage_config.{} go together: give both or neither",
                 kS3AccessKeyId, kS3SecretAccessKey);
    }
    return SetRoot(config, "s3://" + Get(config, kS3Bucket));
  }
  if (type == "azure") {
    RETURN_IF_ERROR(NeedAll(config, type, {kAdlsAccountName, kAdlsContainer}));
    if (Get(config, kAdlsAccountKey).empty() && Get(config, kAdlsSasToken).empty()) {
      return Err(ErrorCode::kBadRequest, "An azure warehouse needs storage_config.{} or {}",
                 kAdlsAccountKey, kAdlsSasToken);
    }
    RETURN_IF_ERROR(CheckEndpoint(config, kAdlsEndpoint));
    RETURN_IF_ERROR(CheckBool(config, kAdlsHierarchical));
    return SetRoot(config, "abfss://" + Get(config, kAdlsContainer) + "@" +
                               Get(config, kAdlsAccountName) + ".dfs.core.windows.net");
  }
  // gcs
  RETURN_IF_ERROR(NeedAll(config, type, {kGcsBucket}));
  RETURN_IF_ERROR(CheckEndpoint(config, kGcsEndpoint));
  RETURN_IF_ERROR(CheckEndpoint(config, kGcsStsEndpoint));
  RETURN_IF_ERROR(CheckBool(config, kGcsNoAuth));
  if (Get(config, kGcsHmacAccessKeyId).empty() != Get(config, kGcsHmacSecret).empty()) {
    return Err(ErrorCode::kBadRequest,
               "storage_config.{} and storage_config.{} go together: give both or neither",
               kGcsHmacAccessKeyId, kGcsHmacSecret);
  }
  int sources = !Get(config, kGcsServiceAccount).empty() + !Get(config, kGcsToken).empty() +
                !Get(config, kGcsHmacSecret).empty() + GetBool(config, kGcsNoAuth);
  if (sources != 1) {
    return Err(ErrorCode::kBadRequest,
               "A gcs warehouse needs exactly one of storage_config.{}, {}, {} (with {}) and "
               "{}=true",
               kGcsServiceAccount, kGcsToken, kGcsHmacSecret, kGcsHmacAccessKeyId, kGcsNoAuth);
  }
  return SetRoot(config, "gs://" + Get(config, kGcsBucket));
}

}  // namespace

std::string Get(const StorageConfig& config, std::string_view key) {
  auto it = config.find(std::string(key));
  return it == config.end() ? std::string() : it->second;
}

bool GetBool(const StorageConfig& config, std::string_view key) {
  return ParseBool(Get(config, key)).value_or(false);
}

Result<StorageConfig> Canonicalize(const StorageConfig& input) {
  std::string type = CanonicalType(input.contains(kType) ? input.at(kType) : "s3");
  const std::vector<Key>* keys = KeysOf(type);
  if (keys == nullptr) {
    return Err(ErrorCode::kBadRequest,
               "Unsupported warehouse storage type '{}' (local, s3, azure, gcs)", type);
  }
  StorageConfig config;
  for (const auto& [name, value] : input) {
    const Key* match = nullptr;
    for (const auto* list : {&CommonKeys(), keys}) {
      for (const Key& key : *list) {
        if (name == key.canonical ||
            std::find_if(key.aliases.begin(), key.aliases.end(),
                         [&](const char* alias) { return name == alias; }) != key.aliases.end()) {
          match = &key;
        }
      }
    }
    if (match == nullptr) {
      std::string known;
      for (const auto* list : {&CommonKeys(), keys}) {
        for (const Key& key : *list)
          known += (known.empty() ? "" : ", ") + std::string(key.canonical);
      }
      return Err(ErrorCode::kBadRequest,
                 "Unknown storage_config key '{}' for a {} warehouse (known: {})", name, type,
                 known);
    }
    if (config.contains(match->canonical) && name != match->canonical) {
      continue;  // the canonical spelling wins over an alias given beside it
    }
    config[match->canonical] = value;
  }
  config[kType] = type;
  RETURN_IF_ERROR(CheckType(config, type));
  if (Get(config, kVending).empty()) config[kVending] = DefaultVending(config, type);
  RETURN_IF_ERROR(CheckVending(config, type));
  if (std::string duration = Get(config, kVendingDuration); !duration.empty()) {
    auto seconds = ParseInt(duration);
    if (!seconds || *seconds < 900 || *seconds > 43200) {
      return Err(ErrorCode::kBadRequest,
                 "storage_config.{} must be a number of seconds from 900 to 43200, got '{}'",
                 kVendingDuration, duration);
    }
  }
  return config;
}

}  // namespace pangolin::storage::vending
