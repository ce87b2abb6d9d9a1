// The API's routing table: route templates (matched by http::Router), the rule saying who may
// call each, and their handlers, which receive the request, the caller's service Context (tenant,
// principal, request id) established by authentication, and the path parameters.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/route_rule.h"
#include "http/message.h"
#include "http/router.h"
#include "service/context.h"

namespace pangolin::api {

using ApiHandler = std::function<http::Response(const http::Request&, const service::Context&,
                                                const http::PathParams&)>;

struct RouteInfo {
  std::string method;
  std::string path_template;
  RouteRule rule;
};

class ApiRouter {
 public:
  void Add(std::string method, std::string path_template, RouteRule rule, ApiHandler handler) {
    router_.Add(method, path_template);
    routes_.push_back({std::move(method), std::move(path_template), rule});
    handlers_.push_back(std::move(handler));
  }
  http::RouteMatch Match(std::string_view method, std::string_view path) const {
    return router_.Match(method, path);
  }
  const ApiHandler& Handler(size_t route_id) const { return handlers_.at(route_id); }
  const RouteInfo& Route(size_t route_id) const { return routes_.at(route_id); }
  const std::vector<RouteInfo>& routes() const { return routes_; }

 private:
  http::Router router_;
  std::vector<RouteInfo> routes_;
  std::vector<ApiHandler> handlers_;
};

}  // namespace pangolin::api
