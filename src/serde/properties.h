// JSON encoding of string maps and string lists, for stores that keep them in one column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "common/result.h"

namespace pangolin::serde {

std::string PropertiesToJson(const catalog::Properties& properties);
// Errors: kBadRequest when `json` is not an object of strings.
Result<catalog::Properties> PropertiesFromJson(std::string_view json);

std::string StringListToJson(const std::vector<std::string>& items);
// Errors: kBadRequest when `json` is not an array of strings.
Result<std::vector<std::string>> StringListFromJson(std::string_view json);

}  // namespace pangolin::serde
