// AWS Signature Version 4 (header signing and query-string presigning) on OpenSSL's SHA-256 and
// HMAC. Pure functions of the request, the credentials and the time passed in: they read no clock
// and send nothing. The dialect (algorithm name, key prefix, scope terminator, header prefix) is a
// parameter, so Google Cloud Storage's GOOG4-HMAC-SHA256 variant reuses the same code.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "net/http_client.h"

namespace pangolin::storage::s3 {

// The names that differ between AWS4 and GOOG4 signing.
struct SigV4Dialect {
  std::string algorithm = "AWS4-HMAC-SHA256";
  std::string key_prefix = "AWS4";          // prepended to the secret for the first HMAC
  std::string terminator = "aws4_request";  // the last element of the credential scope
  std::string header_prefix = "x-amz";      // x-amz-date, x-amz-content-sha256, …
  std::string query_prefix = "X-Amz";       // X-Amz-Algorithm, X-Amz-Credential, … (presigning)
};
SigV4Dialect AwsDialect();
// GCS HMAC keys: GOOG4-HMAC-SHA256, "GOOG4" key prefix, goog4_request, x-goog-*.
SigV4Dialect GoogDialect();

struct SigV4Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct SigV4Params {
  SigV4Credentials credentials;
  std::string region = "us-east-1";
  std::string service = "s3";
  SigV4Dialect dialect;
  // S3 (and GCS) sign the path as sent, each segment encoded once. Every other AWS service
  // encodes the encoded path a second time ("%20" is signed as "%2520").
  bool double_encode_path = false;
  // Adds and signs `<prefix>-content-sha256` with the payload hash (S3 requires it; the generic
  // test suite does not use it).
  bool send_content_sha256 = true;
};

// The SHA-256 of an empty payload, and the marker for a payload that is not signed.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// Header name -> values, as the Iceberg REST remote-signing protocol describes a request. Names
// are matched case-insensitively; several values of one name are signed joined by ','.
using HeaderValues = std::map<std::string, std::vector<std::string>>;

// A request described rather than sent: what a client asks the catalog to sign.
struct DescribedRequest {
  std::string method;
  std::string url;  // absolute http(s) URL with its query, percent-encoded as it will be sent
  HeaderValues headers;
  // Hex SHA-256 of the body or "UNSIGNED-PAYLOAD"; empty = the request's own
  // `<prefix>-content-sha256` header when it has one, else UNSIGNED-PAYLOAD.
  std::string payload_hash;
};

struct SignedRequest {
  std::string url;  // unchanged
  // Every header to send (names lower-cased): the request's own plus host, <prefix>-date,
  // <prefix>-content-sha256 (when the params ask for it), <prefix>-security-token (with a session
  // token) and authorization. The intermediate texts are kept for tests and debugging.
  HeaderValues headers;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

// Signs a described request at `now`. Every header given is signed except hop-by-hop ones
// (connection, expect, keep-alive, te, trailer, transfer-encoding, upgrade, proxy-*), user-agent
// and x-amzn-trace-id, which intermediaries may change; any authorization, date or token header
// given is replaced. Errors: kInvalidArgument (URL not absolute http(s), malformed escapes,
// method or credentials missing).
Result<SignedRequest> SignDescribedRequest(const DescribedRequest& request,
                                           const SigV4Params& params,
                                           std::chrono::system_clock::time_point now);

// Signs `request` in place for sending: adds host-derived signing headers and Authorization.
// `payload_hash` as in DescribedRequest (empty = hash of request.body). Errors: as above.
Status SignHttpRequest(net::HttpRequest& request, const SigV4Params& params,
                       std::chrono::system_clock::time_point now,
                       std::string_view payload_hash = {});

// Turns a string to sign into the hex signature, for signers whose key is no HMAC secret (a
// service account's RSA key: GOOG4-RSA-SHA256).
using StringSigner = std::function<Result<std::string>(std::string_view string_to_sign)>;

// A presigned URL for `request` (its method, its URL with any query of its own, and the headers
// the request will carry, all signed besides host), valid `expires` from `now` (1 s to 7 days):
// the URL with <Prefix>-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Security-Token
// (with a session token) and the other parameters in canonical order, then -Signature. The
// payload is request.payload_hash, else the request's `<prefix>-content-sha256` header, else
// UNSIGNED-PAYLOAD. `sign` replaces the HMAC of the params' secret, which may then be empty.
// Errors: kInvalidArgument, or what `sign` returns.
Result<std::string> PresignUrl(const DescribedRequest& request, const SigV4Params& params,
                               std::chrono::system_clock::time_point now,
                               std::chrono::seconds expires, const StringSigner& sign = {});

// "20150830T123600Z" for `now` (UTC).
std::string AmzDate(std::chrono::system_clock::time_point now);

}  // namespace pangolin::storage::s3
