// Boost.JSON helpers private to serde: typed field access that turns a wrong or missing field into
// a kBadRequest error naming the field. Include only from serde/*.cc.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// An integer held by `value` (JSON int64 or uint64 within range). Errors: kBadRequest.
Result<int64_t> AsInt(const json::value& value, std::string_view what);

json::object ToJson(const std::map<std::string, std::string>& map);
json::array ToJson(const std::vector<std::string>& list);

}  // namespace pangolin::serde::internal
