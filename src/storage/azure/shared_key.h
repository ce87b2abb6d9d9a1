// Shared Key authorization of Azure Blob service requests (the string-to-sign of service version
// 2015-02-21 and later): the request's method, standard headers, `x-ms-` headers and resource are
// signed with HMAC-SHA256 under the account key, and the result is sent as
// `Authorization: SharedKey <account>:<signature>`.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"
#include "net/http_client.h"

namespace pangolin::storage::azure {

// The service version Pangolin speaks (`x-ms-version`, and `sv` of the SASes it issues).
inline constexpr std::string_view kServiceVersion = "2023-11-03";

// `time` as an RFC 1123 date in GMT ("Fri, 26 Jun 2015 23:39:12 GMT"), the form of `x-ms-date`.
std::string HttpDate(std::chrono::system_clock::time_point time);

// Decodes an account key (standard base64). Errors: kInvalidArgument (empty or not base64).
Result<std::string> DecodeAccountKey(std::string_view key_base64);

// The canonicalized resource: "/" + account + the URL's path as sent (still percent-encoded),
// then one line "name:value" per query parameter, names lower-cased and sorted, values decoded,
// the values of a repeated name sorted and joined with ",".
// Errors: kInvalidArgument (not an absolute http(s) URL, or a malformed escape in the query).
Result<std::string> CanonicalizedResource(std::string_view account, std::string_view url);

// The string-to-sign of `request`: the method, the values of Content-Encoding, Content-Language,
// Content-Length (the body's size; empty when 0), Content-MD5, Content-Type, Date,
// If-Modified-Since, If-Match, If-None-Match, If-Unmodified-Since and Range (empty when absent),
// the `x-ms-` headers (names lower-cased, sorted, "name:value"), and the canonicalized resource.
// Header names match case-insensitively. Errors: as CanonicalizedResource.
Result<std::string> SharedKeyStringToSign(const net::HttpRequest& request,
                                          std::string_view account);

// Base64 of HMAC-SHA256(key, string_to_sign); `key` is the decoded account key.
std::string SharedKeySignature(std::string_view key, std::string_view string_to_sign);

// Adds `x-ms-date` (from `now`) and `x-ms-version` unless the request has them, then the
// Authorization header. Call it last: a header added afterwards is not covered by the signature.
// Errors: as CanonicalizedResource.
Status SignSharedKey(net::HttpRequest& request, std::string_view account, std::string_view key,
                     std::chrono::system_clock::time_point now);

}  // namespace pangolin::storage::azure
