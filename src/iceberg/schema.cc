// Schema helpers: structural comparison, id/name indexes, fresh id assignment and format-version
// compatibility checks, all over plain values.
#include "iceberg/schema.h"

#include <algorithm>
#include <set>

namespace pangolin::iceberg {

Type Type::Primitive(std::string name) {
  Type type;
  type.primitive = std::move(name);
  return type;
}

Type Type::Struct(std::vector<NestedField> fields) {
  Type type;
  type.kind = TypeKind::kStruct;
  type.fields = std::move(fields);
  return type;
}

Type Type::List(int element_id, bool element_required, Type element) {
  Type type;
  type.kind = TypeKind::kList;
  type.element_id = element_id;
  type.element_required = element_required;
  type.children.push_back(std::move(element));
  return type;
}

Type Type::Map(int key_id, Type key, int value_id, bool value_required, Type value) {
  Type type;
  type.kind = TypeKind::kMap;
  type.key_id = key_id;
  type.value_id = value_id;
  type.value_required = value_required;
  type.children.push_back(std::move(key));
  type.children.push_back(std::move(value));
  return type;
}

namespace {

bool SameType(const Type& a, const Type& b);

bool SameField(const NestedField& a, const NestedField& b) {
  return a.id == b.id && a.name == b.name && a.required == b.required && a.doc == b.doc &&
         a.initial_default == b.initial_default && a.write_default == b.write_default &&
         SameType(a.type, b.type);
}

bool SameType(const Type& a, const Type& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TypeKind::kPrimitive:
      return a.primitive == b.primitive;
    case TypeKind::kStruct:
      return std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(),
                        SameField);
    case TypeKind::kList:
      return a.element_id == b.element_id && a.element_required == b.element_required &&
             SameType(a.children[0], b.children[0]);
    case TypeKind::kMap:
      return a.key_id == b.key_id && a.value_id == b.value_id &&
             a.value_required == b.value_required && SameType(a.children[0], b.children[0]) &&
             SameType(a.children[1], b.children[1]);
  }
  return false;
}

void IndexType(const Type& type, const std::string& prefix, std::map<int, FieldRef>* out);

void IndexChild(int id, const Type& type, const std::string& name, std::map<int, FieldRef>* out) {
  (*out)[id] = FieldRef{name, &type};
  IndexType(type, name + ".", out);
}

void IndexType(const Type& type, const std::string& prefix, std::map<int, FieldRef>* out) {
  switch (type.kind) {
    case TypeKind::kPrimitive:
      return;
    case TypeKind::kStruct:
      for (const auto& field : type.fields)
        IndexChild(field.id, field.type, prefix + field.name, out);
      return;
    case TypeKind::kList:
      IndexChild(type.element_id, type.children[0], prefix + "element", out);
      return;
    case TypeKind::kMap:
      IndexChild(type.key_id, type.children[0], prefix + "key", out);
      IndexChild(type.value_id, type.children[1], prefix + "value", out);
      return;
  }
}

// Assigns ids level by level as Java's AssignFreshIds visitor does.
void FreshIds(Type* type, int* next_id) {
  switch (type->kind) {
    case TypeKind::kPrimitive:
      return;
    case TypeKind::kStruct:
      for (auto& field : type->fields) field.id = ++*next_id;
      for (auto& field : type->fields) FreshIds(&field.type, next_id);
      return;
    case TypeKind::kList:
      type->element_id = ++*next_id;
      FreshIds(&type->children[0], next_id);
      return;
    case TypeKind::kMap:
      type->key_id = ++*next_id;
      type->value_id = ++*next_id;
      FreshIds(&type->children[0], next_id);
      FreshIds(&type->children[1], next_id);
      return;
  }
}

int MinVersionFor(const std::string& primitive) {
  static const char* const kV3[] = {"variant",        "unknown",  "timestamp_ns",
                                    "timestamptz_ns", "geometry", "geography"};
  for (const char* name : kV3) {
    std::string_view prefix(name);
    if (primitive == prefix ||
        (primitive.rfind(prefix, 0) == 0 && primitive.size() > prefix.size() &&
         primitive[prefix.size()] == '(')) {
      return 3;
    }
  }
  return 1;
}

void CollectProblems(const Type& type, const std::string& prefix, int version,
                     std::vector<std::string>* problems);

void CheckField(const NestedField& field, const std::string& name, int version,
                std::vector<std::string>* problems) {
  if (field.initial_default && *field.initial_default != "null" && version < 3) {
    problems->push_back(fmt::format(
        "Invalid initial default for {}: non-null default ({}) is not supported until v3", name,
        *field.initial_default));
  }
  CollectProblems(field.type, name, version, problems);
}

