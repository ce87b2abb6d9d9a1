// ErrorCode -> HTTP mapping.
#include "api/errors.h"

#include "serde/rest_catalog.h"

namespace pangolin::api {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kValidation:
      return 400;
    case ErrorCode::kNotAuthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNoSuchNamespace:
    case ErrorCode::kNoSuchTable:
    case ErrorCode::kNoSuchView:
    case ErrorCode::kNoSuchWarehouse:
    case ErrorCode::kNoSuchPlanId:
    case ErrorCode::kNoSuchPlanTask:
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnsupported:
      return 406;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kNamespaceNotEmpty:
    case ErrorCode::kCommitFailed:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kCommitStateUnknown:
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view IcebergErrorType(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "BadRequestException";
    case ErrorCode::kInvalidArgument:
      return "IllegalArgumentException";
    case ErrorCode::kValidation:
      return "ValidationException";
    case ErrorCode::kNotAuthorized:
      return "NotAuthorizedException";
    case ErrorCode::kForbidden:
      return "ForbiddenException";
    case ErrorCode::kNoSuchNamespace:
      return "NoSuchNamespaceException";
    case ErrorCode::kNoSuchTable:
      return "NoSuchTableException";
    case ErrorCode::kNoSuchView:
      return "NoSuchViewException";
    case ErrorCode::kNoSuchWarehouse:
      return "NoSuchWarehouseException";
    case ErrorCode::kNoSuchPlanId:
      return "NoSuchPlanIdException";
    case ErrorCode::kNoSuchPlanTask:
      return "NoSuchPlanTaskException";
    case ErrorCode::kNotFound:
      return "NotFoundException";
    case ErrorCode::kUnsupported:
      return "UnsupportedOperationException";
    case ErrorCode::kAlreadyExists:
      return "AlreadyExistsException";
    case ErrorCode::kNamespaceNotEmpty:
      return "NamespaceNotEmptyException";
    case ErrorCode::kCommitFailed:
      return "CommitFailedException";
    case ErrorCode::kConflict:
      return "ConflictException";
    case ErrorCode::kPayloadTooLarge:
      return "BadRequestException";
    case ErrorCode::kUnprocessable:
      return "UnprocessableEntityException";
    case ErrorCode::kTooManyRequests:
      return "TooManyRequestsException";
    case ErrorCode::kCommitStateUnknown:
      return "CommitStateUnknownException";
    case ErrorCode::kUnavailable:
      return "ServiceUnavailableException";
    case ErrorCode::kIo:
      return "RuntimeIOException";
    case ErrorCode::kInternal:
      return "InternalServerError";
  }
  return "InternalServerError";
}

http::Response IcebergError(const Error& error) {
  int status = HttpStatus(error.code);
  return http::Response::Json(
      status, serde::IcebergErrorJson(status, IcebergErrorType(error.code), error.message));
}

http::Response ManagementError(const Error& error) {
  return http::Response::Json(HttpStatus(error.code), serde::ManagementErrorJson(error.message));
}

}  // namespace pangolin::api
