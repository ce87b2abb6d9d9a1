// Segment-wise template matching with literal-over-parameter precedence.
#include "http/router.h"

#include "common/strings.h"

namespace pangolin::http {
namespace {

// The path's segments, viewing `path`.
std::vector<std::string_view> Segments(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::vector<std::string_view> segments;
  if (path.empty()) return segments;
  segments.reserve(8);
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

size_t Router::Add(std::string method, std::string path_template) {
  Route route{std::move(method), std::move(path_template), {}, {}};
  for (std::string_view segment : Segments(route.path_template)) {
    route.segments.emplace_back(segment);
    route.specificity.push_back(IsParam(segment) ? 0 : 1);
  }
  size_t count = route.segments.size();
  routes_.push_back(std::move(route));
  if (by_segments_.size() <= count) by_segments_.resize(count + 1);
  by_segments_[count].push_back(routes_.size() - 1);
  return routes_.size() - 1;
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> segments = Segments(path);
  RouteMatch best;
  const Route* best_route = nullptr;
  bool path_matched = false;
  static const std::vector<size_t> kNone;
  const auto& candidates =
      segments.size() < by_segments_.size() ? by_segments_[segments.size()] : kNone;
  for (size_t id : candidates) {
    const Route& route = routes_[id];
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      ok = route.specificity[i] == 0 || route.segments[i] == segments[i];
    }
    if (!ok) continue;
    path_matched = true;
    if (route.method != method) continue;
    if (best_route && route.specificity <= best_route->specificity) continue;
    RouteMatch match;
    match.route_id = id;
    match.route = route.path_template;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.specificity[i] != 0) continue;
      auto decoded = PercentDecode(segments[i]);
      if (!decoded) {
        match.bad_encoding = true;
        continue;
      }
      match.params.emplace(route.segments[i].substr(1, route.segments[i].size() - 2),
                           std::move(*decoded));
    }
    best = std::move(match);
    best_route = &route;
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
