// FileIO over Amazon S3 and S3-compatible stores (MinIO, Ceph, R2, …), and over Google Cloud
// Storage's XML API with HMAC keys, signed with SigV4 and sent through net::HttpClient with the
// storage retry policy.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "net/http_client.h"
#include "storage/file_io.h"

namespace pangolin::storage {

// The service that speaks the protocol.
enum class S3Flavor {
  kS3,
  // Google Cloud Storage's XML API with HMAC keys: `gs://` locations, GOOG4-HMAC-SHA256 signatures
  // (service "storage"), create-only writes with
  // x-goog-if-generation-match: 0, and one DELETE per object (the XML API has no DeleteObjects).
  kGcsXml,
};

struct S3Config {
  S3Flavor flavor = S3Flavor::kS3;
  // empty = https://s3.<region>.amazonaws.com (kGcsXml: https://storage.googleapis.com); http://
  // allowed (MinIO)
  std::string endpoint;
  std::string region = "us-east-1";  // GCS: "auto"
  bool path_style = false;  // https://endpoint/bucket/key rather than https://bucket.endpoint/key
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // with temporary credentials
};

// Handles `s3://bucket/key`, `s3a://…` and `s3n://…` (kGcsXml: `gs://bucket/object`); List returns
// locations in the scheme of the prefix it was given. Keys with "." or ".." segments, empty
// segments or control characters, a missing or malformed bucket, an empty key where an object is
// meant, and other schemes are refused with kInvalidArgument. DeletePrefix treats its prefix as a
// directory ("…/t" deletes "…/t/…", never "…/t2") and refuses a whole bucket.
//
// WriteNew is a conditional PUT (If-None-Match: *, or GCS's generation precondition), so of
// concurrent writers exactly one wins and the others get kAlreadyExists; S3 makes the object
// durable before answering. Reads of objects over 256 MiB fail with kIo. Errors beyond the FileIO
// contract: kForbidden (S3 answered 403), kUnavailable (the endpoint cannot be reached after
// retries); other failures are kIo with S3's error code and message.
//
// Errors of the factory: kInvalidArgument (malformed endpoint, missing credentials or client).
Result<std::unique_ptr<FileIO>> MakeS3FileIO(S3Config config,
                                             std::shared_ptr<net::HttpClient> client);

}  // namespace pangolin::storage
