// NewViewMetadata: ids assigned as Java's createView does, and the request checks.
#include "iceberg/new_view.h"

#include <gtest/gtest.h>

#include "iceberg/test_views.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsErrorWithMessage;
using testing::Sql;

constexpr int64_t kNow = 1800000000000;

CreateViewRequest Request() {
  CreateViewRequest request;
  request.name = "event_agg";
  request.schema = testing::SimpleSchema();
  request.schema.schema_id = 5;
  request.view_version = testing::MakeViewVersion(7, 5, 123, {Sql("select 1"), Sql("x", "trino")});
  request.properties = {{"comment", "daily"}};
  return request;
}

TEST(NewViewTest, AssignsIdsAndMakesTheVersionCurrent) {
  ASSERT_OK_AND_ASSIGN(auto md, NewViewMetadata(Request(), "s3://b/v", testing::kViewUuid, kNow));
  EXPECT_EQ(md.view_uuid, testing::kViewUuid);
  EXPECT_EQ(md.format_version, 1);
  EXPECT_EQ(md.location, "s3://b/v");
  ASSERT_EQ(md.schemas.size(), 1u);
  EXPECT_EQ(md.schemas[0].schema_id, 0);
  EXPECT_EQ(md.schemas[0].fields, testing::SimpleSchema().fields);  // field ids kept
  ASSERT_EQ(md.versions.size(), 1u);
  const ViewVersion& version = md.versions[0];
  EXPECT_EQ(version.version_id, 1);
  EXPECT_EQ(version.schema_id, 0);
  EXPECT_EQ(version.timestamp_ms, kNow);
  EXPECT_EQ(version.summary.at("engine-name"), "spark");
  EXPECT_EQ(version.default_catalog, "prod");
  EXPECT_EQ(version.default_namespace, std::vector<std::string>{"db"});
  EXPECT_EQ(version.representations.size(), 2u);
  EXPECT_EQ(md.current_version_id, 1);
  EXPECT_EQ(md.version_log, (std::vector<ViewHistoryEntry>{{kNow, 1, {}}}));
  EXPECT_EQ(md.properties, (std::map<std::string, std::string>{{"comment", "daily"}}));
}

TEST(NewViewTest, RefusesBadRequests) {
  CreateViewRequest request = Request();
  request.view_version.representations.clear();
  EXPECT_THAT(NewViewMetadata(request, "s3://b/v", "u", kNow),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Cannot create view without specifying a query"));
  request = Request();
  request.view_version.representations.push_back({"substrait", "", "", {{"plan", "\"AAA\""}}});
  EXPECT_THAT(NewViewMetadata(request, "s3://b/v", "u", kNow),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Found unsupported view representations: [substrait]"));
  request = Request();
  request.view_version.representations.push_back(Sql("select 2", "Spark"));
  EXPECT_THAT(NewViewMetadata(request, "s3://b/v", "u", kNow),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Cannot add multiple queries for dialect spark"));
  EXPECT_THAT(NewViewMetadata(Request(), "", "u", kNow),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Invalid location"));
}

}  // namespace
}  // namespace pangolin::iceberg
