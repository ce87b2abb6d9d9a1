// Addressing and authorization of Blob service calls for one account: builds request URLs
// (endpoint, container, encoded blob name, query, SAS token), signs each attempt with Shared Key
// when the account key is known, sends through SendWithRetry, and turns failed answers into
// errors.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "net/http_client.h"
#include "storage/azure/azure_file_io.h"

namespace pangolin::storage::azure_internal {

using Params = std::vector<std::pair<std::string, std::string>>;

struct BlobCall {
  std::string method = "GET";
  std::string url;
  Params headers;
  std::string_view body;  // must outlive Send
  std::chrono::milliseconds timeout{30'000};
  size_t max_response_bytes = 4u << 20;
};

inline BlobCall MakeCall(std::string method, std::string url) {
  BlobCall call;
  call.method = std::move(method);
  call.url = std::move(url);
  return call;
}

class BlobClient {
 public:
  // Errors: as MakeAzureFileIO.
  static Result<BlobClient> Make(const AzureConfig& config,
                                 std::shared_ptr<net::HttpClient> client);

  const std::string& account() const { return account_; }

  // The URL of `container` (and of blob `blob` when not empty) with `query` (values encoded
  // here) and the SAS token, if any.
  std::string Url(std::string_view container, std::string_view blob, const Params& query) const;

  // Sends `call`, signing each attempt afresh. `attempts`, when given, receives how many
  // requests were sent. Errors: kIo (the service stayed unreachable).
  Result<net::HttpResponse> Send(const BlobCall& call, int* attempts = nullptr) const;

 private:
  std::string account_;
  std::optional<std::string> key_;  // decoded
  std::string sas_token_;           // without '?'
  std::string endpoint_;            // without a trailing '/'
  std::shared_ptr<net::HttpClient> client_;
};

// The service's error code of a failed answer: the x-ms-error-code header, else the body's Code.
std::string ServiceErrorCode(const net::HttpResponse& response);

// 403 → kForbidden, anything else → kIo; the message names the operation, the location, the
// status and the service's code and message.
Error FailedCall(std::string_view operation, std::string_view location,
                 const net::HttpResponse& response);

}  // namespace pangolin::storage::azure_internal
