// Prometheus text rendering.
#include "common/metrics.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/log.h"

namespace pangolin {
namespace {
constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};
constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);
}  // namespace

std::string Metrics::Key(MetricLabels labels) {
  std::string key;
  for (const auto& [name, value] : labels) {
    if (!key.empty()) key += ',';
    key.append(name).append("=\"");
    bool plain = std::all_of(value.begin(), value.end(),
                             [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; });
    if (plain) {
      key.append(value);
    } else {
      key.append(log::JsonEscape(value));
    }
    key += '"';
  }
  return key;
}

template <typename Value>
Value& Metrics::Find(std::map<std::string, Series<Value>, std::less<>>& metrics,
                     std::string_view name, const std::string& key) {
  auto series = metrics.find(name);
  if (series == metrics.end()) series = metrics.emplace(std::string(name), Series<Value>{}).first;
  auto it = series->second.find(key);
  if (it == series->second.end()) it = series->second.emplace(key, Value{}).first;
  return it->second;
}

void Metrics::Increment(std::string_view name, MetricLabels labels, double by) {
  std::string key = Key(labels);
  std::lock_guard lock(mutex_);
  Find(counters_, name, key) += by;
}

void Metrics::Set(std::string_view name, double value) {
  std::lock_guard lock(mutex_);
  auto it = gauges_.find(name);
  if (it == gauges_.end()) it = gauges_.emplace(std::string(name), 0.0).first;
  it->second = value;
}

void Metrics::Observe(std::string_view name, MetricLabels labels, double seconds) {
  std::string key = Key(labels);
  std::lock_guard lock(mutex_);
  Histogram& histogram = Find(histograms_, name, key);
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
