// serde-private conversions of view metadata pieces; the version parser is shared by
// view_metadata.cc and view_requests.cc (CreateViewRequest and add-view-version carry one).
#pragma once

#include <boost/json.hpp>

#include "common/result.h"
#include "iceberg/view_metadata.h"
#include "serde/json_writer.h"

namespace pangolin::serde::internal {

// Errors: kBadRequest naming the member.
Result<iceberg::ViewVersion> ViewVersionFromJson(const boost::json::value& value);

// Writers of the view metadata pieces (member order of Java's ViewMetadataParser and
// ViewVersionParser; unknown members last).
void Write(JsonWriter& w, const iceberg::ViewRepresentation& representation);
void Write(JsonWriter& w, const iceberg::ViewVersion& version);
void Write(JsonWriter& w, const iceberg::ViewHistoryEntry& entry);
void Write(JsonWriter& w, const iceberg::ViewMetadata& metadata);

}  // namespace pangolin::serde::internal
