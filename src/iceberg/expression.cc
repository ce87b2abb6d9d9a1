// Row filters: binding to a schema, NOT push-down, and the inclusive metrics and identity-partition
// evaluators (the rules of Java's InclusiveMetricsEvaluator, answering "cannot match" only when
// the statistics prove it).
#include "iceberg/expression.h"

#include <cmath>
#include <functional>
#include <map>

#include "common/strings.h"
#include "iceberg/partition_projection.h"

namespace pangolin::iceberg {
namespace {

// --- binding -----------------------------------------------------------------------------------

struct FieldInfo {
  int id = 0;
  std::string type;
};

// Primitive fields reachable through structs only (statistics exist for those), by full name.
void CollectFields(const std::vector<NestedField>& fields, const std::string& prefix,
                   std::map<std::string, FieldInfo>* out) {
  for (const auto& field : fields) {
    std::string name = prefix + field.name;
    if (field.type.kind == TypeKind::kPrimitive) {
      (*out)[name] = {field.id, field.type.primitive};
    } else if (field.type.kind == TypeKind::kStruct) {
      CollectFields(field.type.fields, name + ".", out);
    }
  }
}

std::optional<int64_t> Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int64_t value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<int64_t> ParseDate(std::string_view text) {
  auto y = Digits(text, 0, 4), m = Digits(text, 5, 2), d = Digits(text, 8, 2);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !y || !m || !d || *m < 1 ||
      *m > 12 || *d < 1 || *d > 31) {
    return std::nullopt;
  }
  return DaysFromCivil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

// "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]" → units (10^-digits s) since the epoch, UTC.
std::optional<int64_t> ParseTimestamp(std::string_view text, int digits) {
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  auto days = ParseDate(text.substr(0, 10));
  auto h = Digits(text, 11, 2), mi = Digits(text, 14, 2), s = Digits(text, 17, 2);
  if (!days || !h || !mi || !s || text[13] != ':' || text[16] != ':') return std::nullopt;
  int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  int64_t fraction = 0;
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    int64_t unit = scale;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      unit /= 10;
      fraction += (text[pos] - '0') * unit;  // digits beyond the unit add 0
    }
  }
  int64_t offset_s = 0;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "+00:00" || zone.empty()) {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto oh = Digits(zone, 1, 2), om = Digits(zone, 4, 2);
    if (!oh || !om) return std::nullopt;
    offset_s = (zone[0] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
  } else {
    return std::nullopt;
  }
  int64_t seconds = *days * 86400 + *h * 3600 + *mi * 60 + *s - offset_s;
  return seconds * scale + fraction;
}

// The literal of `type` for `value`; nullopt when this build cannot compare values of `type`.
Result<std::optional<Literal>> ToLiteral(const std::string& type, const JsonValue& value) {
  auto mismatch = [&] {
    return Err(ErrorCode::kBadRequest, "Invalid literal for a {} field", type);
  };
  const auto* integer = std::get_if<int64_t>(&value);
  const auto* real = std::get_if<double>(&value);
  const auto* text = std::get_if<std::string>(&value);
  Literal literal{type, false};
  if (type == "boolean") {
    if (!std::holds_alternative<bool>(value)) return mismatch();
    literal.value = std::get<bool>(value);
  } else if (type == "int") {
    if (!integer || *integer < INT32_MIN || *integer > INT32_MAX) return mismatch();
    literal.value = static_cast<int32_t>(*integer);
  } else if (type == "long") {
    if (!integer) return mismatch();
    literal.value = *integer;
  } else if (type == "float" || type == "double") {
    if (!integer && !real) return mismatch();
    double number = integer ? static_cast<double>(*integer) : *real;
    if (std::isnan(number)) return std::optional<Literal>();
    if (type == "float") {
      literal.value = static_cast<float>(number);
    } else {
      literal.value = number;
    }
  } else if (type == "string") {
    if (!text) return mismatch();
    literal.value = *text;
  } else if (type == "date") {
    std::optional<int64_t> days =
        integer ? std::optional<int64_t>(*integer) : (text ? ParseDate(*text) : std::nullopt);
    if (!days || *days < INT32_MIN || *days > INT32_MAX) return mismatch();
    literal.value = static_cast<int32_t>(*days);
  } else if (type == "timestamp" || type == "timestamptz" || type == "timestamp_ns" ||
             type == "timestamptz_ns") {
    int digits = EndsWith(type, "_ns") ? 9 : 6;
    std::optional<int64_t> units = integer ? std::optional<int64_t>(*integer)
                                           : (text ? ParseTimestamp(*text, digits) : std::nullopt);
    if (!units) return mismatch();
    literal.value = *units;
  } else {
    return std::optional<Literal>();  // time, uuid, decimal, binary, fixed: not pruned on
  }
  return std::optional<Literal>(std::move(literal));
}

