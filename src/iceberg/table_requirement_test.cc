// Every requirement kind, passing and failing with Java's exact message.
#include "iceberg/table_requirement.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

class RequirementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    md_ = testing::SimpleTable();
    md_.snapshots.push_back(testing::MakeSnapshot(100, std::nullopt, 1, testing::kCreatedMs));
    md_.last_sequence_number = 1;
    md_.current_snapshot_id = 100;
    md_.refs["main"] = SnapshotRef{"branch", 100, {}, {}, {}, {}};
    md_.refs["t1"] = SnapshotRef{"tag", 100, {}, {}, {}, {}};
  }
  void ExpectFailure(const TableRequirement& r, const std::string& message) {
    auto status = CheckRequirement(r, &md_);
    ASSERT_THAT(status, IsError(ErrorCode::kCommitFailed));
    EXPECT_EQ(status.error().message, message);
  }
  TableMetadata md_;
};

TEST_F(RequirementTest, AssertCreate) {
  EXPECT_THAT(CheckRequirement(AssertCreate{}, nullptr), IsOk());
  ExpectFailure(AssertCreate{}, "Requirement failed: table already exists");
}

TEST_F(RequirementTest, AssertTableUuid) {
  EXPECT_THAT(CheckRequirement(AssertTableUuid{testing::kTableUuid}, &md_), IsOk());
  std::string upper = testing::kTableUuid;
  for (auto& c : upper) c = static_cast<char>(toupper(c));
  EXPECT_THAT(CheckRequirement(AssertTableUuid{upper}, &md_), IsOk());
  ExpectFailure(AssertTableUuid{"other"}, "Requirement failed: UUID does not match: expected " +
                                              testing::kTableUuid + " != other");
}

TEST_F(RequirementTest, AssertRefSnapshotId) {
  EXPECT_THAT(CheckRequirement(AssertRefSnapshotId{"main", 100}, &md_), IsOk());
  EXPECT_THAT(CheckRequirement(AssertRefSnapshotId{"new", std::nullopt}, &md_), IsOk());
  ExpectFailure(AssertRefSnapshotId{"main", std::nullopt},
                "Requirement failed: branch main was created concurrently");
  ExpectFailure(AssertRefSnapshotId{"t1", std::nullopt},
                "Requirement failed: tag t1 was created concurrently");
  ExpectFailure(AssertRefSnapshotId{"main", 7},
                "Requirement failed: branch main has changed: expected id 7 != 100");
  ExpectFailure(AssertRefSnapshotId{"dev", 7},
                "Requirement failed: branch or tag dev is missing, expected 7");
}

TEST_F(RequirementTest, AssertLastAssignedFieldId) {
  EXPECT_THAT(CheckRequirement(AssertLastAssignedFieldId{3}, &md_), IsOk());
  EXPECT_THAT(CheckRequirement(AssertLastAssignedFieldId{9}, nullptr), IsOk());
  ExpectFailure(AssertLastAssignedFieldId{2},
                "Requirement failed: last assigned field id changed: expected id 2 != 3");
}

TEST_F(RequirementTest, AssertCurrentSchemaId) {
  EXPECT_THAT(CheckRequirement(AssertCurrentSchemaId{0}, &md_), IsOk());
  ExpectFailure(AssertCurrentSchemaId{1},
                "Requirement failed: current schema changed: expected id 1 != 0");
}

TEST_F(RequirementTest, AssertLastAssignedPartitionId) {
  EXPECT_THAT(CheckRequirement(AssertLastAssignedPartitionId{1000}, &md_), IsOk());
  ExpectFailure(AssertLastAssignedPartitionId{999},
                "Requirement failed: last assigned partition id changed: expected id 999 != 1000");
}

TEST_F(RequirementTest, AssertDefaultSpecId) {
  EXPECT_THAT(CheckRequirement(AssertDefaultSpecId{0}, &md_), IsOk());
  ExpectFailure(AssertDefaultSpecId{3},
                "Requirement failed: default partition spec changed: expected id 3 != 0");
}

TEST_F(RequirementTest, AssertDefaultSortOrderId) {
  EXPECT_THAT(CheckRequirement(AssertDefaultSortOrderId{0}, &md_), IsOk());
  ExpectFailure(AssertDefaultSortOrderId{1},
                "Requirement failed: default sort order changed: expected id 1 != 0");
}

TEST_F(RequirementTest, MissingTableFailsNonCreateRequirements) {
  EXPECT_THAT(CheckRequirement(AssertTableUuid{"x"}, nullptr), IsError(ErrorCode::kCommitFailed));
}

TEST(IsCreateCommitTest, CreateMustBeAlone) {
  EXPECT_EQ(IsCreateCommit({AssertCreate{}}).value(), true);
  EXPECT_EQ(IsCreateCommit({AssertTableUuid{"x"}}).value(), false);
  EXPECT_THAT(IsCreateCommit({AssertCreate{}, AssertTableUuid{"x"}}),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(RequirementType(AssertDefaultSortOrderId{}), "assert-default-sort-order-id");
}

}  // namespace
}  // namespace pangolin::iceberg
