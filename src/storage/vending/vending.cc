// Vended credentials per method: STS AssumeRole with a session policy for the prefix (S3), a
// directory SAS (Azure), a downscoped token (GCS), or the warehouse's static S3 keys when it is
// configured for them.
#include "common/strings.h"
#include "storage/azure/sas.h"
#include "storage/gcs/downscope.h"
#include "storage/s3/sts.h"
#include "storage/vending/backends_internal.h"
#include "storage/vending/storage_keys_internal.h"

namespace pangolin::storage::vending {
namespace {

// "scheme://authority/path" → (authority, path without surrounding '/').
std::pair<std::string, std::string> SplitLocation(std::string_view location) {
  size_t scheme = location.find("://");
  std::string_view rest = scheme == std::string_view::npos ? location : location.substr(scheme + 3);
  size_t slash = rest.find('/');
  std::string authority(rest.substr(0, slash));
  std::string path(slash == std::string_view::npos ? "" : rest.substr(slash + 1));
  while (!path.empty() && path.back() == '/') path.pop_back();
  return {authority, path};
}

std::chrono::system_clock::time_point Now(const Clock& clock) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(clock.NowMs()));
}

int64_t ToMs(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

VendedCredentials WithClientProperties(const StorageConfig& config, std::string_view prefix) {
  VendedCredentials out;
  out.prefix = std::string(prefix);
  out.config = ClientPropertiesOf(config);
  return out;
}

}  // namespace

Result<VendedCredentials> VendS3(const StorageConfig& config, net::HttpClient& client,
                                 std::string_view prefix, Access access, const Clock& clock) {
  VendedCredentials out = WithClientProperties(config, prefix);
  if (Get(config, kVending) == "aws-static") {
    out.config["s3.access-key-id"] = Get(config, kS3AccessKeyId);
    out.config["s3.secret-access-key"] = Get(config, kS3SecretAccessKey);
    if (std::string token = Get(config, kS3SessionToken); !token.empty()) {
      out.config["s3.session-token"] = token;
    }
    return out;
  }
  auto [bucket, key_prefix] = SplitLocation(prefix);
  s3::StsRequest request;
  request.endpoint = Get(config, kS3StsEndpoint);
  if (request.endpoint.empty()) request.endpoint = Get(config, kS3Endpoint);
  if (std::string region = Get(config, kS3Region); !region.empty()) request.region = region;
  request.access_key_id = Get(config, kS3AccessKeyId);
  request.secret_access_key = Get(config, kS3SecretAccessKey);
  request.session_token = Get(config, kS3SessionToken);
  request.role_arn = Get(config, kS3RoleArn);
  request.external_id = Get(config, kS3ExternalId);
  request.duration = VendingDuration(config);
  request.policy = s3::SessionPolicyForPrefix(bucket, key_prefix, access == Access::kReadWrite);
  ASSIGN_OR_RETURN(s3::TemporaryCredentials credentials, s3::AssumeRole(client, request));
  out.config["s3.access-key-id"] = credentials.access_key_id;
  out.config["s3.secret-access-key"] = credentials.secret_access_key;
  out.config["s3.session-token"] = credentials.session_token;
  out.expires_at_ms = ToMs(credentials.expiration);
  out.config["s3.session-token-expires-at-ms"] = std::to_string(*out.expires_at_ms);
  return out;
}

Result<VendedCredentials> VendAzure(const StorageConfig& config, std::string_view prefix,
                                    Access access, const Clock& clock) {
  VendedCredentials out = WithClientProperties(config, prefix);
  auto [authority, directory] = SplitLocation(prefix);
  std::string account = Get(config, kAdlsAccountName);
  auto expiry = Now(clock) + VendingDuration(config);
  ASSIGN_OR_RETURN(
      std::string sas,
      azure::DirectoryScopedSas(account, Get(config, kAdlsAccountKey), Get(config, kAdlsContainer),
                                directory, access == Access::kReadWrite, expiry,
                                GetBool(config, kAdlsHierarchical),
                                Get(config, kAdlsEndpoint).starts_with("http://")));
  out.expires_at_ms = ToMs(expiry);
  // Iceberg's ADLSFileIO reads the token per account host; PyIceberg reads the plain keys.
  for (const char* host : {".dfs.core.windows.net", ".blob.core.windows.net"}) {
    out.config["adls.sas-token." + account + host] = sas;
    out.config["adls.sas-token-expires-at-ms." + account + host] =
        std::to_string(*out.expires_at_ms);
  }
  out.config["adls.sas-token"] = sas;
  // A custom endpoint (an emulator, a sovereign cloud) is not derivable from the account name:
  // clients that take a connection string get one with the endpoint and the SAS.
  if (std::string endpoint = Get(config, kAdlsEndpoint); !endpoint.empty()) {
    out.config["adls.connection-string"] =
        "BlobEndpoint=" + endpoint + ";SharedAccessSignature=" + sas;
  }
  return out;
}

Result<VendedCredentials> VendGcs(const StorageConfig& config, const Backend& backend,
                                  net::HttpClient& client, std::string_view prefix, Access access,
                                  const Clock& clock) {
  VendedCredentials out = WithClientProperties(config, prefix);
  auto [bucket, object_prefix] = SplitLocation(prefix);
  std::string sts = Get(config, kGcsStsEndpoint);
  ASSIGN_OR_RETURN(gcs::AccessToken token,
                   gcs::DownscopedToken(client, *backend.platform_tokens, bucket, object_prefix,
                                        access == Access::kReadWrite, clock.NowMs(),
                                        sts.empty() ? gcs::kDefaultStsEndpoint : sts));
  out.config["gcs.oauth2.token"] = token.value;
  if (token.expires_at_ms > 0) {
    out.expires_at_ms = token.expires_at_ms;
    out.config["gcs.oauth2.token-expires-at"] = std::to_string(token.expires_at_ms);
  }
  return out;
}

}  // namespace pangolin::storage::vending
