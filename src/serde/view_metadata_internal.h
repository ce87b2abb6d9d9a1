// serde-private Boost.JSON conversions of view versions, shared by view_metadata.cc and
// view_requests.cc (CreateViewRequest and add-view-version carry one).
#pragma once

#include <boost/json.hpp>

#include "common/result.h"
#include "iceberg/view_metadata.h"

namespace pangolin::serde::internal {

// Errors: kBadRequest naming the member.
Result<iceberg::ViewVersion> ViewVersionFromJson(const boost::json::value& value);
boost::json::object ToJson(const iceberg::ViewVersion& version);

}  // namespace pangolin::serde::internal
