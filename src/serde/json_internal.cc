// Typed JSON field access with errors that name the field.
#include "serde/json_internal.h"

#include <algorithm>

#include "common/strings.h"

namespace pangolin::serde::internal {

Result<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return Err(ErrorCode::kBadRequest, "Malformed JSON: {}", ec.message());
  return value;
}

Result<json::object> ParseObject(std::string_view text, std::string_view what) {
  ASSIGN_OR_RETURN(json::value value, ParseJson(text));
  if (!value.is_object())
    return Err(ErrorCode::kBadRequest, "Invalid {}: expected a JSON object", what);
  return std::move(value.as_object());
}

const json::value* Find(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

Result<std::string> GetString(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  if (!value->is_string())
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected a string", key);
  return std::string(value->as_string());
}

Result<std::optional<std::string>> GetOptionalString(const json::object& object,
                                                     std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return std::optional<std::string>();
  if (!value->is_string())
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected a string", key);
  return std::optional<std::string>(std::string(value->as_string()));
}

Result<int64_t> AsInt(const json::value& value, std::string_view what) {
  if (value.is_int64()) return value.as_int64();
  if (value.is_uint64() && value.as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(value.as_uint64());
  }
  return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an integer", what);
}

Result<int64_t> GetInt(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  return AsInt(*value, key);
}

Result<std::optional<int64_t>> GetOptionalInt(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t number, AsInt(*value, key));
  return std::optional<int64_t>(number);
}

Result<bool> GetBool(const json::object& object, std::string_view key, bool fallback) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return fallback;
  if (!value->is_bool())
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected a boolean", key);
  return value->as_bool();
}

Result<const json::object*> GetObject(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  if (!value->is_object())
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an object", key);
  return &value->as_object();
}

Result<const json::array*> GetArray(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  if (!value->is_array())
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an array", key);
  return &value->as_array();
}

Result<std::map<std::string, std::string>> GetStringMap(const json::object& object,
                                                        std::string_view key) {
  std::map<std::string, std::string> out;
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return out;
  if (!value->is_object()) {
    return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an object of strings", key);
  }
  for (const auto& [name, item] : value->as_object()) {
    if (!item.is_string()) {
      return Err(ErrorCode::kBadRequest, "Invalid field {}: value of {} is not a string", key,
                 name);
    }
    out.emplace(name, item.as_string());
  }
  return out;
}

Result<std::vector<std::string>> GetStringList(const json::object& object, std::string_view key) {
  ASSIGN_OR_RETURN(const json::array* array, GetArray(object, key));
  std::vector<std::string> out;
  for (const auto& item : *array) {
    if (!item.is_string()) {
      return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an array of strings", key);
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::optional<TenantId>> GetOptionalTenantId(const json::object& object,
                                                    std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    ASSIGN_OR_RETURN(auto text, GetOptionalString(object, name));
    if (!text) continue;
    if (!IsUuid(*text)) return Err(ErrorCode::kBadRequest, "Invalid {}: '{}'", name, *text);
    return std::optional<TenantId>(TenantId{ToLower(*text)});
  }
  return std::optional<TenantId>();
}

Result<int> AsInt32(const json::value& value, std::string_view what) {
  ASSIGN_OR_RETURN(int64_t number, AsInt(value, what));
  if (number < INT32_MIN || number > INT32_MAX) {
    return Err(ErrorCode::kBadRequest, "Invalid field {}: integer out of range", what);
  }
  return static_cast<int>(number);
}

Result<int> GetInt32(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  return AsInt32(*value, key);
}

Result<std::optional<int>> GetOptionalInt32(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return std::optional<int>();
  ASSIGN_OR_RETURN(int number, AsInt32(*value, key));
  return std::optional<int>(number);
}

Result<std::vector<int64_t>> GetIntList(const json::object& object, std::string_view key) {
  ASSIGN_OR_RETURN(const json::array* array, GetArray(object, key));
  std::vector<int64_t> out;
  for (const auto& item : *array) {
    ASSIGN_OR_RETURN(int64_t number, AsInt(item, key));
    out.push_back(number);
  }
  return out;
}

Result<std::vector<int>> GetInt32List(const json::object& object, std::string_view key) {
  ASSIGN_OR_RETURN(const json::array* array, GetArray(object, key));
  std::vector<int> out;
  for (const auto& item : *array) {
    ASSIGN_OR_RETURN(int number, AsInt32(item, key));
    out.push_back(number);
  }
  return out;
}

std::string ToRawJson(const json::value& value) { return json::serialize(value); }

json::value FromRawJson(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return json::value(json::string(text));
  return value;
}

std::vector<std::pair<std::string, std::string>> CollectExtras(
    const json::object& object, std::initializer_list<std::string_view> known) {
  std::vector<std::pair<std::string, std::string>> extras;
  for (const auto& [name, value] : object) {
    bool is_known = false;
    for (std::string_view k : known) is_known = is_known || k == std::string_view(name);
    if (!is_known) extras.emplace_back(std::string(name), ToRawJson(value));
  }
  return extras;
}

json::object ToJson(const std::map<std::string, std::string>& map) {
  json::object object;
  for (const auto& [key, value] : map) object[key] = value;
  return object;
}

json::array ToJson(const std::vector<std::string>& list) {
  json::array array;
  for (const auto& item : list) array.emplace_back(item);
  return array;
}

Status RejectUnknownFields(const json::object& object,
                           std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object) {
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
      return Err(ErrorCode::kUnprocessable, "Unknown field: {}", std::string_view(key));
    }
  }
  return Ok();
}

}  // namespace pangolin::serde::internal
