// Boost.JSON helpers private to serde: typed field access that turns a wrong or missing field into
// a kBadRequest error naming the field. Include only from serde/*.cc.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ids.h"
#include "common/result.h"

namespace pangolin::serde::internal {
namespace json = boost::json;

// Parses `text` as JSON. Errors: kBadRequest with the parser's message.
Result<json::value> ParseJson(std::string_view text);
// Parses `text` as a JSON object. Errors: kBadRequest.
Result<json::object> ParseObject(std::string_view text, std::string_view what);

const json::value* Find(const json::object& object, std::string_view key);  // null if absent

Result<std::string> GetString(const json::object& object, std::string_view key);
Result<std::optional<std::string>> GetOptionalString(const json::object& object,
                                                     std::string_view key);
Result<int64_t> GetInt(const json::object& object, std::string_view key);
Result<std::optional<int64_t>> GetOptionalInt(const json::object& object, std::string_view key);
Result<bool> GetBool(const json::object& object, std::string_view key, bool fallback);
Result<const json::object*> GetObject(const json::object& object, std::string_view key);
Result<const json::array*> GetArray(const json::object& object, std::string_view key);
Result<std::map<std::string, std::string>> GetStringMap(const json::object& object,
                                                        std::string_view key);  // absent: {}
Result<std::vector<std::string>> GetStringList(const json::object& object, std::string_view key);
// The first of `names` present, as a tenant id: a UUID, lowercased. Errors: kBadRequest.
Result<std::optional<TenantId>> GetOptionalTenantId(const json::object& object,
                                                    std::initializer_list<std::string_view> names);

// An integer held by `value` (JSON int64 or uint64 within range). Errors: kBadRequest.
Result<int64_t> AsInt(const json::value& value, std::string_view what);

// An int32 field (errors name the field when absent, not an integer or out of range).
Result<int> GetInt32(const json::object& object, std::string_view key);
Result<std::optional<int>> GetOptionalInt32(const json::object& object, std::string_view key);
Result<int> AsInt32(const json::value& value, std::string_view what);
// An array of integers (absent or null: error, like GetArray).
Result<std::vector<int64_t>> GetIntList(const json::object& object, std::string_view key);
Result<std::vector<int>> GetInt32List(const json::object& object, std::string_view key);

// Compact JSON text of `value` (the model's RawJson).
std::string ToRawJson(const json::value& value);
// The value of RawJson text; text that is not JSON becomes a JSON string (never fails).
json::value FromRawJson(std::string_view text);
// Members of `object` whose names are not in `known`, in document order, as RawJson.
std::vector<std::pair<std::string, std::string>> CollectExtras(
    const json::object& object, std::initializer_list<std::string_view> known);

// Management bodies are strict: a member outside `known` is kUnprocessable.
Status RejectUnknownFields(const json::object& object,
                           std::initializer_list<std::string_view> known);

json::object ToJson(const std::map<std::string, std::string>& map);

// The compact JSON array of `to_object(item)` for each of `items`.
template <typename T, typename F>
std::string ListJson(const std::vector<T>& items, F to_object) {
  json::array array;
  array.reserve(items.size());
  for (const T& item : items) array.push_back(to_object(item));
  return json::serialize(array);
}
json::array ToJson(const std::vector<std::string>& list);

}  // namespace pangolin::serde::internal
