// Row filters: binding (names, literal conversion), NOT push-down, and the metrics and
// identity-partition evaluators on hand-made files.
#include "iceberg/expression.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace pangolin::iceberg {
namespace {

using ::pangolin::testing::IsError;

Schema TestSchema() {
  Schema schema;
  NestedField inner{4, "zip", false, Type::Primitive("string"), {}, {}, {}, {}};
  schema.fields = {{1, "id", true, Type::Primitive("long"), {}, {}, {}, {}},
                   {2, "day", false, Type::Primitive("date"), {}, {}, {}, {}},
                   {3, "ts", false, Type::Primitive("timestamptz"), {}, {}, {}, {}},
                   {5, "address", false, Type::Struct({inner}), {}, {}, {}, {}},
                   {6, "price", false, Type::Primitive("decimal(9, 2)"), {}, {}, {}, {}}};
  return schema;
}

Expression Pred(ExprOp op, std::string term, std::vector<JsonValue> values = {}) {
  return Expression{op, {}, std::move(term), std::move(values)};
}

BoundExpression BindOk(const Expression& e) {
  auto bound = Bind(e, TestSchema(), true);
  EXPECT_TRUE(bound) << bound.error().message;
  return bound ? *bound : BoundExpression{};
}

TEST(ExpressionTest, LiteralsTakeTheFieldsType) {
  auto day = BindOk(Pred(ExprOp::kEq, "day", {std::string("2024-03-01")}));
  EXPECT_EQ(day.values.at(0), (Literal{"date", int32_t{19783}}));
  auto ts = BindOk(Pred(ExprOp::kGt, "ts", {std::string("2024-03-01T01:00:00.5+01:00")}));
  EXPECT_EQ(ts.values.at(0), (Literal{"timestamptz", int64_t{1709251200500000}}));
  auto numeric = BindOk(Pred(ExprOp::kLt, "ts", {int64_t{42}}));
  EXPECT_EQ(numeric.values.at(0), (Literal{"timestamptz", int64_t{42}}));
  auto nested = BindOk(Pred(ExprOp::kEq, "address.zip", {std::string("x")}));
  EXPECT_EQ(nested.field_id, 4);
  EXPECT_FALSE(nested.opaque);
  EXPECT_TRUE(BindOk(Pred(ExprOp::kEq, "price", {std::string("1.50")})).opaque);  // never prunes
  EXPECT_EQ(Bind(Pred(ExprOp::kEq, "ID", {int64_t{1}}), TestSchema(), false)->field_id, 1);
  EXPECT_THAT(Bind(Pred(ExprOp::kEq, "ID", {int64_t{1}}), TestSchema(), true),
              IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(Bind(Pred(ExprOp::kEq, "id", {std::string("1")}), TestSchema(), true),
              IsError(ErrorCode::kBadRequest));
  EXPECT_THAT(Bind(Pred(ExprOp::kEq, "day", {std::string("2024-13-01")}), TestSchema(), true),
              IsError(ErrorCode::kBadRequest));
}

TEST(ExpressionTest, NotIsPushedDown) {
  Expression e{ExprOp::kNot,
               {Expression{ExprOp::kAnd,
                           {Pred(ExprOp::kLt, "id", {int64_t{5}}), Pred(ExprOp::kIsNull, "day")},
                           {},
                           {}}},
               {},
               {}};
  BoundExpression rewritten = RewriteNot(BindOk(e));
  ASSERT_EQ(rewritten.op, ExprOp::kOr);
  EXPECT_EQ(rewritten.children[0].op, ExprOp::kGtEq);
  EXPECT_EQ(rewritten.children[1].op, ExprOp::kNotNull);
}

DataFile File(int64_t lower, int64_t upper, int64_t nulls) {
  DataFile file;
  file.record_count = 10;
  file.value_counts[1] = 10;
  file.null_value_counts[1] = nulls;
  file.lower_bounds[1] = EncodeSingleValue({"long", lower});
  file.upper_bounds[1] = EncodeSingleValue({"long", upper});
  return file;
}

TEST(ExpressionTest, MetricsPruneOnlyWhatCannotMatch) {
  DataFile file = File(10, 20, 0);
  auto might = [&](ExprOp op, std::vector<JsonValue> values) {
    return MetricsMightMatch(RewriteNot(BindOk(Pred(op, "id", std::move(values)))), file);
  };
  EXPECT_FALSE(might(ExprOp::kLt, {int64_t{10}}));
  EXPECT_TRUE(might(ExprOp::kLtEq, {int64_t{10}}));
  EXPECT_FALSE(might(ExprOp::kGt, {int64_t{20}}));
  EXPECT_TRUE(might(ExprOp::kGtEq, {int64_t{20}}));
  EXPECT_FALSE(might(ExprOp::kEq, {int64_t{21}}));
  EXPECT_TRUE(might(ExprOp::kEq, {int64_t{15}}));
  EXPECT_FALSE(might(ExprOp::kIn, {int64_t{1}, int64_t{30}}));
  EXPECT_TRUE(might(ExprOp::kIn, {int64_t{1}, int64_t{12}}));
  EXPECT_TRUE(might(ExprOp::kNotEq, {int64_t{15}}));
  EXPECT_FALSE(might(ExprOp::kIsNull, {}));
  EXPECT_TRUE(might(ExprOp::kNotNull, {}));
  file = File(0, 0, 10);  // only nulls
  EXPECT_FALSE(might(ExprOp::kEq, {int64_t{0}}));
  EXPECT_FALSE(might(ExprOp::kNotNull, {}));
  file = DataFile{};
  file.record_count = 3;  // no statistics: everything might match
  EXPECT_TRUE(might(ExprOp::kEq, {int64_t{0}}));
  file.record_count = 0;  // an empty file matches nothing
  EXPECT_FALSE(might(ExprOp::kNotEq, {int64_t{0}}));
}

TEST(ExpressionTest, PartitionsDecideByIdentityAndProjection) {
  PartitionSpec spec;
  spec.fields = {{2, {}, 1000, "day", "identity", {}}, {1, {}, 1001, "id_bucket", "bucket[4]", {}}};
  std::vector<PartitionValue> partition = {{1000, "day", "date", Literal{"date", int32_t{100}}},
                                           {1001, "id_bucket", "int", Literal{"int", int32_t{1}}}};
  auto might = [&](Expression e) {
    return PartitionMightMatch(RewriteNot(BindOk(e)), spec, partition);
  };
  EXPECT_TRUE(might(Pred(ExprOp::kEq, "day", {int64_t{100}})));
  EXPECT_FALSE(might(Pred(ExprOp::kEq, "day", {int64_t{101}})));
  EXPECT_FALSE(might(Pred(ExprOp::kIsNull, "day")));
  // bucket[4] of 34 is 2017239379 % 4 = 3 (Appendix B): this file holds bucket 1 only.
  EXPECT_FALSE(might(Pred(ExprOp::kEq, "id", {int64_t{34}})));
  EXPECT_TRUE(might(Pred(ExprOp::kLt, "id", {int64_t{34}})));  // buckets have no order
  partition[1].value = Literal{"int", int32_t{3}};
  EXPECT_TRUE(might(Pred(ExprOp::kEq, "id", {int64_t{34}})));
  EXPECT_FALSE(
      might(Expression{ExprOp::kNot, {Pred(ExprOp::kGtEq, "day", {int64_t{50}})}, {}, {}}));
}

}  // namespace
}  // namespace pangolin::iceberg
