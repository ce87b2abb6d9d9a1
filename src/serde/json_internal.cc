// Typed JSON field access with errors that name the field.
#include "serde/json_internal.h"

namespace pangolin::serde::internal {

Result<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return Err(ErrorCode::kBadRequest, "Malformed JSON: {}", ec.message());
  return value;
}

Result<json::object> ParseObject(std::string_view text, std::string_view what) {
  ASSIGN_OR_RETURN(json::value value, ParseJson(text));
  if (!value.is_object()) return Err(ErrorCode::kBadRequest, "Invalid {}: expected a JSON object", what);
  return std::move(value.as_object());
}

const json::value* Find(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

Result<std::string> GetString(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  if (!value->is_string()) return Err(ErrorCode::kBadRequest, "Invalid field {}: expected a string", key);
  return std::string(value->as_string());
}

Result<std::optional<std::string>> GetOptionalString(const json::object& object,
                                                     std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return Err(ErrorCode::kBadRequest, "Invalid field {}: expected a string", key);
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
  if (!value->is_bool()) return Err(ErrorCode::kBadRequest, "Invalid field {}: expected a boolean", key);
  return value->as_bool();
}

Result<const json::object*> GetObject(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  if (!value->is_object()) return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an object", key);
  return &value->as_object();
}

Result<const json::array*> GetArray(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  if (!value || value->is_null()) return Err(ErrorCode::kBadRequest, "Missing field: {}", key);
  if (!value->is_array()) return Err(ErrorCode::kBadRequest, "Invalid field {}: expected an array", key);
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
      return Err(ErrorCode::kBadRequest, "Invalid field {}: value of {} is not a string", key, name);
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

}  // namespace pangolin::serde::internal
