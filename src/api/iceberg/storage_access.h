// api-private: what engines get to reach a table's files (X-Iceberg-Access-Delegation):
// vended credentials, or the configuration of remote signing; shared by the table routes and the
// credentials and signing routes (storage_access.cc).
#pragma once

#include <string_view>
#include <vector>

#include "api/iceberg/registrar.h"
#include "serde/rest_catalog.h"

namespace pangolin::api::iceberg_routes {

inline constexpr std::string_view kVendedCredentials = "vended-credentials";
inline constexpr std::string_view kRemoteSigning = "remote-signing";

// Whether the caller named `mode` in X-Iceberg-Access-Delegation (a comma-separated list).
bool WantsDelegation(const Request& req, std::string_view mode);

// The storage access for `table` as the caller asked: vended credentials when it accepts them
// and the warehouse vends (read-write for callers who may write the table, read-only for the
// others); otherwise, when it accepts remote signing and the warehouse can sign, the signer's
// configuration; and always the warehouse's client properties.
Result<service::TableAccess> AccessFor(Registrar& r, const Request& req, const Context& ctx,
                                       const CatalogHandle& cat, const catalog::TableIdentifier& id,
                                       const service::LoadedTable& table);

// `storage-credentials` of a LoadTableResult.
std::vector<serde::StorageCredential> Credentials(const service::TableAccess& access);

}  // namespace pangolin::api::iceberg_routes
