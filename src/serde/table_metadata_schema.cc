// JSON of schemas (the nested type tree), partition specs and sort orders, in the field order of
// Java's SchemaParser / PartitionSpecParser / SortOrderParser. Unknown field members survive.
#include "serde/json_internal.h"
#include "serde/table_metadata_internal.h"

namespace pangolin::serde::internal {

using namespace iceberg;  // NOLINT: model types throughout this file

namespace {

// A partition or sort field names its source column by `source-id`, or (v3 multi-argument
// transforms) by `source-ids`, whose first entry then serves as `source-id`.
Status ReadSourceIds(const json::object& object, int* source_id, std::vector<int>* source_ids) {
  if (Find(object, "source-ids") && !Find(object, "source-id")) {
    ASSIGN_OR_RETURN(*source_ids, GetInt32List(object, "source-ids"));
    if (source_ids->empty()) return Err(ErrorCode::kBadRequest, "Invalid field source-ids: empty");
    *source_id = source_ids->front();
    return Ok();
  }
  ASSIGN_OR_RETURN(*source_id, GetInt32(object, "source-id"));
  return Ok();
}

Result<const json::object*> AsObject(const json::value& value, std::string_view what) {
  if (!value.is_object())
    return Err(ErrorCode::kBadRequest, "Invalid {}: expected an object", what);
  return &value.as_object();
}

Result<NestedField> FieldFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "schema field"));
  NestedField field;
  ASSIGN_OR_RETURN(field.id, GetInt32(*object, "id"));
  ASSIGN_OR_RETURN(field.name, GetString(*object, "name"));
  ASSIGN_OR_RETURN(field.required, GetBool(*object, "required", false));
  const json::value* type = Find(*object, "type");
  if (!type) return Err(ErrorCode::kBadRequest, "Missing field: type");
  ASSIGN_OR_RETURN(field.type, TypeFromJson(*type));
  ASSIGN_OR_RETURN(field.doc, GetOptionalString(*object, "doc"));
  if (const json::value* d = Find(*object, "initial-default"); d && !d->is_null()) {
    field.initial_default = ToRawJson(*d);
  }
  if (const json::value* d = Find(*object, "write-default"); d && !d->is_null()) {
    field.write_default = ToRawJson(*d);
  }
  field.extra = CollectExtras(
      *object, {"id", "name", "required", "type", "doc", "initial-default", "write-default"});
  return field;
}

Result<std::vector<NestedField>> FieldsFromJson(const json::object& object) {
  ASSIGN_OR_RETURN(const json::array* array, GetArray(object, "fields"));
  std::vector<NestedField> fields;
  for (const auto& item : *array) {
    ASSIGN_OR_RETURN(NestedField field, FieldFromJson(item));
    fields.push_back(std::move(field));
  }
  return fields;
}

Result<Type> ChildType(const json::object& object, std::string_view key) {
  const json::value* child = Find(object, key);
  if (!child || child->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  return TypeFromJson(*child);
}

void Write(JsonWriter& w, const Type& type);

void WriteFields(JsonWriter& w, const std::vector<NestedField>& fields) {
  w.BeginArray();
  for (const auto& field : fields) {
    w.BeginObject();
    w.Int("id", field.id);
    w.String("name", field.name);
    w.Bool("required", field.required);
    w.Key("type");
    Write(w, field.type);
    if (field.doc) w.String("doc", *field.doc);
    if (field.initial_default) w.Raw("initial-default", *field.initial_default);
    if (field.write_default) w.Raw("write-default", *field.write_default);
    w.Extras(field.extra);
    w.EndObject();
  }
  w.EndArray();
}

void Write(JsonWriter& w, const Type& type) {
  if (type.kind == TypeKind::kPrimitive) {
    w.String(type.primitive);
    return;
  }
  w.BeginObject();
  if (type.kind == TypeKind::kStruct) {
    w.String("type", "struct");
    w.Key("fields");
    WriteFields(w, type.fields);
  } else if (type.kind == TypeKind::kList) {
    w.String("type", "list");
    w.Int("element-id", type.element_id);
    w.Key("element");
    Write(w, type.children[0]);
    w.Bool("element-required", type.element_required);
  } else {
    w.String("type", "map");
    w.Int("key-id", type.key_id);
    w.Key("key");
    Write(w, type.children[0]);
    w.Int("value-id", type.value_id);
    w.Key("value");
    Write(w, type.children[1]);
    w.Bool("value-required", type.value_required);
  }
  w.EndObject();
}

void WriteIds(JsonWriter& w, std::string_view key, const std::vector<int>& ids) {
  w.Key(key);
  w.BeginArray();
  for (int id : ids) w.Int(id);
  w.EndArray();
}

// A partition or sort field's source: `source-ids` for a multi-argument transform.
void WriteSource(JsonWriter& w, int source_id, const std::vector<int>& source_ids) {
  if (source_ids.size() > 1) {
    WriteIds(w, "source-ids", source_ids);
  } else {
    w.Int("source-id", source_id);
  }
}

Result<PartitionField> PartitionFieldFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "partition field"));
  PartitionField field;
  ASSIGN_OR_RETURN(field.name, GetString(*object, "name"));
  ASSIGN_OR_RETURN(field.transform, GetString(*object, "transform"));
  ASSIGN_OR_RETURN(std::optional<int> field_id, GetOptionalInt32(*object, "field-id"));
  field.field_id = field_id.value_or(0);
  RETURN_IF_ERROR(ReadSourceIds(*object, &field.source_id, &field.source_ids));
  field.extra =
      CollectExtras(*object, {"name", "transform", "field-id", "source-id", "source-ids"});
  return field;
}

