// Shared plumbing of the management API's route files: handler registration with the
// management error shape, and the original's `limit`/`offset` list windows.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/api_handler.h"
#include "api/errors.h"
#include "common/strings.h"
#include "store/metadata_store.h"

namespace pangolin::api::management_internal {

using http::PathParams;
using http::Request;
using http::Response;
using service::Context;

using Body = std::function<Result<Response>(const Request&, const Context&, const PathParams&)>;

inline void Add(ApiRouter& router, std::string method, std::string path, RouteRule rule,
                Body body) {
  router.Add(std::move(method), std::move(path), rule,
             [body = std::move(body)](const Request& request, const Context& ctx,
                                      const PathParams& params) -> Response {
               auto response = body(request, ctx, params);
               return response ? std::move(*response) : ManagementError(response.error());
             });
}

// The `catalog` query parameter that versioning routes require.
inline Result<std::string> CatalogParam(const Request& request) {
  auto catalog = request.Query("catalog");
  if (!catalog || catalog->empty()) {
    return Err(ErrorCode::kBadRequest, "Missing query parameter: catalog");
  }
  return std::string(*catalog);
}

struct Window {
  size_t offset = 0;
  size_t limit = 100;
};

inline Result<Window> ParseWindow(const Request& request) {
  Window window;
  for (auto [name, target] : {std::pair{"offset", &window.offset}, {"limit", &window.limit}}) {
    if (auto text = request.Query(name)) {
      auto value = ParseInt(*text);
      if (!value || *value < 0) return Err(ErrorCode::kBadRequest, "Invalid {} '{}'", name, *text);
      *target = static_cast<size_t>(*value);
    }
  }
  return window;
}

// Reads every page of a keyset-paged store listing and cuts the requested window.
template <typename T, typename List>
Result<std::vector<T>> Slice(List list, const Window& window) {
  std::vector<T> all;
  store::PageRequest page{"", 1000};
  while (true) {
    ASSIGN_OR_RETURN(auto result, list(page));
    for (auto& item : result.items) all.push_back(std::move(item));
    if (!result.next_token || all.size() >= window.offset + window.limit) break;
    page.token = *result.next_token;
  }
  size_t begin = std::min(window.offset, all.size());
  size_t end = std::min(begin + window.limit, all.size());
  return std::vector<T>(std::make_move_iterator(all.begin() + begin),
                        std::make_move_iterator(all.begin() + end));
}

}  // namespace pangolin::api::management_internal
