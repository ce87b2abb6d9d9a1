// DiffTables, DescendsFrom and MergeTables over small tables evolved with ApplyUpdates.
#include "iceberg/table_merge.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using testing::MainRef;
using testing::MakeSnapshot;

constexpr int64_t kNow = testing::kCreatedMs + 100000;
const std::string kBaseFile = "s3://bucket/wh/db/tbl/metadata/00000-b.metadata.json";
const std::string kTargetFile = "s3://bucket/wh/db/tbl/metadata/00001-t.metadata.json";

TableMetadata Evolve(const TableMetadata& from, const std::string& from_file,
                     std::vector<TableUpdate> updates) {
  auto result = ApplyUpdates(&from, from_file, updates, kNow);
  EXPECT_TRUE(result.has_value()) << result.error().message;
  return result->metadata;
}

Schema WithColumn(std::string name) {
  Schema schema = testing::SimpleSchema();
  schema.fields.push_back({4, std::move(name), false, Type::Primitive("string"), {}, {}, {}, {}});
  return schema;
}

TEST(TableMergeTest, DiffNamesWhatEachSideChanged) {
  TableMetadata base = testing::SimpleTable();
  TableMetadata side =
      Evolve(base, kBaseFile,
             {AddSnapshot{MakeSnapshot(1, {}, 1, kNow)}, MainRef(1),
              SetProperties{{{"owner", "ana"}}}, AddSchema{WithColumn("c")}, SetCurrentSchema{-1}});
  TableChanges changes = DiffTables(base, side);
  EXPECT_TRUE(changes.schema);
  EXPECT_FALSE(changes.partition_spec);
  EXPECT_EQ(changes.added_snapshots, std::vector<int64_t>{1});
  EXPECT_EQ(changes.refs, std::set<std::string>{"main"});
  EXPECT_EQ(changes.properties.at("owner"), "ana");
  EXPECT_TRUE(DiffTables(base, base).Empty());
  EXPECT_TRUE(DescendsFrom(side, kBaseFile));
  EXPECT_FALSE(DescendsFrom(base, kBaseFile));
}

TEST(TableMergeTest, DisjointChangesCombine) {
  TableMetadata base = testing::SimpleTable();
  // Source: a new column and a property; target: data.
  TableMetadata source =
      Evolve(base, kBaseFile,
             {AddSchema{WithColumn("c")}, SetCurrentSchema{-1}, SetProperties{{{"a", "1"}}}});
  TableMetadata target =
      Evolve(base, kBaseFile, {AddSnapshot{MakeSnapshot(7, {}, 1, kNow)}, MainRef(7)});
  auto merged = MergeTables(base, source, target, kTargetFile, kNow);
  ASSERT_TRUE(merged.has_value()) << merged.error().message;
  EXPECT_EQ(merged->current_snapshot_id, 7);
  EXPECT_EQ(merged->properties.at("a"), "1");
  EXPECT_TRUE(SameSchema(*merged->CurrentSchema(), WithColumn("c")));
  EXPECT_EQ(merged->metadata_log.back().metadata_file, kTargetFile);
  // The other way round: the source's snapshot lands on the target's schema change.
  auto reverse = MergeTables(base, target, source, kTargetFile, kNow);
  ASSERT_TRUE(reverse.has_value()) << reverse.error().message;
  EXPECT_EQ(reverse->current_snapshot_id, 7);
  EXPECT_EQ(reverse->FindSnapshot(7)->schema_id, 0);
  EXPECT_EQ(reverse->metadata_log.back().metadata_file, kTargetFile);
}

TEST(TableMergeTest, OverlappingChangesAreRefusedWithTheReason) {
  TableMetadata base = testing::SimpleTable();
  TableMetadata a =
      Evolve(base, kBaseFile,
             {AddSnapshot{MakeSnapshot(1, {}, 1, kNow)}, MainRef(1), SetProperties{{{"p", "a"}}}});
  TableMetadata b =
      Evolve(base, kBaseFile,
             {AddSnapshot{MakeSnapshot(2, {}, 1, kNow)}, MainRef(2), SetProperties{{{"p", "b"}}}});
  auto merged = MergeTables(base, a, b, kTargetFile, kNow);
  ASSERT_THAT(merged, IsError(ErrorCode::kConflict));
  EXPECT_NE(merged.error().message.find("both added snapshots"), std::string::npos);
  EXPECT_NE(merged.error().message.find("properties p"), std::string::npos);
  TableMetadata c = Evolve(base, kBaseFile, {AddSchema{WithColumn("x")}, SetCurrentSchema{-1}});
  TableMetadata d = Evolve(base, kBaseFile, {AddSchema{WithColumn("y")}, SetCurrentSchema{-1}});
  auto schemas = MergeTables(base, c, d, kTargetFile, kNow);
  ASSERT_THAT(schemas, IsError(ErrorCode::kConflict));
  EXPECT_NE(schemas.error().message.find("the schema"), std::string::npos);
  TableMetadata other = base;
  other.table_uuid = "00000000-0000-4000-8000-000000000001";
  EXPECT_THAT(MergeTables(base, other, base, kTargetFile, kNow), IsError(ErrorCode::kConflict));
}

}  // namespace
}  // namespace pangolin::iceberg