Status CheckSortField(const SortField& field) {
  if (field.direction != "asc" && field.direction != "desc") {
    return Err(ErrorCode::kBadRequest, "Invalid sort direction: {}", field.direction);
  }
  if (field.null_order != "nulls-first" && field.null_order != "nulls-last") {
    return Err(ErrorCode::kBadRequest, "Invalid null order: {}", field.null_order);
  }
  return Ok();
}

Result<SortField> SortFieldFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "sort field"));
  SortField field;
  ASSIGN_OR_RETURN(field.transform, GetString(*object, "transform"));
  RETURN_IF_ERROR(ReadSourceIds(*object, &field.source_id, &field.source_ids));
  ASSIGN_OR_RETURN(field.direction, GetString(*object, "direction"));
  ASSIGN_OR_RETURN(field.null_order, GetString(*object, "null-order"));
  RETURN_IF_ERROR(CheckSortField(field));
  field.extra =
      CollectExtras(*object, {"transform", "source-id", "source-ids", "direction", "null-order"});
  return field;
}

}  // namespace

Result<Type> TypeFromJson(const json::value& value) {
  if (value.is_string()) {
    std::string primitive(value.as_string());
    if (!iceberg::IsPrimitiveType(primitive)) {
      return Err(ErrorCode::kBadRequest, "Cannot parse type string to primitive: {}", primitive);
    }
    return Type::Primitive(std::move(primitive));
  }
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "type"));
  ASSIGN_OR_RETURN(std::string kind, GetString(*object, "type"));
  if (kind == "struct") {
    ASSIGN_OR_RETURN(auto fields, FieldsFromJson(*object));
    return Type::Struct(std::move(fields));
  }
  if (kind == "list") {
    ASSIGN_OR_RETURN(int element_id, GetInt32(*object, "element-id"));
    ASSIGN_OR_RETURN(bool required, GetBool(*object, "element-required", false));
    ASSIGN_OR_RETURN(Type element, ChildType(*object, "element"));
    return Type::List(element_id, required, std::move(element));
  }
  if (kind == "map") {
    ASSIGN_OR_RETURN(int key_id, GetInt32(*object, "key-id"));
    ASSIGN_OR_RETURN(Type key, ChildType(*object, "key"));
    ASSIGN_OR_RETURN(int value_id, GetInt32(*object, "value-id"));
    ASSIGN_OR_RETURN(bool required, GetBool(*object, "value-required", false));
    ASSIGN_OR_RETURN(Type map_value, ChildType(*object, "value"));
    return Type::Map(key_id, std::move(key), value_id, required, std::move(map_value));
  }
  return Err(ErrorCode::kBadRequest, "Cannot parse type: unknown nested type {}", kind);
}

Result<Schema> SchemaFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "schema"));
  if (const json::value* type = Find(*object, "type");
      type && !(type->is_string() && type->as_string() == "struct")) {
    return Err(ErrorCode::kBadRequest, "Invalid schema: type must be struct");
  }
  Schema schema;
  ASSIGN_OR_RETURN(std::optional<int> id, GetOptionalInt32(*object, "schema-id"));
  schema.schema_id = id.value_or(0);
  ASSIGN_OR_RETURN(schema.fields, FieldsFromJson(*object));
  if (const json::value* ids = Find(*object, "identifier-field-ids"); ids && !ids->is_null()) {
    ASSIGN_OR_RETURN(schema.identifier_field_ids, GetInt32List(*object, "identifier-field-ids"));
  }
  schema.extra = CollectExtras(*object, {"type", "schema-id", "identifier-field-ids", "fields"});
  return schema;
}

