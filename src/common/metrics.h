// A small Prometheus registry: labelled counters and latency histograms, rendered in the text
// exposition format. Thread-safe. Metric names get the `pangolin_` prefix when rendered.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace pangolin {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  void Increment(const std::string& name, const MetricLabels& labels = {}, double by = 1);
  void Set(const std::string& name, double value);
  void Observe(const std::string& name, const MetricLabels& labels, double seconds);
  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative counts are computed when rendering
    uint64_t count = 0;
    double sum = 0;
  };
  static std::string Key(const MetricLabels& labels);
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, double>> counters_;
  std::map<std::string, double> gauges_;
  std::map<std::string, std::map<std::string, Histogram>> histograms_;
};

}  // namespace pangolin
