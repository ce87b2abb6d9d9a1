// Segment-wise template matching with literal-over-parameter precedence.
#include "http/router.h"

#include "common/strings.h"

namespace pangolin::http {
namespace {

std::vector<std::string> Segments(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return {};
  return Split(path, "/");
}

bool IsParam(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Specificity key: for each segment, 1 if literal, 0 if parameter; compared lexicographically.
std::vector<int> Specificity(const std::vector<std::string>& segments) {
  std::vector<int> key;
  for (const auto& s : segments) key.push_back(IsParam(s) ? 0 : 1);
  return key;
}

}  // namespace

size_t Router::Add(std::string method, std::string path_template) {
  Route route{std::move(method), path_template, Segments(path_template)};
  routes_.push_back(std::move(route));
  return routes_.size() - 1;
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  std::vector<std::string> segments = Segments(path);
  RouteMatch best;
  std::vector<int> best_key;
  bool path_matched = false;
  for (size_t id = 0; id < routes_.size(); ++id) {
    const Route& route = routes_[id];
    if (route.segments.size() != segments.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      ok = IsParam(route.segments[i]) || route.segments[i] == segments[i];
    }
    if (!ok) continue;
    path_matched = true;
    if (route.method != method) continue;
    std::vector<int> key = Specificity(route.segments);
    if (best.route_id && key <= best_key) continue;
    RouteMatch match;
    match.route_id = id;
    match.route = route.path_template;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (!IsParam(route.segments[i])) continue;
      auto decoded = PercentDecode(segments[i]);
      if (!decoded) {
        match.bad_encoding = true;
        continue;
      }
      match.params.emplace(route.segments[i].substr(1, route.segments[i].size() - 2),
                           std::move(*decoded));
    }
    best = std::move(match);
    best_key = std::move(key);
  }
  if (!best.route_id) best.method_not_allowed = path_matched;
  return best;
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& route : routes_) out.emplace_back(route.method, route.path_template);
  return out;
}

}  // namespace pangolin::http
