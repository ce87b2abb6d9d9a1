// Decoding of Iceberg path and query parameters: namespaces joined by the unit separator,
// pagination, and `name@ref` version selectors.
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

// A name that may select a catalog version: "name@ref" (a branch, tag or commit id).
struct RefName {
  std::string name;
  std::optional<std::string> ref;
};
// Splits at the last '@'. Errors: kBadRequest when either side is empty.
Result<RefName> SplitRef(std::string_view text);

// The value of a path parameter (always present when the route matched).
const std::string& Param(const http::PathParams& params, std::string_view name);

}  // namespace pangolin::api
