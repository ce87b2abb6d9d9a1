// CreateViewRequest / CommitViewRequest parsing (all view kinds, table-only kinds refused by name),
// LoadViewResult JSON, and a replace commit as the Java client sends it applied end to end.
#include "serde/view_requests.h"

#include <gtest/gtest.h>

#include "iceberg/test_views.h"
#include "serde/view_metadata.h"
#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

constexpr const char* kVersion2 = R"({"version-id": 2, "timestamp-ms": 1718104921877,
  "schema-id": -1, "summary": {"engine-name": "spark"}, "default-namespace": ["db"],
  "default-catalog": "prod",
  "representations": [{"type": "sql", "sql": "select 2", "dialect": "spark"}]})";

std::string CommitBody(const std::string& requirements, const std::string& updates) {
  return R"({"identifier": {"namespace": ["db"], "name": "event_agg"}, "requirements": )" +
         requirements + R"(, "updates": )" + updates + "}";
}

TEST(CreateViewRequestTest, ParsesWhatTheJavaClientSends) {
  std::string body = R"({"name": "event_agg", "x-unknown": 1,
    "view-version": )" +
                     std::string(kVersion2) +
                     R"(, "schema": {"type": "struct", "schema-id": 3, "fields": [
      {"id": 1, "name": "c", "required": false, "type": "long"}]},
    "properties": {"comment": "daily"}})";
  ASSERT_OK_AND_ASSIGN(auto request, ParseCreateViewRequest(body));
  EXPECT_EQ(request.name, "event_agg");
  EXPECT_FALSE(request.location);
  EXPECT_EQ(request.schema.schema_id, 3);
  EXPECT_EQ(request.view_version.schema_id, -1);
  EXPECT_EQ(request.view_version.representations.at(0).sql, "select 2");
  EXPECT_EQ(request.properties.at("comment"), "daily");
  ASSERT_OK_AND_ASSIGN(auto md, iceberg::NewViewMetadata(request, "s3://b/v", "u", 5));
  EXPECT_EQ(md.versions.at(0).schema_id, 0);
}

TEST(CreateViewRequestTest, RefusesMissingMembers) {
  EXPECT_THAT(
      ParseCreateViewRequest(R"({"name": "v", "schema": {"type": "struct", "fields": []}})"),
      IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: view-version"));
  EXPECT_THAT(
      ParseCreateViewRequest(R"({"name": "v", "view-version": )" + std::string(kVersion2) + "}"),
      IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: schema"));
  EXPECT_THAT(ParseCreateViewRequest(R"({"schema": {}})"), IsError(ErrorCode::kBadRequest));
}

TEST(CommitViewRequestTest, ParsesEveryViewKind) {
  std::string updates = R"([
    {"action": "assign-uuid", "uuid": "u"},
    {"action": "upgrade-format-version", "format-version": 1},
    {"action": "add-schema", "schema": {"type": "struct", "schema-id": 0, "fields": []},
     "last-column-id": 3},
    {"action": "set-location", "location": "s3://x"},
    {"action": "set-properties", "updates": {"a": "b"}},
    {"action": "remove-properties", "removals": ["c"]},
    {"action": "add-view-version", "view-version": )" +
                        std::string(kVersion2) + R"(},
    {"action": "set-current-view-version", "view-version-id": -1}])";
  ASSERT_OK_AND_ASSIGN(auto request,
                       ParseCommitViewRequest(
                           CommitBody(R"([{"type": "assert-view-uuid", "uuid": "u"}])", updates)));
  ASSERT_TRUE(request.identifier);
  EXPECT_EQ(request.identifier->name, "event_agg");
  ASSERT_EQ(request.requirements.size(), 1u);
  EXPECT_EQ(std::get<iceberg::AssertViewUuid>(request.requirements[0]).uuid, "u");
  ASSERT_EQ(request.updates.size(), 8u);
  for (size_t i = 0; i < request.updates.size(); ++i) EXPECT_EQ(request.updates[i].index(), i);
  EXPECT_EQ(std::get<iceberg::SetProperties>(request.updates[4]).updates.at("a"), "b");
  EXPECT_EQ(std::get<iceberg::AddViewVersion>(request.updates[6]).view_version.version_id, 2);
  EXPECT_EQ(std::get<iceberg::SetCurrentViewVersion>(request.updates[7]).view_version_id, -1);
}

TEST(CommitViewRequestTest, RequirementsAndIdentifierAreOptional) {
  ASSERT_OK_AND_ASSIGN(auto request, ParseCommitViewRequest(R"({"updates": []})"));
  EXPECT_FALSE(request.identifier);
  EXPECT_TRUE(request.requirements.empty());
  EXPECT_THAT(ParseCommitViewRequest(R"({"requirements": []})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: updates"));
}

TEST(CommitViewRequestTest, RefusesKindsThatAreNotViewKinds) {
  EXPECT_THAT(ParseCommitViewRequest(CommitBody("[]", R"([{"action": "add-spec", "spec": {}}])")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Unknown view update action: add-spec"));
  EXPECT_THAT(
      ParseCommitViewRequest(CommitBody(R"([{"type": "assert-create"}])", "[]")),
      IsErrorWithMessage(ErrorCode::kBadRequest, "Unknown view requirement type: assert-create"));
  EXPECT_THAT(
      ParseCommitViewRequest(CommitBody("[]", R"([{"action": "set-current-view-version"}])")),
      IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: view-version-id"));
  EXPECT_THAT(ParseCommitViewRequest(CommitBody("[]", R"([{"action": "set-location"}])")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Missing field: location"));
}

TEST(CommitViewRequestTest, ReplaceCommitAppliesEndToEnd) {
  iceberg::ViewMetadata base = iceberg::testing::SimpleView();
  std::string updates = R"([
    {"action": "add-schema", "schema": {"type": "struct", "schema-id": 0, "fields": [
      {"id": 1, "name": "n", "required": false, "type": "long"}]}},
    {"action": "add-view-version", "view-version": )" +
                        std::string(kVersion2) + R"(},
    {"action": "set-current-view-version", "view-version-id": -1}])";
  std::string requirement =
      R"([{"type": "assert-view-uuid", "uuid": ")" + iceberg::testing::kViewUuid + R"("}])";
  ASSERT_OK_AND_ASSIGN(auto request, ParseCommitViewRequest(CommitBody(requirement, updates)));
  ASSERT_OK_AND_ASSIGN(auto result, iceberg::CommitView(&base, request.requirements,
                                                        request.updates, 1718104999999));
  EXPECT_EQ(result.metadata.current_version_id, 2);
  EXPECT_EQ(result.metadata.CurrentVersion()->schema_id, 1);
  ASSERT_OK_AND_ASSIGN(auto reparsed, ParseViewMetadata(SerializeViewMetadata(result.metadata)));
  EXPECT_EQ(reparsed, result.metadata);
}

TEST(LoadViewResultTest, SplicesMetadataAndWritesConfigOnlyWhenSet) {
  EXPECT_EQ(
      LoadViewResultJson("s3://b/v/metadata/00001-x.gz.metadata.json", R"({"a":1})", {}),
      R"({"metadata-location":"s3://b/v/metadata/00001-x.gz.metadata.json","metadata":{"a":1}})");
  EXPECT_EQ(LoadViewResultJson("l", "{}", {{"token", "t"}}),
            R"({"metadata-location":"l","metadata":{},"config":{"token":"t"}})");
}

}  // namespace
}  // namespace pangolin::serde
