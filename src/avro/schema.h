// The Avro schema model (the writer schema of an object container file) and its JSON parser.
// Logical types are not interpreted here; their attributes are kept in `props` for the caller,
// and Iceberg's id attributes (field-id, element-id, key-id, value-id) are kept as numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace pangolin::avro {

enum class Type {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

// "null", "boolean", ..., "fixed".
std::string_view TypeName(Type type);

struct Node;
// Schema nodes are immutable and shared (a named type referenced twice is one node).
using NodePtr = std::shared_ptr<const Node>;

// Attributes the model does not interpret (logicalType, precision, scale, adjust-to-utc, ...)
// whose values are JSON scalars: strings unquoted, numbers and booleans as written.
using Props = std::vector<std::pair<std::string, std::string>>;

struct Field {
  std::string name;
  NodePtr type;
  std::optional<int> field_id;  // Iceberg "field-id"
  Props props;
};

struct Node {
  Type type = Type::kNull;
  std::string name;                  // kRecord, kEnum, kFixed: full name (namespace.name)
  std::vector<Field> fields;         // kRecord
  std::vector<std::string> symbols;  // kEnum
  std::vector<NodePtr> branches;     // kUnion
  NodePtr items;                     // kArray: element; kMap: value (keys are strings)
  int64_t size = 0;                  // kFixed
  std::optional<int> element_id;     // kArray: Iceberg "element-id"
  std::optional<int> key_id;         // kMap: Iceberg "key-id"
  std::optional<int> value_id;       // kMap: Iceberg "value-id"
  Props props;
  // Fewest bytes one value of this schema can occupy in the binary encoding (0 for null and
  // for records of nulls); bounds the item counts a decoder accepts.
  uint64_t min_encoded_size = 0;
  // Values one datum of this schema decodes into, not counting array and map items (which are
  // bounded by their own counts). Parsing refuses records and unions whose weight is out of
  // proportion to their encoded size, so named types reused in a tree cannot turn a few bytes
  // into an exponential amount of decoding.
  uint64_t value_weight = 1;

  // The value of attribute `key`, or nullptr.
  const std::string* Prop(std::string_view key) const;
  // Index in `fields` of the field named `name` / carrying field-id `id`; -1 when absent.
  int FieldIndex(std::string_view name) const;
  int FieldIndexById(int id) const;
  // For a union of null and one other type (in either order), that other type; else nullptr.
  const Node* NonNullBranch() const;
};

inline constexpr uint64_t kMaxWeightPerByte = 1024;

// Parses an Avro schema (the `avro.schema` metadata of a container file). Named types may be
// referenced after their definition; recursive types are refused, and so are records and unions
// heavier than kMaxWeightPerByte values per encoded byte (see value_weight). Unknown attributes
// with object or array values are dropped.
// Errors: kBadRequest for invalid JSON or an invalid schema; kUnsupported for a recursive type.
Result<NodePtr> ParseSchema(std::string_view json);

}  // namespace pangolin::avro
