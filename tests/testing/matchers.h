// gMock matchers for Result: EXPECT_THAT(r, IsOk()); EXPECT_THAT(r, IsError(ErrorCode::kNotFound)).
#pragma once

#include <gmock/gmock.h>

#include "common/result.h"

namespace pangolin::testing {

MATCHER(IsOk, "is ok") {
  if (arg) return true;
  *result_listener << "error " << ErrorCodeName(arg.error().code) << ": " << arg.error().message;
  return false;
}

MATCHER_P(IsError, code, "is error " + std::string(ErrorCodeName(code))) {
  if (arg) {
    *result_listener << "is ok";
    return false;
  }
  *result_listener << "error " << ErrorCodeName(arg.error().code) << ": " << arg.error().message;
  return arg.error().code == code;
}

MATCHER_P2(IsErrorWithMessage, code, substring,
           "is error " + std::string(ErrorCodeName(code)) + " containing \"" +
               std::string(substring) + "\"") {
  if (arg) {
    *result_listener << "is ok";
    return false;
  }
  *result_listener << "error " << ErrorCodeName(arg.error().code) << ": " << arg.error().message;
  return arg.error().code == code && arg.error().message.find(substring) != std::string::npos;
}

}  // namespace pangolin::testing

// Unwraps a Result in a test, failing the test (and aborting it) on error.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                           \
  auto PANGOLIN_CONCAT(test_result_, __LINE__) = (expr);          \
  ASSERT_TRUE(PANGOLIN_CONCAT(test_result_, __LINE__))            \
      << PANGOLIN_CONCAT(test_result_, __LINE__).error().message; \
  lhs = std::move(*PANGOLIN_CONCAT(test_result_, __LINE__))
