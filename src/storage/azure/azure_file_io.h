// FileIO over Azure Blob Storage and ADLS Gen2, through the Blob REST API (which also serves
// accounts with a hierarchical namespace). Locations:
//   abfss://<container>@<account>.dfs.core.windows.net/<path>   (also abfs://)
//   wasbs://<container>@<account>.blob.core.windows.net/<path>  (also wasb://)
// List returns locations in the form of the prefix it was given.
//
// Requests are authorized with the account key (Shared Key) or, without one, by appending a SAS
// token; every call goes through SendWithRetry. WriteNew is a conditional Put Blob
// (`If-None-Match: *`): exactly one of concurrent writers wins, the others get kAlreadyExists. A
// write whose answer was lost and retried recognises its own blob by a write id kept in the
// blob's metadata. DeletePrefix treats the prefix as a directory ("…/t" removes "…/t/…", never
// "…/t2") and refuses a whole container.
//
// Errors beyond FileIO's: kForbidden (403: a SAS without the permission, a wrong key);
// kInvalidArgument also for a location of another account than the configured one. Other
// failures are kIo carrying the service's error code and message.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "net/http_client.h"
#include "storage/file_io.h"

namespace pangolin::storage {

struct AzureConfig {
  std::string account_name;
  std::string account_key;  // base64, as the portal shows it
  std::string sas_token;    // alternative to the key: a query string, with or without '?'
  // Empty: https://<account>.blob.core.windows.net. For Azurite, e.g.
  // http://127.0.0.1:10000/devstoreaccount1 (path-style: the account is part of the endpoint).
  std::string endpoint;
};

// Errors: kInvalidArgument (no account name; neither key nor SAS token; a key that is not base64;
// an endpoint that is not http(s); no client).
Result<std::unique_ptr<FileIO>> MakeAzureFileIO(AzureConfig config,
                                                std::shared_ptr<net::HttpClient> client);

// Creates `container` unless it exists (for tests and first-run setup; needs the account key or a
// SAS allowed to create containers). Errors: kInvalidArgument; kForbidden; kIo.
Status CreateAzureContainer(const AzureConfig& config, net::HttpClient& client,
                            const std::string& container);

}  // namespace pangolin::storage
