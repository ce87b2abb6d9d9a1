// Where a catalog's tables live: the catalog's base location, default table locations, and the
// rule that every location a client names lies under its catalog's base (ARCHITECTURE §3.2).
#pragma once

#include <string>
#include <string_view>

#include "catalog/model.h"
#include "common/result.h"

namespace pangolin::catalog {

// "file:/a", "file:///a" and "/a" all become "file:///a"; trailing slashes are removed; other
// schemes are kept as given. Errors: kInvalidArgument for a relative path or a `.`/`..` segment.
Result<std::string> NormalizeLocation(std::string_view location);

// The catalog's `storage_location`, or else `<warehouse root>/<catalog name>`.
// Errors: kInvalidArgument when neither gives a location.
Result<std::string> CatalogBaseLocation(const Catalog& catalog, const Warehouse* warehouse);

// `<base>/<level>/…/<name>`; a segment that is `.`/`..` or holds `/` or `%` is percent-encoded,
// so a name can never climb out of its namespace's directory.
std::string DefaultTableLocation(std::string_view base, const Namespace& ns, std::string_view name);

// True when `location` (normalized) is `base` or lies below it.
bool IsUnder(std::string_view location, std::string_view base);

// Checks a client-supplied location against the catalog base and returns it normalized.
// Errors: kForbidden when it lies outside `base`; kInvalidArgument when malformed.
Result<std::string> CheckLocation(std::string_view location, std::string_view base);

}  // namespace pangolin::catalog
