// FileIO over Google Cloud Storage's JSON API, for `gs://bucket/object` locations, authenticated
// with a service account's OAuth tokens or a fixed token (or not at all, for emulators).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "net/http_client.h"
#include "storage/file_io.h"

namespace pangolin::storage {

struct GcsConfig {
  std::string endpoint;    // empty = https://storage.googleapis.com (an emulator: http://host:port)
  std::string project_id;  // informational: object calls name no project
  std::string service_account_json;  // a service-account key file's JSON, or
  std::string access_token;          // a fixed OAuth token (not refreshed), or
  bool anonymous = false;            // no Authorization at all (emulators only)
  int list_page_size = 1000;         // objects per listing request (1..1000)
};

// Exactly one of service_account_json, access_token and anonymous must be given. With a service
// account, tokens carry the devstorage.read_write scope and are refreshed before they expire.
//
// Read fetches the media (answers up to 256 MiB); Exists asks for the metadata; WriteNew is one
// media upload with ifGenerationMatch=0, so GCS creates the object only when none exists
// (kAlreadyExists otherwise; a retried upload whose first attempt landed is recognised by its
// content); Delete treats 404 as done; List pages through the prefix's objects, sorted by name;
// DeletePrefix treats the prefix as a directory ("…/t" removes "…/t/…", never "…/t2") and
// refuses a whole bucket. Every call retries on lost connections, throttling and 5xx.
// Errors: kInvalidArgument (a location that is not gs://, an invalid bucket, no object name,
// "."/".." segments or control characters); kNotFound (Read of a missing object); kForbidden
// (GCS or the token service refused the credentials); kIo (anything else, with Google's
// message). MakeGcsFileIO: kInvalidArgument for an invalid configuration or key file.
Result<std::unique_ptr<FileIO>> MakeGcsFileIO(GcsConfig config,
                                              std::shared_ptr<net::HttpClient> client);

}  // namespace pangolin::storage