void Write(JsonWriter& w, const Schema& schema) {
  w.BeginObject();
  w.String("type", "struct");
  w.Int("schema-id", schema.schema_id);
  if (!schema.identifier_field_ids.empty()) {
    WriteIds(w, "identifier-field-ids", schema.identifier_field_ids);
  }
  w.Key("fields");
  WriteFields(w, schema.fields);
  w.Extras(schema.extra);
  w.EndObject();
}

Result<std::vector<PartitionField>> PartitionFieldsFromJson(const json::value& value) {
  if (!value.is_array())
    return Err(ErrorCode::kBadRequest, "Invalid partition fields: expected an array");
  std::vector<PartitionField> fields;
  int next_id = kPartitionDataIdStart;
  for (const auto& item : value.as_array()) {
    ASSIGN_OR_RETURN(PartitionField field, PartitionFieldFromJson(item));
    // Old v1 files carry no field ids: they were assigned sequentially from 1000.
    if (!Find(item.as_object(), "field-id")) field.field_id = next_id;
    next_id = std::max(next_id, field.field_id) + 1;
    fields.push_back(std::move(field));
  }
  return fields;
}

Result<PartitionSpec> PartitionSpecFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "partition spec"));
  PartitionSpec spec;
  ASSIGN_OR_RETURN(spec.spec_id, GetInt32(*object, "spec-id"));
  const json::value* fields = Find(*object, "fields");
  if (!fields) return Err(ErrorCode::kBadRequest, "Missing field: fields");
  ASSIGN_OR_RETURN(spec.fields, PartitionFieldsFromJson(*fields));
  spec.extra = CollectExtras(*object, {"spec-id", "fields"});
  return spec;
}

Result<UnboundPartitionSpec> UnboundPartitionSpecFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "partition spec"));
  UnboundPartitionSpec spec;
  ASSIGN_OR_RETURN(spec.spec_id, GetOptionalInt32(*object, "spec-id"));
  ASSIGN_OR_RETURN(const json::array* fields, GetArray(*object, "fields"));
  for (const auto& item : *fields) {
    ASSIGN_OR_RETURN(PartitionField field, PartitionFieldFromJson(item));
    ASSIGN_OR_RETURN(std::optional<int> field_id, GetOptionalInt32(item.as_object(), "field-id"));
    spec.fields.push_back(
        {field.source_id, field.source_ids, field_id, field.name, field.transform});
  }
  return spec;
}

void WriteFields(JsonWriter& w, const PartitionSpec& spec) {
  w.BeginArray();
  for (const auto& field : spec.fields) {
    w.BeginObject();
    w.String("name", field.name);
    w.String("transform", field.transform);
    WriteSource(w, field.source_id, field.source_ids);
    w.Int("field-id", field.field_id);
    w.Extras(field.extra);
    w.EndObject();
  }
  w.EndArray();
}

void Write(JsonWriter& w, const PartitionSpec& spec) {
  w.BeginObject();
  w.Int("spec-id", spec.spec_id);
  w.Key("fields");
  WriteFields(w, spec);
  w.Extras(spec.extra);
  w.EndObject();
}

Result<SortOrder> SortOrderFromJson(const json::value& value) {
  ASSIGN_OR_RETURN(const json::object* object, AsObject(value, "sort order"));
  SortOrder order;
  ASSIGN_OR_RETURN(const json::array* fields, GetArray(*object, "fields"));
  for (const auto& item : *fields) {
    ASSIGN_OR_RETURN(SortField field, SortFieldFromJson(item));
    order.fields.push_back(std::move(field));
  }
  ASSIGN_OR_RETURN(std::optional<int> id, GetOptionalInt32(*object, "order-id"));
  order.order_id = id.value_or(order.fields.empty() ? 0 : 1);
  order.extra = CollectExtras(*object, {"order-id", "fields"});
  return order;
}

void Write(JsonWriter& w, const SortOrder& order) {
  w.BeginObject();
  w.Int("order-id", order.order_id);
  w.Key("fields");
  w.BeginArray();
  for (const auto& field : order.fields) {
    w.BeginObject();
    w.String("transform", field.transform);
    WriteSource(w, field.source_id, field.source_ids);
    w.String("direction", field.direction);
    w.String("null-order", field.null_order);
    w.Extras(field.extra);
    w.EndObject();
  }
  w.EndArray();
  w.Extras(order.extra);
  w.EndObject();
}

}  // namespace pangolin::serde::internal
