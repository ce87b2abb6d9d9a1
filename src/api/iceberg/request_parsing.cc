// Path and query parameter decoding for the Iceberg routes.
#include "api/iceberg/request_parsing.h"

#include "common/strings.h"

namespace pangolin::api {

namespace {
constexpr size_t kDefaultPageSize = 100;
constexpr size_t kMaxPageSize = 1000;
}  // namespace

Result<catalog::Namespace> ParseNamespace(std::string_view decoded) {
  catalog::Namespace ns = Split(decoded, "\x1f");
  RETURN_IF_ERROR(catalog::ValidateNamespace(ns));
  return ns;
}

Result<Paging> ParsePaging(const http::Request& request) {
  Paging paging;
  auto token = request.Query("pageToken");
  auto size = request.Query("pageSize");
  paging.paged = token.has_value() || size.has_value();
  if (!paging.paged) return paging;
  paging.page.token = token ? std::string(*token) : "";
  paging.page.limit = kDefaultPageSize;
  if (size) {
    auto parsed = ParseInt(*size);
    if (!parsed || *parsed < 1) {
      return Err(ErrorCode::kBadRequest, "Invalid pageSize '{}': must be a positive integer",
                 *size);
    }
    paging.page.limit = std::min(static_cast<size_t>(*parsed), kMaxPageSize);
  }
  return paging;
}

Result<RefName> SplitRef(std::string_view text) {
  size_t at = text.rfind('@');
  if (at == std::string_view::npos) return RefName{std::string(text), std::nullopt};
  if (at == 0 || at + 1 == text.size()) {
    return Err(ErrorCode::kBadRequest,
               "Invalid reference '{}': expected <name>@<branch, tag or commit>", text);
  }
  return RefName{std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
}

const std::string& Param(const http::PathParams& params, std::string_view name) {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

}  // namespace pangolin::api
