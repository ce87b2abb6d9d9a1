// Row filters of server-side scan planning: the spec's predicate tree as clients send it
// (unbound: field names and JSON values), bound to a schema (field ids and typed literals), and
// evaluated the way Java's inclusive evaluators do: "might this file hold a matching row?" from
// its column statistics and its identity-partition values. Evaluation only ever answers "cannot
// match" when that is certain, so pruning never drops a file the filter could select.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"
#include "iceberg/literal.h"
#include "iceberg/manifest.h"
#include "iceberg/schema.h"
#include "iceberg/table_metadata.h"

namespace pangolin::iceberg {

enum class ExprOp {
  kTrue,
  kFalse,
  kAnd,
  kOr,
  kNot,
  kIsNull,
  kNotNull,
  kIsNan,
  kNotNan,
  kLt,
  kLtEq,
  kGt,
  kGtEq,
  kEq,
  kNotEq,
  kStartsWith,
  kNotStartsWith,
  kIn,
  kNotIn,
};

// A JSON value as the client sent it: boolean, integer, floating point or string.
using JsonValue = std::variant<bool, int64_t, double, std::string>;

struct Expression {
  ExprOp op = ExprOp::kTrue;
  std::vector<Expression> children;  // kAnd, kOr: two; kNot: one
  std::string term;                  // predicates: the field's full name
  std::vector<JsonValue> values;     // comparisons: one; kIn, kNotIn: any number
};

struct BoundExpression {
  ExprOp op = ExprOp::kTrue;
  std::vector<BoundExpression> children;
  int field_id = 0;
  std::string type;             // the field's primitive type
  std::vector<Literal> values;  // converted to `type`
  // The predicate is valid but this build cannot evaluate it (e.g. a literal of a type without
  // a comparison here, a field inside a list or map): it never prunes.
  bool opaque = false;
};

// Resolves names (case-insensitively unless `case_sensitive`) and converts literals to the
// field's type (dates and timestamps from ISO strings or numbers). Errors: kBadRequest for an
// unknown field, a predicate on a nested type, or a literal that does not fit the field's type.
Result<BoundExpression> Bind(const Expression& expression, const Schema& schema,
                             bool case_sensitive);

// Pushes every NOT down to the predicates (NOT lt → gt-eq, NOT and → or of NOTs, ...).
BoundExpression RewriteNot(const BoundExpression& expression);

// Whether `file` might hold a row matching `expression` (NOT already rewritten), judging by its
// record count, null/NaN/value counts and lower/upper bounds.
bool MetricsMightMatch(const BoundExpression& expression, const DataFile& file);

// Whether a file with `partition` (values of `spec`'s fields) might hold a matching row: exact for
// identity fields, by inclusive projection (partition_projection.h) through the other transforms.
bool PartitionMightMatch(const BoundExpression& expression, const PartitionSpec& spec,
                         const std::vector<PartitionValue>& partition);

}  // namespace pangolin::iceberg
