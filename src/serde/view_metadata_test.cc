// View metadata JSON: a file as Java writes it round-trips byte for byte, the spec's example
// parses, unknown members and representation types survive, and malformed documents are refused.
#include "serde/view_metadata.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "iceberg/test_views.h"
#include "testing/matchers.h"
#include "testing/source_files.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

std::string ReadTestData(const std::string& name) {
  return ::pangolin::testing::ReadSourceFile("src/serde/testdata/" + name).value_or("");
}

std::string Compact(std::string_view json) {
  return boost::json::serialize(boost::json::parse(json));
}

TEST(ViewMetadataJsonTest, JavaWrittenFileRoundTripsExactly) {
  std::string file = ReadTestData("view_v1.metadata.json");
  ASSERT_OK_AND_ASSIGN(auto md, ParseViewMetadata(file));
  EXPECT_EQ(md.view_uuid, "a7d2f1f4-3c1e-4b8e-9d56-0c2f8f8f5e21");
  EXPECT_EQ(md.current_version_id, 2);
  ASSERT_EQ(md.versions.size(), 2u);
  EXPECT_EQ(md.versions[0].default_catalog, "rest");
  EXPECT_FALSE(md.versions[1].default_catalog);
  EXPECT_EQ(md.versions[1].representations[1].dialect, "trino");
  EXPECT_EQ(md.CurrentVersion()->schema_id, 1);
  EXPECT_EQ(md.version_log.size(), 2u);
  EXPECT_TRUE(md.extra.empty());
  EXPECT_EQ(SerializeViewMetadata(md), Compact(file));
}

TEST(ViewMetadataJsonTest, SpecExampleParses) {
  constexpr const char* kSpecExample = R"({
    "view-uuid": "fa6506c3-7681-40c8-86dc-e36561f83385", "format-version" : 1,
    "location" : "s3://bucket/warehouse/default.db/event_agg", "current-version-id" : 1,
    "properties" : {"comment" : "Daily event counts"},
    "versions" : [ {"version-id" : 1, "timestamp-ms" : 1573518431292, "schema-id" : 1,
      "default-catalog" : "prod", "default-namespace" : [ "default" ],
      "summary" : {"engine-name" : "Spark", "engine-version" : "3.3.2"},
      "representations" : [ {"type" : "sql", "sql" : "SELECT\n COUNT(1) FROM events",
                             "dialect" : "spark"} ] } ],
    "schemas": [ {"schema-id": 1, "type" : "struct", "fields" : [
      {"id" : 1, "name" : "event_count", "required" : false, "type" : "int"} ] } ],
    "version-log" : [ {"timestamp-ms" : 1573518431292, "version-id" : 1} ]})";
  ASSERT_OK_AND_ASSIGN(auto md, ParseViewMetadata(kSpecExample));
  EXPECT_EQ(md.properties.at("comment"), "Daily event counts");
  EXPECT_EQ(md.CurrentVersion()->representations.at(0).sql, "SELECT\n COUNT(1) FROM events");
  ASSERT_OK_AND_ASSIGN(auto again, ParseViewMetadata(SerializeViewMetadata(md)));
  EXPECT_EQ(again, md);
}

TEST(ViewMetadataJsonTest, UnknownMembersAndRepresentationTypesSurvive) {
  iceberg::ViewMetadata md = iceberg::testing::SimpleView();
  md.extra = {{"current-schema-id", "0"}, {"x-owner", R"({"team":"data"})"}};
  md.versions[0].extra = {{"x-version-note", "\"n\""}};
  md.versions[0].representations[0].extra = {{"x-hint", "1"}};
  md.versions[0].representations.push_back(
      {"substrait", "", "", {{"plan", "\"CgJTUxIMCgpzdW0=\""}, {"version", "2"}}});
  md.version_log[0].extra = {{"x-actor", "\"etl\""}};
  std::string json = SerializeViewMetadata(md);
  EXPECT_NE(json.find(R"({"type":"substrait","plan":"CgJTUxIMCgpzdW0=","version":2})"),
            std::string::npos);
  EXPECT_NE(json.find(R"("x-owner":{"team":"data"}})"), std::string::npos);  // last member
  ASSERT_OK_AND_ASSIGN(auto parsed, ParseViewMetadata(json));
  EXPECT_EQ(parsed, md);
  EXPECT_EQ(SerializeViewMetadata(parsed), json);
}

TEST(ViewMetadataJsonTest, SqlTypeIsCaseInsensitiveAndEmptyPropertiesAreOmitted) {
  iceberg::ViewMetadata md = iceberg::testing::SimpleView();
  md.properties.clear();
  std::string json = SerializeViewMetadata(md);
  EXPECT_EQ(json.find("\"properties\""), std::string::npos);
  std::string upper = json;
  upper.replace(upper.find(R"("type":"sql")"), 12, R"("type":"SQL")");
  ASSERT_OK_AND_ASSIGN(auto parsed, ParseViewMetadata(upper));
  EXPECT_TRUE(parsed.versions[0].representations[0].IsSql());
  EXPECT_EQ(SerializeViewMetadata(parsed), json);
}

TEST(ViewMetadataJsonTest, RefusesMalformedMetadata) {
  std::string json = SerializeViewMetadata(iceberg::testing::SimpleView());
  auto without = [&](const std::string& member, const std::string& replacement) {
    std::string out = json;
    size_t at = out.find(member);
    EXPECT_NE(at, std::string::npos) << member;
    return out.replace(at, member.size(), replacement);
  };
  EXPECT_THAT(ParseViewMetadata(without("\"location\":", "\"x-location\":")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: location"));
  EXPECT_THAT(ParseViewMetadata(without("\"summary\":", "\"x-summary\":")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: summary"));
  EXPECT_THAT(ParseViewMetadata(without("\"current-version-id\":1", "\"current-version-id\":1234")),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Cannot find current version 1234 in view versions: [1]"));
  EXPECT_THAT(ParseViewMetadata(without("\"format-version\":1", "\"format-version\":2")),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Unsupported format version: 2"));
  EXPECT_THAT(ParseViewMetadata("[1]"), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(ParseViewMetadata("{"), IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::serde
