// assert-view-uuid with Java's message, and CommitView refusing to apply a failed commit.
#include "iceberg/view_requirement.h"

#include <gtest/gtest.h>

#include "iceberg/test_views.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsOk;

TEST(ViewRequirementTest, AssertViewUuid) {
  ViewMetadata md = testing::SimpleView();
  EXPECT_THAT(CheckViewRequirement(AssertViewUuid{testing::kViewUuid}, &md), IsOk());
  EXPECT_THAT(CheckViewRequirement(AssertViewUuid{"FA6506C3-7681-40C8-86DC-E36561F83385"}, &md),
              IsOk());
  auto status = CheckViewRequirement(AssertViewUuid{"other"}, &md);
  ASSERT_THAT(status, IsError(ErrorCode::kCommitFailed));
  EXPECT_EQ(status.error().message, "Requirement failed: view UUID does not match: expected " +
                                        testing::kViewUuid + " != other");
  EXPECT_THAT(CheckViewRequirement(AssertViewUuid{"x"}, nullptr),
              IsError(ErrorCode::kCommitFailed));
  EXPECT_EQ(ViewRequirementType(AssertViewUuid{}), "assert-view-uuid");
}

TEST(ViewRequirementTest, CommitViewChecksBeforeApplying) {
  ViewMetadata md = testing::SimpleView();
  std::vector<ViewUpdate> updates = {SetProperties{{{"k", "v"}}}};
  EXPECT_THAT(CommitView(&md, {AssertViewUuid{"other"}}, updates, 1),
              IsError(ErrorCode::kCommitFailed));
  ASSERT_OK_AND_ASSIGN(auto r, CommitView(&md, {AssertViewUuid{testing::kViewUuid}}, updates, 1));
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.metadata.properties.at("k"), "v");
}

}  // namespace
}  // namespace pangolin::iceberg
