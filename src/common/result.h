// Error and Result: the one error vocabulary of Pangolin. ErrorCode mirrors the Iceberg REST error
// types so that the HTTP layer can map every failure to the spec's status and `type` in one place.
#pragma once

#include <fmt/format.h>

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace pangolin {

enum class ErrorCode {
  kBadRequest,          // 400 malformed request (BadRequestException)
  kInvalidArgument,     // 400 semantically invalid value (IllegalArgumentException)
  kValidation,          // 400 metadata would be invalid (ValidationException)
  kNotAuthorized,       // 401
  kForbidden,           // 403
  kNoSuchNamespace,     // 404
  kNoSuchTable,         // 404
  kNoSuchView,          // 404
  kNoSuchWarehouse,     // 404
  kNoSuchPlanId,        // 404 an unknown or malformed scan plan id
  kNoSuchPlanTask,      // 404 an unknown or malformed scan plan task
  kNotFound,            // 404 anything else (catalogs, tenants, files)
  kUnsupported,         // 406
  kAlreadyExists,       // 409
  kNamespaceNotEmpty,   // 409
  kCommitFailed,        // 409 a requirement or compare-and-swap failed
  kConflict,            // 409 management-level conflict (e.g. warehouse still in use)
  kPayloadTooLarge,     // 413
  kUnprocessable,       // 422
  kTooManyRequests,     // 429 throttled; retry later
  kCommitStateUnknown,  // 500 the outcome of a commit is not known
  kUnavailable,         // 503 a dependency (store, storage) is unreachable; retry later
  kIo,                  // 500 storage read/write failed
  kInternal,            // 500 a bug
};

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

template <typename... Args>
tl::unexpected<Error> Err(ErrorCode code, fmt::format_string<Args...> format, Args&&... args) {
  return MakeError(code, fmt::format(format, std::forward<Args>(args)...));
}

inline Status Ok() { return {}; }

std::string_view ErrorCodeName(ErrorCode code);

}  // namespace pangolin

#define PANGOLIN_CONCAT_INNER(a, b) a##b
#define PANGOLIN_CONCAT(a, b) PANGOLIN_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define RETURN_IF_ERROR(expr)                                               \
  do {                                                                      \
    auto&& pangolin_status_ = (expr);                                       \
    if (!pangolin_status_) return tl::unexpected(pangolin_status_.error()); \
  } while (0)

#define PANGOLIN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)     \
  auto tmp = (expr);                                       \
  if (!tmp) return tl::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)

// `ASSIGN_OR_RETURN(auto x, F());` declares x from the value of F() or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  PANGOLIN_ASSIGN_OR_RETURN_IMPL(PANGOLIN_CONCAT(pangolin_result_, __LINE__), lhs, expr)
