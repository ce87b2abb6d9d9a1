// What the S3 tests need: the test server (MinIO started by scripts/services/minio.sh) from the
// environment, and FileIOs on it. PANGOLIN_TEST_S3_ENDPOINT is required; without it every S3 test
// fails, saying so. PANGOLIN_TEST_S3_ACCESS_KEY_ID, PANGOLIN_TEST_S3_SECRET_ACCESS_KEY,
// PANGOLIN_TEST_S3_REGION and PANGOLIN_TEST_S3_BUCKET default to minio.sh's fixed test values.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "common/ids.h"
#include "common/result.h"
#include "net/curl_http_client.h"
#include "storage/s3/s3_file_io.h"

namespace pangolin::storage::contract {

struct S3TestServer {
  std::string endpoint;  // http://127.0.0.1:PORT
  std::string region;
  std::string bucket;
  std::string access_key_id;
  std::string secret_access_key;
};

inline std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// Errors: kUnavailable (PANGOLIN_TEST_S3_ENDPOINT unset or empty).
inline Result<S3TestServer> S3TestServerFromEnv() {
  std::string endpoint = EnvOr("PANGOLIN_TEST_S3_ENDPOINT", "");
  if (endpoint.empty()) {
    return Err(ErrorCode::kUnavailable,
               "PANGOLIN_TEST_S3_ENDPOINT is not set: start MinIO with "
               "`scripts/services/minio.sh start DIR` and export the endpoint it prints");
  }
  return S3TestServer{endpoint, EnvOr("PANGOLIN_TEST_S3_REGION", "us-east-1"),
                      EnvOr("PANGOLIN_TEST_S3_BUCKET", "warehouse"),
                      EnvOr("PANGOLIN_TEST_S3_ACCESS_KEY_ID", "pangolin-root"),
                      EnvOr("PANGOLIN_TEST_S3_SECRET_ACCESS_KEY", "pangolin-root-secret")};
}

inline Result<std::shared_ptr<net::HttpClient>> TestHttpClient() {
  ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> client, net::MakeCurlHttpClient());
  return std::shared_ptr<net::HttpClient>(std::move(client));
}

// The test server's endpoint with "localhost" for its address, so that buckets are reached as
// virtual hosts (bucket.localhost, which libcurl resolves to loopback; minio.sh sets
// MINIO_DOMAIN=localhost).
inline std::string VirtualHostEndpoint(std::string endpoint) {
  const std::string address = "127.0.0.1";
  if (size_t at = endpoint.find(address); at != std::string::npos) {
    endpoint.replace(at, address.size(), "localhost");
  }
  return endpoint;
}

// An S3 FileIO on the test server with `server`'s credentials unless others are given.
inline Result<std::unique_ptr<FileIO>> MakeTestS3FileIO(const S3TestServer& server,
                                                        bool path_style = true,
                                                        std::string access_key_id = "",
                                                        std::string secret_access_key = "",
                                                        std::string session_token = "") {
  S3Config config;
  config.endpoint = path_style ? server.endpoint : VirtualHostEndpoint(server.endpoint);
  config.region = server.region;
  config.path_style = path_style;
  config.access_key_id = access_key_id.empty() ? server.access_key_id : access_key_id;
  config.secret_access_key =
      secret_access_key.empty() ? server.secret_access_key : secret_access_key;
  config.session_token = std::move(session_token);
  ASSIGN_OR_RETURN(auto client, TestHttpClient());
  return MakeS3FileIO(std::move(config), std::move(client));
}

// A fresh, empty root for one test: s3://<bucket>/<uuid>.
inline std::string FreshS3Root(const S3TestServer& server, const std::string& scheme = "s3") {
  return scheme + "://" + server.bucket + "/" + NewUuid();
}

}  // namespace pangolin::storage::contract
