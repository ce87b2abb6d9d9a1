// Entity tags for loadTable and loadView: a metadata file never changes once written, so its
// location (plus the representation variant, e.g. `snapshots=refs`) identifies the response body.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace pangolin::api {

// A strong entity tag, quoted: the same on every replica and across restarts.
std::string MetadataETag(std::string_view metadata_location, std::string_view variant);

// Whether the request's If-None-Match names `etag` (or is "*"); weak tags compare by value.
bool IfNoneMatchHits(const http::Request& request, std::string_view etag);

// 304 Not Modified carrying `etag`, no body.
http::Response NotModified(std::string etag);

}  // namespace pangolin::api
