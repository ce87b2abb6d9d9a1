// Metrics: labelled series in the Prometheus text format, label values escaped, histogram
// buckets cumulative.
#include "common/metrics.h"

#include <gtest/gtest.h>

namespace pangolin {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsTest, CountersAddUpPerLabelSet) {
  Metrics metrics;
  metrics.Increment("requests_total", {{"method", "GET"}, {"status", "200"}});
  metrics.Increment("requests_total", {{"method", "GET"}, {"status", "200"}}, 2);
  metrics.Increment("requests_total", {{"method", "PUT"}, {"status", "409"}});
  metrics.Increment("failures_total");
  std::string text = metrics.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# TYPE pangolin_requests_total counter\n")) << text;
  EXPECT_TRUE(Contains(text, "pangolin_requests_total{method=\"GET\",status=\"200\"} 3\n"));
  EXPECT_TRUE(Contains(text, "pangolin_requests_total{method=\"PUT\",status=\"409\"} 1\n"));
  EXPECT_TRUE(Contains(text, "pangolin_failures_total 1\n")) << text;
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics metrics;
  metrics.Increment("odd_total", {{"route", "a\"b\\c\nd"}});
  EXPECT_TRUE(
      Contains(metrics.RenderPrometheus(), "pangolin_odd_total{route=\"a\\\"b\\\\c\\nd\"} 1"))
      << metrics.RenderPrometheus();
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  metrics.Observe("duration_seconds", {{"route", "/x"}}, 0.0004);
  metrics.Observe("duration_seconds", {{"route", "/x"}}, 0.003);
  metrics.Observe("duration_seconds", {{"route", "/x"}}, 60);
  metrics.Set("connections", 7);
  std::string text = metrics.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "pangolin_duration_seconds_bucket{route=\"/x\",le=\"0.0005\"} 1\n"))
      << text;
  EXPECT_TRUE(Contains(text, "pangolin_duration_seconds_bucket{route=\"/x\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Contains(text, "pangolin_duration_seconds_bucket{route=\"/x\",le=\"10\"} 2\n"));
  EXPECT_TRUE(Contains(text, "pangolin_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(text, "pangolin_duration_seconds_count{route=\"/x\"} 3\n"));
  EXPECT_TRUE(Contains(text, "pangolin_connections 7\n")) << text;
}

}  // namespace
}  // namespace pangolin
