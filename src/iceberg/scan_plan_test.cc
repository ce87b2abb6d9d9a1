// Scan planning over the manifests the Java library wrote for a v3 table (testdata/manifests/
// java_v3): pruning by identity partitions and column statistics, and which delete files apply.
#include "iceberg/scan_plan.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"
#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using testing::Fixture;

constexpr int64_t kSnapshot = 1280502053317523411;

// The table MakeV3Manifests.java wrote: {1 id long, 2 category string, 3 ts timestamptz_ns},
// partitioned by identity(category), day(ts), bucket(8, id).
TableMetadata V3Table() {
  TableMetadata md;
  md.format_version = 3;
  md.location = "s3://fixtures/warehouse/db/events_v3";
  Schema schema;
  schema.fields = {{1, "id", true, Type::Primitive("long"), {}, {}, {}, {}},
                   {2, "category", false, Type::Primitive("string"), {}, {}, {}, {}},
                   {3, "ts", false, Type::Primitive("timestamptz_ns"), {}, {}, {}, {}}};
  md.schemas = {schema};
  PartitionSpec spec;
  spec.fields = {{2, {}, 1000, "category", "identity", {}},
                 {3, {}, 1001, "ts_day", "day", {}},
                 {1, {}, 1002, "id_bucket", "bucket[8]", {}}};
  md.partition_specs = {spec};
  Snapshot snapshot;
  snapshot.snapshot_id = kSnapshot;
  snapshot.sequence_number = 3;
  snapshot.manifest_list = md.location +
                           "/metadata/snap-1280502053317523411-1-16454e78-4ce7-48aa-"
                           "9896-df4a4b9fae78.avro";
  md.snapshots = {snapshot};
  md.current_snapshot_id = kSnapshot;
  return md;
}

Result<std::string> ReadFixture(const std::string& location) {
  return Fixture("java_v3/" + location.substr(location.rfind('/') + 1));
}

Expression Predicate(ExprOp op, std::string term, std::vector<JsonValue> values = {}) {
  return Expression{op, {}, std::move(term), std::move(values)};
}

// Data file names of the plan, each with the names of its delete files.
std::map<std::string, std::vector<std::string>> Files(const ScanPlan& plan) {
  auto name = [](const std::string& path) { return path.substr(path.rfind('/') + 1); };
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& task : plan.tasks) {
    auto& deletes = out[name(task.data.file.file_path)];
    for (size_t ref : task.delete_refs) {
      deletes.push_back(name(plan.delete_files.at(ref).file.file_path));
    }
  }
  return out;
}

using Plan = std::map<std::string, std::vector<std::string>>;

TEST(ScanPlanTest, EveryLiveFileWithTheDeletesThatApply) {
  auto plan = PlanScan(V3Table(), {}, ReadFixture);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->snapshot_id, kSnapshot);
  // The deletion vector names a.parquet; the equality delete (seq 3) applies to b's partition.
  EXPECT_EQ(Files(*plan), (Plan{{"a.parquet", {"a-deletes.puffin"}},
                                {"b.parquet", {"b-eq-deletes.parquet"}},
                                {"c.parquet", {}}}));
  EXPECT_EQ(plan->delete_files.size(), 2u);
}

TEST(ScanPlanTest, IdentityPartitionsPrune) {
  ScanRequest request;
  request.filter = Predicate(ExprOp::kEq, "category", {std::string("a")});
  auto plan = PlanScan(V3Table(), request, ReadFixture);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(Files(*plan), (Plan{{"a.parquet", {"a-deletes.puffin"}}}));

  request.filter = Predicate(ExprOp::kEq, "CATEGORY", {std::string("b")});
  request.case_sensitive = false;
  plan = PlanScan(V3Table(), request, ReadFixture);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(Files(*plan), (Plan{{"b.parquet", {"b-eq-deletes.parquet"}}}));
  EXPECT_EQ(plan->delete_files.size(), 1u);

  Expression negated{ExprOp::kNot,
                     {Predicate(ExprOp::kIn, "category", {std::string("a"), std::string("b")})}};
  request.filter = negated;  // NOT IN over a null partition value: might match
  plan = PlanScan(V3Table(), request, ReadFixture);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(Files(*plan), (Plan{{"c.parquet", {}}}));
}

TEST(ScanPlanTest, ManyManifestsAreDeferredAndPlannedOneByOne) {
  ScanRequest request;
  request.max_inline_manifests = 1;
  auto deferred = PlanScan(V3Table(), request, ReadFixture);
  ASSERT_TRUE(deferred) << deferred.error().message;
  EXPECT_TRUE(deferred->tasks.empty());
  ASSERT_EQ(deferred->deferred_manifests.size(), 2u);  // the two data manifests
  Plan all;
  for (const auto& manifest : deferred->deferred_manifests) {
    request.manifest = manifest;
    auto one = PlanScan(V3Table(), request, ReadFixture);
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_TRUE(one->deferred_manifests.empty());
    all.merge(Files(*one));
  }
  EXPECT_EQ(all, (Plan{{"a.parquet", {"a-deletes.puffin"}},
                       {"b.parquet", {"b-eq-deletes.parquet"}},
                       {"c.parquet", {}}}));
  request.manifest = "s3://elsewhere/m.avro";
  EXPECT_THAT(PlanScan(V3Table(), request, ReadFixture),
              ::pangolin::testing::IsError(ErrorCode::kNoSuchPlanTask));
}

TEST(ScanPlanTest, BadRequestsAreRefused) {
  ScanRequest request;
  request.filter = Predicate(ExprOp::kEq, "nope", {int64_t{1}});
  EXPECT_THAT(PlanScan(V3Table(), request, ReadFixture),
              ::pangolin::testing::IsError(ErrorCode::kBadRequest));
  request.filter = Predicate(ExprOp::kEq, "id", {std::string("x")});
  EXPECT_THAT(PlanScan(V3Table(), request, ReadFixture),
              ::pangolin::testing::IsError(ErrorCode::kBadRequest));
  request.filter.reset();
  request.snapshot_id = 42;
  EXPECT_THAT(PlanScan(V3Table(), request, ReadFixture),
              ::pangolin::testing::IsError(ErrorCode::kBadRequest));
}

}  // namespace
}  // namespace pangolin::iceberg
