// FileIOs of each warehouse type, and the client properties engines get.
#include "common/strings.h"
#include "storage/azure/azure_file_io.h"
#include "storage/gcs/gcs_file_io.h"
#include "storage/gcs/service_account.h"
#include "storage/local/local_file_io.h"
#include "storage/s3/s3_file_io.h"
#include "storage/vending/backends_internal.h"
#include "storage/vending/storage_keys_internal.h"

namespace pangolin::storage::vending {
namespace {

Result<std::unique_ptr<FileIO>> MakeFileIO(const StorageConfig& config,
                                           std::shared_ptr<net::HttpClient> client) {
  std::string type = Get(config, kType);
  if (type == "local") return MakeLocalFileIO();
  if (type == "s3") {
    S3Config s3;
    s3.endpoint = Get(config, kS3Endpoint);
    if (std::string region = Get(config, kS3Region); !region.empty()) s3.region = region;
    s3.path_style = GetBool(config, kS3PathStyle);
    s3.access_key_id = Get(config, kS3AccessKeyId);
    s3.secret_access_key = Get(config, kS3SecretAccessKey);
    s3.session_token = Get(config, kS3SessionToken);
    return MakeS3FileIO(std::move(s3), std::move(client));
  }
  if (type == "azure") {
    AzureConfig azure;
    azure.account_name = Get(config, kAdlsAccountName);
    azure.account_key = Get(config, kAdlsAccountKey);
    azure.sas_token = Get(config, kAdlsSasToken);
    azure.endpoint = Get(config, kAdlsEndpoint);
    return MakeAzureFileIO(std::move(azure), std::move(client));
  }
  if (!Get(config, kGcsHmacSecret).empty()) {  // the XML API, which speaks S3's protocol
    S3Config xml;
    xml.flavor = S3Flavor::kGcsXml;
    xml.endpoint = Get(config, kGcsEndpoint);
    xml.region = "auto";
    xml.path_style = true;
    xml.access_key_id = Get(config, kGcsHmacAccessKeyId);
    xml.secret_access_key = Get(config, kGcsHmacSecret);
    return MakeS3FileIO(std::move(xml), std::move(client));
  }
  GcsConfig gcs;
  gcs.endpoint = Get(config, kGcsEndpoint);
  gcs.project_id = Get(config, kGcsProjectId);
  gcs.service_account_json = Get(config, kGcsServiceAccount);
  gcs.access_token = Get(config, kGcsToken);
  gcs.anonymous = GetBool(config, kGcsNoAuth);
  return MakeGcsFileIO(std::move(gcs), std::move(client));
}

}  // namespace

Result<Backend> MakeBackend(const StorageConfig& config, std::shared_ptr<net::HttpClient> client,
                            const Clock& clock) {
  auto io = MakeFileIO(config, client);
  if (!io) return Err(ErrorCode::kBadRequest, "Warehouse storage: {}", io.error().message);
  Backend backend{std::shared_ptr<FileIO>(std::move(*io)), nullptr};
  if (Get(config, kType) == "gcs" && !Get(config, kGcsServiceAccount).empty()) {
    auto account = gcs::ServiceAccount::FromJson(Get(config, kGcsServiceAccount));
    if (!account) {
      return Err(ErrorCode::kBadRequest, "storage_config.{}: {}", kGcsServiceAccount,
                 account.error().message);
    }
    backend.platform_tokens = gcs::MakeServiceAccountTokenSource(
        std::move(*account), std::string(gcs::kScopeCloudPlatform), client, clock);
  }
  return backend;
}

std::map<std::string, std::string> ClientPropertiesOf(const StorageConfig& config) {
  std::map<std::string, std::string> out;
  auto copy = [&](const char* from, const char* to) {
    if (std::string value = Get(config, from); !value.empty()) out[to] = value;
  };
  std::string type = Get(config, kType);
  if (type == "s3") {
    copy(kS3Endpoint, "s3.endpoint");
    copy(kS3Region, "s3.region");
    copy(kS3PathStyle, "s3.path-style-access");
  } else if (type == "azure") {
    copy(kAdlsAccountName, "adls.account-name");
    copy(kAdlsEndpoint, "adls.endpoint");
  } else if (type == "gcs") {
    copy(kGcsProjectId, "gcs.project-id");
    copy(kGcsEndpoint, "gcs.service.host");
  }
  return out;
}

std::chrono::seconds VendingDuration(const StorageConfig& config) {
  return std::chrono::seconds(ParseInt(Get(config, kVendingDuration)).value_or(3600));
}

}  // namespace pangolin::storage::vending
