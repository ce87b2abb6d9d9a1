// Blob service calls of one account (see blob_client_internal.h).
#include <algorithm>

#include "common/strings.h"
#include "storage/azure/azure_location_internal.h"
#include "storage/azure/azure_xml_internal.h"
#include "storage/azure/blob_client_internal.h"
#include "storage/azure/shared_key.h"
#include "storage/http_retry.h"

namespace pangolin::storage::azure_internal {

Result<BlobClient> BlobClient::Make(const AzureConfig& config,
                                    std::shared_ptr<net::HttpClient> client) {
  if (!client) return Err(ErrorCode::kInvalidArgument, "Azure FileIO needs an HTTP client");
  if (config.account_name.empty()) {
    return Err(ErrorCode::kInvalidArgument, "Azure FileIO needs an account name");
  }
  BlobClient out;
  out.account_ = config.account_name;
  out.client_ = std::move(client);
  if (!config.account_key.empty()) {
    ASSIGN_OR_RETURN(out.key_, azure::DecodeAccountKey(config.account_key));
  } else {
    std::string_view sas = Trim(config.sas_token);
    if (StartsWith(sas, "?")) sas.remove_prefix(1);
    if (sas.empty()) {
      return Err(ErrorCode::kInvalidArgument,
                 "Azure FileIO needs an account key or a SAS token for account {}",
                 config.account_name);
    }
    out.sas_token_ = std::string(sas);
  }
  out.endpoint_ = config.endpoint.empty()
                      ? fmt::format("https://{}.blob.core.windows.net", config.account_name)
                      : config.endpoint;
  while (EndsWith(out.endpoint_, "/")) out.endpoint_.pop_back();
  if (!StartsWith(out.endpoint_, "https://") && !StartsWith(out.endpoint_, "http://")) {
    return Err(ErrorCode::kInvalidArgument, "Azure endpoint must be an http(s) URL: {}",
               config.endpoint);
  }
  return out;
}

std::string BlobClient::Url(std::string_view container, std::string_view blob,
                            const Params& query) const {
  std::string url = endpoint_ + "/" + std::string(container);
  if (!blob.empty()) url += "/" + EncodeBlobPath(blob);
  std::vector<std::string> pairs;
  for (const auto& [name, value] : query) {
    pairs.push_back(name + "=" + PercentEncode(value));
  }
  if (!sas_token_.empty()) pairs.push_back(sas_token_);
  if (!pairs.empty()) url += "?" + Join(pairs, "&");
  return url;
}

Result<net::HttpResponse> BlobClient::Send(const BlobCall& call, int* attempts) const {
  int sent = 0;
  Status signing = Ok();
  auto make = [&]() {
    ++sent;
    net::HttpRequest request;
    request.method = call.method;
    request.url = call.url;
    request.headers = call.headers;
    // libcurl would label a body it sends as a form; the label is part of the signature.
    bool has_type = std::any_of(call.headers.begin(), call.headers.end(),
                                [](const auto& h) { return ToLower(h.first) == "content-type"; });
    if ((call.method == "PUT" || call.method == "POST") && !has_type) {
      request.headers.emplace_back("Content-Type", "application/octet-stream");
    }
    if (!key_) request.headers.emplace_back("x-ms-version", std::string(azure::kServiceVersion));
    request.body = std::string(call.body);
    request.timeout = call.timeout;
    request.max_response_bytes = call.max_response_bytes;
    if (key_) {
      Status signed_ok =
          azure::SignSharedKey(request, account_, *key_, std::chrono::system_clock::now());
      if (!signed_ok) signing = signed_ok;
    }
    return request;
  };
  auto answer = SendWithRetry(*client_, make);
  if (attempts) *attempts = sent;
  RETURN_IF_ERROR(signing);
  if (!answer) {
    return Err(ErrorCode::kIo, "Azure {} {}: {}", call.method,
               call.url.substr(0, call.url.find('?')), answer.error().message);
  }
  return answer;
}

std::string ServiceErrorCode(const net::HttpResponse& response) {
  if (auto code = response.Header("x-ms-error-code")) return *code;
  return ParseServiceError(response.body).code;
}

Error FailedCall(std::string_view operation, std::string_view location,
                 const net::HttpResponse& response) {
  ServiceError detail = ParseServiceError(response.body);
  if (detail.code.empty()) detail.code = ServiceErrorCode(response);
  ErrorCode code = response.status == 403 ? ErrorCode::kForbidden : ErrorCode::kIo;
  return Error{code, fmt::format("Azure {} {}: HTTP {} {}{}{}", operation, location,
                                 response.status, detail.code.empty() ? "(no code)" : detail.code,
                                 detail.message.empty() ? "" : ": ", detail.message)};
}

}  // namespace pangolin::storage::azure_internal
