#include "serde/remote_signing.h"

#include <algorithm>

#include "serde/json_internal.h"

namespace pangolin::serde {
using namespace internal;

Result<RemoteSignBody> ParseRemoteSignRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object object, ParseObject(text, "remote sign request"));
  RemoteSignBody out;
  ASSIGN_OR_RETURN(out.region, GetString(object, "region"));
  ASSIGN_OR_RETURN(out.uri, GetString(object, "uri"));
  ASSIGN_OR_RETURN(out.method, GetString(object, "method"));
  static constexpr std::string_view kMethods[] = {"PUT",    "GET",   "HEAD",   "POST",
                                                  "DELETE", "PATCH", "OPTIONS"};
  if (std::find(std::begin(kMethods), std::end(kMethods), out.method) == std::end(kMethods)) {
    return Err(ErrorCode::kBadRequest, "Invalid remote sign request: unknown method '{}'",
               out.method);
  }
  ASSIGN_OR_RETURN(const json::object* headers, GetObject(object, "headers"));
  for (const auto& [name, values] : *headers) {
    if (!values.is_array()) {
      return Err(ErrorCode::kBadRequest,
                 "Invalid remote sign request: header '{}' is not a list of strings",
                 std::string_view(name));
    }
    auto& list = out.headers[std::string(name)];
    for (const auto& value : values.as_array()) {
      if (!value.is_string()) {
        return Err(ErrorCode::kBadRequest,
                   "Invalid remote sign request: header '{}' is not a list of strings",
                   std::string_view(name));
      }
      list.emplace_back(value.as_string());
    }
  }
  ASSIGN_OR_RETURN(auto body, GetOptionalString(object, "body"));
  out.body = body.value_or("");
  ASSIGN_OR_RETURN(auto provider, GetOptionalString(object, "provider"));
  out.provider = provider.value_or("s3");
  return out;
}

std::string RemoteSignResultJson(const std::string& uri, const HeaderValues& headers) {
  json::object names;
  for (const auto& [name, values] : headers) {
    json::array list;
    for (const auto& value : values) list.push_back(json::string(value));
    names[name] = std::move(list);
  }
  return json::serialize(json::object{{"uri", uri}, {"headers", std::move(names)}});
}

}  // namespace pangolin::serde
