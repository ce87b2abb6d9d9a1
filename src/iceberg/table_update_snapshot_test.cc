// ApplyUpdates for snapshots, refs, the snapshot-log, statistics, staged creates and the
// refs-only view.
#include <gtest/gtest.h>

#include "iceberg/metadata_files.h"
#include "iceberg/table_update.h"
#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;
using testing::MainRef;
using testing::MakeSnapshot;
constexpr int64_t kT0 = testing::kCreatedMs;
constexpr int64_t kNow = kT0 + 100000;

Result<UpdateResult> Apply(const TableMetadata& base, std::vector<TableUpdate> updates) {
  return ApplyUpdates(&base, "s3://m/00001-x.metadata.json", updates, kNow);
}

// A v2 table with s1 (seq 1) <- s2 (seq 2) on main and a tag on s1.
TableMetadata TwoSnapshots() {
  TableMetadata base = testing::SimpleTable();
  auto r = Apply(base, {AddSnapshot{MakeSnapshot(1, {}, 1, kT0 + 10)}, MainRef(1),
                        AddSnapshot{MakeSnapshot(2, 1, 2, kT0 + 20)}, MainRef(2),
                        SetSnapshotRef{"t", SnapshotRef{"tag", 1, {}, {}, {}, {}}}});
  return r->metadata;
}

TEST(SnapshotUpdateTest, AddSnapshotAndSetMain) {
  TableMetadata md = TwoSnapshots();
  EXPECT_EQ(md.current_snapshot_id, 2);
  EXPECT_EQ(md.last_sequence_number, 2);
  EXPECT_EQ(md.refs.at("main").snapshot_id, 2);
  EXPECT_EQ(md.refs.at("t").type, "tag");
  // s1 was intermediate (added and replaced as main in one commit): dropped from the log.
  ASSERT_EQ(md.snapshot_log.size(), 1u);
  EXPECT_EQ(md.snapshot_log[0], (SnapshotLogEntry{kT0 + 20, 2}));
  // Java: the timestamp of the snapshot added in this commit that a ref was last set to (t -> s1).
  EXPECT_EQ(md.last_updated_ms, kT0 + 10);
}

TEST(SnapshotUpdateTest, AddSnapshotValidation) {
  TableMetadata md = TwoSnapshots();
  EXPECT_THAT(Apply(md, {AddSnapshot{MakeSnapshot(2, 1, 3, kNow)}}),
              IsErrorWithMessage(ErrorCode::kValidation, "Snapshot already exists for id: 2"));
  auto stale = Apply(md, {AddSnapshot{MakeSnapshot(3, 2, 2, kNow)}});
  ASSERT_THAT(stale, IsError(ErrorCode::kCommitFailed));
  EXPECT_EQ(stale.error().message.rfind("Validation failed, please retry", 0), 0u);
  // No parent: the sequence check is skipped.
  EXPECT_THAT(Apply(md, {AddSnapshot{MakeSnapshot(3, {}, 2, kNow)}}), IsOk());
}

TEST(SnapshotUpdateTest, V1SkipsSequenceChecks) {
  TableMetadata v1 = testing::SimpleTable(1);
  Snapshot s = MakeSnapshot(5, {}, 0, kNow);
  s.sequence_number.reset();
  ASSERT_OK_AND_ASSIGN(auto r, Apply(v1, {AddSnapshot{s}, MainRef(5)}));
  Snapshot child = MakeSnapshot(6, 5, 0, kNow + 1);
  child.sequence_number.reset();
  EXPECT_THAT(Apply(r.metadata, {AddSnapshot{child}, MainRef(6)}), IsOk());
}

TEST(SnapshotUpdateTest, V3RowLineage) {
  TableMetadata v3 = testing::SimpleTable(3);
  Snapshot s = MakeSnapshot(1, {}, 1, kT0 + 1);
  EXPECT_THAT(Apply(v3, {AddSnapshot{s}}),
              IsErrorWithMessage(ErrorCode::kValidation, "first-row-id is null"));
  s.first_row_id = 0;
  s.added_rows = 30;
  ASSERT_OK_AND_ASSIGN(auto r, Apply(v3, {AddSnapshot{s}, MainRef(1)}));
  EXPECT_EQ(r.metadata.next_row_id, 30);
  Snapshot behind = MakeSnapshot(2, 1, 2, kT0 + 2);
  behind.first_row_id = 10;
  behind.added_rows = 5;
  auto stale = Apply(r.metadata, {AddSnapshot{behind}});
  ASSERT_THAT(stale,
              IsErrorWithMessage(ErrorCode::kCommitFailed, "Validation failed, please retry"));
  behind.first_row_id = 30;
  ASSERT_OK_AND_ASSIGN(auto next, Apply(r.metadata, {AddSnapshot{behind}}));  // any branch counts
  EXPECT_EQ(next.metadata.next_row_id, 35);
}

