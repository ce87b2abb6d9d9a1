// The one mapping from ErrorCode to HTTP status and to the error bodies: the Iceberg spec's
// ErrorModel on /v1 routes, {"error": "..."} on the management API.
#pragma once

#include "common/result.h"
#include "http/message.h"

namespace pangolin::api {

int HttpStatus(ErrorCode code);
// The Java exception name clients branch on (ErrorModel.type).
std::string_view IcebergErrorType(ErrorCode code);

http::Response IcebergError(const Error& error);
http::Response ManagementError(const Error& error);

}  // namespace pangolin::api
