// A small Prometheus registry: labelled counters and latency histograms, rendered in the text
// exposition format. Thread-safe. Metric names get the `pangolin_` prefix when rendered.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
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
  // One series of a counter or a histogram. Found once under the registry's lock (CounterOf,
  // HistogramOf), it is then updated without it: the registry never moves or drops a series.
  class Counter {
   public:
    void Add(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }

   private:
    friend class Metrics;
    std::atomic<double> value_{0};
  };
  class Histogram {
   public:
    static constexpr size_t kBuckets = 14;
    void Observe(double seconds);

   private:
    friend class Metrics;
    std::array<std::atomic<uint64_t>, kBuckets> buckets_{};  // made cumulative when rendered
    std::atomic<uint64_t> count_{0};
    std::atomic<double> sum_{0};
  };

  // The series `labels` of `name`, made when missing.
  Counter& CounterOf(std::string_view name, MetricLabels labels);
  Histogram& HistogramOf(std::string_view name, MetricLabels labels);

  void Increment(std::string_view name, MetricLabels labels = {}, double by = 1) {
    CounterOf(name, labels).Add(by);
  }
  void Set(std::string_view name, double value);
  void Observe(std::string_view name, MetricLabels labels, double seconds) {
    HistogramOf(name, labels).Observe(seconds);
  }
  std::string RenderPrometheus() const;

 private:
  // Series of one metric by their rendered labels (`a="x",b="y"`); both maps look up by view.
  template <typename Value>
  using Series = std::map<std::string, Value, std::less<>>;
  static std::string Key(MetricLabels labels);
  // The series of `name` in `metrics`, made when missing.
  template <typename Value>
  Value& Find(std::map<std::string, Series<Value>, std::less<>>& metrics, std::string_view name,
              MetricLabels labels);

  mutable std::mutex mutex_;
  std::map<std::string, Series<Counter>, std::less<>> counters_;
  std::map<std::string, double, std::less<>> gauges_;
  std::map<std::string, Series<Histogram>, std::less<>> histograms_;
};

}  // namespace pangolin
