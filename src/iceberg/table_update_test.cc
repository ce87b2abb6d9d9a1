// ApplyUpdates for schemas, specs, sort orders, properties, location, uuid, format version,
// encryption keys and the metadata-log.
#include "iceberg/table_update.h"

#include <gtest/gtest.h>

#include "iceberg/metadata_files.h"
#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;
constexpr int64_t kNow = testing::kCreatedMs + 5000;
const std::string kV0 = testing::kLocation + "/metadata/00000-a.metadata.json";

Result<UpdateResult> Apply(const TableMetadata& base, std::vector<TableUpdate> updates) {
  return ApplyUpdates(&base, kV0, updates, kNow);
}

Schema WithExtraColumn(int id, const std::string& name) {
  Schema schema = testing::SimpleSchema();
  schema.fields.push_back({id, name, false, Type::Primitive("int"), {}, {}, {}, {}});
  return schema;
}

TEST(ApplyUpdatesTest, NoChangeKeepsBaseIdentical) {
  TableMetadata base = testing::SimpleTable();
  ASSERT_OK_AND_ASSIGN(auto result,
                       Apply(base, {SetLocation{base.location}, AssignUuid{*base.table_uuid},
                                    UpgradeFormatVersion{2}, SetCurrentSchema{0}}));
  EXPECT_FALSE(result.changed);
  EXPECT_EQ(result.metadata, base);
}

TEST(ApplyUpdatesTest, AddSchemaAssignsNextIdAndLastColumnId) {
  TableMetadata base = testing::SimpleTable();
  Schema added = WithExtraColumn(4, "extra");
  added.schema_id = 42;  // ignored
  ASSERT_OK_AND_ASSIGN(auto result, Apply(base, {AddSchema{added, 1}, SetCurrentSchema{-1}}));
  EXPECT_TRUE(result.changed);
  EXPECT_EQ(result.metadata.schemas.size(), 2u);
  EXPECT_EQ(result.metadata.schemas[1].schema_id, 1);
  EXPECT_EQ(result.metadata.current_schema_id, 1);
  EXPECT_EQ(result.metadata.last_column_id, 4);
  EXPECT_EQ(result.metadata.last_updated_ms, kNow);
}

TEST(ApplyUpdatesTest, AddIdenticalSchemaReusesId) {
  TableMetadata base = testing::SimpleTable();
  ASSERT_OK_AND_ASSIGN(auto result, Apply(base, {AddSchema{testing::SimpleSchema(), {}}}));
  EXPECT_FALSE(result.changed);
  // A reused schema that was not added in this commit cannot be the "last added" one.
  EXPECT_THAT(Apply(base, {AddSchema{testing::SimpleSchema(), {}}, SetCurrentSchema{-1}}),
              IsErrorWithMessage(ErrorCode::kValidation, "no schema has been added"));
}

