// S3 locations (`s3://bucket/key`, also `s3a://` and `s3n://`) and the HTTP addresses of their
// objects on an endpoint, virtual-hosted or path style.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/s3/http_url_internal.h"
#include "storage/s3/s3_file_io.h"

namespace pangolin::storage::s3 {

struct S3Location {
  std::string scheme;  // "s3", "s3a" or "s3n" as written, or "gs"
  std::string bucket;
  std::string key;  // without the leading '/'; may be empty for a prefix

  // "<scheme>://<bucket>/<key>" for another key of the same bucket and scheme.
  std::string WithKey(std::string_view other_key) const;
};

// True for the s3, s3a and s3n schemes (case-insensitive); for kGcsXml, gs.
bool IsS3Location(std::string_view location, S3Flavor flavor = S3Flavor::kS3);

// Errors: kInvalidArgument: another scheme; a bucket that is missing or not a valid bucket
// name; with `key_required`, an empty key or one ending in '/'; "." or ".." segments, empty
// segments inside the key, control characters.
Result<S3Location> ParseS3Location(std::string_view location, bool key_required,
                                   S3Flavor flavor = S3Flavor::kS3);

// Where requests for one bucket go.
struct S3Endpoint {
  HttpUrl base;  // scheme and host of the service; path "/" or a base path without trailing '/'
  bool path_style = false;
};

// `endpoint` empty = https://s3.<region>.amazonaws.com (kGcsXml: https://storage.googleapis.com).
// Errors: kInvalidArgument.
Result<S3Endpoint> ParseS3Endpoint(std::string_view endpoint, std::string_view region,
                                   bool path_style, S3Flavor flavor = S3Flavor::kS3);

// The URL of `key` in `bucket` (key empty: the bucket itself), with `query` (already encoded)
// appended when not empty. Buckets with dots go path style over https (their virtual host would
// not match the certificate).
std::string ObjectUrl(const S3Endpoint& endpoint, std::string_view bucket, std::string_view key,
                      std::string_view query = {});

}  // namespace pangolin::storage::s3
