// Parsing of Azure storage locations for the Azure FileIO:
//   abfss://<container>@<account>.dfs.core.windows.net/<path>   (also abfs://)
//   wasbs://<container>@<account>.blob.core.windows.net/<path>  (also wasb://)
// The account is the first label of the host; the path is the blob name, taken literally (no
// percent-decoding), so that a listed name appended to the root gives back the same location.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::storage::azure_internal {

struct AzureLocation {
  std::string root;  // "<scheme>://<container>@<host>/": what listed names are appended to
  std::string account;
  std::string container;
  std::string path;  // the blob name or name prefix, without a leading '/'
};

// True for the abfs, abfss, wasb and wasbs schemes.
bool IsAzureLocation(std::string_view location);

// Errors: kInvalidArgument (another scheme, no container or account, a container or account name
// the service would refuse, an empty, "." or ".." path segment inside the path, a NUL byte).
Result<AzureLocation> ParseAzureLocation(std::string_view location);

// The blob name as a URL path: each segment percent-encoded, '/' kept.
std::string EncodeBlobPath(std::string_view path);

}  // namespace pangolin::storage::azure_internal