bool IsPredicate(ExprOp op) {
  return op != ExprOp::kTrue && op != ExprOp::kFalse && op != ExprOp::kAnd && op != ExprOp::kOr &&
         op != ExprOp::kNot;
}

// --- evaluation helpers ------------------------------------------------------------------------

bool IsNan(const Literal& literal) {
  if (const auto* f = std::get_if<float>(&literal.value)) return std::isnan(*f);
  if (const auto* d = std::get_if<double>(&literal.value)) return std::isnan(*d);
  return false;
}

std::optional<int64_t> Count(const std::map<int, int64_t>& counts, int id) {
  auto it = counts.find(id);
  return it == counts.end() ? std::nullopt : std::optional<int64_t>(it->second);
}

std::optional<Literal> Bound(const std::map<int, std::string>& bounds, const BoundExpression& e) {
  auto it = bounds.find(e.field_id);
  if (it == bounds.end()) return std::nullopt;
  auto literal = DecodeSingleValue(e.type, it->second);
  if (!literal || IsNan(*literal)) return std::nullopt;
  return *literal;
}

// cmp(a, b) when comparable, else nullopt.
std::optional<int> Compare(const std::optional<Literal>& a, const Literal& b) {
  if (!a) return std::nullopt;
  return CompareLiterals(*a, b);
}

bool Prefixed(const Literal& value, const Literal& prefix, int* order) {
  const auto* text = std::get_if<std::string>(&value.value);
  const auto* start = std::get_if<std::string>(&prefix.value);
  if (!text || !start) return false;
  *order = text->substr(0, start->size()).compare(*start);
  return true;
}

// The truth of predicate `e` for one known value (nullopt = null).
bool Test(const BoundExpression& e, const std::optional<Literal>& value) {
  if (e.op == ExprOp::kIsNull) return !value;
  if (e.op == ExprOp::kNotNull) return value.has_value();
  if (e.op == ExprOp::kIsNan) return value && IsNan(*value);
  if (e.op == ExprOp::kNotNan) return !value || !IsNan(*value);
  if (!value) {
    // Comparisons are never true of a null; the negated ones might be.
    return e.op == ExprOp::kNotEq || e.op == ExprOp::kNotIn || e.op == ExprOp::kNotStartsWith;
  }
  auto cmp = [&](const Literal& v) { return CompareLiterals(*value, v); };
  switch (e.op) {
    case ExprOp::kLt:
      return cmp(e.values[0]).value_or(-1) < 0;
    case ExprOp::kLtEq:
      return cmp(e.values[0]).value_or(-1) <= 0;
    case ExprOp::kGt:
      return cmp(e.values[0]).value_or(1) > 0;
    case ExprOp::kGtEq:
      return cmp(e.values[0]).value_or(1) >= 0;
    case ExprOp::kEq:
      return cmp(e.values[0]).value_or(0) == 0;
    case ExprOp::kNotEq:
      return cmp(e.values[0]).value_or(1) != 0;
    case ExprOp::kIn:
      for (const auto& v : e.values) {
        if (cmp(v).value_or(0) == 0) return true;
      }
      return false;
    case ExprOp::kNotIn:
      for (const auto& v : e.values) {
        if (cmp(v).value_or(1) == 0) return false;
      }
      return true;
    case ExprOp::kStartsWith:
    case ExprOp::kNotStartsWith: {
      int order = 0;
      if (!Prefixed(*value, e.values[0], &order)) return true;
      return (order == 0) == (e.op == ExprOp::kStartsWith);
    }
    default:
      return true;
  }
}