TEST(SnapshotUpdateTest, RollbackUsesCommitTimeInLog) {
  TableMetadata md = TwoSnapshots();
  ASSERT_OK_AND_ASSIGN(auto r, Apply(md, {MainRef(1)}));
  EXPECT_EQ(r.metadata.current_snapshot_id, 1);
  EXPECT_EQ(r.metadata.snapshot_log.back(), (SnapshotLogEntry{kNow, 1}));
  EXPECT_EQ(r.metadata.last_updated_ms, kNow);
}

TEST(SnapshotUpdateTest, SetRefRules) {
  TableMetadata md = TwoSnapshots();
  ASSERT_OK_AND_ASSIGN(auto same, Apply(md, {MainRef(2)}));
  EXPECT_FALSE(same.changed);
  EXPECT_THAT(
      Apply(md, {MainRef(99)}),
      IsErrorWithMessage(ErrorCode::kValidation, "Cannot set main to unknown snapshot: 99"));
  EXPECT_THAT(Apply(md, {SetSnapshotRef{"main", SnapshotRef{"tag", 1, {}, {}, {}, {}}}}),
              IsError(ErrorCode::kValidation));
  EXPECT_THAT(Apply(md, {SetSnapshotRef{"t2", SnapshotRef{"tag", 1, 3, {}, {}, {}}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Tags do not support"));
  ASSERT_OK_AND_ASSIGN(
      auto branch, Apply(md, {SetSnapshotRef{"dev", SnapshotRef{"branch", 1, 2, 1000, {}, {}}}}));
  EXPECT_EQ(branch.metadata.refs.at("dev").min_snapshots_to_keep, 2);
  EXPECT_EQ(branch.metadata.snapshot_log, md.snapshot_log);  // only main touches the log
}

TEST(SnapshotUpdateTest, RemoveSnapshotRef) {
  TableMetadata md = TwoSnapshots();
  ASSERT_OK_AND_ASSIGN(auto r, Apply(md, {RemoveSnapshotRef{"main"}}));
  EXPECT_FALSE(r.metadata.current_snapshot_id);
  EXPECT_FALSE(r.metadata.refs.count("main"));
  ASSERT_OK_AND_ASSIGN(auto none, Apply(md, {RemoveSnapshotRef{"nope"}}));
  EXPECT_FALSE(none.changed);
}

TEST(SnapshotUpdateTest, RemoveSnapshotsDropsRefsStatsAndHistory) {
  TableMetadata md = TwoSnapshots();
  ASSERT_OK_AND_ASSIGN(auto rolled, Apply(md, {MainRef(1)}));  // log: (s2), (s1)
  md = rolled.metadata;
  ASSERT_OK_AND_ASSIGN(auto more,
                       Apply(md, {AddSnapshot{MakeSnapshot(3, 1, 3, kNow + 1)}, MainRef(3),
                                  SetStatistics{{2, "s3://st/2.puffin", 10, 5, {}, "[]", {}}},
                                  SetPartitionStatistics{{2, "s3://st/p2.parquet", 9, {}}}}));
  md = more.metadata;
  ASSERT_EQ(md.snapshot_log.size(), 3u);
  ASSERT_OK_AND_ASSIGN(auto r, Apply(md, {RemoveSnapshots{{2}}}));
  EXPECT_EQ(r.metadata.snapshots.size(), 2u);
  EXPECT_TRUE(r.metadata.statistics.empty());
  EXPECT_TRUE(r.metadata.partition_statistics.empty());
  // The entry for s2 was first: history up to it is cleared.
  ASSERT_EQ(r.metadata.snapshot_log.size(), 2u);
  EXPECT_EQ(r.metadata.snapshot_log[0].snapshot_id, 1);
  // Removing the tagged snapshot drops the dangling tag; removing main's clears current.
  ASSERT_OK_AND_ASSIGN(auto all, Apply(md, {RemoveSnapshots{{1, 2, 3}}}));
  EXPECT_TRUE(all.metadata.refs.empty());
  EXPECT_FALSE(all.metadata.current_snapshot_id);
  EXPECT_TRUE(all.metadata.snapshot_log.empty());
  ASSERT_OK_AND_ASSIGN(auto none, Apply(md, {RemoveSnapshots{{404}}}));
  EXPECT_FALSE(none.changed);
}

TEST(SnapshotUpdateTest, Statistics) {
  TableMetadata md = TwoSnapshots();
  StatisticsFile a{2, "s3://st/a.puffin", 10, 5, {}, "[]", {}};
  StatisticsFile b{2, "s3://st/b.puffin", 11, 6, {}, "[]", {}};
  ASSERT_OK_AND_ASSIGN(auto r, Apply(md, {SetStatistics{a}, SetStatistics{b}}));
  ASSERT_EQ(r.metadata.statistics.size(), 1u);
  EXPECT_EQ(r.metadata.statistics[0].statistics_path, "s3://st/b.puffin");
  ASSERT_OK_AND_ASSIGN(auto removed, Apply(r.metadata, {RemoveStatistics{2}}));
  EXPECT_TRUE(removed.metadata.statistics.empty());
  ASSERT_OK_AND_ASSIGN(auto none, Apply(md, {RemoveStatistics{2}, RemovePartitionStatistics{2}}));
  EXPECT_FALSE(none.changed);
  ASSERT_OK_AND_ASSIGN(auto p, Apply(md, {SetPartitionStatistics{{1, "s3://p", 3, {}}}}));
  ASSERT_OK_AND_ASSIGN(auto p2, Apply(p.metadata, {RemovePartitionStatistics{1}}));
  EXPECT_TRUE(p2.metadata.partition_statistics.empty());
}

// What PyIceberg / Java send to complete a staged create.
std::vector<TableUpdate> CreateUpdates(int version) {
  return {AssignUuid{testing::kTableUuid},
          UpgradeFormatVersion{version},
          AddSchema{testing::SimpleSchema(), 3},
          SetCurrentSchema{-1},
          AddPartitionSpec{{{}, {}}},
          SetDefaultSpec{-1},
          AddSortOrder{SortOrder{0, {}}},
          SetDefaultSortOrder{-1},
          SetLocation{testing::kLocation},
          SetProperties{{{"created-at", "x"}}},
          AddSnapshot{MakeSnapshot(7, {}, 1, kT0)},
          MainRef(7)};
}

TEST(StagedCreateTest, CompletesFromEmpty) {
  ASSERT_OK_AND_ASSIGN(auto r, ApplyUpdates(nullptr, std::nullopt, CreateUpdates(2), kNow));
  EXPECT_TRUE(r.changed);
  const TableMetadata& md = r.metadata;
  EXPECT_EQ(md.format_version, 2);
  EXPECT_EQ(*md.table_uuid, testing::kTableUuid);
  EXPECT_EQ(md.last_column_id, 3);
  EXPECT_EQ(md.last_partition_id, 999);
  EXPECT_EQ(md.default_sort_order_id, 0);
  EXPECT_EQ(md.current_snapshot_id, 7);
  EXPECT_TRUE(md.metadata_log.empty());
  EXPECT_EQ(md.snapshot_log.size(), 1u);
}

TEST(StagedCreateTest, FirstUpgradeDecidesFormatVersion) {
  auto updates = CreateUpdates(1);
  updates.pop_back();
  updates.pop_back();
  ASSERT_OK_AND_ASSIGN(auto v1, ApplyUpdates(nullptr, std::nullopt, updates, kNow));
  EXPECT_EQ(v1.metadata.format_version, 1);
  EXPECT_THAT(ApplyUpdates(nullptr, std::nullopt, CreateUpdates(9), kNow),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ApplyUpdates(nullptr, std::nullopt, {SetLocation{"s3://x"}}, kNow),
              IsError(ErrorCode::kValidation));
}

TEST(RefsOnlyTest, KeepsReferencedSnapshots) {
  TableMetadata md = TwoSnapshots();
  auto r = Apply(md, {AddSnapshot{MakeSnapshot(3, 2, 3, kNow)},
                      SetStatistics{{3, "s3://st/3", 1, 1, {}, "[]", {}}},
                      SetStatistics{{2, "s3://st/2", 1, 1, {}, "[]", {}}}});
  TableMetadata refs_only = WithReferencedSnapshotsOnly(r->metadata);
  ASSERT_EQ(refs_only.snapshots.size(), 2u);  // s1 (tag) and s2 (main)
  ASSERT_EQ(refs_only.statistics.size(), 1u);
  EXPECT_EQ(refs_only.statistics[0].snapshot_id, 2);
  EXPECT_EQ(refs_only.snapshot_log, r->metadata.snapshot_log);
}

}  // namespace
}  // namespace pangolin::iceberg
