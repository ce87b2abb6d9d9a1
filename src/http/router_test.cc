#include "http/router.h"

#include <gtest/gtest.h>

namespace pangolin::http {
namespace {

TEST(RouterTest, LiteralSegmentsBeatParameters) {
  Router router;
  size_t prefixed = router.Add("GET", "/v1/{prefix}/namespaces");
  size_t unprefixed_ns = router.Add("GET", "/v1/namespaces/{namespace}");
  EXPECT_EQ(router.Match("GET", "/v1/lake/namespaces").route_id, prefixed);
  EXPECT_EQ(router.Match("GET", "/v1/namespaces/x").route_id, unprefixed_ns);
}

TEST(RouterTest, DecodesParametersAfterSplitting) {
  Router router;
  router.Add("GET", "/v1/{prefix}/namespaces/{namespace}/tables/{table}");
  RouteMatch match = router.Match("GET", "/v1/lake/namespaces/a%1Fb/tables/x%2Fy");
  ASSERT_TRUE(match.route_id);
  EXPECT_EQ(match.params.at("namespace"),
            "a\x1f"
            "b");
  EXPECT_EQ(match.params.at("table"), "x/y");
  EXPECT_EQ(match.route, "/v1/{prefix}/namespaces/{namespace}/tables/{table}");
}

TEST(RouterTest, ReportsMethodMismatchAndBadEncoding) {
  Router router;
  router.Add("GET", "/v1/config");
  router.Add("GET", "/v1/{prefix}/namespaces/{namespace}");
  EXPECT_TRUE(router.Match("POST", "/v1/config").method_not_allowed);
  EXPECT_FALSE(router.Match("GET", "/nope").route_id);
  EXPECT_FALSE(router.Match("GET", "/nope").method_not_allowed);
  EXPECT_TRUE(router.Match("GET", "/v1/p/namespaces/%zz").bad_encoding);
}

}  // namespace
}  // namespace pangolin::http
