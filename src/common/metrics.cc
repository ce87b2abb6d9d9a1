// Prometheus text rendering.
#include "common/metrics.h"

#include <fmt/format.h>

#include "common/log.h"

namespace pangolin {
namespace {
constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};
constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);
}  // namespace

std::string Metrics::Key(const MetricLabels& labels) {
  std::string key;
  for (const auto& [name, value] : labels) {
    key += fmt::format("{}{}=\"{}\"", key.empty() ? "" : ",", name, log::JsonEscape(value));
  }
  return key;
}

void Metrics::Increment(const std::string& name, const MetricLabels& labels, double by) {
  std::string key = Key(labels);
  std::lock_guard lock(mutex_);
  counters_[name][key] += by;
}

void Metrics::Set(const std::string& name, double value) {
  std::lock_guard lock(mutex_);
  gauges_[name] = value;
}

void Metrics::Observe(const std::string& name, const MetricLabels& labels, double seconds) {
  std::string key = Key(labels);
  std::lock_guard lock(mutex_);
  Histogram& histogram = histograms_[name][key];
  if (histogram.buckets.empty()) histogram.buckets.assign(kBucketCount, 0);
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto labelled = [](const std::string& key, const std::string& extra = "") {
    std::string all = key;
    if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
    return all.empty() ? std::string() : "{" + all + "}";
  };
  for (const auto& [name, series] : counters_) {
    out += fmt::format("# TYPE pangolin_{} counter\n", name);
    for (const auto& [key, value] : series) {
      out += fmt::format("pangolin_{}{} {}\n", name, labelled(key), value);
    }
  }
  for (const auto& [name, value] : gauges_) {
    out += fmt::format("# TYPE pangolin_{} gauge\npangolin_{} {}\n", name, name, value);
  }
  for (const auto& [name, series] : histograms_) {
    out += fmt::format("# TYPE pangolin_{} histogram\n", name);
    for (const auto& [key, histogram] : series) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBucketCount; ++i) {
        cumulative += histogram.buckets[i];
        out += fmt::format("pangolin_{}_bucket{} {}\n", name,
                           labelled(key, fmt::format("le=\"{}\"", kBuckets[i])), cumulative);
      }
      out += fmt::format("pangolin_{}_bucket{} {}\n", name, labelled(key, "le=\"+Inf\""),
                         histogram.count);
      out += fmt::format("pangolin_{}_sum{} {}\n", name, labelled(key), histogram.sum);
      out += fmt::format("pangolin_{}_count{} {}\n", name, labelled(key), histogram.count);
    }
  }
  return out;
}

}  // namespace pangolin
