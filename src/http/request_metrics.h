// RequestMetrics: every request's http_requests_total (by method, route and status) and
// http_request_duration_seconds (by method and route). The series of a matched route are found in
// the registry once per route and status and kept here by route id, so that counting a request
// takes neither the registry's lock nor a label string.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "common/metrics.h"

namespace pangolin::http {

class RequestMetrics {
 public:
  // `routes`: how many routes the router has (ids 0 to routes - 1).
  RequestMetrics(Metrics& metrics, size_t routes);

  // `route_id` and `route`: the route matched (its id and template), or nullopt and "unmatched".
  void Record(std::optional<size_t> route_id, std::string_view method, std::string_view route,
              int status, double seconds);

 private:
  // The statuses a route answers, each claimed by the first request that has it; a route with
  // more statuses than slots counts the others through the registry.
  struct StatusSlot {
    std::atomic<int> status{0};
    std::atomic<Metrics::Counter*> counter{nullptr};  // set right after the slot is claimed
  };
  struct RouteSeries {
    std::array<StatusSlot, 6> statuses;
    std::atomic<Metrics::Histogram*> duration{nullptr};
  };

  Metrics::Counter& Requests(RouteSeries& series, std::string_view method, std::string_view route,
                             int status);
  Metrics::Counter& RequestsInRegistry(std::string_view method, std::string_view route, int status);
  Metrics::Histogram& DurationInRegistry(std::string_view method, std::string_view route);

  Metrics& metrics_;
  size_t routes_;
  std::unique_ptr<RouteSeries[]> series_;
};

}  // namespace pangolin::http
