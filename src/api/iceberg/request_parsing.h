// Decoding of Iceberg path and query parameters: namespaces joined by the unit separator,
// pagination, and the catalog named by {prefix}.
#pragma once

#include <optional>
#include <string>

#include "catalog/model.h"
#include "common/result.h"
#include "http/message.h"
#include "http/router.h"
#include "store/metadata_store.h"

namespace pangolin::api {

// "a\x1fb" (already percent-decoded) -> {"a", "b"}. Errors: kBadRequest on an empty level.
Result<catalog::Namespace> ParseNamespace(std::string_view decoded);

struct Paging {
  store::PageRequest page;
  bool paged = false;  // the client sent pageToken or pageSize: answer with next-page-token
};
// Errors: kBadRequest for a pageSize that is not a positive integer.
Result<Paging> ParsePaging(const http::Request& request);

// The value of a path parameter (always present when the route matched).
const std::string& Param(const http::PathParams& params, std::string_view name);

}  // namespace pangolin::api
