// ApplyViewUpdates: the rules of Java's ViewMetadata.Builder (schema and version id reuse, -1,
// dialects, version log, retention, uuid, format version) with Java's messages.
#include "iceberg/view_update.h"

#include <gtest/gtest.h>

#include "iceberg/test_views.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using testing::MakeViewVersion;
using testing::Sql;

constexpr int64_t kNow = testing::kCreatedMs + 50000;
constexpr int64_t kLater = testing::kCreatedMs + 1000;

Schema OtherSchema() {
  Schema schema;
  schema.fields = {
      {1, "event_count", false, Type::Primitive("int"), "Count of events", {}, {}, {}}};
  return schema;
}

class ViewUpdateTest : public ::testing::Test {
 protected:
  Result<ViewUpdateResult> Apply(const std::vector<ViewUpdate>& updates) {
    return ApplyViewUpdates(&base_, updates, kNow);
  }
  // What the Java client sends to replace the view: schema, version with schema -1, current -1.
  std::vector<ViewUpdate> Replace(const Schema& schema, std::vector<ViewRepresentation> reps) {
    return {AddSchema{schema, {}}, AddViewVersion{MakeViewVersion(2, -1, kLater, std::move(reps))},
            SetCurrentViewVersion{-1}};
  }
  ViewMetadata base_ = testing::SimpleView();
};

TEST_F(ViewUpdateTest, ReplaceAddsSchemaAndVersionAndLogsTheVersionTime) {
  ASSERT_OK_AND_ASSIGN(auto r, Apply(Replace(OtherSchema(), {Sql("select count(1) from db.t")})));
  EXPECT_TRUE(r.changed);
  ASSERT_EQ(r.metadata.schemas.size(), 2u);
  EXPECT_EQ(r.metadata.schemas[1].schema_id, 1);
  EXPECT_EQ(r.metadata.current_version_id, 2);
  EXPECT_EQ(r.metadata.CurrentVersion()->schema_id, 1);
  ASSERT_EQ(r.metadata.version_log.size(), 2u);
  EXPECT_EQ(r.metadata.version_log[1], (ViewHistoryEntry{kLater, 2, {}}));
  EXPECT_EQ(r.metadata.view_uuid, testing::kViewUuid);
}

TEST_F(ViewUpdateTest, IdenticalSchemaReusesItsId) {
  Schema same = testing::SimpleSchema();
  same.schema_id = 7;
  ASSERT_OK_AND_ASSIGN(auto r, Apply({AddSchema{same, {}}}));
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(r.metadata, base_);
  // A reused schema is not "last added": -1 then has nothing to refer to.
  EXPECT_THAT(Apply(Replace(same, {Sql("select 2")})),
              IsErrorWithMessage(ErrorCode::kValidation,
                                 "Cannot set last added schema: no schema has been added"));
}

TEST_F(ViewUpdateTest, EquivalentVersionReusesItsId) {
  // Same definition as version 1 under another id and time: version 1 is reused, nothing added.
  ViewVersion again = MakeViewVersion(9, 0, kLater, {Sql("select * from db.t")});
  ASSERT_OK_AND_ASSIGN(auto r, Apply({AddViewVersion{again}}));
  EXPECT_FALSE(r.changed);
  EXPECT_THAT(Apply({AddViewVersion{again}, SetCurrentViewVersion{-1}}),
              IsErrorWithMessage(ErrorCode::kValidation,
                                 "Cannot set last version id: no current version id has been set"));
  // A different definition under a taken id gets max + 1.
  ViewVersion other = MakeViewVersion(1, 0, kLater, {Sql("select 1")});
  ASSERT_OK_AND_ASSIGN(auto added, Apply({AddViewVersion{other}}));
  EXPECT_EQ(added.metadata.versions.back().version_id, 2);
  EXPECT_EQ(added.metadata.current_version_id, 1);
  EXPECT_EQ(added.metadata.version_log.size(), 1u);
}

TEST_F(ViewUpdateTest, ReactivatedVersionIsLoggedAtCommitTime) {
  ASSERT_OK_AND_ASSIGN(auto two, Apply(Replace(OtherSchema(), {Sql("select 1")})));
  ASSERT_OK_AND_ASSIGN(auto back,
                       ApplyViewUpdates(&two.metadata, {SetCurrentViewVersion{1}}, kNow));
  EXPECT_EQ(back.metadata.current_version_id, 1);
  ASSERT_EQ(back.metadata.version_log.size(), 3u);
  EXPECT_EQ(back.metadata.version_log[2], (ViewHistoryEntry{kNow, 1, {}}));
}

