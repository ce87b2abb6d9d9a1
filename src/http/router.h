// Router: matches (method, path) against registered templates and returns the route's id; the
// caller keeps the handlers. Templates are "/v1/{prefix}/namespaces/{ns}";
// path parameters are matched on the raw path segment and then percent-decoded, so an encoded
// "/" (%2F) or unit separator (%1F) inside a parameter never splits it. When several templates
// match, the one whose earliest differing segment is literal wins.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace pangolin::http {

using PathParams = std::map<std::string, std::string, std::less<>>;

struct RouteMatch {
  std::optional<size_t> route_id;  // absent: no route
  std::string_view route;          // the template, for metrics and logs (the router's own)
  PathParams params;
  bool method_not_allowed = false;  // the path matched but not the method
  bool bad_encoding = false;        // a parameter had a malformed percent-escape
};

class Router {
 public:
  // Registers `method` + `path_template` and returns its id (0, 1, 2, ... in order).
  // Not thread-safe: register everything before matching.
  size_t Add(std::string method, std::string path_template);
  // Thread-safe once registration is over.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  // Every registered (method, template) pair, in registration order.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string path_template;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    // For each segment, 1 if literal, 0 if a parameter: of two templates that match, the greater
    // (compared lexicographically) wins.
    std::vector<int> specificity;
  };
  std::vector<Route> routes_;
  std::vector<std::vector<size_t>> by_segments_;  // route ids by their number of segments
};

}  // namespace pangolin::http
