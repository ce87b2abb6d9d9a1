// Downscoped GCS tokens (Credential Access Boundaries): a token that may only read, or read and
// write, the objects under one prefix of one bucket, made from a broader source token by Google's
// Security Token Service. This is what Pangolin vends to engines for a table's location.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "net/http_client.h"
#include "storage/gcs/token_source.h"

namespace pangolin::storage::gcs {

inline constexpr std::string_view kDefaultStsEndpoint = "https://sts.googleapis.com/v1/token";
inline constexpr std::string_view kRoleObjectViewer = "inRole:roles/storage.objectViewer";
inline constexpr std::string_view kRoleObjectAdmin = "inRole:roles/storage.objectAdmin";

// The Credential Access Boundary (`{"accessBoundary":{…}}`) for the objects of `bucket` under
// `object_prefix` taken as a directory ("a/t" covers "a/t/…", never "a/t2"; trailing slashes
// are ignored): one rule on //storage.googleapis.com/projects/_/buckets/<bucket> granting
// storage.objectViewer (`write` false) or storage.objectAdmin (`write` true), available when the
// object name starts with "<prefix>/" or, for listings, when the listed prefix does (the
// storage.googleapis.com/objectListPrefix API attribute). Quotes and backslashes in the prefix
// are escaped for CEL. Errors: kInvalidArgument (an invalid bucket name; an empty prefix, which
// would grant the whole bucket; control characters in the prefix).
Result<std::string> AccessBoundaryJson(std::string_view bucket, std::string_view object_prefix,
                                       bool write);

// Exchanges `source_token` (which must carry the cloud-platform scope) at `sts_endpoint` for a
// token limited by `boundary_json`: grant_type token-exchange, subject and requested token
// types access_token, options = {"accessBoundary":…}. The expiry is STS's `expires_in` from
// `now_ms`, else `source_expires_at_ms` (a downscoped token lives as long as its source).
// Errors: kForbidden (STS refused, with its reason — never a placeholder token); kUnavailable
// (unreachable or failing); kIo (any other answer).
Result<AccessToken> ExchangeForDownscopedToken(net::HttpClient& client,
                                               std::string_view sts_endpoint,
                                               const AccessToken& source_token,
                                               std::string_view boundary_json, int64_t now_ms);

// The boundary for (bucket, prefix, write), then the exchange of a token from `source`.
// Errors: those of AccessBoundaryJson, of source.Token() and of the exchange.
Result<AccessToken> DownscopedToken(net::HttpClient& client, AccessTokenSource& source,
                                    std::string_view bucket, std::string_view object_prefix,
                                    bool write, int64_t now_ms,
                                    std::string_view sts_endpoint = kDefaultStsEndpoint);

}  // namespace pangolin::storage::gcs