// The and/or/true/false skeleton of the evaluators; `leaf` judges one predicate. NOT is gone
// after RewriteNot (and never prunes if it is not).
template <typename Leaf>
bool MightMatch(const BoundExpression& e, const Leaf& leaf) {
  switch (e.op) {
    case ExprOp::kTrue:
      return true;
    case ExprOp::kFalse:
      return false;
    case ExprOp::kAnd:
      return MightMatch(e.children[0], leaf) && MightMatch(e.children[1], leaf);
    case ExprOp::kOr:
      return MightMatch(e.children[0], leaf) || MightMatch(e.children[1], leaf);
    case ExprOp::kNot:
      return true;
    default:
      return e.opaque || leaf(e);
  }
}

bool MetricsLeaf(const BoundExpression& e, const DataFile& file) {
  auto values = Count(file.value_counts, e.field_id);
  auto nulls = Count(file.null_value_counts, e.field_id);
  auto nans = Count(file.nan_value_counts, e.field_id);
  bool only_nulls = values && nulls && *values == *nulls;
  bool only_nans = values && nans && *values == *nans;
  switch (e.op) {
    case ExprOp::kIsNull:
      return !(nulls && *nulls == 0);
    case ExprOp::kNotNull:
      return !only_nulls;
    case ExprOp::kIsNan:
      return !(nans && *nans == 0) && !only_nulls;
    case ExprOp::kNotNan:
      return !only_nans;
    case ExprOp::kNotEq:
    case ExprOp::kNotIn:
    case ExprOp::kNotStartsWith:
      return true;
    default:
      break;
  }
  if (only_nulls || only_nans) return false;  // comparisons never hold for null or NaN
  auto lower = Bound(file.lower_bounds, e);
  auto upper = Bound(file.upper_bounds, e);
  const Literal& v = e.values.at(0);
  switch (e.op) {
    case ExprOp::kLt:
      return Compare(lower, v).value_or(-1) < 0;
    case ExprOp::kLtEq:
      return Compare(lower, v).value_or(-1) <= 0;
    case ExprOp::kGt:
      return Compare(upper, v).value_or(1) > 0;
    case ExprOp::kGtEq:
      return Compare(upper, v).value_or(1) >= 0;
    case ExprOp::kEq:
      return Compare(lower, v).value_or(-1) <= 0 && Compare(upper, v).value_or(1) >= 0;
    case ExprOp::kIn:
      for (const auto& value : e.values) {
        if (Compare(lower, value).value_or(-1) <= 0 && Compare(upper, value).value_or(1) >= 0) {
          return true;
        }
      }
      return false;
    case ExprOp::kStartsWith: {
      int order = 0;
      if (lower && Prefixed(*lower, v, &order) && order > 0) return false;
      if (upper && Prefixed(*upper, v, &order) && order < 0) return false;
      return true;
    }
    default:
      return true;
  }
}

bool PartitionLeaf(const BoundExpression& e, const PartitionSpec& spec,
                   const std::vector<PartitionValue>& partition) {
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const PartitionField& field = spec.fields[i];
    if (field.source_id != e.field_id || !field.source_ids.empty()) continue;
    // The value of this field: by partition field id, or by position when the file has no ids.
    const PartitionValue* match = nullptr;
    for (const auto& candidate : partition) {
      if (candidate.field_id == field.field_id) match = &candidate;
    }
    if (!match && i < partition.size() && !partition[i].field_id) match = &partition[i];
    if (!match) continue;
    const std::optional<Literal>& value = match->value;
    if (field.transform == "identity") {
      // Every row of the file holds this value: the predicate's truth for it is exact.
      if ((!value || value->type == e.type) && !Test(e, value)) return false;
      continue;
    }
    // Other transforms: the projected predicate holds for every partition with a matching row.
    std::optional<BoundExpression> projected = ProjectInclusive(e, field.transform, match->type);
    if (projected && !Test(*projected, value)) return false;
  }
  return true;
}

}  // namespace

