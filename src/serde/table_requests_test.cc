// CreateTableRequest / CommitTableRequest parsing: all 8 requirement and 23 update kinds, unknown
// kinds rejected by name, unknown members ignored, and a parsed commit applied end to end.
#include "serde/table_requests.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"
#include "serde/table_metadata.h"
#include "serde/table_requests_internal.h"
#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

constexpr const char* kAllKinds = R"({
  "identifier": {"namespace": ["a", "b"], "name": "t"},
  "x-unknown": true,
  "requirements": [
    {"type": "assert-create"},
    {"type": "assert-table-uuid", "uuid": "u"},
    {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": null},
    {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": 9223372036854775807},
    {"type": "assert-last-assigned-field-id", "last-assigned-field-id": 3},
    {"type": "assert-current-schema-id", "current-schema-id": 0},
    {"type": "assert-last-assigned-partition-id", "last-assigned-partition-id": 1000},
    {"type": "assert-default-spec-id", "default-spec-id": 0},
    {"type": "assert-default-sort-order-id", "default-sort-order-id": 0}],
  "updates": [
    {"action": "assign-uuid", "uuid": "u"},
    {"action": "upgrade-format-version", "format-version": 3},
    {"action": "add-schema", "schema": {"type": "struct", "schema-id": 1, "fields": []}, "last-column-id": 3},
    {"action": "set-current-schema", "schema-id": -1},
    {"action": "add-spec", "spec": {"fields": [{"source-id": 1, "name": "x", "transform": "identity"}]}},
    {"action": "set-default-spec", "spec-id": -1},
    {"action": "add-sort-order", "sort-order": {"order-id": 1, "fields": []}},
    {"action": "set-default-sort-order", "sort-order-id": -1},
    {"action": "add-snapshot", "snapshot": {"snapshot-id": 1, "timestamp-ms": 2, "manifest-list": "m", "summary": {"operation": "append"}}},
    {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch", "snapshot-id": 1, "max-ref-age-ms": 5},
    {"action": "remove-snapshots", "snapshot-ids": [1, 2]},
    {"action": "remove-snapshot-ref", "ref-name": "dev"},
    {"action": "set-location", "location": "s3://x"},
    {"action": "set-properties", "updates": {"a": "b"}},
    {"action": "remove-properties", "removals": ["c"]},
    {"action": "set-statistics", "snapshot-id": 1, "statistics": {"snapshot-id": 1, "statistics-path": "p", "file-size-in-bytes": 1, "file-footer-size-in-bytes": 1, "blob-metadata": []}},
    {"action": "remove-statistics", "snapshot-id": 1},
    {"action": "set-partition-statistics", "partition-statistics": {"snapshot-id": 1, "statistics-path": "p", "file-size-in-bytes": 1}},
    {"action": "remove-partition-statistics", "snapshot-id": 1},
    {"action": "remove-partition-specs", "spec-ids": [1]},
    {"action": "remove-schemas", "schema-ids": [0]},
    {"action": "add-encryption-key", "encryption-key": {"key-id": "k", "encrypted-key-metadata": "AA=="}},
    {"action": "remove-encryption-key", "key-id": "k"}]
})";

TEST(CommitRequestTest, ParsesEveryKind) {
  ASSERT_OK_AND_ASSIGN(auto request, ParseCommitTableRequest(kAllKinds));
  ASSERT_TRUE(request.identifier);
  EXPECT_EQ(request.identifier->ns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(request.identifier->name, "t");
  ASSERT_EQ(request.requirements.size(), 9u);
  for (size_t i = 0; i < 8; ++i) {
    size_t at = i < 3 ? i : i + 1;
    EXPECT_EQ(request.requirements[at].index(), i);
  }
  EXPECT_FALSE(std::get<iceberg::AssertRefSnapshotId>(request.requirements[2]).snapshot_id);
  EXPECT_EQ(std::get<iceberg::AssertRefSnapshotId>(request.requirements[3]).snapshot_id,
            9223372036854775807);
  ASSERT_EQ(request.updates.size(), 23u);
  for (size_t i = 0; i < request.updates.size(); ++i) EXPECT_EQ(request.updates[i].index(), i);
  auto ref = std::get<iceberg::SetSnapshotRef>(request.updates[9]);
  EXPECT_EQ(ref.ref_name, "main");
  EXPECT_EQ(ref.ref.max_ref_age_ms, 5);
  EXPECT_TRUE(ref.ref.extra.empty());
}

TEST(CommitRequestTest, UnknownKindsAndBadMembers) {
  EXPECT_THAT(ParseCommitTableRequest(R"({"requirements":[{"type":"assert-magic"}],"updates":[]})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "assert-magic"));
  EXPECT_THAT(
      ParseCommitTableRequest(R"({"requirements":[],"updates":[{"action":"drop-everything"}]})"),
      IsErrorWithMessage(ErrorCode::kBadRequest, "drop-everything"));
  EXPECT_THAT(
      ParseCommitTableRequest(R"({"requirements":[],"updates":[{"action":"set-current-schema"}]})"),
      IsErrorWithMessage(ErrorCode::kBadRequest, "schema-id"));
  EXPECT_THAT(ParseCommitTableRequest(R"({"requirements":[]})"), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(ParseCommitTableRequest("nope"), IsError(ErrorCode::kBadRequest));
}

TEST(CommitRequestTest, FromParsedObjectForTransactions) {
  auto value = boost::json::parse(
      R"({"identifier":{"namespace":["n"],"name":"t"},"requirements":[],"updates":[]})");
  ASSERT_OK_AND_ASSIGN(auto request, internal::CommitTableRequestFromJson(value.as_object()));
  EXPECT_EQ(request.identifier->name, "t");
}

TEST(CommitRequestTest, AppliesEndToEnd) {
  iceberg::TableMetadata base = iceberg::testing::SimpleTable();
  ASSERT_OK_AND_ASSIGN(auto request, ParseCommitTableRequest(R"({
    "requirements": [{"type": "assert-table-uuid", "uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1"},
                     {"type": "assert-current-schema-id", "current-schema-id": 0}],
    "updates": [{"action": "add-schema", "schema": {"type": "struct", "schema-id": 0, "fields": [
                   {"id": 1, "name": "id", "required": true, "type": "long"},
                   {"id": 4, "name": "extra", "required": false, "type": "string"}]}},
                {"action": "set-current-schema", "schema-id": -1}]})"));
  for (const auto& r : request.requirements)
    EXPECT_THAT(iceberg::CheckRequirement(r, &base), IsOk());
  ASSERT_OK_AND_ASSIGN(auto result,
                       iceberg::ApplyUpdates(&base, "s3://m/00000-a.metadata.json", request.updates,
                                             base.last_updated_ms + 1));
  EXPECT_EQ(result.metadata.current_schema_id, 1);
  EXPECT_EQ(result.metadata.last_column_id, 4);
  ASSERT_OK_AND_ASSIGN(auto reparsed, ParseTableMetadata(SerializeTableMetadata(result.metadata)));
  EXPECT_EQ(reparsed, result.metadata);
}

TEST(CreateRequestTest, Parses) {
  ASSERT_OK_AND_ASSIGN(auto request, ParseCreateTableRequest(R"({
    "name": "orders", "location": "s3://b/orders", "stage-create": true, "extra-member": 1,
    "schema": {"type": "struct", "fields": [{"id": 1, "name": "id", "required": true, "type": "long"}]},
    "partition-spec": {"spec-id": 0, "fields": [{"source-id": 1, "field-id": 1000, "name": "id_b", "transform": "bucket[8]"}]},
    "write-order": {"order-id": 1, "fields": [{"transform": "identity", "source-id": 1, "direction": "asc", "null-order": "nulls-first"}]},
    "properties": {"format-version": "3", "owner": "me"}})"));
  EXPECT_EQ(request.name, "orders");
  EXPECT_EQ(request.location, "s3://b/orders");
  EXPECT_TRUE(request.stage_create);
  EXPECT_EQ(request.partition_spec->fields[0].field_id, 1000);
  EXPECT_EQ(request.write_order->fields.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto md, iceberg::NewTableMetadata(request, *request.location, "u", 1));
  EXPECT_EQ(md.format_version, 3);
  EXPECT_THAT(ParseCreateTableRequest(R"({"name": "x"})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "schema"));
  EXPECT_THAT(ParseCreateTableRequest(R"({"schema": {"type": "struct", "fields": []}})"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "name"));
}

}  // namespace
}  // namespace pangolin::serde
