// RequestMetrics: series kept by route id, claimed without locks.
#include "http/request_metrics.h"

#include <string>

namespace pangolin::http {

RequestMetrics::RequestMetrics(Metrics& metrics, size_t routes)
    : metrics_(metrics), routes_(routes), series_(std::make_unique<RouteSeries[]>(routes)) {}

void RequestMetrics::Record(std::optional<size_t> route_id, std::string_view method,
                            std::string_view route, int status, double seconds) {
  if (!route_id || *route_id >= routes_) {
    RequestsInRegistry(method, route, status).Add();
    DurationInRegistry(method, route).Observe(seconds);
    return;
  }
  RouteSeries& series = series_[*route_id];
  Requests(series, method, route, status).Add();
  Metrics::Histogram* duration = series.duration.load(std::memory_order_acquire);
  if (duration == nullptr) {
    duration = &DurationInRegistry(method, route);
    series.duration.store(duration, std::memory_order_release);
  }
  duration->Observe(seconds);
}

Metrics::Counter& RequestMetrics::Requests(RouteSeries& series, std::string_view method,
                                           std::string_view route, int status) {
  for (StatusSlot& slot : series.statuses) {
    int seen = slot.status.load(std::memory_order_acquire);
    if (seen == 0 && slot.status.compare_exchange_strong(seen, status)) {
      Metrics::Counter& counter = RequestsInRegistry(method, route, status);
      slot.counter.store(&counter, std::memory_order_release);
      return counter;
    }
    if (seen != status) continue;  // another status's slot (`seen` is what the exchange found)
    if (Metrics::Counter* counter = slot.counter.load(std::memory_order_acquire)) return *counter;
    break;  // claimed an instant ago, its counter not yet stored
  }
  return RequestsInRegistry(method, route, status);
}

Metrics::Counter& RequestMetrics::RequestsInRegistry(std::string_view method,
                                                     std::string_view route, int status) {
  return metrics_.CounterOf(
      "http_requests_total",
      {{"method", method}, {"route", route}, {"status", std::to_string(status)}});
}

Metrics::Histogram& RequestMetrics::DurationInRegistry(std::string_view method,
                                                       std::string_view route) {
  return metrics_.HistogramOf("http_request_duration_seconds",
                              {{"method", method}, {"route", route}});
}

}  // namespace pangolin::http
