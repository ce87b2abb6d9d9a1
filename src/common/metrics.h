// A small Prometheus registry: labelled counters and latency histograms, rendered in the text
// exposition format. Thread-safe. Metric names get the `pangolin_` prefix when rendered.
#pragma once

#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pangolin {

// Label names and values, read during the call only: counting a request allocates no label copies.
using MetricLabels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Metrics {
 public:
  void Increment(std::string_view name, MetricLabels labels = {}, double by = 1);
  void Set(std::string_view name, double value);
  void Observe(std::string_view name, MetricLabels labels, double seconds);
  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative counts are computed when rendering
    uint64_t count = 0;
    double sum = 0;
  };
  // Series of one metric by their rendered labels (`a="x",b="y"`); both maps look up by view.
  template <typename Value>
  using Series = std::map<std::string, Value, std::less<>>;
  static std::string Key(MetricLabels labels);
  // The series of `name` in `metrics`, made when missing.
  template <typename Value>
  static Value& Find(std::map<std::string, Series<Value>, std::less<>>& metrics,
                     std::string_view name, const std::string& key);

  mutable std::mutex mutex_;
  std::map<std::string, Series<double>, std::less<>> counters_;
  std::map<std::string, double, std::less<>> gauges_;
  std::map<std::string, Series<Histogram>, std::less<>> histograms_;
};

}  // namespace pangolin
