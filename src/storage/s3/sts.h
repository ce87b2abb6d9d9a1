// AWS STS AssumeRole (signed SigV4 form POST) and the inline session policy that narrows vended
// credentials to one table's prefix, read-only or read-write. MinIO serves the same API on its
// S3 endpoint.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"
#include "net/http_client.h"

namespace pangolin::storage::s3 {

struct StsRequest {
  std::string endpoint;  // empty = https://sts.<region>.amazonaws.com
  std::string region = "us-east-1";
  // The caller's own (long-term) credentials, which sign the request.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string role_arn;  // required by AWS; MinIO ignores it
  std::string role_session_name = "pangolin";
  std::chrono::seconds duration{3600};  // AWS and MinIO accept 900 s and more
  std::string policy;                   // inline session policy JSON; empty = none
  std::string external_id;              // empty = none
};

struct TemporaryCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::chrono::system_clock::time_point expiration;
};

// Calls AssumeRole (Version 2011-06-15), retried as storage calls are.
// Errors: kInvalidArgument (bad request values, or STS answered 400); kForbidden (STS answered
// 403: the caller may not assume the role); kUnavailable (STS unreachable); kIo (any other
// failure, with STS's error code and message, or an answer without credentials).
Result<TemporaryCredentials> AssumeRole(net::HttpClient& client, const StsRequest& request);

// The session policy JSON (compact, deterministic) that allows s3:GetObject — and with `write`
// also s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload and s3:ListMultipartUploadParts —
// on `arn:aws:s3:::<bucket>/<prefix>/*`, s3:ListBucket on the bucket for the keys `<prefix>` and
// `<prefix>/*` only, and s3:GetBucketLocation. Leading and trailing '/' of the prefix are
// ignored; an empty prefix means the whole bucket. '*', '?' and '$' in the bucket or prefix are
// written as the policy variables ${*}, ${?} and ${$}, so they match only themselves.
std::string SessionPolicyForPrefix(std::string_view bucket, std::string_view key_prefix,
                                   bool write);

}  // namespace pangolin::storage::s3
