// RequestMetrics: the counts of every route and status, matched or not, come out of the registry
// as if each request had been counted there, whichever threads count them.
#include "http/request_metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace pangolin::http {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RequestMetricsTest, CountsEveryStatusOfEveryRouteFromManyThreads) {
  Metrics metrics;
  RequestMetrics requests(metrics, 2);
  // Route 0 answers more statuses than it keeps slots for; route 1 one; a request matched no
  // route; route 7 is past the routes there are.
  const std::vector<int> statuses = {200, 204, 304, 400, 403, 404, 409, 500};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        for (int status : statuses) requests.Record(0, "GET", "/a/{x}", status, 0.0001);
        requests.Record(1, "POST", "/b", 200, 0.002);
        requests.Record(std::nullopt, "PATCH", "unmatched", 404, 0.0001);
        requests.Record(7, "GET", "/c", 200, 0.0001);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = metrics.RenderPrometheus();
  for (int status : statuses) {
    EXPECT_TRUE(Contains(text,
                         "pangolin_http_requests_total{method=\"GET\",route=\"/a/{x}\","
                         "status=\"" +
                             std::to_string(status) + "\"} 4000\n"))
        << status << "\n"
        << text;
  }
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_requests_total{method=\"POST\",route=\"/b\","
                       "status=\"200\"} 4000\n"));
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_requests_total{method=\"PATCH\",route=\"unmatched\","
                       "status=\"404\"} 4000\n"));
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_requests_total{method=\"GET\",route=\"/c\","
                       "status=\"200\"} 4000\n"));
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_request_duration_seconds_count{method=\"GET\","
                       "route=\"/a/{x}\"} 32000\n"));
  // 2 ms falls in the bucket up to 2.5 ms, and every bucket from there on counts it.
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_request_duration_seconds_bucket{method=\"POST\","
                       "route=\"/b\",le=\"0.001\"} 0\n"));
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_request_duration_seconds_bucket{method=\"POST\","
                       "route=\"/b\",le=\"0.0025\"} 4000\n"));
  EXPECT_TRUE(Contains(text,
                       "pangolin_http_request_duration_seconds_bucket{method=\"POST\","
                       "route=\"/b\",le=\"+Inf\"} 4000\n"));
}

}  // namespace
}  // namespace pangolin::http
