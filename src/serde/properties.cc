// String map and list JSON codecs.
#include "serde/properties.h"

#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

std::string PropertiesToJson(const catalog::Properties& properties) {
  return json::serialize(ToJson(properties));
}

Result<catalog::Properties> PropertiesFromJson(std::string_view text) {
  if (text == "{}") return catalog::Properties{};  // most stored contents: no parse
  ASSIGN_OR_RETURN(json::value value, ParseJson(text));
  json::object wrapper{{"properties", std::move(value)}};
  return GetStringMap(wrapper, "properties");
}

std::string StringListToJson(const std::vector<std::string>& items) {
  return json::serialize(ToJson(items));
}

Result<std::vector<std::string>> StringListFromJson(std::string_view text) {
  ASSIGN_OR_RETURN(json::value value, ParseJson(text));
  json::object wrapper{{"items", std::move(value)}};
  return GetStringList(wrapper, "items");
}

}  // namespace pangolin::serde
