// Field access on decoded manifest records. Iceberg writers put a field-id on every field; names
// are the fallback for files that lack ids or fields (v1), per the spec's column projection rules.
#include <limits>

#include "common/strings.h"
#include "iceberg/manifest_internal.h"

namespace pangolin::iceberg::internal {

namespace {

tl::unexpected<Error> WrongType(const FieldKey& key, std::string_view expected) {
  return Err(ErrorCode::kBadRequest, "field '{}' (id {}) is not {}", key.name, key.id, expected);
}

tl::unexpected<Error> Missing(const FieldKey& key) {
  return Err(ErrorCode::kBadRequest, "required field '{}' (id {}) is missing", key.name, key.id);
}

// The value of a present, non-null field, or nullptr.
const avro::Value* Present(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = FindField(record, key);
  return value == nullptr || value->IsNull() ? nullptr : value;
}

Result<int> ToInt(int64_t value, const FieldKey& key) {
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    return WrongType(key, "a 32-bit int");
  }
  return static_cast<int>(value);
}

// Calls `add(id, value)` for each entry of an Iceberg id-keyed map field.
template <typename Add>
Status ForEachIdEntry(const avro::Record& record, const FieldKey& key, Add add) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return Ok();
  if (const avro::Map* map = value->AsMap()) {
    for (const auto& [text, item] : *map) {
      auto id = ParseInt(text);
      if (!id) return WrongType(key, "a map keyed by column ids");
      ASSIGN_OR_RETURN(int column, ToInt(*id, key));
      RETURN_IF_ERROR(add(column, item));
    }
    return Ok();
  }
  const avro::Array* array = value->AsArray();
  if (array == nullptr) return WrongType(key, "a map");
  for (const avro::Value& item : *array) {
    const avro::Record* pair = item.AsRecord();
    if (pair == nullptr || pair->fields.size() < 2)
      return WrongType(key, "a map of key/value records");
    const avro::Value* k = pair->Find("key");
    const avro::Value* v = pair->Find("value");
    if (k == nullptr) k = &pair->fields[0];
    if (v == nullptr) v = &pair->fields[1];
    if (k->AsLong() == nullptr) return WrongType(key, "a map keyed by column ids");
    ASSIGN_OR_RETURN(int column, ToInt(*k->AsLong(), key));
    RETURN_IF_ERROR(add(column, *v));
  }
  return Ok();
}

}  // namespace

int FindFieldIndex(const avro::Node& schema, const FieldKey& key) {
  int index = schema.FieldIndexById(key.id);
  if (index < 0) index = schema.FieldIndex(key.name);
  if (index < 0 && !key.alias.empty()) index = schema.FieldIndex(key.alias);
  return index;
}

const avro::Value* FindField(const avro::Record& record, const FieldKey& key) {
  if (record.schema == nullptr) return nullptr;
  int index = FindFieldIndex(*record.schema, key);
  if (index < 0 || static_cast<size_t>(index) >= record.fields.size()) return nullptr;
  return &record.fields[static_cast<size_t>(index)];
}

Result<std::optional<int64_t>> GetLong(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return std::nullopt;
  if (value->AsLong() == nullptr) return WrongType(key, "a long");
  return *value->AsLong();
}

Result<int64_t> RequireLong(const avro::Record& record, const FieldKey& key) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value, GetLong(record, key));
  if (!value) return Missing(key);
  return *value;
}

Result<std::optional<int>> GetInt(const avro::Record& record, const FieldKey& key) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value, GetLong(record, key));
  if (!value) return std::nullopt;
  return ToInt(*value, key);
}

Result<int> RequireInt(const avro::Record& record, const FieldKey& key) {
  ASSIGN_OR_RETURN(std::optional<int> value, GetInt(record, key));
  if (!value) return Missing(key);
  return *value;
}

Result<std::optional<bool>> GetBool(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return std::nullopt;
  if (value->AsBool() == nullptr) return WrongType(key, "a boolean");
  return *value->AsBool();
}

Result<std::optional<std::string>> GetString(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return std::nullopt;
  if (value->AsString() == nullptr) return WrongType(key, "a string");
  return *value->AsString();
}

Result<std::string> RequireString(const avro::Record& record, const FieldKey& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, GetString(record, key));
  if (!value) return Missing(key);
  return std::move(*value);
}

Result<std::optional<std::string>> GetBytes(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return std::nullopt;
  if (value->AsBytes() == nullptr) return WrongType(key, "bytes");
  return value->AsBytes()->data;
}

Result<std::optional<std::vector<int64_t>>> GetLongList(const avro::Record& record,
                                                        const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return std::nullopt;
  if (value->AsArray() == nullptr) return WrongType(key, "a list");
  std::vector<int64_t> out;
  out.reserve(value->AsArray()->size());
  for (const avro::Value& item : *value->AsArray()) {
    if (item.AsLong() == nullptr) return WrongType(key, "a list of numbers");
    out.push_back(*item.AsLong());
  }
  return out;
}

Result<const avro::Record*> GetRecord(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return nullptr;
  if (value->AsRecord() == nullptr) return WrongType(key, "a struct");
  return value->AsRecord();
}

Result<const avro::Array*> GetArray(const avro::Record& record, const FieldKey& key) {
  const avro::Value* value = Present(record, key);
  if (value == nullptr) return nullptr;
  if (value->AsArray() == nullptr) return WrongType(key, "a list");
  return value->AsArray();
}

Result<std::map<int, int64_t>> GetIdToLong(const avro::Record& record, const FieldKey& key) {
  std::map<int, int64_t> out;
  RETURN_IF_ERROR(ForEachIdEntry(record, key, [&](int id, const avro::Value& value) -> Status {
    if (value.AsLong() == nullptr) return WrongType(key, "a map of longs");
    out[id] = *value.AsLong();
    return Ok();
  }));
  return out;
}

Result<std::map<int, std::string>> GetIdToBytes(const avro::Record& record, const FieldKey& key) {
  std::map<int, std::string> out;
  RETURN_IF_ERROR(ForEachIdEntry(record, key, [&](int id, const avro::Value& value) -> Status {
    if (value.AsBytes() == nullptr) return WrongType(key, "a map of bytes");
    out[id] = value.AsBytes()->data;
    return Ok();
  }));
  return out;
}

}  // namespace pangolin::iceberg::internal