TEST(ApplyUpdatesTest, SetCurrentSchemaValidation) {
  TableMetadata base = testing::SimpleTable();
  EXPECT_THAT(Apply(base, {SetCurrentSchema{7}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Cannot set current schema to unknown schema: 7"));
  EXPECT_THAT(Apply(base, {SetCurrentSchema{-1}}), IsError(ErrorCode::kValidation));
}

TEST(ApplyUpdatesTest, AddSchemaRejectsV3TypesBelowV3) {
  TableMetadata base = testing::SimpleTable();
  Schema schema = testing::SimpleSchema();
  schema.fields.push_back({4, "v", false, Type::Primitive("variant"), {}, {}, {}, {}});
  EXPECT_THAT(Apply(base, {AddSchema{schema, {}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Invalid type for v: variant is not supported until v3"));
  schema.fields.back().type = Type::Primitive("int");
  schema.fields.back().initial_default = "1";
  EXPECT_THAT(Apply(base, {AddSchema{schema, {}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Invalid initial default for v"));
  TableMetadata v3 = testing::SimpleTable(3);
  EXPECT_THAT(Apply(v3, {AddSchema{schema, {}}}), IsOk());
}

TEST(ApplyUpdatesTest, AddSpecAssignsIdsAndReusesCompatibleSpecs) {
  TableMetadata base = testing::SimpleTable();
  UnboundPartitionSpec spec{{},
                            {{1, {}, {}, "id_bucket", "bucket[16]"}, {3, {}, {}, "ts_day", "day"}}};
  ASSERT_OK_AND_ASSIGN(auto result, Apply(base, {AddPartitionSpec{spec}, SetDefaultSpec{-1}}));
  EXPECT_EQ(result.metadata.partition_specs.size(), 2u);
  const PartitionSpec& added = result.metadata.partition_specs[1];
  EXPECT_EQ(added.spec_id, 1);
  EXPECT_EQ(added.fields[0].field_id, 1000);
  EXPECT_EQ(added.fields[1].field_id, 1001);
  EXPECT_EQ(result.metadata.last_partition_id, 1001);
  EXPECT_EQ(result.metadata.default_spec_id, 1);

  // The original spec again: reused (id 0), no new spec.
  UnboundPartitionSpec same{{}, {{1, {}, 1000, "id_bucket", "bucket[16]"}}};
  ASSERT_OK_AND_ASSIGN(auto again, Apply(result.metadata, {AddPartitionSpec{same}}));
  EXPECT_FALSE(again.changed);
  ASSERT_OK_AND_ASSIGN(auto back, Apply(result.metadata, {SetDefaultSpec{0}}));
  EXPECT_EQ(back.metadata.default_spec_id, 0);
}

TEST(ApplyUpdatesTest, AddSpecValidation) {
  TableMetadata base = testing::SimpleTable();
  EXPECT_THAT(Apply(base, {AddPartitionSpec{{{}, {{99, {}, {}, "x", "identity"}}}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot find source column: 99"));
  EXPECT_THAT(Apply(base, {AddPartitionSpec{{{}, {{1, {}, {}, "data", "bucket[4]"}}}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "name that exists in schema"));
  EXPECT_THAT(
      Apply(base,
            {AddPartitionSpec{{{}, {{1, {}, {}, "a", "identity"}, {2, {}, {}, "a", "identity"}}}}}),
      IsErrorWithMessage(ErrorCode::kInvalidArgument, "more than once"));
  EXPECT_THAT(Apply(base, {SetDefaultSpec{5}}), IsError(ErrorCode::kInvalidArgument));
  TableMetadata v1 = testing::SimpleTable(1);
  EXPECT_THAT(Apply(v1, {AddPartitionSpec{{{}, {{1, {}, 1005, "id", "identity"}}}}}),
              IsErrorWithMessage(ErrorCode::kValidation, "sequential IDs"));
}

TEST(ApplyUpdatesTest, SortOrders) {
  TableMetadata base = testing::SimpleTable();
  SortOrder order{77, {{"identity", 2, {}, "asc", "nulls-first"}}};
  ASSERT_OK_AND_ASSIGN(auto result, Apply(base, {AddSortOrder{order}, SetDefaultSortOrder{-1}}));
  EXPECT_EQ(result.metadata.sort_orders.size(), 2u);
  EXPECT_EQ(result.metadata.default_sort_order_id, 1);
  ASSERT_OK_AND_ASSIGN(auto same, Apply(result.metadata, {AddSortOrder{order}}));
  EXPECT_FALSE(same.changed);
  ASSERT_OK_AND_ASSIGN(auto unsorted, Apply(result.metadata, {AddSortOrder{SortOrder{5, {}}},
                                                              SetDefaultSortOrder{0}}));
  EXPECT_EQ(unsorted.metadata.default_sort_order_id, 0);
  EXPECT_THAT(
      Apply(base, {AddSortOrder{SortOrder{1, {{"identity", 42, {}, "asc", "nulls-last"}}}}}),
      IsError(ErrorCode::kValidation));
  EXPECT_THAT(Apply(base, {SetDefaultSortOrder{-1}}), IsError(ErrorCode::kValidation));
}

TEST(ApplyUpdatesTest, RemoveSpecsAndSchemas) {
  TableMetadata base = testing::SimpleTable();
  ASSERT_OK_AND_ASSIGN(auto evolved,
                       Apply(base, {AddSchema{WithExtraColumn(4, "x"), {}}, SetCurrentSchema{-1},
                                    AddPartitionSpec{{{}, {}}}, SetDefaultSpec{-1}}));
  EXPECT_THAT(
      Apply(evolved.metadata, {RemovePartitionSpecs{{1}}}),
      IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot remove the default partition spec"));
  EXPECT_THAT(Apply(evolved.metadata, {RemoveSchemas{{1}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot remove the current schema"));
  ASSERT_OK_AND_ASSIGN(auto removed,
                       Apply(evolved.metadata, {RemovePartitionSpecs{{0}}, RemoveSchemas{{0}}}));
  EXPECT_EQ(removed.metadata.partition_specs.size(), 1u);
  EXPECT_EQ(removed.metadata.schemas.size(), 1u);
  EXPECT_EQ(removed.metadata.schemas[0].schema_id, 1);
}

TEST(ApplyUpdatesTest, PropertiesLocationUuid) {
  TableMetadata base = testing::SimpleTable();
  ASSERT_OK_AND_ASSIGN(
      auto result,
      Apply(base, {SetProperties{{{"a", "1"}, {"b", "2"}}}, RemoveProperties{{"b", "missing"}},
                   SetLocation{"s3://x/y/"}, AssignUuid{"0d2a4b9e-2b9c-4a8e-9e4e-1c2d3e4f5a6b"}}));
  EXPECT_EQ(result.metadata.properties.at("a"), "1");
  EXPECT_FALSE(result.metadata.properties.count("b"));
  EXPECT_EQ(result.metadata.location, "s3://x/y");
  EXPECT_EQ(*result.metadata.table_uuid, "0d2a4b9e-2b9c-4a8e-9e4e-1c2d3e4f5a6b");
  EXPECT_THAT(Apply(base, {SetLocation{""}}), IsError(ErrorCode::kInvalidArgument));
}

TEST(ApplyUpdatesTest, UpgradeFormatVersion) {
  TableMetadata base = testing::SimpleTable();
  ASSERT_OK_AND_ASSIGN(auto v3, Apply(base, {UpgradeFormatVersion{3}}));
  EXPECT_EQ(v3.metadata.format_version, 3);
  EXPECT_EQ(v3.metadata.next_row_id, 0);
  EXPECT_THAT(Apply(base, {UpgradeFormatVersion{1}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot downgrade v2 table to v1"));
  EXPECT_THAT(Apply(base, {UpgradeFormatVersion{4}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "unsupported format version: v4"));
}

TEST(ApplyUpdatesTest, EncryptionKeys) {
  TableMetadata base = testing::SimpleTable(3);
  EncryptedKey key{"k1", "AAEC", "kms", std::nullopt, {}};
  ASSERT_OK_AND_ASSIGN(auto added, Apply(base, {AddEncryptionKey{key}}));
  ASSERT_EQ(added.metadata.encryption_keys.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto again, Apply(added.metadata, {AddEncryptionKey{key}}));
  EXPECT_FALSE(again.changed);
  ASSERT_OK_AND_ASSIGN(auto removed, Apply(added.metadata, {RemoveEncryptionKey{"k1"}}));
  EXPECT_TRUE(removed.metadata.encryption_keys.empty());
  ASSERT_OK_AND_ASSIGN(auto noop, Apply(base, {RemoveEncryptionKey{"nope"}}));
  EXPECT_FALSE(noop.changed);
}

// The RCK's testMetadataFileLocationsRemovalAfterCommit: max 2, then 4.
TEST(ApplyUpdatesTest, MetadataLogAppendTrimAndRemovedFiles) {
  TableMetadata md = testing::SimpleTable();
  md.properties["write.metadata.previous-versions-max"] = "2";
  std::string location = kV0;
  std::vector<std::string> removed_all;
  for (int i = 1; i <= 5; ++i) {
    ASSERT_OK_AND_ASSIGN(
        auto r, ApplyUpdates(&md, location, {SetProperties{{{"i", std::to_string(i)}}}}, kNow + i));
    EXPECT_EQ(r.metadata.metadata_log.back().metadata_file, location);
    EXPECT_EQ(r.metadata.metadata_log.back().timestamp_ms, md.last_updated_ms);
    for (auto& f : RemovedMetadataFiles(md, r.metadata)) removed_all.push_back(f);
    md = r.metadata;
    location = NewMetadataFileLocation(md, location, "u" + std::to_string(i));
  }
  EXPECT_EQ(md.metadata_log.size(), 2u);
  EXPECT_EQ(removed_all.size(), 3u);
  EXPECT_EQ(removed_all[0], kV0);
  ASSERT_OK_AND_ASSIGN(
      auto grow,
      ApplyUpdates(&md, location, {SetProperties{{{"write.metadata.previous-versions-max", "4"}}}},
                   kNow + 10));
  EXPECT_EQ(grow.metadata.metadata_log.size(), 3u);
  EXPECT_TRUE(RemovedMetadataFiles(md, grow.metadata).empty());
  md.properties["write.metadata.previous-versions-max"] = "0";  // max(1, 0)
  ASSERT_OK_AND_ASSIGN(auto one, ApplyUpdates(&md, location, {SetProperties{{{"z", "1"}}}}, kNow));
  EXPECT_EQ(one.metadata.metadata_log.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto no_location,
                       ApplyUpdates(&md, std::nullopt, {SetProperties{{{"z", "1"}}}}, kNow));
  EXPECT_EQ(no_location.metadata.metadata_log, md.metadata_log);
}

TEST(ApplyUpdatesTest, ActionNames) {
  EXPECT_EQ(UpdateAction(AddPartitionSpec{}), "add-spec");
  EXPECT_EQ(UpdateAction(RemoveEncryptionKey{}), "remove-encryption-key");
  EXPECT_EQ(UpdateAction(SetPartitionStatistics{}), "set-partition-statistics");
}

}  // namespace
}  // namespace pangolin::iceberg
