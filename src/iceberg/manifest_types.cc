// Iceberg types of Avro partition fields and their values as literals, following the Avro
// mapping of the Iceberg spec (Appendix A): logical types date, time-micros, timestamp-micros
// (adjust-to-utc, which Java defaults to true when absent), timestamp-nanos, decimal and uuid.
#include <limits>

#include "common/strings.h"
#include "iceberg/manifest_internal.h"

namespace pangolin::iceberg::internal {

namespace {

std::string LogicalType(const avro::Node& node) {
  const std::string* logical = node.Prop("logicalType");
  return logical == nullptr ? std::string() : *logical;
}

bool AdjustedToUtc(const avro::Node& node) {
  const std::string* adjust = node.Prop("adjust-to-utc");
  return adjust == nullptr || ToLower(*adjust) == "true";
}

Result<std::string> DecimalType(const avro::Node& node) {
  const std::string* precision = node.Prop("precision");
  const std::string* scale = node.Prop("scale");
  auto p = precision == nullptr ? std::nullopt : ParseInt(*precision);
  auto s = scale == nullptr ? std::optional<long long>(0) : ParseInt(*scale);
  if (!p || !s) return Err(ErrorCode::kBadRequest, "decimal without a valid precision and scale");
  return fmt::format("decimal({}, {})", *p, *s);
}

}  // namespace

Result<std::string> IcebergType(const avro::Node& node) {
  std::string logical = LogicalType(node);
  switch (node.type) {
    case avro::Type::kUnion: {
      const avro::Node* inner = node.NonNullBranch();
      if (inner != nullptr) return IcebergType(*inner);
      if (node.branches.size() == 1 && node.branches[0]->type == avro::Type::kNull)
        return "unknown";
      return Err(ErrorCode::kUnsupported, "a partition field is an Avro union of {} types",
                 node.branches.size());
    }
    case avro::Type::kNull:
      return "unknown";
    case avro::Type::kBoolean:
      return "boolean";
    case avro::Type::kInt:
      return logical == "date" ? "date" : "int";
    case avro::Type::kLong:
      if (logical == "time-micros") return "time";
      if (logical == "timestamp-micros") return AdjustedToUtc(node) ? "timestamptz" : "timestamp";
      if (logical == "timestamp-nanos") {
        return AdjustedToUtc(node) ? "timestamptz_ns" : "timestamp_ns";
      }
      return "long";
    case avro::Type::kFloat:
      return "float";
    case avro::Type::kDouble:
      return "double";
    case avro::Type::kString:
      return "string";
    case avro::Type::kBytes:
      return logical == "decimal" ? DecimalType(node) : "binary";
    case avro::Type::kFixed:
      if (logical == "decimal") return DecimalType(node);
      if (logical == "uuid" && node.size == 16) return "uuid";
      return fmt::format("fixed[{}]", node.size);
    default:
      return Err(ErrorCode::kUnsupported, "a partition field has the Avro type {}",
                 avro::TypeName(node.type));
  }
}

Result<std::optional<Literal>> ToLiteral(const avro::Value& value, const std::string& type) {
  if (value.IsNull() || type == "unknown") return std::nullopt;
  auto mismatch = [&]() {
    return Err(ErrorCode::kBadRequest, "a partition value does not match its type {}", type);
  };
  Literal out{type, false};
  if (type == "boolean") {
    if (value.AsBool() == nullptr) return mismatch();
    out.value = *value.AsBool();
  } else if (type == "int" || type == "date") {
    const int64_t* v = value.AsLong();
    if (v == nullptr || *v < std::numeric_limits<int32_t>::min() ||
        *v > std::numeric_limits<int32_t>::max()) {
      return mismatch();
    }
    out.value = static_cast<int32_t>(*v);
  } else if (type == "long" || type == "time" || StartsWith(type, "timestamp")) {
    if (value.AsLong() == nullptr) return mismatch();
    out.value = *value.AsLong();
  } else if (type == "float") {
    if (value.AsDouble() == nullptr) return mismatch();
    out.value = static_cast<float>(*value.AsDouble());
  } else if (type == "double") {
    if (value.AsDouble() == nullptr) return mismatch();
    out.value = *value.AsDouble();
  } else if (type == "string") {
    if (value.AsString() == nullptr) return mismatch();
    out.value = *value.AsString();
  } else {  // uuid, fixed[L], binary, decimal(P, S): bytes as stored
    if (value.AsBytes() == nullptr) return mismatch();
    out.value = value.AsBytes()->data;
  }
  return std::optional<Literal>(std::move(out));
}

}  // namespace pangolin::iceberg::internal
