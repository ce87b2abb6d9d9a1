// Iceberg schemas: the nested type tree (primitive / struct / list / map), NestedField and Schema,
// plus the pure lookups and id reassignment the metadata builder and createTable need.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace pangolin::iceberg {

// Arbitrary JSON kept as compact serialized text (iceberg holds no JSON values).
using RawJson = std::string;
// JSON members the model does not know, in document order; re-emitted verbatim on serialization.
using ExtraFields = std::vector<std::pair<std::string, RawJson>>;

enum class TypeKind { kPrimitive, kStruct, kList, kMap };

struct NestedField;

// A node of the type tree. Only the members of `kind` are meaningful.
struct Type {
  TypeKind kind = TypeKind::kPrimitive;
  std::string primitive;            // kPrimitive: "long", "decimal(9, 2)", "fixed[16]", ...
  std::vector<NestedField> fields;  // kStruct
  std::vector<Type> children;       // kList: {element}; kMap: {key, value}
  int element_id = 0;               // kList
  bool element_required = false;    // kList
  int key_id = 0;                   // kMap
  int value_id = 0;                 // kMap
  bool value_required = false;      // kMap

  static Type Primitive(std::string name);
  static Type Struct(std::vector<NestedField> fields);
  static Type List(int element_id, bool element_required, Type element);
  static Type Map(int key_id, Type key, int value_id, bool value_required, Type value);
  bool operator==(const Type&) const = default;
};

struct NestedField {
  int id = 0;
  std::string name;
  bool required = false;
  Type type;
  std::optional<std::string> doc;
  std::optional<RawJson> initial_default;
  std::optional<RawJson> write_default;
  ExtraFields extra;
  bool operator==(const NestedField&) const = default;
};

struct Schema {
  int schema_id = 0;
  std::vector<NestedField> fields;
  std::vector<int> identifier_field_ids;
  ExtraFields extra;
  bool operator==(const Schema&) const = default;
};

// Java's Schema.sameSchema: equal type trees and identifier ids; schema id and unknown JSON
// members are ignored.
bool SameSchema(const Schema& a, const Schema& b);

// True for the spec's primitive type strings: boolean, int, long, float, double, date, time,
// timestamp[tz][_ns], string, uuid, binary, variant, unknown, decimal(P, S), fixed[L],
// geometry[(crs)], geography[(crs[, algorithm])].
bool IsPrimitiveType(std::string_view type);

// True for the spec's transforms: identity, year, month, day, hour, void, bucket[N], truncate[W].
// New specs and sort orders must use one; metadata written elsewhere is read whatever it holds.
bool IsKnownTransform(std::string_view transform);

// Highest field id anywhere in the schema (0 when empty).
int HighestFieldId(const Schema& schema);

// A field found by id: its full dotted name ("a.element.b", "m.key") and its type.
struct FieldRef {
  std::string full_name;
  const Type* type = nullptr;
};
// Every field id of `schema` (struct fields, list elements, map keys/values) by id.
std::map<int, FieldRef> IndexById(const Schema& schema);
// Full dotted name -> id, for every field.
std::map<std::string, int> IndexByName(const Schema& schema);

// A copy of `schema` with fresh ids from `*next_id + 1` (Java TypeUtil.assignFreshIds: all fields
// of one struct first, then their children), schema id `schema_id`, identifier ids remapped by
// name. Advances `*next_id` to the last id assigned.
Schema AssignFreshIds(const Schema& schema, int schema_id, int* next_id);

// Checks ids are unique and v3-only types/defaults are absent below v3 (Schema.checkCompatibility).
// Errors: kInvalidArgument.
Status CheckSchemaCompatibility(const Schema& schema, int format_version);

}  // namespace pangolin::iceberg
