// Table metadata JSON: round trips that keep unknown members and exact int64 ids, legacy v1
// files, per-version serialization rules and parse errors.
#include "serde/table_metadata.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "iceberg/table_update.h"
#include "iceberg/test_tables.h"
#include "testing/matchers.h"
#include "testing/source_files.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;

std::string ReadTestData(const std::string& name) {
  return ::pangolin::testing::ReadSourceFile("src/serde/testdata/" + name).value_or("");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(TableMetadataJsonTest, V2RoundTripKeepsUnknownMembersAndBigIds) {
  ASSERT_OK_AND_ASSIGN(auto md, ParseTableMetadata(ReadTestData("v2_full.metadata.json")));
  EXPECT_EQ(md.current_snapshot_id, 9223372036854775000);
  EXPECT_EQ(md.snapshots.size(), 2u);
  EXPECT_EQ(md.extra.size(), 2u);
  EXPECT_EQ(md.extra[0].first, "x-catalog-extension");
  std::string json = SerializeTableMetadata(md);
  for (const char* part :
       {"\"x-catalog-extension\":{\"nested\":[1,\"two\",null]}", "\"zz-last\":\"kept\"",
        "\"x-vendor-tag\":{\"pii\":false}", "\"x-ref-note\":\"keep\"",
        "\"x-engine\":{\"name\":\"spark\",\"version\":[3,5]}", "\"x-stat\":1",
        "\"current-snapshot-id\":9223372036854775000", "\"decimal(12, 2)\"",
        "\"max-ref-age-ms\":86400000", "\"properties\":{\"ndv\":\"10\"}", "\"x-pf\":1",
        "\"x-spec\":\"s\"", "\"x-sf\":true", "\"x-order\":[1]", "\"x-sl\":2", "\"x-ml\":null"}) {
    EXPECT_TRUE(Contains(json, part)) << part << " missing from " << json;
  }
  ASSERT_OK_AND_ASSIGN(auto again, ParseTableMetadata(json));
  EXPECT_EQ(again, md);
  EXPECT_EQ(SerializeTableMetadata(again), json);
}

// Metadata files are compared and hashed: a large document (v2_full's unknown members and nested
// types, 100 more snapshots as engines commit them, a full metadata-log, strings that need escapes)
// as the serializer wrote it when it still built a Boost.JSON tree must come back byte for byte.
TEST(TableMetadataJsonTest, LargeDocumentSerializesToTheSameBytes) {
  std::string golden = ReadTestData("large_v2.metadata.json");
  ASSERT_GT(golden.size(), 70000u);
  ASSERT_OK_AND_ASSIGN(auto md, ParseTableMetadata(golden));
  EXPECT_EQ(md.snapshots.size(), 102u);
  EXPECT_EQ(md.metadata_log.size(), 100u);
  std::string json = SerializeTableMetadata(md);
  auto [at, _] = std::mismatch(json.begin(), json.end(), golden.begin(), golden.end());
  EXPECT_EQ(json.size(), golden.size());
  EXPECT_TRUE(at == json.end()) << "first difference at byte " << (at - json.begin()) << ": "
                                << json.substr(at - json.begin(), 80);
}

// The expected size only makes room: shorter, exact or longer, the bytes are the same.
TEST(TableMetadataJsonTest, AnExpectedSizeChangesNoByte) {
  std::string golden = ReadTestData("large_v2.metadata.json");
  ASSERT_OK_AND_ASSIGN(auto md, ParseTableMetadata(golden));
  for (size_t expected : {size_t{1}, golden.size() / 2, golden.size(), golden.size() * 3}) {
    EXPECT_EQ(SerializeTableMetadata(md, expected), golden) << expected;
  }
}

TEST(TableMetadataJsonTest, MemberOrderFollowsJava) {
  ASSERT_OK_AND_ASSIGN(auto md, ParseTableMetadata(ReadTestData("v2_full.metadata.json")));
  std::string json = SerializeTableMetadata(md);
  const char* order[] = {"format-version",
                         "table-uuid",
                         "location",
                         "last-sequence-number",
                         "last-updated-ms",
                         "last-column-id",
                         "current-schema-id",
                         "\"schemas\"",
                         "default-spec-id",
                         "partition-specs",
                         "last-partition-id",
                         "default-sort-order-id",
                         "sort-orders",
                         "\"properties\"",
                         "current-snapshot-id",
                         "\"refs\"",
                         "\"snapshots\"",
                         "\"statistics\"",
                         "partition-statistics",
                         "snapshot-log",
                         "metadata-log",
                         "x-catalog-extension",
                         "zz-last"};
  size_t last = 0;
  for (const char* key : order) {
    size_t at = json.find(key, last);
    ASSERT_NE(at, std::string::npos) << key;
    last = at;
  }
  EXPECT_FALSE(Contains(json, "next-row-id"));
  EXPECT_FALSE(Contains(json, "encryption-keys"));
  EXPECT_FALSE(Contains(json, "\"schema\":"));
}

TEST(TableMetadataJsonTest, V1LegacyFile) {
  ASSERT_OK_AND_ASSIGN(auto md, ParseTableMetadata(ReadTestData("v1_legacy.metadata.json")));
  EXPECT_EQ(md.format_version, 1);
  ASSERT_EQ(md.schemas.size(), 1u);
  EXPECT_EQ(md.current_schema_id, 0);
  ASSERT_EQ(md.partition_specs.size(), 1u);
  EXPECT_EQ(md.partition_specs[0].fields[0].field_id, 1000);
  EXPECT_EQ(md.last_partition_id, 1000);
  EXPECT_EQ(md.default_sort_order_id, 0);
  EXPECT_EQ(md.refs.at("main").snapshot_id, 3055729675574597004);
  EXPECT_EQ(md.snapshots[0]->manifests->size(), 1u);
  std::string json = SerializeTableMetadata(md);
  EXPECT_TRUE(Contains(json, "\"schema\":{\"type\":\"struct\""));
  EXPECT_TRUE(Contains(json, "\"partition-spec\":[{\"name\":\"x\""));
  EXPECT_TRUE(Contains(json, "\"manifests\":["));
  EXPECT_FALSE(Contains(json, "last-sequence-number"));
  ASSERT_OK_AND_ASSIGN(auto again, ParseTableMetadata(json));
  EXPECT_EQ(again, md);
}

TEST(TableMetadataJsonTest, CurrentSnapshotAndNextRowIdPerVersion) {
  std::string v2 = SerializeTableMetadata(iceberg::testing::SimpleTable(2));
  EXPECT_TRUE(Contains(v2, "\"current-snapshot-id\":-1"));
  EXPECT_TRUE(Contains(
      v2, "\"statistics\":[],\"partition-statistics\":[],\"snapshot-log\":[],\"metadata-log\":[]"));
  iceberg::TableMetadata v3 = iceberg::testing::SimpleTable(3);
  v3.encryption_keys.push_back(
      {"k", "AAE=", std::nullopt, std::map<std::string, std::string>{{"a", "b"}}, {}});
  std::string json = SerializeTableMetadata(v3);
  EXPECT_TRUE(Contains(json, "\"current-snapshot-id\":null,\"next-row-id\":0"));
  EXPECT_TRUE(Contains(json, "\"encryption-keys\":[{\"key-id\":\"k\""));
  ASSERT_OK_AND_ASSIGN(auto again, ParseTableMetadata(json));
  EXPECT_EQ(again, v3);
}

TEST(TableMetadataJsonTest, CommitResultRoundTrips) {
  iceberg::TableMetadata md = iceberg::testing::SimpleTable(3);
  iceberg::Snapshot s = iceberg::testing::MakeSnapshot(1, {}, 1, md.last_updated_ms + 1);
  s.first_row_id = 0;
  s.added_rows = 12;
  s.key_id = "k1";
  auto r = iceberg::ApplyUpdates(&md, "s3://x/00000-a.metadata.json",
                                 {iceberg::AddSnapshot{s}, iceberg::testing::MainRef(1)},
                                 md.last_updated_ms + 2);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  std::string json = SerializeTableMetadata(r->metadata);
  EXPECT_TRUE(Contains(json, "\"first-row-id\":0,\"added-rows\":12,\"key-id\":\"k1\""));
  ASSERT_OK_AND_ASSIGN(auto again, ParseTableMetadata(json));
  EXPECT_EQ(again, r->metadata);
}

TEST(TableMetadataJsonTest, Errors) {
  EXPECT_THAT(ParseTableMetadata("{"), IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(ParseTableMetadata("[]"), IsError(ErrorCode::kBadRequest));
  std::string json = SerializeTableMetadata(iceberg::testing::SimpleTable());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string copy = json;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  EXPECT_THAT(ParseTableMetadata(replace("\"format-version\":2", "\"format-version\":4")),
              IsErrorWithMessage(ErrorCode::kValidation, "unsupported version 4"));
  EXPECT_THAT(ParseTableMetadata(replace("\"last-column-id\":3", "\"last-column-id\":\"3\"")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "last-column-id"));
  EXPECT_THAT(ParseTableMetadata(replace("\"schemas\"", "\"schemaz\"")),
              IsError(ErrorCode::kValidation));
  EXPECT_THAT(ParseTableMetadata(replace("\"current-schema-id\":0", "\"current-schema-id\":5")),
              IsError(ErrorCode::kValidation));
  EXPECT_THAT(ParseTableMetadata(replace(
                  "\"refs\":{}", "\"refs\":{\"main\":{\"snapshot-id\":5,\"type\":\"branch\"}}")),
              IsError(ErrorCode::kValidation));
}

TEST(SchemaJsonTest, PiecesRoundTrip) {
  iceberg::Schema schema = iceberg::testing::SimpleSchema();
  schema.fields[1].initial_default = "\"x\"";
  schema.fields[1].write_default = "\"y\"";
  ASSERT_OK_AND_ASSIGN(auto parsed, ParseSchema(SerializeSchema(schema)));
  EXPECT_EQ(parsed, schema);
  iceberg::PartitionSpec spec{
      3, {{1, {}, 1000, "id_b", "bucket[4]"}, {1, {1, 2}, 1001, "multi", "zorder"}}};
  ASSERT_OK_AND_ASSIGN(auto parsed_spec, ParsePartitionSpec(SerializePartitionSpec(spec)));
  EXPECT_EQ(parsed_spec, spec);
  iceberg::SortOrder order{2, {{"identity", 1, {}, "desc", "nulls-last"}}};
  ASSERT_OK_AND_ASSIGN(auto parsed_order, ParseSortOrder(SerializeSortOrder(order)));
  EXPECT_EQ(parsed_order, order);
  EXPECT_THAT(
      ParseSortOrder(
          R"({"order-id":1,"fields":[{"transform":"identity","source-id":1,"direction":"up","null-order":"nulls-last"}]})"),
      IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(
      ParseSchema(
          R"({"type":"struct","fields":[{"id":1,"name":"a","required":true,"type":{"type":"set"}}]})"),
      IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::serde