Result<BoundExpression> Bind(const Expression& expression, const Schema& schema,
                             bool case_sensitive) {
  BoundExpression out;
  out.op = expression.op;
  if (!IsPredicate(expression.op)) {
    for (const auto& child : expression.children) {
      ASSIGN_OR_RETURN(BoundExpression bound, Bind(child, schema, case_sensitive));
      out.children.push_back(std::move(bound));
    }
    return out;
  }
  std::map<std::string, FieldInfo> fields;
  CollectFields(schema.fields, "", &fields);
  const FieldInfo* field = nullptr;
  for (const auto& [name, info] : fields) {
    bool same =
        case_sensitive ? name == expression.term : ToLower(name) == ToLower(expression.term);
    if (!same) continue;
    if (field) return Err(ErrorCode::kBadRequest, "Ambiguous field name: {}", expression.term);
    field = &info;
  }
  if (!field) {
    // A field inside a list or map, or a nested type, can be named but is never pruned on.
    auto by_name = IndexByName(schema);
    for (const auto& [name, id] : by_name) {
      bool same =
          case_sensitive ? name == expression.term : ToLower(name) == ToLower(expression.term);
      if (same) {
        out.field_id = id;
        out.opaque = true;
        return out;
      }
    }
    return Err(ErrorCode::kBadRequest, "Cannot find field '{}' in struct", expression.term);
  }
  out.field_id = field->id;
  out.type = field->type;
  for (const auto& value : expression.values) {
    ASSIGN_OR_RETURN(std::optional<Literal> literal, ToLiteral(field->type, value));
    if (!literal) out.opaque = true;
    if (literal) out.values.push_back(std::move(*literal));
  }
  return out;
}

BoundExpression RewriteNot(const BoundExpression& expression) {
  auto negate = [](BoundExpression e) -> BoundExpression {
    static const std::map<ExprOp, ExprOp> kOpposite = {
        {ExprOp::kTrue, ExprOp::kFalse},
        {ExprOp::kFalse, ExprOp::kTrue},
        {ExprOp::kIsNull, ExprOp::kNotNull},
        {ExprOp::kNotNull, ExprOp::kIsNull},
        {ExprOp::kIsNan, ExprOp::kNotNan},
        {ExprOp::kNotNan, ExprOp::kIsNan},
        {ExprOp::kLt, ExprOp::kGtEq},
        {ExprOp::kGtEq, ExprOp::kLt},
        {ExprOp::kGt, ExprOp::kLtEq},
        {ExprOp::kLtEq, ExprOp::kGt},
        {ExprOp::kEq, ExprOp::kNotEq},
        {ExprOp::kNotEq, ExprOp::kEq},
        {ExprOp::kIn, ExprOp::kNotIn},
        {ExprOp::kNotIn, ExprOp::kIn},
        {ExprOp::kStartsWith, ExprOp::kNotStartsWith},
        {ExprOp::kNotStartsWith, ExprOp::kStartsWith}};
    e.op = kOpposite.at(e.op);
    return e;
  };
  // NOT(x) is pushed into x: And/Or swap (De Morgan), predicates flip.
  std::function<BoundExpression(const BoundExpression&, bool)> push =
      [&](const BoundExpression& e, bool negated) -> BoundExpression {
    if (e.op == ExprOp::kNot) return push(e.children.at(0), !negated);
    if (e.op == ExprOp::kAnd || e.op == ExprOp::kOr) {
      BoundExpression out = e;
      if (negated) out.op = e.op == ExprOp::kAnd ? ExprOp::kOr : ExprOp::kAnd;
      for (auto& child : out.children) child = push(child, negated);
      return out;
    }
    return negated ? negate(e) : e;
  };
  return push(expression, false);
}

bool MetricsMightMatch(const BoundExpression& expression, const DataFile& file) {
  if (file.record_count <= 0) return false;
  return MightMatch(expression, [&](const BoundExpression& e) { return MetricsLeaf(e, file); });
}

bool PartitionMightMatch(const BoundExpression& expression, const PartitionSpec& spec,
                         const std::vector<PartitionValue>& partition) {
  return MightMatch(expression,
                    [&](const BoundExpression& e) { return PartitionLeaf(e, spec, partition); });
}

}  // namespace pangolin::iceberg
