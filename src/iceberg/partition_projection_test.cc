// Partition transforms on literals (the spec's Appendix B hash vectors) and inclusive projection.
#include "iceberg/partition_projection.h"

#include <gtest/gtest.h>

namespace pangolin::iceberg {
namespace {

int32_t Bucket(const Literal& value, int n) {
  auto bucket = ApplyTransform("bucket[" + std::to_string(n) + "]", value, "int");
  EXPECT_TRUE(bucket.has_value());
  return bucket ? std::get<int32_t>(bucket->value) : -1;
}

TEST(PartitionProjectionTest, HashesMatchTheSpecsVectors) {
  EXPECT_EQ(Murmur3Hash32(std::string("iceberg")), 1210000089);
  std::string long34(8, '\0');
  long34[0] = 34;
  EXPECT_EQ(Murmur3Hash32(long34), 2017239379);
  // Appendix B: int 34 and long 34 hash alike; date 2017-11-16 (17486) and timestamp
  // 2017-11-16T22:31:08 (1510871468000000 µs).
  EXPECT_EQ(Bucket({"int", int32_t{34}}, INT32_MAX), 2017239379 % INT32_MAX);
  EXPECT_EQ(Bucket({"long", int64_t{34}}, 16), (2017239379 & INT32_MAX) % 16);
  EXPECT_EQ(Bucket({"date", int32_t{17486}}, 1000), (-653330422 & INT32_MAX) % 1000);
  EXPECT_EQ(Bucket({"timestamp", int64_t{1510871468000000}}, 1000),
            (-2047944441 & INT32_MAX) % 1000);
  EXPECT_EQ(Bucket({"string", std::string("iceberg")}, 7), 1210000089 % 7);
}

TEST(PartitionProjectionTest, TimeAndTruncateTransforms) {
  Literal ts{"timestamptz", int64_t{1510871468000000}};  // 2017-11-16T22:31:08Z
  EXPECT_EQ(ApplyTransform("day", ts, "date"), (Literal{"date", int32_t{17486}}));
  EXPECT_EQ(ApplyTransform("month", ts, "int"), (Literal{"int", int32_t{47 * 12 + 10}}));
  EXPECT_EQ(ApplyTransform("year", ts, "int"), (Literal{"int", int32_t{47}}));
  EXPECT_EQ(ApplyTransform("hour", ts, "int"), (Literal{"int", int32_t{419686}}));
  EXPECT_EQ(ApplyTransform("year", Literal{"date", int32_t{17486}}, "int"),
            (Literal{"int", int32_t{47}}));
  EXPECT_FALSE(ApplyTransform("day", Literal{"timestamp", int64_t{-1}}, "date"));  // pre-1970
  EXPECT_EQ(ApplyTransform("truncate[10]", Literal{"int", int32_t{-1}}, "int"),
            (Literal{"int", int32_t{-10}}));
  EXPECT_EQ(
      ApplyTransform("truncate[3]", Literal{"string", std::string("\u00e9t\u00e9s")}, "string"),
      (Literal{"string", std::string("\u00e9t\u00e9")}));
}

BoundExpression Pred(ExprOp op, Literal value) {
  BoundExpression e;
  e.op = op;
  e.field_id = 1;
  e.type = value.type;
  e.values = {std::move(value)};
  return e;
}

TEST(PartitionProjectionTest, InclusiveProjection) {
  Literal midnight{"timestamp", int64_t{17486 * 86400000000LL}};
  auto lt = ProjectInclusive(Pred(ExprOp::kLt, midnight), "day", "date");
  ASSERT_TRUE(lt);  // ts < 2017-11-16T00:00 → day <= 2017-11-15
  EXPECT_EQ(lt->op, ExprOp::kLtEq);
  EXPECT_EQ(lt->values.at(0), (Literal{"date", int32_t{17485}}));
  auto gt = ProjectInclusive(Pred(ExprOp::kGt, midnight), "day", "date");
  ASSERT_TRUE(gt);  // ts > midnight → day >= 2017-11-16
  EXPECT_EQ(gt->op, ExprOp::kGtEq);
  EXPECT_EQ(gt->values.at(0), (Literal{"date", int32_t{17486}}));
  EXPECT_FALSE(ProjectInclusive(Pred(ExprOp::kLt, midnight), "bucket[4]", "int"));
  EXPECT_FALSE(ProjectInclusive(Pred(ExprOp::kNotEq, midnight), "day", "date"));
  EXPECT_FALSE(ProjectInclusive(Pred(ExprOp::kEq, midnight), "void", "date"));
  auto starts = ProjectInclusive(Pred(ExprOp::kStartsWith, {"string", std::string("abcdef")}),
                                 "truncate[3]", "string");
  ASSERT_TRUE(starts);
  EXPECT_EQ(starts->op, ExprOp::kEq);
  EXPECT_EQ(starts->values.at(0), (Literal{"string", std::string("abc")}));
  // Fewer code points than the width (but more bytes): still starts-with, never eq.
  auto short_prefix = ProjectInclusive(
      Pred(ExprOp::kStartsWith, {"string", std::string("\u00e9\u00e9")}), "truncate[3]", "string");
  ASSERT_TRUE(short_prefix);
  EXPECT_EQ(short_prefix->op, ExprOp::kStartsWith);
}

}  // namespace
}  // namespace pangolin::iceberg