TEST_F(ViewUpdateTest, VersionSchemaMustExist) {
  EXPECT_THAT(
      Apply({AddViewVersion{MakeViewVersion(2, 9, kLater, {Sql("select 1")})}}),
      IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot add version with unknown schema: 9"));
  EXPECT_THAT(Apply({AddViewVersion{MakeViewVersion(2, -1, kLater, {Sql("select 1")})}}),
              IsError(ErrorCode::kValidation));
}

TEST_F(ViewUpdateTest, OneQueryPerDialect) {
  auto status = Apply(Replace(OtherSchema(), {Sql("select 1"), Sql("select 2", "SPARK")}));
  ASSERT_THAT(status, IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(status.error().message,
            "Invalid view version: Cannot add multiple queries for dialect spark");
}

TEST_F(ViewUpdateTest, ReplaceMustNotDropADialect) {
  ASSERT_OK_AND_ASSIGN(auto both,
                       Apply(Replace(OtherSchema(), {Sql("select 1"), Sql("select 1", "trino")})));
  auto status =
      ApplyViewUpdates(&both.metadata,
                       {AddViewVersion{MakeViewVersion(3, 1, kNow, {Sql("select 3", "Trino")})},
                        SetCurrentViewVersion{-1}},
                       kNow);
  ASSERT_THAT(status, IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(status.error().message,
            "Cannot replace view due to loss of view dialects "
            "(replace.drop-dialect.allowed=false):\n"
            "Previous dialects: [spark, trino]\nNew dialects: [trino]");
  // Allowed by the property (set in the same commit), or kept under another case.
  EXPECT_THAT(ApplyViewUpdates(&both.metadata,
                               {SetProperties{{{"replace.drop-dialect.allowed", "true"}}},
                                AddViewVersion{MakeViewVersion(3, 1, kNow, {Sql("select 3")})},
                                SetCurrentViewVersion{-1}},
                               kNow),
              ::pangolin::testing::IsOk());
  EXPECT_THAT(ApplyViewUpdates(&both.metadata,
                               {AddViewVersion{MakeViewVersion(
                                    3, 1, kNow, {Sql("select 3", "TRINO"), Sql("x", "Spark")})},
                                SetCurrentViewVersion{-1}},
                               kNow),
              ::pangolin::testing::IsOk());
}

TEST_F(ViewUpdateTest, VersionsAddedInTheCommitAreKept) {
  base_.properties["version.history.num-entries"] = "2";
  ASSERT_OK_AND_ASSIGN(auto r, Apply({AddViewVersion{MakeViewVersion(2, 0, kLater, {Sql("2")})},
                                      AddViewVersion{MakeViewVersion(3, 0, kLater, {Sql("3")})}}));
  EXPECT_EQ(r.metadata.versions.size(), 3u);
  EXPECT_EQ(r.metadata.current_version_id, 1);
}

TEST_F(ViewUpdateTest, OldVersionsExpireAndTheLogIsTrimmed) {
  base_.properties["version.history.num-entries"] = "2";
  ASSERT_OK_AND_ASSIGN(auto two, Apply({AddViewVersion{MakeViewVersion(2, 0, kLater, {Sql("2")})},
                                        SetCurrentViewVersion{-1}}));
  ASSERT_OK_AND_ASSIGN(auto back,
                       ApplyViewUpdates(&two.metadata, {SetCurrentViewVersion{1}}, kNow));
  ASSERT_EQ(back.metadata.version_log.size(), 3u);  // [1, 2, 1]
  ASSERT_OK_AND_ASSIGN(auto three,
                       ApplyViewUpdates(&back.metadata,
                                        {AddViewVersion{MakeViewVersion(3, 0, kNow, {Sql("3")})},
                                         SetCurrentViewVersion{-1}},
                                        kNow));
  // Keep max(2, versions added + current): the current version (3) and the highest other id (2).
  ASSERT_EQ(three.metadata.versions.size(), 2u);
  EXPECT_EQ(three.metadata.versions[0].version_id, 2);
  EXPECT_EQ(three.metadata.versions[1].version_id, 3);
  // Log [1, 2, 1, 3]: expired version 1 goes, and with it every entry before it.
  EXPECT_EQ(three.metadata.version_log, (std::vector<ViewHistoryEntry>{{kNow, 3, {}}}));
}

TEST_F(ViewUpdateTest, HistorySizeMustBePositive) {
  EXPECT_THAT(Apply({SetProperties{{{"version.history.num-entries", "0"}}}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "version.history.num-entries must be positive but was 0"));
  EXPECT_THAT(Apply({SetProperties{{{"version.history.num-entries", "ten"}}}}),
              IsError(ErrorCode::kInvalidArgument));
}

TEST_F(ViewUpdateTest, UuidCannotBeReassigned) {
  ASSERT_OK_AND_ASSIGN(auto same, Apply({AssignUuid{testing::kViewUuid}}));
  EXPECT_FALSE(same.changed);
  EXPECT_THAT(Apply({AssignUuid{"0d6f4b5c-7e5c-4f2a-9e0a-3f7e1d2c4b5a"}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot reassign uuid"));
}

TEST_F(ViewUpdateTest, SetCurrentVersionErrors) {
  EXPECT_THAT(Apply({SetCurrentViewVersion{42}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument,
                                 "Cannot set current version to unknown version: 42"));
  EXPECT_THAT(Apply({SetCurrentViewVersion{-1}}), IsError(ErrorCode::kValidation));
  ASSERT_OK_AND_ASSIGN(auto same, Apply({SetCurrentViewVersion{1}}));
  EXPECT_FALSE(same.changed);
}

TEST_F(ViewUpdateTest, FormatVersion) {
  ASSERT_OK_AND_ASSIGN(auto same, Apply({UpgradeFormatVersion{1}}));
  EXPECT_FALSE(same.changed);
  EXPECT_THAT(Apply({UpgradeFormatVersion{0}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Cannot downgrade v1 view to v0"));
  EXPECT_THAT(Apply({UpgradeFormatVersion{2}}),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Unsupported format version: 2"));
}

TEST_F(ViewUpdateTest, LocationAndProperties) {
  ASSERT_OK_AND_ASSIGN(auto r, Apply({SetLocation{"s3://other/v"}, SetProperties{{{"a", "1"}}},
                                      RemoveProperties{{"comment", "missing"}}}));
  EXPECT_EQ(r.metadata.location, "s3://other/v");
  EXPECT_EQ(r.metadata.properties, (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(r.metadata.version_log, base_.version_log);
  EXPECT_THAT(Apply({SetLocation{""}}), IsError(ErrorCode::kInvalidArgument));
}

TEST(ViewFromNothingTest, BuildsOrExplainsWhatIsMissing) {
  std::vector<ViewUpdate> updates = {
      AssignUuid{testing::kViewUuid}, SetLocation{testing::kViewLocation},
      AddSchema{testing::SimpleSchema(), {}},
      AddViewVersion{MakeViewVersion(1, -1, kLater, {Sql("select 1")})}, SetCurrentViewVersion{-1}};
  ASSERT_OK_AND_ASSIGN(auto r, ApplyViewUpdates(nullptr, updates, kNow));
  EXPECT_EQ(r.metadata.view_uuid, testing::kViewUuid);
  EXPECT_EQ(r.metadata.version_log, (std::vector<ViewHistoryEntry>{{kLater, 1, {}}}));
  EXPECT_THAT(ApplyViewUpdates(nullptr, {}, kNow),
              IsErrorWithMessage(ErrorCode::kInvalidArgument, "Invalid location: null"));
  EXPECT_THAT(
      ApplyViewUpdates(nullptr, {SetLocation{"s3://b/v"}}, kNow),
      IsErrorWithMessage(ErrorCode::kInvalidArgument, "Invalid view: no versions were added"));
  updates.erase(updates.begin());  // no assign-uuid: a random one
  ASSERT_OK_AND_ASSIGN(auto random, ApplyViewUpdates(nullptr, updates, kNow));
  EXPECT_EQ(random.metadata.view_uuid.size(), 36u);
  EXPECT_EQ(ViewUpdateAction(SetCurrentViewVersion{}), "set-current-view-version");
}

}  // namespace
}  // namespace pangolin::iceberg
