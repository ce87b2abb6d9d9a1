// Names of error codes, for logs and tests.
#include "common/result.h"

namespace pangolin {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "BadRequest";
    case ErrorCode::kInvalidArgument:
      return "InvalidArgument";
    case ErrorCode::kValidation:
      return "Validation";
    case ErrorCode::kNotAuthorized:
      return "NotAuthorized";
    case ErrorCode::kForbidden:
      return "Forbidden";
    case ErrorCode::kNoSuchNamespace:
      return "NoSuchNamespace";
    case ErrorCode::kNoSuchTable:
      return "NoSuchTable";
    case ErrorCode::kNoSuchView:
      return "NoSuchView";
    case ErrorCode::kNoSuchWarehouse:
      return "NoSuchWarehouse";
    case ErrorCode::kNoSuchPlanId:
      return "NoSuchPlanId";
    case ErrorCode::kNoSuchPlanTask:
      return "NoSuchPlanTask";
    case ErrorCode::kNotFound:
      return "NotFound";
    case ErrorCode::kUnsupported:
      return "Unsupported";
    case ErrorCode::kAlreadyExists:
      return "AlreadyExists";
    case ErrorCode::kNamespaceNotEmpty:
      return "NamespaceNotEmpty";
    case ErrorCode::kCommitFailed:
      return "CommitFailed";
    case ErrorCode::kConflict:
      return "Conflict";
    case ErrorCode::kPayloadTooLarge:
      return "PayloadTooLarge";
    case ErrorCode::kUnprocessable:
      return "Unprocessable";
    case ErrorCode::kTooManyRequests:
      return "TooManyRequests";
    case ErrorCode::kCommitStateUnknown:
      return "CommitStateUnknown";
    case ErrorCode::kUnavailable:
      return "Unavailable";
    case ErrorCode::kIo:
      return "Io";
    case ErrorCode::kInternal:
      return "Internal";
  }
  return "Unknown";
}

}  // namespace pangolin
