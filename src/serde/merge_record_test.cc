// Merge operation records: every field survives a round trip, optionals set and unset alike, and
// a damaged record is refused with the field named.
#include "serde/merge_record.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::serde {
namespace {

using ::pangolin::testing::IsErrorWithMessage;
using namespace catalog;

Content Table(std::string location) {
  return Content{ContentType::kIcebergTable, "id-" + location, std::move(location), {}};
}

// Every optional set, every enum away from its default, every list non-empty.
MergeOperation Full() {
  MergeOperation op;
  op.id = "op-1";
  op.catalog_id.value = "cat-1";
  op.catalog_name = "lake";
  op.source_branch = "dev";
  op.target_branch = "main";
  op.base_commit_id = "c-base";
  op.source_commit_id = "c-src";
  op.target_commit_id = "c-tgt";
  op.status = MergeStatus::kResolving;
  op.changes = {MergeChange{ObjectKey({{"db", "x"}, "t"}), Table("a"), Table("b")},
                MergeChange{NamespaceKey({"db", "new"}), std::nullopt,
                            Content{ContentType::kNamespace, "ns", "", {{"owner", "me"}}}},
                MergeChange{ObjectKey({{}, "v"}), Content{ContentType::kIcebergView, "v", "l", {}},
                            std::nullopt}};
  MergeConflict conflict;
  conflict.id = "k-1";
  conflict.type = ConflictType::kDeletionConflict;
  conflict.key = ObjectKey({{"db"}, "t"});
  conflict.description = "deleted on one side, \"changed\" on the other";
  conflict.base = Table("base");
  conflict.source = Table("src");
  conflict.items = {"p=1", "p=2"};
  conflict.source_schema = R"({"type":"struct","fields":[]})";
  conflict.target_schema = "{}";
  conflict.deleted_in = MergeSide::kTarget;
  conflict.resolution = ConflictResolution{
      ResolutionStrategy::kManual, MergeChange{conflict.key, std::nullopt, Table("r")}, "ann", 7};
  conflict.created_ms = 5;
  MergeConflict unresolved = conflict;
  unresolved.id = "k-2";
  unresolved.type = ConflictType::kSchemaChange;
  unresolved.target = Table("tgt");
  unresolved.resolution = ConflictResolution{ResolutionStrategy::kTakeTarget, std::nullopt, "", 0};
  op.conflicts = {conflict, unresolved};
  op.initiated_by = "bob";
  op.initiated_ms = 1700000000000;
  op.completed_ms = 1700000000999;
  op.result_commit_id = "c-result";
  op.version = 42;
  return op;
}

TEST(MergeRecordTest, AFullyPopulatedOperationRoundTrips) {
  MergeOperation op = Full();
  std::string json = MergeOperationRecordJson(op);
  ASSERT_OK_AND_ASSIGN(MergeOperation back, ParseMergeOperationRecord(json));
  EXPECT_EQ(back, op);
  EXPECT_NE(json.find("\"DeletionConflict\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"Manual\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"Resolving\""), std::string::npos) << json;
}

TEST(MergeRecordTest, EveryOptionalUnsetRoundTrips) {
  MergeOperation op;
  op.id = "op-2";
  MergeConflict bare;
  bare.id = "k";
  op.conflicts = {bare};
  op.changes = {MergeChange{}};
  ASSERT_OK_AND_ASSIGN(MergeOperation back,
                       ParseMergeOperationRecord(MergeOperationRecordJson(op)));
  EXPECT_EQ(back, op);
  EXPECT_FALSE(back.base_commit_id || back.completed_ms || back.result_commit_id);
  EXPECT_FALSE(back.conflicts[0].resolution || back.conflicts[0].deleted_in);
}

TEST(MergeRecordTest, EachStatusRoundTrips) {
  for (auto status : {MergeStatus::kPending, MergeStatus::kConflicted, MergeStatus::kResolving,
                      MergeStatus::kReady, MergeStatus::kCompleted, MergeStatus::kAborted}) {
    MergeOperation op = Full();
    op.status = status;
    ASSERT_OK_AND_ASSIGN(MergeOperation back,
                         ParseMergeOperationRecord(MergeOperationRecordJson(op)));
    EXPECT_EQ(back.status, status) << ToString(status);
  }
}

TEST(MergeRecordTest, DamagedRecordsNameTheField) {
  EXPECT_THAT(ParseMergeOperationRecord("[]"),
              IsErrorWithMessage(ErrorCode::kBadRequest, "merge operation record"));
  std::string json = MergeOperationRecordJson(Full());
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string out = json;
    out.replace(out.find(from), from.size(), to);
    return out;
  };
  EXPECT_THAT(ParseMergeOperationRecord(replace("\"Resolving\"", "\"Sleeping\"")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "Sleeping"));
  EXPECT_THAT(ParseMergeOperationRecord(replace("\"version\":42", "\"version\":\"42\"")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "version"));
  EXPECT_THAT(ParseMergeOperationRecord(replace("\"iceberg_table\"", "\"parquet\"")),
              IsErrorWithMessage(ErrorCode::kBadRequest, "parquet"));
}

}  // namespace
}  // namespace pangolin::serde