void CollectProblems(const Type& type, const std::string& name, int version,
                     std::vector<std::string>* problems) {
  const std::string prefix = name.empty() ? "" : name + ".";
  switch (type.kind) {
    case TypeKind::kPrimitive: {
      int min = MinVersionFor(type.primitive);
      if (min > version) {
        problems->push_back(fmt::format("Invalid type for {}: {} is not supported until v{}", name,
                                        type.primitive, min));
      }
      return;
    }
    case TypeKind::kStruct:
      for (const auto& field : type.fields)
        CheckField(field, prefix + field.name, version, problems);
      return;
    case TypeKind::kList:
      CollectProblems(type.children[0], prefix + "element", version, problems);
      return;
    case TypeKind::kMap:
      CollectProblems(type.children[0], prefix + "key", version, problems);
      CollectProblems(type.children[1], prefix + "value", version, problems);
      return;
  }
}

void CollectIds(const Type& type, std::vector<int>* ids) {
  switch (type.kind) {
    case TypeKind::kPrimitive:
      return;
    case TypeKind::kStruct:
      for (const auto& field : type.fields) {
        ids->push_back(field.id);
        CollectIds(field.type, ids);
      }
      return;
    case TypeKind::kList:
      ids->push_back(type.element_id);
      CollectIds(type.children[0], ids);
      return;
    case TypeKind::kMap:
      ids->push_back(type.key_id);
      ids->push_back(type.value_id);
      CollectIds(type.children[0], ids);
      CollectIds(type.children[1], ids);
      return;
  }
}

}  // namespace

bool SameSchema(const Schema& a, const Schema& b) {
  return std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end(),
                    SameField) &&
         a.identifier_field_ids == b.identifier_field_ids;
}

int HighestFieldId(const Schema& schema) {
  std::vector<int> ids;
  CollectIds(Type::Struct(schema.fields), &ids);
  return ids.empty() ? 0 : *std::max_element(ids.begin(), ids.end());
}

std::map<int, FieldRef> IndexById(const Schema& schema) {
  std::map<int, FieldRef> out;
  for (const auto& field : schema.fields) IndexChild(field.id, field.type, field.name, &out);
  return out;
}

std::map<std::string, int> IndexByName(const Schema& schema) {
  std::map<std::string, int> out;
  for (const auto& [id, ref] : IndexById(schema)) out[ref.full_name] = id;
  return out;
}

Schema AssignFreshIds(const Schema& schema, int schema_id, int* next_id) {
  Type root = Type::Struct(schema.fields);
  FreshIds(&root, next_id);
  Schema fresh{schema_id, std::move(root.fields), {}, schema.extra};
  auto old_names = IndexById(schema);
  auto new_ids = IndexByName(fresh);
  for (int old_id : schema.identifier_field_ids) {
    auto name = old_names.find(old_id);
    if (name == old_names.end()) continue;
    auto id = new_ids.find(name->second.full_name);
    if (id != new_ids.end()) fresh.identifier_field_ids.push_back(id->second);
  }
  return fresh;
}

namespace {

bool HasArguments(std::string_view type, std::string_view name, char open, char close) {
  return type.size() > name.size() + 1 && type.substr(0, name.size()) == name &&
         type[name.size()] == open && type.back() == close;
}

bool IsUnsigned(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 9) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

bool IsPrimitiveType(std::string_view type) {
  static constexpr std::string_view kPlain[] = {
      "boolean", "int",       "long",        "float",        "double",         "date",
      "time",    "timestamp", "timestamptz", "timestamp_ns", "timestamptz_ns", "string",
      "uuid",    "binary",    "variant",     "unknown",      "geometry",       "geography"};
  for (std::string_view plain : kPlain) {
    if (type == plain) return true;
  }
  if (HasArguments(type, "decimal", '(', ')')) {
    std::string_view inner = type.substr(8, type.size() - 9);
    size_t comma = inner.find(',');
    return comma != std::string_view::npos && IsUnsigned(inner.substr(0, comma)) &&
           IsUnsigned(inner.substr(comma + 1));
  }
  if (HasArguments(type, "fixed", '[', ']')) return IsUnsigned(type.substr(6, type.size() - 7));
  return HasArguments(type, "geometry", '(', ')') || HasArguments(type, "geography", '(', ')');
}

bool IsKnownTransform(std::string_view transform) {
  for (std::string_view plain : {"identity", "year", "month", "day", "hour", "void"}) {
    if (transform == plain) return true;
  }
  if (HasArguments(transform, "bucket", '[', ']')) {
    return IsUnsigned(transform.substr(7, transform.size() - 8));
  }
  if (HasArguments(transform, "truncate", '[', ']')) {
    return IsUnsigned(transform.substr(9, transform.size() - 10));
  }
  return false;
}

Status CheckSchemaCompatibility(const Schema& schema, int format_version) {
  std::vector<int> ids;
  CollectIds(Type::Struct(schema.fields), &ids);
  std::set<int> seen;
  for (int id : ids) {
    if (!seen.insert(id).second) {
      return Err(ErrorCode::kInvalidArgument, "Invalid schema: multiple fields for id {}", id);
    }
  }
  std::vector<std::string> problems;
  CollectProblems(Type::Struct(schema.fields), "", format_version, &problems);
  if (problems.empty()) return Ok();
  std::string message = fmt::format("Invalid schema for v{}:", format_version);
  for (const auto& problem : problems) message += "\n- " + problem;
  return MakeError(ErrorCode::kInvalidArgument, message);
}

}  // namespace pangolin::iceberg
