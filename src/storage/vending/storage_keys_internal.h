// The storage_config keys of each warehouse type: one canonical spelling per concept (Iceberg's
// FileIO property names where one exists) and the aliases the original product's server, UI,
// CLI and SDK wrote, which are accepted and rewritten on the way in.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/warehouse_storage.h"

namespace pangolin::storage::vending {

// Canonical keys.
inline constexpr char kType[] = "type";  // local | s3 | azure | gcs
inline constexpr char kRoot[] = "root";  // where the warehouse's data lives
inline constexpr char kVending[] =
    "vending";  // none | aws-sts | aws-static | azure-sas | gcs-downscoped
inline constexpr char kVendingDuration[] = "vending.duration-seconds";  // 900..43200, default 3600

inline constexpr char kS3Bucket[] = "s3.bucket";
inline constexpr char kS3Region[] = "s3.region";
inline constexpr char kS3Endpoint[] = "s3.endpoint";
inline constexpr char kS3PathStyle[] = "s3.path-style-access";
inline constexpr char kS3AccessKeyId[] = "s3.access-key-id";
inline constexpr char kS3SecretAccessKey[] = "s3.secret-access-key";
inline constexpr char kS3SessionToken[] = "s3.session-token";
inline constexpr char kS3RoleArn[] = "s3.role-arn";
inline constexpr char kS3ExternalId[] = "s3.external-id";
inline constexpr char kS3StsEndpoint[] = "s3.sts-endpoint";

inline constexpr char kAdlsAccountName[] = "adls.account-name";
inline constexpr char kAdlsAccountKey[] = "adls.account-key";
inline constexpr char kAdlsSasToken[] = "adls.sas-token";
inline constexpr char kAdlsContainer[] = "adls.container";
inline constexpr char kAdlsEndpoint[] = "adls.endpoint";
inline constexpr char kAdlsHierarchical[] = "adls.hierarchical-namespace";

inline constexpr char kGcsBucket[] = "gcs.bucket";
inline constexpr char kGcsProjectId[] = "gcs.project-id";
inline constexpr char kGcsServiceAccount[] = "gcs.service-account-json";
inline constexpr char kGcsToken[] = "gcs.oauth2.token";
inline constexpr char kGcsHmacAccessKeyId[] = "gcs.hmac-access-key-id";  // HMAC keys: XML API
inline constexpr char kGcsHmacSecret[] = "gcs.hmac-secret";
inline constexpr char kGcsEndpoint[] = "gcs.endpoint";
inline constexpr char kGcsStsEndpoint[] = "gcs.sts-endpoint";
inline constexpr char kGcsNoAuth[] = "gcs.no-auth";  // emulators only

// The value of `key`, empty when absent.
std::string Get(const StorageConfig& config, std::string_view key);
// `key` parsed as a boolean ("true"/"false"…); false when absent.
bool GetBool(const StorageConfig& config, std::string_view key);

// See WarehouseStorage::Canonicalize.
Result<StorageConfig> Canonicalize(const StorageConfig& config);

}  // namespace pangolin::storage::vending
