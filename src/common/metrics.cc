// Prometheus text rendering.
#include "common/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "common/log.h"

namespace pangolin {
namespace {
// The upper bounds of the histograms' buckets, in seconds.
constexpr double kBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};
static_assert(std::size(kBounds) == Metrics::Histogram::kBuckets);
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
                     std::string_view name, MetricLabels labels) {
  std::string key = Key(labels);
  std::lock_guard lock(mutex_);
  auto series = metrics.find(name);
  if (series == metrics.end()) series = metrics.try_emplace(std::string(name)).first;
  return series->second.try_emplace(std::move(key)).first->second;
}

Metrics::Counter& Metrics::CounterOf(std::string_view name, MetricLabels labels) {
  return Find(counters_, name, labels);
}

Metrics::Histogram& Metrics::HistogramOf(std::string_view name, MetricLabels labels) {
  return Find(histograms_, name, labels);
}

void Metrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets; ++i) {
    if (seconds <= kBounds[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  sum_.fetch_add(seconds, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::Set(std::string_view name, double value) {
  std::lock_guard lock(mutex_);
  auto it = gauges_.find(name);
  if (it == gauges_.end()) it = gauges_.emplace(std::string(name), 0.0).first;
  it->second = value;
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
    for (const auto& [key, counter] : series) {
      out += fmt::format("pangolin_{}{} {}\n", name, labelled(key),
                         counter.value_.load(std::memory_order_relaxed));
    }
  }
  for (const auto& [name, value] : gauges_) {
    out += fmt::format("# TYPE pangolin_{} gauge\npangolin_{} {}\n", name, name, value);
  }
  for (const auto& [name, series] : histograms_) {
    out += fmt::format("# TYPE pangolin_{} histogram\n", name);
    for (const auto& [key, histogram] : series) {
      // Observations land while this renders: the count read last, and never under the buckets,
      // keeps the buckets cumulative up to +Inf.
      uint64_t cumulative = 0;
      for (size_t i = 0; i < Histogram::kBuckets; ++i) {
        cumulative += histogram.buckets_[i].load(std::memory_order_relaxed);
        out += fmt::format("pangolin_{}_bucket{} {}\n", name,
                           labelled(key, fmt::format("le=\"{}\"", kBounds[i])), cumulative);
      }
      double sum = histogram.sum_.load(std::memory_order_relaxed);
      uint64_t count = std::max(cumulative, histogram.count_.load(std::memory_order_relaxed));
      out += fmt::format("pangolin_{}_bucket{} {}\n", name, labelled(key, "le=\"+Inf\""), count);
      out += fmt::format("pangolin_{}_sum{} {}\n", name, labelled(key), sum);
      out += fmt::format("pangolin_{}_count{} {}\n", name, labelled(key), count);
    }
  }
  return out;
}

}  // namespace pangolin
