// The merge classification over a table of cases: one side, both sides, fast-forward, delete
// versus modify, rename and namespace changes.
#include "catalog/merge_classify.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"

namespace pangolin::catalog {
namespace {

using Action = Classification::Action;
using iceberg::TableMetadata;

const std::string kId = "t-1";

Content Table(std::string file, std::string id = kId) {
  return Content{ContentType::kIcebergTable, std::move(id), std::move(file), {}};
}
Content Ns(Properties properties, std::string id = "n-1") {
  return Content{ContentType::kNamespace, std::move(id), "", std::move(properties)};
}

// Table metadata at "m0" (base) and states evolved from it.
struct Tables {
  TableMetadata m0 = iceberg::testing::SimpleTable();
  TableMetadata With(std::vector<std::string> log, bool snapshot, int64_t snapshot_id,
                     std::optional<std::pair<std::string, std::string>> property = {},
                     bool new_schema = false) const {
    TableMetadata md = m0;
    for (auto& file : log) md.metadata_log.push_back({0, file});
    if (snapshot) {
      md.snapshots.push_back(iceberg::testing::MakeSnapshot(snapshot_id, {}, 1, 0));
      md.current_snapshot_id = snapshot_id;
    }
    if (property) md.properties[property->first] = property->second;
    if (new_schema) {
      iceberg::Schema schema = md.schemas.front();
      schema.schema_id = 1;
      schema.fields.pop_back();
      md.schemas.push_back(schema);
      md.current_schema_id = 1;
    }
    return md;
  }
};

struct Case {
  std::string name;
  std::optional<Content> base, source, target;
  const TableMetadata* base_md = nullptr;
  const TableMetadata* source_md = nullptr;
  const TableMetadata* target_md = nullptr;
  Action action;
  std::optional<ConflictType> type = std::nullopt;
  std::vector<std::string> items = {};
  std::optional<MergeSide> deleted_in = std::nullopt;
};

TEST(MergeClassifyTest, TableOfCases) {
  Tables t;
  const TableMetadata m0 = t.m0;
  const TableMetadata s_data = t.With({"m0"}, true, 1);           // source appended
  const TableMetadata t_data = t.With({"m0"}, true, 2);           // target appended
  const TableMetadata s_after_t = t.With({"m0", "t1"}, true, 1);  // source built on target's t1
  const TableMetadata s_schema = t.With({"m0"}, false, 0, {}, true);
  const TableMetadata t_schema = t.With({"m0"}, false, 0, std::pair{"x", "y"}, true);
  const TableMetadata s_prop = t.With({"m0"}, false, 0, std::pair{"owner", "ana"});
  const TableMetadata t_prop = t.With({"m0"}, false, 0, std::pair{"owner", "bo"});
  const TableMetadata other = t.With({}, true, 9);
  std::vector<Case> cases = {
      {"source only", Table("m0"), Table("s1"), Table("m0"), &m0, &s_data, &m0,
       Action::kTakeSource},
      {"target only", Table("m0"), Table("m0"), Table("t1"), &m0, &m0, &t_data,
       Action::kKeepTarget},
      {"identical on both", Table("m0"), Table("x1"), Table("x1"), &m0, &s_data, &s_data,
       Action::kKeepTarget},
      {"created on the source", std::nullopt, Table("s1"), std::nullopt, nullptr, &s_data, nullptr,
       Action::kTakeSource},
      {"fast-forward: the source extends the target", Table("m0"), Table("s2"), Table("t1"), &m0,
       &s_after_t, &t_data, Action::kTakeSource},
      {"the target extends the source", Table("m0"), Table("t1"), Table("s2"), &m0, &t_data,
       &s_after_t, Action::kKeepTarget},
      {"both appended", Table("m0"), Table("s1"), Table("t1"), &m0, &s_data, &t_data,
       Action::kConflict, ConflictType::kDataOverlap},
      {"both changed the schema", Table("m0"), Table("s1"), Table("t1"), &m0, &s_schema, &t_schema,
       Action::kConflict, ConflictType::kSchemaChange},
      {"both set a property",
       Table("m0"),
       Table("s1"),
       Table("t1"),
       &m0,
       &s_prop,
       &t_prop,
       Action::kConflict,
       ConflictType::kMetadataConflict,
       {"owner"}},
      {"schema on one side, data on the other", Table("m0"), Table("s1"), Table("t1"), &m0,
       &s_schema, &t_data, Action::kConflict, ConflictType::kMetadataConflict},
      {"deleted in the source, modified in the target",
       Table("m0"),
       std::nullopt,
       Table("t1"),
       &m0,
       nullptr,
       &t_data,
       Action::kConflict,
       ConflictType::kDeletionConflict,
       {},
       MergeSide::kSource},
      {"modified in the source, deleted in the target",
       Table("m0"),
       Table("s1"),
       std::nullopt,
       &m0,
       &s_data,
       nullptr,
       Action::kConflict,
       ConflictType::kDeletionConflict,
       {},
       MergeSide::kTarget},
      {"deleted on both", Table("m0"), std::nullopt, std::nullopt, &m0, nullptr, nullptr,
       Action::kKeepTarget},
      {"rename in the source: the old name goes", Table("m0"), std::nullopt, Table("m0"), &m0,
       nullptr, &m0, Action::kTakeSource},
      {"rename in the source: the new name comes", std::nullopt, Table("m0"), std::nullopt, nullptr,
       &m0, nullptr, Action::kTakeSource},
      {"rename in the source, modified in the target",
       Table("m0"),
       std::nullopt,
       Table("t1"),
       &m0,
       nullptr,
       &t_data,
       Action::kConflict,
       ConflictType::kDeletionConflict,
       {},
       MergeSide::kSource},
      {"each side created its own table", std::nullopt, Table("s1", "a"), Table("t1", "b"), nullptr,
       &other, &t_data, Action::kConflict, ConflictType::kDataOverlap},
      {"namespace created on both alike", std::nullopt, Ns({{"o", "1"}}, "n-a"),
       Ns({{"o", "1"}}, "n-b"), nullptr, nullptr, nullptr, Action::kKeepTarget},
      {"namespace properties on the source", Ns({}), Ns({{"o", "1"}}), Ns({}), nullptr, nullptr,
       nullptr, Action::kTakeSource},
      {"namespace properties on both",
       Ns({{"o", "0"}}),
       Ns({{"o", "1"}}),
       Ns({{"o", "2"}}),
       nullptr,
       nullptr,
       nullptr,
       Action::kConflict,
       ConflictType::kMetadataConflict,
       {"o"}},
      {"namespace dropped in the source", Ns({}), std::nullopt, Ns({}), nullptr, nullptr, nullptr,
       Action::kTakeSource},
      {"namespace dropped in the target, changed in the source",
       Ns({}),
       Ns({{"o", "1"}}),
       std::nullopt,
       nullptr,
       nullptr,
       nullptr,
       Action::kConflict,
       ConflictType::kDeletionConflict,
       {},
       MergeSide::kTarget},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    KeyStates states{ContentKey{ContentKey::Space::kObject, {"db"}, "t"},
                     c.base,
                     c.source,
                     c.target,
                     c.base_md,
                     c.source_md,
                     c.target_md};
    Classification got = Classify(states);
    EXPECT_EQ(got.action, c.action) << got.reason;
    if (c.type) {
      EXPECT_EQ(got.type, *c.type) << got.reason;
      EXPECT_EQ(got.items, c.items);
      EXPECT_EQ(got.deleted_in, c.deleted_in);
      EXPECT_FALSE(got.reason.empty());
    }
  }
}

TEST(MergeClassifyTest, EnumNamesRoundTrip) {
  EXPECT_EQ(ToString(MergeStatus::kConflicted), "Conflicted");
  EXPECT_EQ(*ParseResolutionStrategy("take_source"), ResolutionStrategy::kTakeSource);
  EXPECT_EQ(*ParseResolutionStrategy("ThreeWayMerge"), ResolutionStrategy::kThreeWayMerge);
  EXPECT_FALSE(ParseResolutionStrategy("merge-it").has_value());
  EXPECT_EQ(*ParseConflictType("DeletionConflict"), ConflictType::kDeletionConflict);
}

}  // namespace
}  // namespace pangolin::catalog
